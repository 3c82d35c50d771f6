/**
 * The Vercel call: `GET /v1/projects/{idOrName}/client-cert`, built and sent by @vercel/sdk 1.18.5's generated
 * `projectsGetProjectClientCerts` (bundled into dist/core/vendor by scripts/bundleSdk.js), over our bounded transport.
 * This file decides what Vercel's answers mean: which are retried, which fail and how they are worded.
 *
 * The SDK's HTTP client is given a fetcher that goes through `boundedGet` and keeps the raw response. Every
 * answer is then judged from that raw response with our own parsing and zod schema, never from the SDK's
 * parsing: the SDK lets some failures escape as exceptions or as rejections nothing awaits, and quotes bodies in
 * its messages. So a body that is not JSON, cut off, huge or hostile is handled here, in one place.
 */
import { redact } from "./redact";
import { describeScope, quoted as quotedValue, TOKEN_HINT, VercelClientCertsError, type ErrorKind } from "./errors";
import type { RequestPolicy } from "./credentials";
import { sortCerts } from "./certSet";
import { MAX_ATTEMPTS, MAX_BACKOFF_MS, MAX_CERTS, MAX_QUOTED_CHARS, MAX_RATE_LIMIT_WAITS, MAX_RETRY_AFTER_JITTER_MS, MIN_ATTEMPT_TIMEOUT_MS, RETRY_BUDGET_MS, UNAUTHORIZED_CONFIRM_DELAY_MS } from "./limits";
import { deadEndError, deadEndKeys, knownDeadEnd, markDeadEnd, pendingConfirmation, rememberDeadEnd, startConfirmation } from "./deadEnds";
import { PROCESS_RUN, type RunOwner } from "./runOwner";
import { ClientCertsResponseSchema } from "./schemas";
import type { ClientCert, ProjectScope } from "./types";
import { collapseWhitespace, quoteValue, stripTags, truncate, withoutUnsafeChars } from "./text";
import {
    boundedGet,
    credentialDigest,
    pause,
    pauseRemaining,
    sleep,
    TransportError,
    withSlot,
    type RawResponse,
} from "./transport";
import type * as Sdk from "./vendor/vercelSdk";

// Read at run time (not imported) so tsc keeps package.json out of the compiled tree; `provider/` and `dist/`
// both sit one level below the package root.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require("../../package.json") as { name: string; version: string };

/** Sent on every request so Vercel (and a proxy's logs) can tell this package's traffic apart. */
export const USER_AGENT = `${pkg.name}/${pkg.version} (@vercel/sdk 1.18.5; node ${process.version})`;

let sdk: typeof Sdk | undefined;
// A plain require of one CommonJS file: the bundle loads in tens of milliseconds, where the SDK's ESM tree
// took a dynamic import() and more than twice as long on every provider start.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSdk = (): typeof Sdk => (sdk ??= require("./vendor/vercelSdk.js") as typeof Sdk);

/** Everything needed for one read. The token travels only here and into the Authorization header. */
export interface ReadRequest {
    scope: ProjectScope;
    token: string;
    apiUrl: string;
    policy: RequestPolicy;
    /** The run this read belongs to (runOwner.ts), for its dead ends; default: this process. */
    run?: RunOwner;
}

/**
 * What one attempt ended in: certs, or a failure that says whether another attempt may help, and whether Vercel
 * answered it at all (any HTTP status).
 */
type Attempt =
    | { ok: true; certs: ClientCert[] }
    | { ok: false; error: VercelClientCertsError; retryable: boolean; retryAfterMs?: number; answered?: true };

/**
 * The least time an attempt may start with (`MIN_ATTEMPT_TIMEOUT_MS`, or the whole timeout or budget when shorter).
 *
 * @param policy The read's policy.
 */
export function attemptFloorMs(policy: RequestPolicy): number {
    return Math.min(MIN_ATTEMPT_TIMEOUT_MS, policy.timeoutMs, policy.retryBudgetMs);
}

/**
 * A duration as messages give it: seconds with one decimal, or whole days past two days (a `Retry-After` may be
 * any size).
 */
