/**
 * The HTTP transport, with nothing Vercel-specific in it: request slots, rate-limit pauses, one bounded GET.
 *
 * - Slots: at most `MAX_CONCURRENT_REQUESTS` requests in flight per process. Waiting for one counts against the
 *   read's deadline, and running out of it says so ("waited for capacity"), not "did not answer".
 * - Pauses: after a 429, requests with the same API URL and credential wait until the time Vercel named. Other
 *   URLs and other tokens are not held up. The key holds a one-way digest of the token, never the token.
 * - One GET: redirects are refused (following one would re-send the bearer token to wherever it points); the
 *   timeout covers the headers and the whole body; bodies are capped by Content-Length before reading and while
 *   streaming. Every failure is a `TransportError` that says whether another attempt may help.
 * - Route: direct, or through a proxy (proxy.ts decides which, and never for loopback); a proxy's refusal is a
 *   "proxy" failure naming its status, and each attempt opens at most one connection to the proxy.
 */
import { createHash } from "node:crypto";
import { MAX_BODY_BYTES, MAX_CONCURRENT_REQUESTS, MAX_ERROR_BODY_BYTES } from "./limits";
import { chooseProxy, ProxyRefusal, proxyMayApply, tunnelConnector, type Connector, type ProxyChoice, type TunnelProgress } from "./proxy";

/** What went wrong below HTTP semantics. */
export type TransportFailure = "timeout" | "network" | "tls" | "too-large" | "redirect" | "capacity" | "proxy";

/** A failure of the transport itself. `message` holds no URL userinfo, query or token. */
export class TransportError extends Error {
    constructor(
        readonly failure: TransportFailure,
        message: string,
        readonly retryable: boolean,
        readonly status?: number,
        /** Whether the failure came before any response or while the body was arriving. */
        readonly phase: "connect" | "body" = "connect",
    ) {
        super(message);
        this.name = "TransportError";
    }
}

/** A response read whole (within bounds). */
export interface RawResponse {
    status: number;
    headers: Headers;
    body: Buffer;
    /** True when an error body was longer than `MAX_ERROR_BODY_BYTES` and was cut. */
    truncated: boolean;
}

/** A one-way, short digest of a credential: safe in cache keys and logs, useless for authenticating. */
export function credentialDigest(token: string): string {
    return createHash("sha256").update(`pulumi-vercel-client-certs:${token}`).digest("hex").slice(0, 32);
}

/** A URL as it may appear in a message: origin and path, no userinfo, query or fragment. */
export function displayUrl(url: string): string {
    try {
        const u = new URL(url);
        return `${u.protocol}//${u.host}${u.pathname}`;
    } catch {
        return "(an invalid URL)";
    }
}

// --- slots -----------------------------------------------------------------------------------------------------

let inFlight = 0;
const waiting: { grant: () => void }[] = [];

/**
 * Runs `work` holding one of the process's request slots. Waiting for a slot ends at `deadline` with a
 * "capacity" failure, naming how long it waited.
 */
export async function withSlot<T>(deadline: number, work: () => Promise<T>): Promise<T> {
    if (inFlight >= MAX_CONCURRENT_REQUESTS) {
        const started = Date.now();
        await new Promise<void>((resolve, reject) => {
            const entry = {
                grant: () => {
                    clearTimeout(timer);
                    resolve();
                },
            };
            const timer = setTimeout(
                () => {
                    waiting.splice(waiting.indexOf(entry), 1);
                    reject(
                        new TransportError(
                            "capacity",
                            `waited ${((Date.now() - started) / 1000).toFixed(1)} s for a free request slot (at most ` +
                                `${MAX_CONCURRENT_REQUESTS} requests are in flight per process) and ran out of time`,
                            false,
                        ),
                    );
                },
                Math.max(0, deadline - Date.now()),
            );
            waiting.push(entry);
        });
    } else {
        inFlight++;
    }
    try {
        return await work();
    } finally {
        // Hand the slot straight to the next waiter, or free it.
        const next = waiting.shift();
        if (next) next.grant();
        else inFlight--;
    }
}

// --- pauses ----------------------------------------------------------------------------------------------------

const pausedUntil = new Map<string, number>();

const pauseKey = (apiUrl: string, digest: string) => `${apiUrl}\n${digest}`;

/** Milliseconds until requests for this API URL and credential may go again (0: now). */
export function pauseRemaining(apiUrl: string, digest: string, now = Date.now()): number {
    const until = pausedUntil.get(pauseKey(apiUrl, digest));
    if (until === undefined) return 0;
    if (until <= now) {
        pausedUntil.delete(pauseKey(apiUrl, digest));
        return 0;
    }
    return until - now;
}

