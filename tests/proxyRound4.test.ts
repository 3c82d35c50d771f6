/**
 * Hardening, round 4, proxies (issue 18 items 4 and 11), against a recording CONNECT proxy on 127.0.0.1 that keeps
 * every byte it receives and counts its connections:
 *
 * - Loopback never goes through a proxy, whatever NO_PROXY says (127.0.0.1, localhost, [::1]; either case of every
 *   variable; Node 22's own NODE_USE_ENV_PROXY too): the proxy receives nothing at all. An opted-in plain-http URL
 *   that is not loopback goes direct too, unless VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY=true.
 * - A proxy's refusal is named (407, 403, 502, a web server's page, garbage, a closed connection), never retried
 *   when a retry cannot help, and every connection the proxy sees is an attempt, bounded by MAX_ATTEMPTS.
 * - Through the real Pulumi CLI: `up`/`preview` with HTTP(S)_PROXY and NO_PROXY=localhost against the loopback fake,
 *   then https through the tunnel (TLS inside it), then a 407 on refresh that keeps the state.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import type { AddressInfo } from "node:net";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { newCommand, rejection } from "./support/inProcess";
import { RecordingProxy } from "./support/recordingProxy";
import { cliStack, expectExit, leakedFragments, runPulumi, startCliSuite } from "./support/cli";
import { REPO_ROOT } from "./support/providerHost";

const PROXY_VARS = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];
const OPT_INS = ["VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP", "VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY"];
const PROXY_USER = "alice";
const PROXY_PASS = "s3cret-proxy-pass";
const SCOPE = { idOrName: "web-app", teamId: "team_acme" };
const WHERE = 'project "web-app" in team "team_acme"';

/** A TCP forwarder listening on `host` to 127.0.0.1:`port` (the fake listens on 127.0.0.1 only). */
async function forwarder(host: string, port: number): Promise<{ port: number; stop: () => Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((client) => {
        const upstream = net.connect(port, "127.0.0.1");
        for (const s of [client, upstream]) {
            sockets.add(s);
            s.on("close", () => sockets.delete(s));
            s.on("error", () => undefined);
        }
        client.pipe(upstream);
        upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return {
        port: (server.address() as AddressInfo).port,
        stop: async () => {
            for (const s of sockets) s.destroy();
            await new Promise((resolve) => server.close(resolve));
        },
    };
}

/** This machine's first address that is not loopback, or undefined. */
function nonLoopbackIPv4(): string | undefined {
    for (const list of Object.values(os.networkInterfaces())) {
        for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
    }
    return undefined;
}

/** Sets the environment for one test; `restoreEnv` puts the saved one back. */
const saved = { ...process.env };
function setEnv(vars: Record<string, string | undefined>): void {
    for (const k of [...PROXY_VARS, ...OPT_INS, "NODE_EXTRA_CA_CERTS"]) delete process.env[k];
    for (const [k, v] of Object.entries(vars)) if (v !== undefined) process.env[k] = v;
}
function restoreEnv(): void {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
}

describe("round 4: loopback never goes through a proxy (issue 18 item 4)", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    let proxy: RecordingProxy;
    let v6: Awaited<ReturnType<typeof forwarder>> | undefined;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        // The proxy would tunnel to the fake, so a request it received would succeed: only the counts tell.
        const fakePort = Number(new URL(fake.url).port);
        proxy = await new RecordingProxy({ kind: "tunnel", routes: { "127.0.0.1": fakePort, localhost: fakePort, "[::1]": fakePort } }).start();
        v6 = await forwarder("::1", fakePort).catch(() => undefined);
    });
    after(async () => {
        await v6?.stop();
        await proxy.stop();
        await fake.stop();
    });
    beforeEach(() => {
        fake.reset();
        proxy.reset();
    });
    afterEach(restoreEnv);

    for (const host of ["127.0.0.1", "localhost", "[::1]"]) {
        for (const noProxy of ["localhost", undefined]) {
            it(`http://${host}: direct with every proxy variable set (both cases), NO_PROXY=${noProxy ?? "(unset)"} and even the _VIA_PROXY opt-in`, async function () {
                if (host === "[::1]" && !v6) this.skip();
                const port = host === "[::1]" ? v6!.port : Number(new URL(fake.url).port);
                const proxyUrl = proxy.urlWith(PROXY_USER, PROXY_PASS);
                setEnv({
                    HTTPS_PROXY: proxyUrl,
                    https_proxy: proxyUrl,
                    HTTP_PROXY: proxyUrl,
                    http_proxy: proxyUrl,
                    NO_PROXY: noProxy,
                    VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY: "true",
                });
                const lc = await newCommand({ VERCEL_API_URL: `http://${host}:${port}` }, { "vercel:apiToken": SANDBOX_TOKEN });
                const { outs } = await lc.create(SCOPE);
                assert.deepEqual(outs.certIds, ["cert_ledger001", "cert_payments01"]);
                assert.equal(proxy.connections, 0, `the proxy saw ${proxy.connections} connection(s): ${proxy.connects.join(", ")}`);
                assert.equal(proxy.text(), "");
                assert.equal(fake.apiRequests().length, 1);
                assert.equal(fake.apiRequests()[0].headers.authorization, `Bearer ${SANDBOX_TOKEN}`);
            });
        }
    }

    it("an opted-in plain-http URL that is not loopback goes direct; through HTTP_PROXY only with VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY=true", async function () {
        const ip = nonLoopbackIPv4();
        if (!ip) this.skip();
        const lan = await forwarder(ip!, Number(new URL(fake.url).port));
        proxy.behaviour = { kind: "tunnel", routes: { [ip!]: Number(new URL(fake.url).port) } };
        try {
            const apiUrl = `http://${ip}:${lan.port}`;
            setEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP: "true" });
            let lc = await newCommand({ VERCEL_API_URL: apiUrl }, { "vercel:apiToken": SANDBOX_TOKEN });
            assert.deepEqual((await lc.create(SCOPE)).outs.certIds, ["cert_ledger001", "cert_payments01"]);
            assert.equal(proxy.connections, 0, "direct: the proxy saw nothing");

            // The second opt-in: through HTTP_PROXY, which (plain http) reads the request, token included.
            process.env.VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY = "true";
            lc = await newCommand({ VERCEL_API_URL: apiUrl }, { "vercel:apiToken": SANDBOX_TOKEN });
            assert.deepEqual((await lc.create(SCOPE)).outs.certIds, ["cert_ledger001", "cert_payments01"]);
            assert.deepEqual(proxy.connects, [`CONNECT ${ip}:${lan.port} HTTP/1.1`]);
            assert.ok(proxy.text().includes(SANDBOX_TOKEN), "what the opt-in accepts: this proxy can read the token");

            // Any other value is not the opt-in.
            proxy.reset();
            process.env.VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY = "1";
            lc = await newCommand({ VERCEL_API_URL: apiUrl }, { "vercel:apiToken": SANDBOX_TOKEN });
            await lc.create(SCOPE);
            assert.equal(proxy.connections, 0);
        } finally {
            proxy.behaviour = { kind: "tunnel", routes: {} };
            await lan.stop();
        }
    });

    it("Node's own env proxy (NODE_USE_ENV_PROXY=1, Node 22.21+) does not take a loopback read to the proxy either", async function () {
        const fakePort = Number(new URL(fake.url).port);
        proxy.behaviour = { kind: "tunnel", routes: { "127.0.0.1": fakePort } };
        const env = {
            ...saved,
            NODE_USE_ENV_PROXY: "1",
            HTTP_PROXY: proxy.urlWith(PROXY_USER, PROXY_PASS),
            HTTPS_PROXY: proxy.urlWith(PROXY_USER, PROXY_PASS),
            NO_PROXY: "localhost",
            NODE_NO_WARNINGS: "1",
        };
        const run = (script: string) =>
            new Promise<string>((resolve, reject) => {
                const child = spawn(process.execPath, ["-e", script], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
                let out = "";
                let err = "";
                child.stdout.on("data", (d) => (out += d));
                child.stderr.on("data", (d) => (err += d));
                child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
            });
        // What Node's own fetch does with a loopback URL here: on Node 22.21+ it goes to the proxy.
        await run(`fetch(${JSON.stringify(`${fake.url}/_sandbox/requests`)}).then((r) => r.arrayBuffer(), () => undefined)`);
        const nodeProxies = proxy.connections > 0;
        const [major, minor] = process.versions.node.split(".").map(Number);
        assert.equal(nodeProxies, major >= 24 || (major === 22 && minor >= 21), `Node ${process.version}: Node's fetch proxied loopback: ${nodeProxies}`);
        proxy.reset();
        // The package's read, in the same environment: direct.
        const out = await run(
            `require("./dist/core/vercelApi").readClientCerts({ scope: ${JSON.stringify(SCOPE)}, token: ${JSON.stringify(SANDBOX_TOKEN)}, ` +
                `apiUrl: ${JSON.stringify(fake.url)}, policy: { timeoutMs: 3000, retryBudgetMs: 5000, maxAttempts: 2 } })` +
                ".then((c) => process.stdout.write(JSON.stringify(c.map((x) => x.id))), (e) => { console.error(e.message); process.exit(1); })",
        );
        assert.deepEqual(JSON.parse(out), ["cert_ledger001", "cert_payments01"]);
        assert.equal(proxy.connections, 0, `the proxy saw: ${proxy.connects.join(", ")}`);
    });
});