export function durationText(ms: number): string {
    if (!Number.isFinite(ms) || ms >= 2 * 86_400_000) return Number.isFinite(ms) ? `${Math.round(ms / 86_400_000)} days` : "forever";
    return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Reads the project's client certificates, retrying 429, 5xx, resets and timeouts within the policy's bounds.
 * Returns them sorted by origin, then id, so two reads of the same set compare equal however Vercel orders them.
 *
 * - A 429 whose wait fits in the budget does not use up an attempt: it has its own, larger cap
 *   (`MAX_RATE_LIMIT_WAITS`), and its `Retry-After` gets jitter, so processes sharing a rate limit (a stack runs
 *   two: the program and the provider host) do not all come back in the same instant.
 * - No attempt starts with less than its floor ({@link attemptFloorMs}) of the budget left: a wait that would leave
 *   less ends the read, as rate-limited when Vercel asked for the wait, saying how many waits and how long.
 * - Pauses are waited out without holding a request slot, so other tokens in the process are not held up.
 * - A read that ends on a failure that will not heal within this command (unreachable, timeout, 401, 403) is
 *   remembered (deadEnds.ts): every later read of the same run for the same API URL and token (or, for a 403, the
 *   same team) ends at once with the same message, so a dead API costs about one budget, not one per resource.
 *   The run's first 401 is asked once more, after `UNAUTHORIZED_CONFIRM_DELAY_MS`, before it is remembered. A rate
 *   limit never is, and neither is a timeout or broken connection in a read that Vercel answered (it is reachable).
 */
export async function readClientCerts(req: ReadRequest): Promise<ClientCert[]> {
    const confirmation: Confirmation = {};
    try {
        return await readWithRetries(req, confirmation);
    } finally {
        // However the read ended, reads waiting for its confirmation of a 401 go on (deadEnds.ts).
        confirmation.end?.();
    }
}

/** The end of a 401 confirmation this read is making, once it makes one. */
type Confirmation = { end?: () => void };

/** {@link readClientCerts}, with the confirmation it may start ended by its caller. */
async function readWithRetries(req: ReadRequest, confirmation: Confirmation): Promise<ClientCert[]> {
    const started = Date.now();
    const deadline = started + req.policy.retryBudgetMs;
    const floor = attemptFloorMs(req.policy);
    const digest = credentialDigest(req.token);
    const where = describeScope(req.scope);
    const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
    const budget = `${req.policy.retryBudgetMs / 1000} s retry budget (${RETRY_BUDGET_MS.env})`;
    const deadEndAt = deadEndKeys(req.run ?? PROCESS_RUN, req.apiUrl, digest, req.scope);
    let rateLimitWaits = 0;
    let rateLimitWaitedMs = 0;
    // Whether Vercel answered any attempt of this read: then it is reachable, and no timeout or broken connection
    // later in the read is remembered as a dead end (deadEnds.ts).
    let answered = false;
    // A 401 is written off for the run only once confirmed (deadEnds.ts): by this read, or by another one.
    let unauthorizedConfirmed = false;
    /** How this read waited for Vercel's rate limit so far, for a message that ends it. */
    const waitedSoFar = () =>
        rateLimitWaits
            ? `Waited ${rateLimitWaits} time(s) as asked (${durationText(rateLimitWaitedMs)} in all); gave up after ${elapsed()} s.`
            : `Gave up after ${elapsed()} s, without waiting.`;
    /** The read's end when Vercel's rate limit asks for a wait that does not fit: never a dead end. */
    const rateLimitedEnd = (rateLimit: string) =>
        new VercelClientCertsError(
            "rate-limited",
            `${rateLimit}; that and another attempt (at least ${durationText(floor)}) do not fit in what is left of the ` +
                `${budget}. ${waitedSoFar()} Nothing was changed; it is safe to run the command again later.`,
            req.token,
            429,
        );
    for (let attempt = 1; ; ) {
        let outcome: Attempt | undefined;
        try {
            const known = knownDeadEnd(deadEndAt);
            if (known) throw deadEndError(where, known);
            const wait = pauseRemaining(req.apiUrl, digest);
            if (wait > 0) {
                // The pause another read of this token set after a 429 (or this read's own, extended meanwhile).
                if (Date.now() + wait + floor > deadline) {
                    throw rateLimitedEnd(`Vercel is rate-limiting this token for another ${durationText(wait)} (a 429 to another read), so ${where} was not read`);
                }
                // Outside any slot: requests for other tokens keep flowing meanwhile.
                await sleep(wait);
            }
            // The slot must leave the attempt its floor: waiting for one ends that much before the deadline.
            outcome = await withSlot(deadline - floor, async () => {
                // A dead end met while queued for the slot: end now, sending nothing.
                const metWhileQueued = knownDeadEnd(deadEndAt);
                if (metWhileQueued) throw deadEndError(where, metWhileQueued);
                // Paused again while queued for the slot: give it back and wait outside it (loop).
                if (pauseRemaining(req.apiUrl, digest) > 0) return undefined;
                const left = deadline - Date.now();
                // Never cut below the floor: what the checks above left is at least that, less a few ms of slack.
                const timeoutMs = Math.min(req.policy.timeoutMs, Math.max(floor, left));
                return attemptOnce(req, timeoutMs, timeoutMs < req.policy.timeoutMs ? `what was left of the ${req.policy.retryBudgetMs / 1000} s retry budget` : undefined);
            });
        } catch (err) {
            if (err instanceof TransportError && err.failure === "capacity") {
                throw new VercelClientCertsError(
                    "timeout",
                    `Reading ${where} ${err.message} (the ${budget}, less ${durationText(floor)} kept for the attempt). ` +
                        "Nothing was changed; it is safe to run the command again, or raise the budget.",
                    req.token,
                );
            }
            throw err;
        }
        if (outcome === undefined) continue;
        if (outcome.ok) return sortCerts(outcome.certs);
        if (outcome.answered) answered = true;
        if (!outcome.retryable) {
            if (outcome.error.status === 401 && !unauthorizedConfirmed) {
                unauthorizedConfirmed = true;
                const other = pendingConfirmation(deadEndAt);
                if (other) {
                    // Another read of this run is confirming: its answer decides (the loop's top meets the dead end).
                    await other;
                    continue;
                }
                if (Date.now() + UNAUTHORIZED_CONFIRM_DELAY_MS + floor <= deadline) {
                    confirmation.end = startConfirmation(deadEndAt);
                    await sleep(UNAUTHORIZED_CONFIRM_DELAY_MS);
                    continue;
                }
            }
            throw rememberDeadEnd(deadEndAt, outcome.error, outcome.error, { apiAnswered: answered });
        }
        // A confirming attempt that met a passing failure decides nothing: reads waiting for it go on their own.
        confirmation.end?.();
        confirmation.end = undefined;
        const cause = outcome.error;
        const rateLimited = outcome.error.kind === "rate-limited" && outcome.retryAfterMs !== undefined;
        const giveUp = (why: string) =>
            rememberDeadEnd(
                deadEndAt,
                new VercelClientCertsError(
                    outcome.error.kind,
                    `${outcome.error.message} Gave up after ${attempt} attempt(s)` +
                        `${rateLimitWaits ? ` and ${rateLimitWaits} rate-limit wait(s) (${durationText(rateLimitWaitedMs)})` : ""} in ${elapsed()} s: ${why}. ` +
                        "Nothing was changed; it is safe to run the command again.",
                    req.token,
                    outcome.error.status,
                ),
                cause,
                { apiAnswered: answered },
            );
        if (rateLimited ? rateLimitWaits >= MAX_RATE_LIMIT_WAITS : attempt >= req.policy.maxAttempts) {
            throw giveUp(
                rateLimited
                    ? `Vercel asked to wait ${MAX_RATE_LIMIT_WAITS} times (the cap on rate-limit waits per read)`
                    : `the limit is ${req.policy.maxAttempts} attempts (${MAX_ATTEMPTS.env})`,
            );
        }
        const needMs = outcome.retryAfterMs ?? backoffMs(attempt);
        // The wait must leave the next attempt its floor.
        const room = deadline - floor - Date.now();
        if (needMs > room) {
            if (rateLimited) throw rateLimitedEnd(`Vercel rate-limited reading ${where} (429) and asked to wait ${durationText(needMs)} more`);
            throw giveUp(`waiting ${durationText(needMs)} more and another attempt (at least ${durationText(floor)}) would exceed the ${budget}`);
        }
        // Jitter on a Retry-After spreads processes that share the limit; it never eats into the next attempt's floor.
        const waitMs = rateLimited ? Math.min(withJitter(needMs), room) : needMs;
        // Shared only once we decided to wait ourselves, and only with the same URL and token: a wait beyond the
        // budget fails this read alone, and other tokens or endpoints are not rate-limited by this one.
        if (outcome.error.kind === "rate-limited") pause(req.apiUrl, digest, waitMs);
        if (rateLimited) {
            rateLimitWaits++;
            rateLimitWaitedMs += waitMs;
        } else attempt++;
        await sleep(waitMs);
    }
}

/** A `Retry-After` wait plus up to a quarter more (at most `MAX_RETRY_AFTER_JITTER_MS`), at random. */
function withJitter(retryAfterMs: number): number {
    return Math.round(retryAfterMs + Math.random() * Math.min(MAX_RETRY_AFTER_JITTER_MS, Math.max(250, retryAfterMs / 4)));
}

/** Exponential backoff with jitter: 0.25 s, 0.5 s, 1 s … capped at `MAX_BACKOFF_MS`. */
function backoffMs(attempt: number): number {
    const base = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (attempt - 1));
    return Math.round(base / 2 + (Math.random() * base) / 2);
}

