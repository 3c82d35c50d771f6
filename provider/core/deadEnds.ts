/**
 * Failures that multiply, stopped: within one process, a read that ended on a failure that will not heal within
 * this command ends every later read that would meet it, at once, with the same message.
 *
 * Which failures: unreachable or no answer before any response (after every attempt), and 401 (the API URL or
 * the token: keyed by API URL and token digest), and 403 (the token cannot see that team: keyed by API URL, token
 * digest and team). A 404, a bad answer, a 5xx or an answer cut off midway are about one project or one moment,
 * and are not remembered.
 *
 * Why it matters: the engine runs a refresh's Reads a limited number at a time, so against a dead API each wave
 * used to pay a full retry budget (50 resources: ~7 minutes); now the waves after the first end at once. Without this, `pulumi refresh` of a stack against an
 * API that never answers pays one full retry budget per wave of parallel reads (50 resources: ~7 minutes).
 *
 * Per process and in memory only: the next command tries again. Bounded by `MAX_DEAD_ENDS`.
 */
import { VercelClientCertsError } from "./errors";
import { MAX_DEAD_ENDS } from "./limits";
import type { ProjectScope } from "./types";

const ended = new Map<string, VercelClientCertsError>();

/** Which failures of one attempt are dead ends, and for what: marked where the attempt is judged (vercelApi.ts). */
const marks = new WeakMap<VercelClientCertsError, "credential" | "team">();

/**
 * Marks an attempt's failure as one that will not heal within this command: "credential" for an API that cannot
 * be reached or does not answer before any response, or a 401; "team" for a 403.
 */
export function markDeadEnd(error: VercelClientCertsError, scope: "credential" | "team"): VercelClientCertsError {
    marks.set(error, scope);
    return error;
}

/** The keys a read may meet: its API URL and token, and its team under them. */
export function deadEndKeys(apiUrl: string, digest: string, scope: ProjectScope): { credential: string; team: string } {
    const credential = JSON.stringify([apiUrl, digest]);
    return { credential, team: JSON.stringify([apiUrl, digest, scope.teamId ?? null, scope.slug ?? null]) };
}

/** The failure an earlier read ended on for these keys, if any. */
export function knownDeadEnd(keys: { credential: string; team: string }): VercelClientCertsError | undefined {
    return ended.get(keys.credential) ?? ended.get(keys.team);
}

/**
 * Remembers `error` (the read's final error) when `cause` (the attempt that ended it) was marked a dead end, and
 * returns `error`, to be thrown.
 */
export function rememberDeadEnd(
    keys: { credential: string; team: string },
    error: VercelClientCertsError,
    cause: VercelClientCertsError = error,
): VercelClientCertsError {
    const mark = marks.get(cause);
    if (mark !== undefined) {
        const key = mark === "credential" ? keys.credential : keys.team;
        if (ended.size >= MAX_DEAD_ENDS) ended.delete(ended.keys().next().value as string);
        ended.set(key, error);
    }
    return error;
}

/** The error for a read that meets a remembered dead end: its own scope, then the earlier read's message. */
export function deadEndError(where: string, earlier: VercelClientCertsError): VercelClientCertsError {
    return new VercelClientCertsError(
        earlier.kind,
        `Not sent for ${where}: an earlier read in this process (the same API URL and token) ended this way, which ` +
            `does not heal within one command: ${earlier.message}`,
        undefined,
        earlier.status,
    );
}

/** Forgets every remembered failure (tests that simulate several commands in one process). */
export function clearDeadEnds(): void {
    ended.clear();
}
