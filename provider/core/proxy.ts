/**
 * Which proxy a request to the API goes through, if any, and the CONNECT tunnel through it.
 *
 * Why this file exists: the token travels in the request's Authorization header, so where a request goes is a
 * secrecy question, not only a network one. Two rules decide it before any proxy variable is read:
 *
 * - Loopback (`localhost`, 127.0.0.0/8, `::1`, 0.0.0.0) never goes through a proxy, whatever `NO_PROXY` says, as Go's
 *   proxy rules (which Pulumi's Go providers follow) never proxy it. Such a URL is allowed in plain http precisely
 *   because it never leaves the machine; through a proxy, the proxy would read the token.
 * - A plain-http URL that is not loopback (allowed by `VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP=true`) goes direct
 *   too, unless `VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY=true` says the proxy may read it as well.
 *
 * The tunnel is ours, not undici's `ProxyAgent`, so that a proxy's refusal is reported as what it is: undici turns
 * a CONNECT answered 407 into "UND_ERR_ABORTED", and a proxy that closes the connection into an error its client
 * treats as recoverable, reconnecting in a tight loop until the request's timeout (thousands of connections).
 * Here each attempt opens at most one connection to the proxy, reads a bounded answer, and a refusal becomes a
 * `ProxyRefusal` naming the proxy's status and saying whether another attempt may help.
 */
import { STATUS_CODES } from "node:http";
import * as net from "node:net";
import * as tls from "node:tls";
import { ALLOW_INSECURE_HTTP_VIA_PROXY_ENV, isLoopback } from "./credentials";
import { MAX_PROXY_ANSWER_BYTES, MAX_PROXY_QUOTED_CHARS } from "./limits";
import { collapseWhitespace, stripTags, truncate } from "./text";

/** The proxy variables, in the order Go reads them: upper case first, then lower case. */
const HTTPS_PROXY_VARS = ["HTTPS_PROXY", "https_proxy"] as const;
const HTTP_PROXY_VARS = ["HTTP_PROXY", "http_proxy"] as const;

/** Every variable that can send a request to a proxy (here, or in Node 22's own `fetch`). */
export const PROXY_ENV_VARS = [...HTTPS_PROXY_VARS, ...HTTP_PROXY_VARS] as const;

/** The proxy one request goes through. */
export interface ProxyChoice {
    /** The proxy's URL, with any user and password (used for `Proxy-Authorization`, never shown). */
    url: URL;
    /** The variable it came from (`HTTPS_PROXY`, `http_proxy`, …), named in messages. */
    variable: string;
    /** The proxy as a message may name it: no user name or password. */
    display: string;
}

/**
 * The proxy a request to `target` goes through, or undefined for a direct request.
 *
 * - Loopback targets: always direct (see the file comment).
 * - Plain-http targets: direct unless `VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY=true`; then
 *   `HTTP_PROXY`/`http_proxy`, as Go.
 * - https targets: `HTTPS_PROXY`/`https_proxy`, else `HTTP_PROXY`/`http_proxy` (Go stops at the first pair; the
 *   fallback only ever adds a CONNECT tunnel, inside which the token stays encrypted).
 * - `NO_PROXY`/`no_proxy` (the first that is set and not empty), as curl and Go read it: see {@link bypassesProxy}.
 *
 * Throws a `ProxyRefusal` (not retryable) when the chosen variable is not a usable proxy URL; its value is not
 * echoed, since it may hold a password.
 *
 * @param target The request's URL.
 * @param env The environment to read (the process's by default).
 */
export function chooseProxy(target: URL, env: NodeJS.ProcessEnv = process.env): ProxyChoice | undefined {
    if (isLoopback(target.hostname)) return undefined;
    if (target.protocol === "http:" && env[ALLOW_INSECURE_HTTP_VIA_PROXY_ENV] !== "true") return undefined;
    const candidates = target.protocol === "https:" ? [...HTTPS_PROXY_VARS, ...HTTP_PROXY_VARS] : HTTP_PROXY_VARS;
    const variable = candidates.find((k) => env[k]?.trim());
    if (!variable) return undefined;
    if (bypassesProxy(target, env.NO_PROXY?.trim() || env.no_proxy?.trim() || "")) return undefined;
    const raw = env[variable]!.trim();
    // Go reads a value without a scheme ("proxy.corp:3128") as an http proxy.
    let url: URL;
    try {
        url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    } catch {
        throw new ProxyRefusal(`${variable} is not a valid proxy URL (its value is not shown: it may hold a password)`, false);
    }
    if (!["http:", "https:", "socks5:", "socks:"].includes(url.protocol) || !url.hostname) {
        throw new ProxyRefusal(`${variable} must be an http://, https:// or socks5:// proxy URL, got a ${url.protocol} URL`, false);
    }
    return { url, variable, display: `${url.protocol}//${url.host}/` };
}