/**
 * One request through the SDK over `boundedGet`, judged from the raw response. Never throws. `shortenedBy` says
 * why `timeoutMs` is less than the policy's timeout (the end of the budget), for the message.
 */
async function attemptOnce(req: ReadRequest, timeoutMs: number, shortenedBy?: string): Promise<Attempt> {
    const { VercelCore, HTTPClient, projectsGetProjectClientCerts } = loadSdk();
    const where = describeScope(req.scope);
    const seen: { raw?: RawResponse; failure?: unknown } = {};
    const httpClient = new HTTPClient({
        fetcher: async (input, init) => {
            const request = input instanceof Request ? input : new Request(input, init);
            try {
                seen.raw = await boundedGet(request.url, request.headers, timeoutMs);
            } catch (err) {
                seen.failure = err;
                throw err;
            }
            // The SDK reads this copy; the judgement below uses `seen.raw`.
            const nullBody = seen.raw.status === 204 || seen.raw.status === 304;
            return new Response(nullBody ? null : new Uint8Array(seen.raw.body), { status: seen.raw.status, headers: seen.raw.headers });
        },
    });
    const core = new VercelCore({ bearerToken: req.token, serverURL: req.apiUrl, userAgent: USER_AGENT, httpClient });
    const params = {
        idOrName: req.scope.idOrName,
        ...(req.scope.teamId !== undefined ? { teamId: req.scope.teamId } : {}),
        ...(req.scope.slug !== undefined ? { slug: req.scope.slug } : {}),
    };
    const call = projectsGetProjectClientCerts(core, params, { retries: { strategy: "none" } });
    // The SDK's APIPromise derives a second promise from the first in its constructor, which only its own
    // .catch/.finally observe. Awaiting it handles the first alone, so a failure inside the SDK (its JSON.parse
    // of a bad body, say) would surface as an unhandled rejection and kill the process. Observe both.
    call.catch(() => undefined);
    try {
        await call;
    } catch {
        // The SDK's own parse of the body failed; the raw response decides below.
    }
    const fail = (kind: ErrorKind, message: string, retryable: boolean, status?: number) => failure(req, kind, message, retryable, status);
    if (seen.failure instanceof TransportError) {
        const t = seen.failure;
        const midBody = t.phase === "body";
        switch (t.failure) {
            case "timeout":
                return midBody
                    ? answeredBy(fail("timeout", `Vercel started answering for ${where} but did not finish within ${t.message}.`, true))
                    : asDeadEnd(fail("timeout", `Vercel did not answer within ${t.message}${shortenedBy ? ` (${shortenedBy})` : ""} while reading ${where}.`, true), "credential");
            case "network":
                return midBody
                    ? answeredBy(fail("network", `The connection to Vercel at ${req.apiUrl} broke while its answer for ${where} was arriving (${t.message}).`, true))
                    : asDeadEnd(fail("network", `Could not reach Vercel at ${req.apiUrl} to read ${where} (${t.message}).`, true), "credential");
            case "tls":
                return asDeadEnd(fail(
                    "network",
                    `TLS verification of Vercel at ${req.apiUrl} failed while reading ${where} (${t.message}). If a proxy ` +
                        "or firewall re-signs TLS traffic, give Node its CA certificate: NODE_EXTRA_CA_CERTS=/path/to/ca.pem.",
                    false,
                ), "credential");
            case "proxy": {
                // The proxy's status is not Vercel's, so it is not the error's `status` (a proxy's 404 is no project's).
                const refused = fail("network", `Could not reach Vercel at ${req.apiUrl} to read ${where}: ${t.message}.`, t.retryable);
                // A proxy that dropped the connection is as unreachable as a dead API; a proxy's answer is not
                // remembered (it is about the proxy, not this API URL and token, and costs one connection a read).
                return t.retryable && t.status === undefined ? asDeadEnd(refused, "credential") : refused;
            }
            default:
                return fail("invalid-response", `Vercel at ${req.apiUrl} ${t.message}, reading ${where}.`, false, t.status);
        }
    }
    if (!seen.raw) {
        // The SDK refused to build the request; its message may quote the input, so only its class is named.
        return fail("bad-request", `The request for ${where} could not be built, so nothing was sent. Check idOrName, teamId and slug.`, false);
    }
    return answeredBy(judge(seen.raw, req));
}