/** Holds requests for this API URL and credential for `ms` (a 429's Retry-After). */
export function pause(apiUrl: string, digest: string, ms: number, now = Date.now()): void {
    const key = pauseKey(apiUrl, digest);
    pausedUntil.set(key, Math.max(pausedUntil.get(key) ?? 0, now + ms));
    // Expired entries go, so the map stays as small as the set of URL × token pairs currently paused.
    for (const [k, until] of pausedUntil) if (until <= now) pausedUntil.delete(k);
}

// --- one bounded GET -------------------------------------------------------------------------------------------

/** Sleeps `ms` (already bounded by the caller's deadline; never near Node's 24.8-day timer limit). */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One GET, bounded: `timeoutMs` for headers and body together, bodies capped, redirects refused. Resolves with
 * any HTTP status; rejects only with a `TransportError`.
 */
export async function boundedGet(url: string, headers: Headers, timeoutMs: number): Promise<RawResponse> {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
    }, timeoutMs);
    const where = displayUrl(url);
    // Messages are fragments; vercelApi.ts words the sentence around them.
    const failed = (err: unknown, phase: "connect" | "body"): TransportError => {
        if (err instanceof TransportError) return err;
        if (timedOut) return new TransportError("timeout", `${timeoutMs} ms`, true, undefined, phase);
        return new TransportError("network", networkCode(err), true, undefined, phase);
    };
    let route: Route | undefined;
    try {
        let response: Response;
        try {
            route = routeFor(url, abort.signal);
        } catch (err) {
            if (err instanceof ProxyRefusal) throw new TransportError("proxy", err.message, false);
            throw err;
        }
        const proxy = route.proxy;
        try {
            const init = { method: "GET", headers, redirect: "manual", signal: abort.signal };
            response = (await route.fetch(url, route.dispatcher ? { ...init, dispatcher: route.dispatcher } : init)) as Response;
        } catch (err) {
            const refusal = timedOut ? undefined : proxyRefusalIn(err);
            if (refusal) throw new TransportError("proxy", refusal.message, refusal.retryable, refusal.status);
            const code = networkCode(err);
            if (!timedOut && TLS_VERIFY_CODES.has(code)) {
                throw new TransportError("tls", `${code}${proxy ? ` via the proxy ${proxy.display}` : ""}`, false);
            }
            const e = failed(err, "connect");
            if (proxy && e.failure === "timeout" && route.awaitingProxy?.()) {
                const target = new URL(url);
                throw new TransportError(
                    "timeout",
                    `${e.message} (the proxy ${proxy.display} did not answer the CONNECT for ${target.hostname}:${target.port || (target.protocol === "https:" ? "443" : "80")})`,
                    true,
                );
            }
            throw proxy && (e.failure === "network" || e.failure === "timeout")
                ? new TransportError(e.failure, `${e.message} via the proxy ${proxy.display}`, true)
                : e;
        }
        if (response.status >= 300 && response.status < 400) {
            await response.body?.cancel().catch(() => undefined);
            const location = response.headers.get("location");
            throw new TransportError(
                "redirect",
                `answered ${response.status} redirecting to ${location ? displayUrl(new URL(location, url).toString()) : "(no Location)"}` +
                    ` instead of answering at ${where}. Redirects are refused: following one would send the token ` +
                    "there too. Set VERCEL_API_URL to the URL that answers directly",
                false,
                response.status,
            );
        }
        const isError = response.status >= 400;
        const cap = isError ? MAX_ERROR_BODY_BYTES : MAX_BODY_BYTES;
        const declared = Number(response.headers.get("content-length") ?? NaN);
        if (!isError && Number.isFinite(declared) && declared > cap) {
            await response.body?.cancel().catch(() => undefined);
            throw tooLarge(response.status, `declares ${declared} bytes (Content-Length)`);
        }
        const { body, truncated } = await readCapped(response, cap, isError).catch((err) => {
            throw failed(err, "body");
        });
        return { status: response.status, headers: response.headers, body, truncated };
    } finally {
        clearTimeout(timer);
        route?.release();
    }
}

function tooLarge(status: number, detail: string): TransportError {
    return new TransportError(
        "too-large",
        `answered ${status} with a body that ${detail}, over the ${MAX_BODY_BYTES} byte limit`,
        false,
        status,
    );
}