/**
 * Whether Node's own `fetch` may send requests to a proxy by itself: Node 22.21+ and 24 do so with
 * `NODE_USE_ENV_PROXY=1` or `--use-env-proxy` when a proxy variable is set. A direct request must then say so
 * explicitly (its own dispatcher), or a loopback request could still reach the proxy.
 *
 * @param env The environment to read (the process's by default).
 */
export function proxyMayApply(env: NodeJS.ProcessEnv = process.env): boolean {
    if (PROXY_ENV_VARS.some((k) => env[k])) return true;
    const flag = /(^|\s)--use-env-proxy\b/;
    return !!env.NODE_USE_ENV_PROXY || flag.test(env.NODE_OPTIONS ?? "") || process.execArgv.some((a) => flag.test(a));
}

/**
 * `NO_PROXY` as curl and Go read it: `*`, or hosts / domain suffixes (`example.com`, `.example.com`,
 * `*.example.com`), each with an optional `:port`; IPv6 addresses in brackets or not.
 *
 * @param target The request's URL.
 * @param noProxy The `NO_PROXY` value.
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
    const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const port = target.port || (target.protocol === "https:" ? "443" : "80");
    for (const raw of noProxy.split(/[\s,]+/)) {
        const entry = raw.trim().toLowerCase();
        if (!entry) continue;
        if (entry === "*") return true;
        // "[::1]:8080", "[::1]", "::1" (a bare IPv6 address has no port), "host:port", "host".
        const m = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry) ?? (net.isIPv6(entry) ? [entry, entry] : /^(.*?)(?::(\d+))?$/.exec(entry)!);
        const name = m[1].replace(/^\*?\./, "");
        if (m[2] && m[2] !== port) continue;
        if (name && (host === name || host.endsWith(`.${name}`))) return true;
    }
    return false;
}

/**
 * A proxy's refusal, or a setting that names no usable proxy: the message says what the proxy answered (its
 * status, or, for something that is not a proxy, a short printable excerpt), never the proxy's user or password.
 */
export class ProxyRefusal extends Error {
    /**
     * @param message What happened, as a fragment ("the proxy … answered … with 407 …").
     * @param retryable Whether another attempt may help (a 5xx, a dropped connection), or not (407, 403, not a proxy).
     * @param status The proxy's HTTP status, when it answered with one.
     */
    constructor(
        message: string,
        readonly retryable: boolean,
        readonly status?: number,
    ) {
        super(message);
        this.name = "ProxyRefusal";
    }

    /** Not undici's recoverable codes (`UND_ERR_SOCKET`, `UND_ERR_INFO`): its client must fail the request, not reconnect. */
    readonly code = "PROXY_REFUSED";
}

/** Where a tunnel's handshake is: `awaitingProxy` while the CONNECT is sent and unanswered. */
export interface TunnelProgress {
    awaitingProxy: boolean;
}

/** The connect function undici's `Agent` accepts (`connect` option): `(options, callback)`. */
export type Connector = (
    options: { hostname: string; host?: string; protocol: string; port: string; servername?: string; httpSocket?: net.Socket },
    callback: (err: Error | null, socket: net.Socket | tls.TLSSocket | null) => void,
) => void;

/**
 * A connector for one attempt: opens one tunnel through `proxy` to `target` (CONNECT), then, for an https
 * target, TLS inside it through `upgradeTls` (undici's own connector, so TLS is set up exactly as for a direct
 * request). A second connection within the same attempt is refused: every connection the proxy sees is an
 * attempt, counted against `VERCEL_CLIENT_CERTS_MAX_ATTEMPTS` and the retry budget.
 *
 * @param proxy The proxy to go through.
 * @param target The request's URL (its origin is the tunnel's end).
 * @param signal Aborts the handshake (the attempt's timeout).
 * @param upgradeTls undici's connector, given the tunnel as `httpSocket`.
 * @param progress Set while the CONNECT is sent and its answer awaited, so a timeout can say the proxy is silent.
 */
export function tunnelConnector(
    proxy: ProxyChoice,
    target: URL,
    signal: AbortSignal,
    upgradeTls: Connector,
    progress: TunnelProgress = { awaitingProxy: false },
): Connector {
    let opened = false;
    return (options, callback) => {
        if (opened) {
            callback(new ProxyRefusal(`the tunnel through the proxy ${proxy.display} closed before the request was answered`, true), null);
            return;
        }
        opened = true;
        openTunnel(proxy, target, signal, progress).then(
            (socket) => {
                if (target.protocol === "https:") upgradeTls({ ...options, httpSocket: socket }, callback);
                else callback(null, socket);
            },
            (err: Error) => callback(err, null),
        );
    };
}

