/**
 * Failures that multiply, stopped, for one run: within a run (runOwner.ts), a read that ended on a failure that
 * will not heal within it ends every later read of that run that would meet it, at once, with the same message.
 *
 * Which failures: unreachable or no answer before any response (after every attempt), and 401 (the API URL or
 * the token: keyed by API URL and token digest), and 403 (the token cannot see that team: keyed by API URL, token
 * digest and team). A 404, a bad answer, a 5xx or an answer cut off midway are about one project or one moment,
 * and are not remembered. Neither is a rate limit (a 429 is Vercel answering: it says "later", not "never"), nor a
 * timeout or broken connection in a read that Vercel answered at least once (the API is reachable; that read's
 * trouble is its own, and other projects must still be asked).
 *
 * Why it matters: the engine runs a refresh's Reads a limited number at a time, so against a dead API each wave
 * would pay a full retry budget (50 resources: ~7 minutes); now the waves after the first end at once.
 *
 * Why per run and not per process: a process that runs many programs (the Automation API: a drift service, a
 * platform API) would otherwise keep failing every later command for a token that was only still propagating,
 * or for an outage that has ended, until it restarted. The next run tries again.
 *
 * A 401 is confirmed before it is remembered: a token just created may be refused for a moment while it
 * propagates, so the first 401 of a run is asked once more after `UNAUTHORIZED_CONFIRM_DELAY_MS`. Reads that meet
 * a 401 while that confirmation is under way wait for it instead of confirming again.
 *
 * In memory only. Bounded by `MAX_DEAD_ENDS` per run.
 */
import { describeScope, VercelClientCertsError } from "./errors";
import { MAX_DEAD_ENDS } from "./limits";
import type { RunOwner } from "./runOwner";
import type { ProjectScope } from "./types";

let ended = new WeakMap<RunOwner, Map<string, VercelClientCertsError>>();
let confirmations = new WeakMap<RunOwner, Map<string, Promise<void>>>();

/** Which failures of one attempt are dead ends, and for what: marked where the attempt is judged (vercelApi.ts). */
const marks = new WeakMap<VercelClientCertsError, "credential" | "team">();

/**
 * Where a read's dead ends are kept: its run, and the keys for its API URL and token, and its team under them; and
 * how its messages name its project (`where`), so a later read for another project never quotes it.
 */
export type DeadEndKeys = { run: RunOwner; credential: string; team: string; where: string };

/** The project and team each remembered error names (its read's `where`). */
const named = new WeakMap<VercelClientCertsError, string>();

/**
 * Marks an attempt's failure as one that will not heal within this run: "credential" for an API that cannot
 * be reached or does not answer before any response, or a 401; "team" for a 403.
 */
export function markDeadEnd(error: VercelClientCertsError, scope: "credential" | "team"): VercelClientCertsError {
    marks.set(error, scope);
    return error;
}

/**
 * The keys a read may meet.
 *
 * @param run The run the read belongs to (runOwner.ts).
 * @param apiUrl The API base URL.
 * @param digest The token's one-way digest.
 * @param scope The project's team scope.
 */
export function deadEndKeys(run: RunOwner, apiUrl: string, digest: string, scope: ProjectScope): DeadEndKeys {
    const credential = JSON.stringify([apiUrl, digest]);
    return { run, credential, team: JSON.stringify([apiUrl, digest, scope.teamId ?? null, scope.slug ?? null]), where: describeScope(scope) };
}

/** The failure an earlier read of the same run ended on for these keys, if any. */
export function knownDeadEnd(keys: DeadEndKeys): VercelClientCertsError | undefined {
    const run = ended.get(keys.run);
    return run?.get(keys.credential) ?? run?.get(keys.team);
}

/** What the read knew when it ended, beyond its last attempt. */
export type ReadHistory = {
    /** Vercel answered at least one of the read's attempts (with any HTTP status, a 429 included). */
    apiAnswered?: boolean;
};

/**
 * Remembers `error` (the read's final error) for the rest of the read's run when `cause` (the attempt that ended
 * it) was marked a dead end, and returns `error`, to be thrown. Never a rate limit; never a timeout or broken
 * connection when Vercel answered the read before (`history.apiAnswered`).
 */
export function rememberDeadEnd(
    keys: DeadEndKeys,
    error: VercelClientCertsError,
    cause: VercelClientCertsError = error,
    history: ReadHistory = {},
): VercelClientCertsError {
    const mark = marks.get(cause);
    const rateLimit = error.kind === "rate-limited" || cause.kind === "rate-limited";
    const reachable = history.apiAnswered === true && (cause.kind === "timeout" || cause.kind === "network");
    if (mark !== undefined && !rateLimit && !reachable) {
        let run = ended.get(keys.run);
        if (!run) ended.set(keys.run, (run = new Map()));
        const key = mark === "credential" ? keys.credential : keys.team;
        if (run.size >= MAX_DEAD_ENDS) run.delete(run.keys().next().value as string);
        run.set(key, error);
        named.set(error, keys.where);
    }
    return error;
}

/** The confirmation of a 401 another read of the same run is making for these keys, to wait for, if any. */
export function pendingConfirmation(keys: DeadEndKeys): Promise<void> | undefined {
    return confirmations.get(keys.run)?.get(keys.credential);
}

/**
 * Registers that this read is confirming a 401 for these keys; returns the function that ends the confirmation
 * (call it once the confirming attempt is judged, after remembering its dead end if it is one).
 */
export function startConfirmation(keys: DeadEndKeys): () => void {
    let run = confirmations.get(keys.run);
    if (!run) confirmations.set(keys.run, (run = new Map()));
    let release!: () => void;
    const pending = new Promise<void>((resolve) => (release = resolve));
    run.set(keys.credential, pending);
    return () => {
        if (run.get(keys.credential) === pending) run.delete(keys.credential);
        release();
    };
}

/**
 * The error for a read that meets a remembered dead end: its own scope, then the earlier read's message. That
 * message is about another project (and maybe team), which may be secret to whoever made that read: it says
 * "another project" instead of naming it. A read of the same project gets the message as it was.
 */
export function deadEndError(where: string, earlier: VercelClientCertsError): VercelClientCertsError {
    const earlierWhere = named.get(earlier);
    const cause = earlierWhere && earlierWhere !== where ? earlier.message.split(earlierWhere).join("another project") : earlier.message;
    return new VercelClientCertsError(
        earlier.kind,
        `Not sent for ${where}: an earlier read in this run (the same API URL and token) ended this way, which ` +
            `does not heal within one command: ${cause}`,
        undefined,
        earlier.status,
    );
}

/** Forgets every remembered failure of every run (tests that simulate several commands in one process). */
export function clearDeadEnds(): void {
    ended = new WeakMap();
    confirmations = new WeakMap();
}