/** Marks a failed attempt as one Vercel answered (any HTTP status): the API is reachable for this read. */
function answeredBy(attempt: Attempt): Attempt {
    return attempt.ok ? attempt : { ...attempt, answered: true };
}

/** What an HTTP answer means for this endpoint. */
function judge(raw: RawResponse, req: ReadRequest): Attempt {
    const where = describeScope(req.scope);
    const { status } = raw;
    const contentType = raw.headers.get("content-type") ?? "";
    const fail = (kind: ErrorKind, message: string, retryable: boolean, retryAfterMs?: number) =>
        failure(req, kind, message, retryable, status, retryAfterMs);
    if (status >= 200 && status < 300) return judgeSuccess(raw, req);

    // Parsed once: the quoted message and the "project not found" test both read it.
    const vercelErr = vercelError(raw);
    const said = quoted(raw, vercelErr, req.token);
    const suffix = said ? ` Vercel said: "${said}".` : "";
    if (status === 400) {
        return fail("bad-request", `Vercel rejected the request for ${where} as invalid (400).${suffix} Check idOrName, teamId and slug.`, false);
    }
    if (status === 401 || status === 403) {
        return asDeadEnd(
            fail(
                "unauthorized",
                `Vercel rejected the token (${status}) reading client certificates of ${where}.${suffix} ` +
                    `${TOKEN_HINT}, and that it has access to that team.`,
                false,
            ),
            status === 401 ? "credential" : "team",
        );
    }
    if (status === 404) {
        if (isProjectNotFound(raw, vercelErr)) {
            return fail(
                "not-found",
                `Vercel found no ${where} (404).${suffix} Check idOrName, and teamId/slug or vercel:team: a project that ` +
                    "belongs to a team is only visible with that team's scope.",
                false,
            );
        }
        return fail(
            "endpoint-not-found",
            `Vercel answered 404 for ${where}, but not with its JSON "project not found" answer` +
                `${contentType ? ` (content-type ${quoteValue(contentType.split(";")[0], 80)})` : ""}.${suffix} The endpoint itself may have ` +
                "moved or gone (Vercel removed it from its public API document in January 2026), or VERCEL_API_URL " +
                `(${req.apiUrl}) may point at something that is not the Vercel API. Nothing was changed or removed.`,
            false,
        );
    }
    if (status === 429) {
        return fail("rate-limited", `Vercel rate-limited reading ${where} (429).`, true, retryAfter(raw.headers));
    }
    if (status >= 500) {
        return fail("server-error", `Vercel answered ${status} reading ${where}.${suffix}`, true, retryAfter(raw.headers));
    }
    return fail("bad-request", `Vercel answered ${status} reading ${where}.${suffix}`, false);
}