/** Reads at most `cap` bytes. Past it: an error for a success body, a cut for an error body. */
async function readCapped(response: Response, cap: number, cutInstead: boolean): Promise<{ body: Buffer; truncated: boolean }> {
    if (!response.body) return { body: Buffer.alloc(0), truncated: false };
    const reader = response.body.getReader();
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) return { body: Buffer.concat(chunks, size), truncated: false };
        if (size + value.byteLength > cap) {
            await reader.cancel().catch(() => undefined);
            if (!cutInstead) throw tooLarge(response.status, `exceeded ${cap} bytes while streaming`);
            chunks.push(Buffer.from(value.buffer, value.byteOffset, cap - size));
            return { body: Buffer.concat(chunks, cap), truncated: true };
        }
        chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        size += value.byteLength;
    }
}

/** TLS verification failures: retrying cannot help, and the fix is a CA for Node (NODE_EXTRA_CA_CERTS). */
const TLS_VERIFY_CODES = new Set([
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_UNTRUSTED",
    "CERT_SIGNATURE_FAILURE",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);

type FetchLike = (url: string, init: object) => Promise<unknown>;

/** How one request is sent: Node's `fetch`, or undici's with a dispatcher that is direct or tunnels through a proxy. */
interface Route {
    fetch: FetchLike;
    dispatcher?: { destroy(): Promise<void> };
    /** The proxy, when the request goes through one. */
    proxy?: ProxyChoice;
    /** Closes what this request alone opened (a tunnel's dispatcher). */
    release(): void;
    /** Whether the proxy has the CONNECT and has not answered yet. */
    awaitingProxy?: () => boolean;
}

let undiciModule: typeof import("undici") | undefined;
let directAgent: import("undici").Agent | undefined;

/**
 * The route for `url` (see proxy.ts for which proxy, if any).
 *
 * Node's own `fetch` ignores the proxy variables on Node 20, and on Node 22+ follows them with NODE_USE_ENV_PROXY=1,
 * without the loopback rule. So as soon as a proxy variable (or Node's switch) is set, every request goes through
 * undici with a dispatcher of our own: a plain `Agent` for a direct request (never Node's global one), or, for a
 * proxied one, an `Agent` for this attempt alone whose only connection is our CONNECT tunnel. undici is loaded only
 * then: a direct request with no proxy set costs no extra start-up time.
 */
function routeFor(url: string, signal: AbortSignal): Route {
    const target = new URL(url);
    const proxy = chooseProxy(target);
    if (!proxy && !proxyMayApply()) return { fetch: fetch as unknown as FetchLike, release: () => undefined };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const undici = (undiciModule ??= require("undici") as typeof import("undici"));
    const undiciFetch = undici.fetch as unknown as FetchLike;
    if (!proxy) return { fetch: undiciFetch, dispatcher: (directAgent ??= new undici.Agent()), release: () => undefined };
    const progress: TunnelProgress = { awaitingProxy: false };
    const dispatcher =
        proxy.url.protocol === "socks5:" || proxy.url.protocol === "socks:"
            ? new undici.ProxyAgent({ uri: proxy.url.toString() })
            : new undici.Agent({
                  connections: 1,
                  connect: tunnelConnector(proxy, target, signal, undici.buildConnector({}) as unknown as Connector, progress) as never,
              });
    return {
        fetch: undiciFetch,
        dispatcher,
        proxy,
        release: () => void dispatcher.destroy().catch(() => undefined),
        awaitingProxy: () => progress.awaitingProxy,
    };
}

/** The `ProxyRefusal` behind a failed fetch (undici wraps it as the cause of "fetch failed"), if any. */
function proxyRefusalIn(err: unknown): ProxyRefusal | undefined {
    let e = err as { cause?: unknown } | undefined;
    for (let depth = 0; e && depth < 5; depth++) {
        if (e instanceof ProxyRefusal) return e;
        e = e.cause as typeof e;
    }
    return undefined;
}

/** A short, safe description of a network error: its code (ECONNRESET, …), never its message or URL. */
function networkCode(err: unknown): string {
    let e = err as { code?: unknown; cause?: unknown; name?: unknown } | undefined;
    for (let depth = 0; e && depth < 5; depth++) {
        if (typeof e.code === "string" && /^[A-Z0-9_]{2,40}$/.test(e.code)) return e.code;
        e = e.cause as typeof e;
    }
    const name = (err as { name?: unknown })?.name;
    return typeof name === "string" && /^[A-Za-z]{2,40}$/.test(name) ? name : "unknown error";
}