/** `host:port` of a URL, as a CONNECT request names it (IPv6 in brackets). */
function authorityOf(url: URL): string {
    return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}

/**
 * Connects to the proxy, sends `CONNECT target`, and resolves with the socket once the proxy answers 2xx. Reads
 * at most `MAX_PROXY_ANSWER_BYTES` of the answer; ends with a `ProxyRefusal` for any other answer, for a closed
 * connection, or for something that does not speak HTTP; with the socket's own error (ECONNREFUSED, …) when the
 * proxy cannot be reached.
 */
function openTunnel(proxy: ProxyChoice, target: URL, signal: AbortSignal, progress: TunnelProgress): Promise<net.Socket> {
    const authority = authorityOf(target);
    const host = proxy.url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(proxy.url.port) || (proxy.url.protocol === "https:" ? 443 : 80);
    const auth = proxy.url.username || proxy.url.password ? `Proxy-Authorization: Basic ${basicCredentials(proxy.url)}\r\n` : "";
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(signal.reason ?? new Error("aborted"));
            return;
        }
        const socket: net.Socket =
            proxy.url.protocol === "https:"
                ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ["http/1.1"] })
                : net.connect({ host, port });
        let answer = Buffer.alloc(0);
        let settled = false;
        // An abort (the attempt's timeout) leaves `awaitingProxy` as it was, so the timeout can say who was silent.
        const settle = (err: Error | undefined, aborted = false) => {
            if (settled) return;
            settled = true;
            if (!aborted) progress.awaitingProxy = false;
            socket.off("data", onData);
            socket.off("end", onClosed);
            socket.off("close", onClosed);
            socket.off("error", onError);
            signal.removeEventListener("abort", onAbort);
            // From here undici listens for errors (and gets them too); this keeps a late one from being unhandled.
            socket.on("error", () => undefined);
            if (err) {
                socket.destroy();
                reject(err);
            }
        };
        const onError = (err: Error) => settle(err);
        const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error("aborted"), true);
        const onClosed = () => settle(closedEarly(proxy, authority, answer));
        const onData = (chunk: Buffer) => {
            answer = Buffer.concat([answer, chunk]);
            const refusal = judgeAnswer(proxy, authority, answer);
            if (refusal === "incomplete") return;
            if (refusal) {
                settle(refusal);
                return;
            }
            const headEnd = answer.indexOf("\r\n\r\n") + 4;
            settle(undefined);
            socket.pause();
            if (headEnd < answer.length) socket.unshift(answer.subarray(headEnd));
            resolve(socket);
        };
        socket.on("error", onError);
        socket.on("data", onData);
        socket.on("end", onClosed);
        socket.on("close", onClosed);
        signal.addEventListener("abort", onAbort);
        socket.once(proxy.url.protocol === "https:" ? "secureConnect" : "connect", () => {
            socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
            if (!settled) progress.awaitingProxy = true;
        });
    });
}

/**
 * What the answer so far means: "incomplete" (read on), undefined (a 2xx: the tunnel is open), or the refusal.
 * Something that is not HTTP is refused from its first bytes; a head longer than `MAX_PROXY_ANSWER_BYTES` too.
 */
function judgeAnswer(proxy: ProxyChoice, authority: string, answer: Buffer): ProxyRefusal | undefined | "incomplete" {
    if (!looksLikeHttp(answer)) return notHttp(proxy, authority, answer);
    const headEnd = answer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (answer.length > MAX_PROXY_ANSWER_BYTES) {
            return new ProxyRefusal(
                `the proxy ${proxy.display} answered the CONNECT for ${authority} with a header longer than ` +
                    `${MAX_PROXY_ANSWER_BYTES} bytes. Is ${proxy.variable} the address of an HTTP proxy?`,
                false,
            );
        }
        return "incomplete";
    }
    const statusLine = answer.subarray(0, answer.indexOf("\r\n")).toString("latin1");
    const m = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/.exec(statusLine);
    if (!m) return notHttp(proxy, authority, answer);
    const status = Number(m[1]);
    // A 2xx to CONNECT has no body (RFC 9110, 9.3.6): one that announces a body is a web server, not a tunnel.
    const head = answer.subarray(0, headEnd).toString("latin1");
    const announcesBody = /\r\ntransfer-encoding\s*:/i.test(head) || /\r\ncontent-length\s*:\s*0*[1-9]/i.test(head);
    if (status >= 200 && status < 300 && !announcesBody) return undefined;
    return refusal(proxy, authority, status, answer, headEnd);
}