function judgeSuccess(raw: RawResponse, req: ReadRequest): Attempt {
    const where = describeScope(req.scope);
    const contentType = raw.headers.get("content-type") ?? "";
    const invalid = (message: string) => failure(req, "invalid-response", message, false, raw.status);
    const notApi = `Is VERCEL_API_URL (${req.apiUrl}) pointing at the Vercel API, and not at a proxy or login page?`;
    if (!isJson(raw)) {
        return invalid(
            `Vercel answered ${raw.status} for ${where} with content-type ${contentType ? quoteValue(contentType, 80) : "none"} ` +
                `instead of JSON. ${notApi}`,
        );
    }
    let body: unknown;
    try {
        body = JSON.parse(raw.body.toString("utf8"));
    } catch {
        // The parser's message quotes the body, so it is never forwarded.
        return invalid(`Vercel's ${raw.status} answer for ${where} was not valid JSON (${raw.body.length} bytes). ${notApi}`);
    }
    const list = (body as { clientCerts?: unknown } | null)?.clientCerts;
    if (Array.isArray(list) && list.length > MAX_CERTS) {
        return invalid(
            `Vercel returned ${list.length} client certificates for ${where}, more than the ${MAX_CERTS} this package ` +
                "accepts. Nothing was stored.",
        );
    }
    const parsed = ClientCertsResponseSchema.safeParse(body);
    if (parsed.success) {
        // Ids key the live set (`certOriginsById`): a second certificate with the same id would silently replace
        // the first, so the answer is refused instead, naming the id.
        const seen = new Set<string>();
        const dup = parsed.data.clientCerts.find((c) => (seen.has(c.id) ? true : (seen.add(c.id), false)));
        if (dup) {
            return invalid(
                `Vercel returned two client certificates with the same id ${quotedValue(dup.id)} for ${where}; ` +
                    "ids must be unique, so nothing was stored. Retry later, or report it to Vercel if it persists.",
            );
        }
        return { ok: true, certs: parsed.data.clientCerts };
    }
    const issue = parsed.error.issues[0];
    const field = issue ? formatPath(issue.path) : "(body)";
    if (issue?.code === "custom" || issue?.code === "invalid_string") {
        // An id or origin of a shape Vercel does not send (schemas.ts): refused like a duplicate id, naming it
        // only in escaped form, since it may hold terminal escapes or bidi overrides.
        const value = valueAt(body, issue.path);
        return invalid(
            `Vercel returned a client certificate this package refuses for ${where}: \`${field}\` ` +
                `${typeof value === "string" ? `${quotedValue(value)} ` : ""}${issue.message}. Nothing was stored; the ` +
                "certificate must be re-created in the project's Vercel settings, or reported to Vercel if it persists.",
        );
    }
    const problem =
        issue?.code === "invalid_type" && issue.received === "undefined" ? "is missing" : `is invalid (${issue?.message ?? "unknown problem"})`;
    return invalid(`Vercel returned an unexpected response for ${where}: field \`${field}\` ${problem}. ${notApi}`);
}

