/**
 * The Vercel call: `GET /v1/projects/{idOrName}/client-cert` through `@vercel/sdk`'s generated
 * `projectsGetProjectClientCerts` over `VercelCore`, with our own retry loop, per-attempt timeout, zod
 * validation and actionable errors.
 *
 * Why only `core.js` and the one function: the SDK's root module takes over a second to import, which every
 * `pulumi preview` would pay at provider start. The two files below cost tens of milliseconds.
 * Why `import()`: the SDK is ESM-only and this package compiles to CommonJS, which Pulumi's closure
 * serializer and provider host load with `require`.
 */
import { describeScope, redact, TOKEN_HINT, VercelClientCertsError } from "./errors";
import type { RequestPolicy } from "./credentials";
import { sortCerts } from "./certSet";
import { ClientCertsResponseSchema, type ClientCert, type ProjectScope } from "./schemas";

// Read at run time (not imported) so tsc keeps package.json out of the compiled tree; `provider/` and `dist/`
// both sit one level below the package root.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require("../package.json") as { name: string; version: string };

/** Sent on every request so Vercel (and a proxy's logs) can tell this package's traffic apart. */
export const USER_AGENT = `${pkg.name}/${pkg.version} (@vercel/sdk 1.18.5; node ${process.version})`;

/** At most this many requests are in flight per process, so a stack of hundreds of projects stays polite. */
export const MAX_CONCURRENT_REQUESTS = 8;

const importSdk = () =>
    Promise.all([
        import("@vercel/sdk/core.js"),
        import("@vercel/sdk/funcs/projectsGetProjectClientCerts.js"),
    ]).then(([core, fn]) => ({ VercelCore: core.VercelCore, getProjectClientCerts: fn.projectsGetProjectClientCerts }));
type Sdk = Awaited<ReturnType<typeof importSdk>>;
let sdk: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
    sdk ??= importSdk();
    return sdk;
}

// A counting semaphore: a slot is taken for each attempt, released before any backoff sleep.
let inFlight = 0;
const waiting: (() => void)[] = [];
async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (inFlight >= MAX_CONCURRENT_REQUESTS) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
    try {
        return await work();
    } finally {
        inFlight--;
        waiting.shift()?.();
    }
}

// When Vercel answers 429, every request of this process waits until the time it named, not just the one that
// was told: the limit is per token, so the others would only collect 429s and burn their attempts.
let rateLimitedUntil = 0;

/** What one attempt ended in: certs, or a failure that says whether another attempt may help. */
type Attempt =
    | { ok: true; certs: ClientCert[] }
    | { ok: false; error: VercelClientCertsError; retryable: boolean; retryAfterMs?: number };

/** Everything needed for one read. The token travels only here and into the Authorization header. */
export interface ReadRequest {
    scope: ProjectScope;
    token: string;
    apiUrl: string;
    policy: RequestPolicy;
}

/**
 * Reads the project's client certificates, retrying 429, 5xx, resets and timeouts within the policy's bounds.
 * Returns them sorted by origin, then id, so two reads of the same set compare equal however Vercel orders them.
 */