/** The refusal for a non-2xx answer to CONNECT, worded for what that status means from a proxy. */
function refusal(proxy: ProxyChoice, authority: string, status: number, answer: Buffer, headEnd: number): ProxyRefusal {
    const statusText = `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ""}`;
    const said = `the proxy ${proxy.display} answered the CONNECT for ${authority} with ${statusText}`;
    const hasCredentials = !!(proxy.url.username || proxy.url.password);
    if (status === 407) {
        return new ProxyRefusal(
            hasCredentials
                ? `${said}: it did not accept the user and password in ${proxy.variable}; check them (they are not shown here)`
                : `${said}: put the user and password in ${proxy.variable} (http://user:password@host:port; ` +
                      "percent-encode special characters)",
            false,
            status,
        );
    }
    if (status === 403) {
        return new ProxyRefusal(`${said}: it does not allow a tunnel to ${authority}; ask its administrator to allow it`, false, status);
    }
    if (status >= 500 && status < 600) {
        return new ProxyRefusal(`${said}: the proxy could not open a connection to ${authority}`, true, status);
    }
    // A 400, 404, 405, 501…, or a 200 with a body: what a web server that is not a forward proxy answers to CONNECT.
    const expected = status < 300 ? " and a body, where a forward proxy opens a tunnel without one" : ", where a forward proxy answers 200";
    return new ProxyRefusal(
        `${said}${expected} (it answered "${excerpt(proxy, answer, headEnd)}"). Is ${proxy.variable} the address of an HTTP proxy?`,
        false,
        status,
    );
}

/** Whether the answer so far starts like an HTTP response ("HTTP/", or a prefix of it while still arriving). */
function looksLikeHttp(answer: Buffer): boolean {
    return "HTTP/".startsWith(answer.subarray(0, 5).toString("latin1"));
}

/** The refusal for an answer that is not HTTP at all. */
function notHttp(proxy: ProxyChoice, authority: string, answer: Buffer): ProxyRefusal {
    return new ProxyRefusal(
        `the proxy ${proxy.display} did not answer the CONNECT for ${authority} in HTTP: it sent ${answer.length} byte(s) ` +
            `starting "${excerpt(proxy, answer, -1)}". Is ${proxy.variable} the address of an HTTP proxy?`,
        false,
    );
}

/** The refusal for a connection closed before a whole answer: retryable, like a reset, and counted as an attempt. */
function closedEarly(proxy: ProxyChoice, authority: string, answer: Buffer): ProxyRefusal {
    if (!looksLikeHttp(answer)) return notHttp(proxy, authority, answer);
    return new ProxyRefusal(
        answer.length === 0
            ? `the proxy ${proxy.display} closed the connection without answering the CONNECT for ${authority}`
            : `the proxy ${proxy.display} closed the connection before finishing its answer to the CONNECT for ${authority} ` +
                  `("${excerpt(proxy, answer, -1)}")`,
        true,
    );
}

/**
 * A short, printable excerpt of what a proxy (or whatever is at its address) sent: the status line and the start
 * of the body with tags stripped, or the first bytes when it is not HTTP. Only printable ASCII survives (no
 * terminal escapes, no bidi overrides), the proxy's user and password are redacted, and it is cut short.
 */
function excerpt(proxy: ProxyChoice, answer: Buffer, headEnd: number): string {
    const text = answer.subarray(0, MAX_PROXY_ANSWER_BYTES).toString("latin1");
    const shown =
        headEnd >= 0
            ? `${text.slice(0, text.indexOf("\r\n"))} ${stripTags(text.slice(headEnd + 4))}`
            : text;
    let clean = collapseWhitespace(shown.replace(/[^\x20-\x7e]+/g, " "));
    for (const secret of proxySecrets(proxy)) clean = clean.split(secret).join("[redacted]");
    return truncate(clean, MAX_PROXY_QUOTED_CHARS);
}

/** A URL's percent-decoded user or password; a malformed escape is taken as written. */
function decoded(part: string): string {
    try {
        return decodeURIComponent(part);
    } catch {
        return part;
    }
}

/** `user:password` of the proxy URL in Basic encoding, as Go sends it (with an empty password when none is given). */
function basicCredentials(url: URL): string {
    return Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`).toString("base64");
}

/** The proxy's user, password and their Basic encoding, in every form an echo could carry (4 characters or more). */
function proxySecrets(proxy: ProxyChoice): string[] {
    const { username, password } = proxy.url;
    return [basicCredentials(proxy.url), username, password, decoded(username), decoded(password)]
        .filter((s) => s.length >= 4)
        .sort((a, b) => b.length - a.length);
}