/** Marks a failed attempt's error as a dead end (deadEnds.ts). */
function asDeadEnd(attempt: Attempt, scope: "credential" | "team"): Attempt {
    if (!attempt.ok) markDeadEnd(attempt.error, scope);
    return attempt;
}

/** A failed attempt: the error (redacted by its constructor) and whether another attempt may help. */
function failure(req: ReadRequest, kind: ErrorKind, message: string, retryable: boolean, status?: number, retryAfterMs?: number): Attempt {
    return { ok: false, retryable, retryAfterMs, error: new VercelClientCertsError(kind, message, req.token, status) };
}

const isJson = (raw: RawResponse) => /\bjson\b/i.test(raw.headers.get("content-type") ?? "");

/** Vercel's error object (`{"error": {"code", "message"}}`) from a JSON body, if it is one. */
function vercelError(raw: RawResponse): { code?: unknown; message?: unknown } | undefined {
    if (!isJson(raw)) return undefined;
    try {
        const body = JSON.parse(raw.body.toString("utf8")) as { error?: unknown } | null;
        return body?.error && typeof body.error === "object" ? (body.error as { code?: unknown; message?: unknown }) : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Vercel's own "this project does not exist" answer: a whole JSON body `{"error": {"code": "not_found", "message": …}}`
 * whose message speaks of a project and not of a path, route or endpoint. Anything else with 404 (an HTML page,
 * a proxy, a wrong VERCEL_API_URL prefix, an unknown route) is not, and must never remove state.
 */
function isProjectNotFound(raw: RawResponse, error: ReturnType<typeof vercelError>): boolean {
    const message = error?.message;
    return (
        !raw.truncated &&
        error?.code === "not_found" &&
        typeof message === "string" &&
        /\bproject\b/i.test(message) &&
        !/\b(path|route|endpoint|url|method)\b/i.test(message)
    );
}

/** The value at `path` in a parsed JSON body (own properties only), or undefined. */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
    let at: unknown = body;
    for (const key of path) {
        if (at === null || typeof at !== "object" || !Object.hasOwn(at, key)) return undefined;
        at = (at as Record<PropertyKey, unknown>)[key];
    }
    return at;
}

function formatPath(path: readonly PropertyKey[]): string {
    if (path.length === 0) return "(body)";
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/**
 * Vercel's message from an error body (`{"error":{"message"}}`), else the body's text with tags stripped:
 * redacted first, then cleaned and cut, so no cut can leave part of the token behind.
 */
function quoted(raw: RawResponse, error: ReturnType<typeof vercelError>, token: string): string {
    const plain = typeof error?.message === "string" ? error.message : stripTags(raw.body.toString("utf8"));
    return truncate(collapseWhitespace(withoutUnsafeChars(redact(plain, token))), MAX_QUOTED_CHARS).replace(/[.\s]+$/, "");
}

/**
 * How long Vercel asked to wait before the next request, in ms from `now`; undefined when it did not say in a form
 * this package trusts (then the read backs off, counting attempts).
 *
 * - `Retry-After`: delay-seconds (a decimal fraction tolerated) or an HTTP date (IMF-fixdate, RFC 850 or asctime,
 *   which all begin with a day name). Sent twice (joined with ", "), the largest counts. Anything else is ignored:
 *   a negative number or free text, which `Date.parse` would read as a date in 2001, that is "retry now".
 * - Else `X-RateLimit-Reset`, which Vercel documents as epoch seconds. A value below 10^9 (before 2001) can only be
 *   seconds from now; one of 13 digits or more, epoch milliseconds.
 *
 * A time in the past is 0. Nothing is capped here: the caller compares the wait with what is left of the budget,
 * and a wait that does not fit ends the read at once (a huge value included).
 */
export function retryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
    const value = headers?.get("retry-after")?.trim();
    if (value) {
        const parts = value.split(/\s*,\s*/);
        if (parts.every((p) => /^\d+(\.\d+)?$/.test(p))) return Math.max(...parts.map((p) => Math.ceil(Number(p) * 1000)));
        if (/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i.test(value)) {
            const date = Date.parse(value);
            if (!Number.isNaN(date)) return Math.max(0, date - now);
        }
    }
    const reset = headers?.get("x-ratelimit-reset")?.trim();
    if (reset && /^\d{1,16}$/.test(reset)) {
        const n = Number(reset);
        if (n < 1e9) return n * 1000;
        return Math.max(0, (n >= 1e12 ? n : n * 1000) - now);
    }
    return undefined;
}