export async function readClientCerts(req: ReadRequest): Promise<ClientCert[]> {
    const { VercelCore, getProjectClientCerts } = await loadSdk();
    // Built per call, like the GitHub-labels example's client: nothing token-bearing outlives the request.
    const core = new VercelCore({ bearerToken: req.token, serverURL: req.apiUrl, userAgent: USER_AGENT });
    const started = Date.now();
    const deadline = started + req.policy.retryBudgetMs;
    for (let attempt = 1; ; attempt++) {
        // The shared pause is checked after taking a slot: requests queued for a slot must not fire the moment
        // one frees up if Vercel has just said to wait.
        const outcome = await withSlot(async () => {
            await waitOutRateLimit(req, deadline);
            const timeoutMs = Math.max(1, Math.min(req.policy.timeoutMs, deadline - Date.now()));
            return attemptOnce(getProjectClientCerts, core, req, timeoutMs);
        });
        if (outcome.ok) return sortCerts(outcome.certs);
        if (!outcome.retryable) throw outcome.error;
        const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
        const giveUp = (why: string) =>
            new VercelClientCertsError(
                outcome.error.kind,
                `${outcome.error.message} Gave up after ${attempt} attempt(s) in ${elapsed()} s: ${why}. ` +
                    "Nothing was changed; it is safe to run the command again.",
                req.token,
                outcome.error.status,
            );
        if (attempt >= req.policy.maxAttempts) {
            throw giveUp(`the limit is ${req.policy.maxAttempts} attempts (VERCEL_CLIENT_CERTS_MAX_ATTEMPTS)`);
        }
        const waitMs = outcome.retryAfterMs ?? backoffMs(attempt);
        if (Date.now() + waitMs > deadline) {
            throw giveUp(
                `waiting ${(waitMs / 1000).toFixed(1)} s more would exceed the ${req.policy.retryBudgetMs / 1000} s ` +
                    "retry budget (VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS)",
            );
        }
        // Shared only once we have decided to wait ourselves: a wait beyond the budget fails this read alone.
        if (outcome.error.kind === "rate-limited") rateLimitedUntil = Math.max(rateLimitedUntil, Date.now() + waitMs);
        await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
}

/** Sleeps until the process-wide rate-limit pause is over, or fails if that is past this read's budget. */
async function waitOutRateLimit(req: ReadRequest, deadline: number): Promise<void> {
    const pause = rateLimitedUntil - Date.now();
    if (pause <= 0) return;
    if (Date.now() + pause > deadline) {
        throw new VercelClientCertsError(
            "rate-limited",
            `Vercel is rate-limiting this token for another ${(pause / 1000).toFixed(1)} s, longer than the ` +
                `${req.policy.retryBudgetMs / 1000} s retry budget (VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS) left for ` +
                `reading ${describeScope(req.scope)}. Nothing was changed; it is safe to run the command again.`,
            req.token,
            429,
        );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
}

/** Exponential backoff with jitter: 0.25 s, 0.5 s, 1 s … capped at 8 s. */
function backoffMs(attempt: number): number {
    const base = Math.min(8_000, 250 * 2 ** (attempt - 1));
    return Math.round(base / 2 + (Math.random() * base) / 2);
}

async function attemptOnce(
    getProjectClientCerts: Sdk["getProjectClientCerts"],
    core: InstanceType<Sdk["VercelCore"]>,
    req: ReadRequest,
    timeoutMs: number,
): Promise<Attempt> {
    const { scope, token } = req;
    const where = describeScope(scope);
    let result: Awaited<ReturnType<typeof getProjectClientCerts>>;
    // Our own timer rather than the SDK's `timeoutMs` (AbortSignal.timeout): same effect, cleared as soon as the
    // answer arrives, and measurably cheaper per request (`npm run bench`, warm read).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException("timed out", "TimeoutError")), timeoutMs);
    try {
        result = await getProjectClientCerts(
            core,
            {
                idOrName: scope.idOrName,
                ...(scope.teamId !== undefined ? { teamId: scope.teamId } : {}),
                ...(scope.slug !== undefined ? { slug: scope.slug } : {}),
            },
            { fetchOptions: { signal: abort.signal }, retries: { strategy: "none" } },
        );
    } catch (err) {
        // The SDK parses a JSON content-type with JSON.parse and lets its SyntaxError escape.
        return {
            ok: false,
            retryable: false,
            error: new VercelClientCertsError(
                "invalid-response",
                `Vercel's answer for ${where} was not valid JSON (${String((err as Error)?.message ?? err).slice(0, 200)}). ` +
                    `Is VERCEL_API_URL (${req.apiUrl}) pointing at Vercel, and not at a proxy's error page?`,
                token,
            ),
        };
    } finally {
        clearTimeout(timer);
    }
    if (result.ok) {
        return validate(result.value, req);
    }
    return classify(result.error, req, timeoutMs);
}

/** Our own zod schema decides what a valid body is, so its messages name the offending field. */
function validate(body: unknown, req: ReadRequest): Attempt {
    const parsed = ClientCertsResponseSchema.safeParse(body);
    if (parsed.success) return { ok: true, certs: parsed.data.clientCerts };
    const issue = parsed.error.issues[0];
    const field = issue ? formatPath(issue.path) : "(body)";
    const problem =
        issue?.code === "invalid_type" && issue.received === "undefined"
            ? "is missing"
            : `is invalid (${issue?.message ?? "unknown problem"})`;
    return {
        ok: false,
        retryable: false,
        error: new VercelClientCertsError(
            "invalid-response",
            `Vercel returned an unexpected response for ${describeScope(req.scope)}: field \`${field}\` ${problem}. ` +
                `Is VERCEL_API_URL (${req.apiUrl}) pointing at the Vercel API?`,
            req.token,
            200,
        ),
    };
}

function formatPath(path: readonly PropertyKey[]): string {
    if (path.length === 0) return "(body)";
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** A shape shared by the SDK's error classes; read structurally because the classes live in ESM modules. */
type SdkError = Error & {
    statusCode?: number;
    body?: string;
    contentType?: string;
    headers?: Headers;
    rawValue?: unknown;
};

function classify(err: SdkError, req: ReadRequest, timeoutMs: number): Attempt {
    const { token } = req;
    const where = describeScope(req.scope);
    const fail = (kind: VercelClientCertsError["kind"], message: string, retryable: boolean, retryAfterMs?: number) => ({
        ok: false as const,
        retryable,
        retryAfterMs,
        error: new VercelClientCertsError(kind, message, token, err.statusCode),
    });
    if (err.name === "ResponseValidationError") return validate(err.rawValue, req);
    if (err.name === "RequestTimeoutError" || err.name === "RequestAbortedError") {
        return fail("timeout", `Vercel did not answer within ${timeoutMs} ms while reading ${where}.`, true);
    }
    if (err.name === "ConnectionError" || err.name === "UnexpectedClientError") {
        const cause = (err as { cause?: { cause?: { code?: string }; message?: string } }).cause;
        const detail = cause?.cause?.code ?? cause?.message ?? err.message;
        return fail("network", `Could not reach Vercel at ${req.apiUrl} to read ${where} (${detail}).`, true);
    }
    const status = err.statusCode;
    if (status === undefined) {
        return fail("invalid-response", `Reading ${where} failed: ${err.message}`, false);
    }
    const detail = apiMessage(err.body ?? "");
    const suffix = detail ? ` Vercel said: "${detail.replace(/[.\s]+$/, "")}".` : "";
    if (status === 200) {
        return fail(
            "invalid-response",
            `Vercel answered 200 for ${where} with content-type "${err.contentType || "none"}" instead of JSON. ` +
                `Is VERCEL_API_URL (${req.apiUrl}) pointing at the Vercel API, and not at a proxy or login page?`,
            false,
        );
    }
    if (status === 400) {
        return fail("bad-request", `Vercel rejected the request for ${where} as invalid (400).${suffix} Check idOrName, teamId and slug.`, false);
    }
    if (status === 401 || status === 403) {
        return fail(
            "unauthorized",
            `Vercel rejected the token (${status}) reading client certificates of ${where}.${suffix} ` +
                `${TOKEN_HINT}, and that it has access to that team.`,
            false,
        );
    }
    if (status === 404) {
        return fail(
            "not-found",
            `Vercel found no ${where} (404).${suffix} Check idOrName, and teamId/slug or vercel:team: a project that ` +
                "belongs to a team is only visible with that team's scope.",
            false,
        );
    }
    if (status === 429) {
        return fail("rate-limited", `Vercel rate-limited reading ${where} (429).`, true, retryAfter(err.headers));
    }
    if (status >= 500) {
        return fail("server-error", `Vercel answered ${status} reading ${where}.${suffix}`, true, retryAfter(err.headers));
    }
    return fail("bad-request", `Vercel answered ${status} reading ${where}.${suffix}`, false);
}

/** `Retry-After` (seconds or HTTP date), else Vercel's `X-RateLimit-Reset` (epoch seconds), in ms from now. */
export function retryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
    const value = headers?.get("retry-after")?.trim();
    if (value) {
        if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
        const date = Date.parse(value);
        if (!Number.isNaN(date)) return Math.max(0, date - now);
    }
    const reset = headers?.get("x-ratelimit-reset")?.trim();
    if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
    return undefined;
}

/** Vercel errors look like `{"error":{"code","message"}}`; anything else (an HTML page) is summarised. */
function apiMessage(body: string): string {
    try {
        const parsed = JSON.parse(body) as { error?: { message?: unknown; code?: unknown } };
        const message = parsed?.error?.message;
        if (typeof message === "string") return message.slice(0, 300);
    } catch {
        // not JSON: fall through
    }
    const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    return text.slice(0, 200);
}