describe("round 4: a proxy's refusal is named, and bounded (issue 18 item 11)", function () {
    this.timeout(60_000);
    let proxy: RecordingProxy;
    const API = "https://vercel.proxied.test";
    const POLICY = { VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "5", VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "20000", VERCEL_CLIENT_CERTS_TIMEOUT_MS: "3000" };
    before(async () => {
        proxy = await new RecordingProxy({ kind: "close" }).start();
    });
    after(() => proxy.stop());
    beforeEach(() => proxy.reset());
    afterEach(restoreEnv);

    /** One read of the sample project through the proxy (in `variable`), ending in an error. */
    async function refusedRead(proxyUrl: string, variable = "HTTPS_PROXY", policy: Record<string, string> = {}): Promise<Error> {
        setEnv({ [variable]: proxyUrl });
        const lc = await newCommand({ VERCEL_API_URL: API, ...POLICY, ...policy }, { "vercel:apiToken": SANDBOX_TOKEN });
        const err = await rejection(lc.create(SCOPE));
        // Every error: names the project and team, holds no part of the token or the proxy's user or password,
        // and no control or bidi character, and never goes to the proxy with an Authorization header.
        assert.ok(err.message.includes(WHERE), err.message);
        assert.deepEqual(leakedFragments(err.message, SANDBOX_TOKEN), []);
        assert.ok(!err.message.includes(PROXY_USER) && !err.message.includes(PROXY_PASS), err.message);
        assert.doesNotMatch(err.message, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        assert.doesNotMatch(err.message, /UND_ERR/);
        assert.doesNotMatch(proxy.text(), /authorization: bearer/i);
        assert.deepEqual(leakedFragments(proxy.text(), SANDBOX_TOKEN), []);
        return err;
    }
    const answer = (raw: string) => ({ kind: "answer" as const, answer: () => raw });

    it("407 without credentials: named, with what to do; one connection, no retry", async function () {
        proxy.behaviour = answer('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
        const err = await refusedRead(proxy.url);
        assert.match(
            err.message,
            /^Could not reach Vercel at https:\/\/vercel\.proxied\.test to read project "web-app" in team "team_acme": the proxy http:\/\/127\.0\.0\.1:\d+\/ answered the CONNECT for vercel\.proxied\.test:443 with 407 Proxy Authentication Required: put the user and password in HTTPS_PROXY \(http:\/\/user:password@host:port/,
        );
        assert.doesNotMatch(err.message, /Gave up|attempt/);
        assert.equal(proxy.connections, 1);
        assert.deepEqual(proxy.connects, ["CONNECT vercel.proxied.test:443 HTTP/1.1"]);
    });

    it("407 with credentials (https_proxy): says they were not accepted, never shows them; not a dead end", async function () {
        proxy.behaviour = answer("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
        const err = await refusedRead(proxy.urlWith(PROXY_USER, PROXY_PASS), "https_proxy");
        assert.match(err.message, /with 407 Proxy Authentication Required: it did not accept the user and password in https_proxy; check them/);
        assert.equal(proxy.connections, 1);
        assert.ok(proxy.text().includes(`Proxy-Authorization: Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASS}`).toString("base64")}`));
        // The next read in the same command asks the proxy again (one connection), rather than repeating a
        // remembered failure keyed by the API URL and token, which are not what failed.
        const lc = await newCommand({ VERCEL_API_URL: API, ...POLICY }, { "vercel:apiToken": SANDBOX_TOKEN });
        await rejection(lc.create(SCOPE));
        await rejection(lc.create({ idOrName: "empty-app", teamId: "team_acme" }));
        assert.equal(proxy.connections, 3);
    });

    it("407 for a secret-scope resource: the error says [secret], never the project or team", async function () {
        proxy.behaviour = answer("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
        setEnv({ HTTPS_PROXY: proxy.url });
        const lc = await newCommand({ VERCEL_API_URL: API, ...POLICY }, { "vercel:apiToken": SANDBOX_TOKEN });
        const err = await rejection(lc.create({ ...SCOPE, secretScope: true }));
        assert.match(err.message, /read project \[secret\] in team \[secret\]: the proxy .* with 407 Proxy Authentication Required/);
        assert.ok(!err.message.includes("web-app") && !err.message.includes("team_acme"), err.message);
        assert.equal(proxy.connections, 1);
    });

    it("403: named, not retried", async function () {
        proxy.behaviour = answer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        const err = await refusedRead(proxy.url, "HTTP_PROXY");
        assert.match(err.message, /with 403 Forbidden: it does not allow a tunnel to vercel\.proxied\.test:443/);
        assert.equal(proxy.connections, 1);
    });

    it("502: named and retried within the bounds; the proxy sees exactly MAX_ATTEMPTS connections", async function () {
        proxy.behaviour = answer("HTTP/1.1 502 Bad Gateway\r\n\r\n");
        const err = await refusedRead(proxy.url, "HTTPS_PROXY", { VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "3" });
        assert.match(err.message, /with 502 Bad Gateway: the proxy could not open a connection to vercel\.proxied\.test:443\. Gave up after 3 attempt\(s\)/);
        assert.equal(proxy.connections, 3);
    });

    for (const status of [400, 404, 405]) {
        it(`a web server at the proxy address (${status} and a page, escapes, an echoed Proxy-Authorization): says what it answered, sanitized`, async function () {
            proxy.behaviour = {
                kind: "answer",
                answer: (head) =>
                    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/html\r\n\r\n<html><title>\x1b[2J\x1b]0;owned\x07</title>` +
                    `<h1>${http.STATUS_CODES[status]} \u202e</h1><pre>${head}</pre>${"x".repeat(5000)}</html>`,
            };
            const err = await refusedRead(proxy.urlWith(PROXY_USER, PROXY_PASS));
            assert.match(
                err.message,
                new RegExp(`with ${status} ${http.STATUS_CODES[status]}, where a forward proxy answers 200 \\(it answered "HTTP/1\\.1 ${status} ${http.STATUS_CODES[status]} .*\\[redacted\\].*…"\\)\\. Is HTTPS_PROXY the address of an HTTP proxy\\?`),
            );
            assert.ok(err.message.length < 900, `${err.message.length} characters`);
            assert.equal(proxy.connections, 1);
        });
    }

    it("a web server answering CONNECT with 200 and a body is not taken for a tunnel", async function () {
        proxy.behaviour = answer("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<h1>hello</h1>");
        const err = await refusedRead(proxy.url);
        assert.match(err.message, /with 200 OK and a body, where a forward proxy opens a tunnel without one \(it answered "HTTP\/1\.1 200 OK hello"\)/);
        assert.equal(proxy.connections, 1);
    });

    it("something that is not HTTP (an SSH banner with terminal escapes): says what it sent, printable only, one connection", async function () {
        proxy.behaviour = { kind: "speak-first", bytes: "SSH-2.0-OpenSSH_9.6\r\n\x1b[2J\x1b]0;owned\x07\u202e" };
        const err = await refusedRead(proxy.url);
        assert.match(err.message, /did not answer the CONNECT for vercel\.proxied\.test:443 in HTTP: it sent \d+ byte\(s\) starting "SSH-2\.0-OpenSSH_9\.6 \[2J ]0;owned/);
        assert.equal(proxy.connections, 1);
    });

    it("a proxy that closes the connection on CONNECT: retried within the bounds, never in a loop; exactly MAX_ATTEMPTS connections", async function () {
        proxy.behaviour = { kind: "close" };
        const started = Date.now();
        const err = await refusedRead(proxy.url, "HTTPS_PROXY", { VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "4" });
        assert.match(err.message, /the proxy http:\/\/127\.0\.0\.1:\d+\/ closed the connection without answering the CONNECT for vercel\.proxied\.test:443\. Gave up after 4 attempt\(s\)/);
        assert.equal(proxy.connections, 4);
        assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    });

    it("a proxy that takes the CONNECT and never answers: each attempt times out on one connection, and says the proxy is silent", async function () {
        proxy.behaviour = { kind: "silent" };
        const err = await refusedRead(proxy.url, "HTTPS_PROXY", { VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "3", VERCEL_CLIENT_CERTS_TIMEOUT_MS: "400" });
        assert.match(
            err.message,
            /did not answer within 400 ms \(the proxy http:\/\/127\.0\.0\.1:\d+\/ did not answer the CONNECT for vercel\.proxied\.test:443\) while reading project .*Gave up after 3 attempt\(s\)/,
        );
        assert.equal(proxy.connections, 3);
    });

    it("a plain Node HTTP server at the proxy address (it closes CONNECT unanswered): bounded by MAX_ATTEMPTS too", async function () {
        let connections = 0;
        const server = http.createServer((_req, res) => res.end("hello"));
        server.on("connection", () => connections++);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const err = await refusedRead(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "HTTPS_PROXY", { VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "3" });
            assert.match(err.message, /closed the connection without answering the CONNECT .*Gave up after 3 attempt\(s\)/);
            assert.equal(connections, 3);
        } finally {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });

    it("a proxy URL that does not parse: a clear error that does not echo it (it may hold a password), nothing sent", async function () {
        const err = await refusedRead(`http://${PROXY_USER}:${PROXY_PASS}@[bad`);
        assert.match(err.message, /HTTPS_PROXY is not a valid proxy URL \(its value is not shown: it may hold a password\)/);
        assert.equal(proxy.connections, 0);
    });
});

describe("round 4: proxies through the real Pulumi CLI", function () {
    this.timeout(600_000);
    let fake: FakeVercel;
    let cli: string;
    let proxy: RecordingProxy;
    let front: tls.Server;
    let dir: string;
    before(async function () {
        ({ cli, fake } = await startCliSuite(this));
        // An https front for the fake, with a certificate for the API's name, trusted through NODE_EXTRA_CA_CERTS.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "proxy-r4-"));
        execFileSync(
            "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${dir}/key.pem`, "-out", `${dir}/cert.pem`, "-days", "1", "-subj", "/CN=vercel.proxied.test", "-addext", "subjectAltName=DNS:vercel.proxied.test"],
            { stdio: "pipe" },
        );
        front = tls.createServer({ key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) }, (socket) => {
            const upstream = net.connect(Number(new URL(fake.url).port), "127.0.0.1");
            socket.pipe(upstream).pipe(socket);
            socket.on("error", () => upstream.destroy());
            upstream.on("error", () => socket.destroy());
        });
        await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
        proxy = await new RecordingProxy({ kind: "tunnel", routes: { "vercel.proxied.test": (front.address() as AddressInfo).port } }).start();
    });
    after(async () => {
        await proxy?.stop();
        front?.close();
        await fake?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("up/preview with HTTP_PROXY, HTTPS_PROXY and NO_PROXY=localhost against the loopback API: the proxy receives nothing; https goes through the tunnel; a 407 on refresh is named and keeps the state", async function () {
        // Upper case only: @grpc/grpc-js (Pulumi's own gRPC on 127.0.0.1) reads the lower-case variables, which
        // is why the README asks for NO_PROXY=127.0.0.1,localhost when they are set.
        const proxyUrl = proxy.urlWith(PROXY_USER, PROXY_PASS);
        const proxied = { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: "localhost", http_proxy: "", https_proxy: "", no_proxy: "" };
        const program = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
const certs = new ProjectClientCerts("certs", { idOrName: "web-app" });
export const certIds = certs.certIds;
`;
        const ctx = await cliStack(cli, "proxy-round4", { "index.ts": program }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" }, proxied);
        proxy.reset();
        const up = await expectExit(ctx, ["up", "--yes"]);
        assert.match(up.stdout, /1 created|2 created/);
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
        await expectExit(ctx, ["refresh", "--yes", "--expect-no-changes"]);
        assert.equal(proxy.connections, 0, `the proxy saw: ${proxy.connects.join(", ")}`);
        assert.ok(fake.apiRequests().length >= 2, "the reads went to the loopback API");
        const state = () => JSON.parse(runPulumiSync(ctx, ["stack", "export"])).deployment.resources.find((r: { type: string }) => r.type.endsWith("ProjectClientCerts"));
        const before = state();

        // The same stack through the tunnel, over https (TLS inside the CONNECT tunnel, trusted through NODE_EXTRA_CA_CERTS).
        const https = { ...ctx, env: { ...ctx.env, VERCEL_API_URL: "https://vercel.proxied.test", NODE_EXTRA_CA_CERTS: `${dir}/cert.pem` } };
        const apiBefore = fake.apiRequests().length;
        await expectExit(https, ["preview", "--expect-no-changes"]);
        await expectExit(https, ["refresh", "--yes", "--expect-no-changes"]);
        assert.ok(proxy.connections >= 2, `${proxy.connections} connection(s)`);
        assert.ok(proxy.connects.every((c) => c === "CONNECT vercel.proxied.test:443 HTTP/1.1"), proxy.connects.join(", "));
        assert.equal(fake.apiRequests().length - apiBefore, proxy.connections, "one tunnel per read");
        assert.deepEqual(leakedFragments(proxy.text(), SANDBOX_TOKEN), [], "the token travels only inside TLS");
        assert.doesNotMatch(proxy.text(), /authorization: bearer/i);

        // The proxy now wants other credentials: the refresh fails at once, naming the 407, and keeps the state.
        proxy.behaviour = { kind: "answer", answer: () => "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n" };
        proxy.reset();
        const refused = await runPulumi(https, ["refresh", "--yes"]);
        assert.notEqual(refused.code, 0);
        const printed = refused.stdout + refused.stderr;
        assert.match(printed, /Could not reach Vercel at https:\/\/vercel\.proxied\.test to read project "web-app" in team "team_acme": the proxy http:\/\/127\.0\.0\.1:\d+\/ answered the CONNECT for vercel\.proxied\.test:443 with 407 Proxy Authentication Required: it did not accept the user and password in HTTPS_PROXY/);
        assert.doesNotMatch(printed, /UND_ERR|Gave up/);
        assert.deepEqual(leakedFragments(printed, SANDBOX_TOKEN), []);
        assert.ok(!printed.includes(PROXY_PASS), "the proxy password is not printed");
        assert.equal(proxy.connections, 1, "one read, one connection, no retry");
        assert.deepEqual(state(), before, "the state is kept");
    });
});

/** `pulumi <args>` output, for a command that must succeed (synchronous, for small reads of state). */
function runPulumiSync(ctx: { cli: string; programDir: string; env?: NodeJS.ProcessEnv }, args: string[]): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { cliEnv } = require("../scripts/runPulumi") as typeof import("../scripts/runPulumi");
    return execFileSync(ctx.cli, args, { cwd: ctx.programDir, env: cliEnv(ctx), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
