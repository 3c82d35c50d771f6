/**
 * Proxies and TLS: `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (either case) are honoured, for the resource's
 * provider calls and for the functions, through a real CONNECT proxy on 127.0.0.1; the API's name resolves only
 * at the proxy (a `.test` name never resolves in DNS), so a request that skips the proxy cannot succeed. The API
 * here is plain http, so every test opts in twice (VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP and …_VIA_PROXY);
 * tests/proxyRound4.test.ts covers https through the tunnel, loopback, the opt-ins and the proxy's refusals.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { getProjectClientCerts } from "../dist";
import { clearSnapshots } from "../dist/core/snapshots";
import { newCommand, rejection } from "./support/inProcess";
import { registerResource } from "./support/capture";
import { ProviderHost, REPO_ROOT } from "./support/providerHost";

const API_HOST = "vercel.proxied.test";

/** A CONNECT proxy that knows where API_HOST is, and records what it was asked. */
async function startProxy(apiPort: number) {
    const seen: { connects: string[]; headers: string[]; plain: number } = { connects: [], headers: [], plain: 0 };
    const server = http.createServer((_req, res) => {
        seen.plain++;
        res.writeHead(502).end();
    });
    server.on("connect", (req, client: net.Socket, head) => {
        seen.connects.push(String(req.url));
        seen.headers.push(JSON.stringify(req.headers));
        const [host, port] = String(req.url).split(":");
        if (host !== API_HOST) {
            client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
            return;
        }
        const upstream = net.connect(Number(port) === apiPort ? apiPort : -1, "127.0.0.1", () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
        });
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
    });
    const sockets = new Set<net.Socket>();
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        stop: async () => {
            for (const s of sockets) s.destroy();
            await new Promise((r) => server.close(r));
        },
    };
}

describe("proxies (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and TLS", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    let apiUrl: string;
    const saved = { ...process.env };
    const POLICY = { VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "2", VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "5000", VERCEL_CLIENT_CERTS_TIMEOUT_MS: "2000" };

    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        proxy = await startProxy(Number(new URL(fake.url).port));
        apiUrl = `http://${API_HOST}:${new URL(fake.url).port}`;
    });
    after(async () => {
        await proxy.stop();
        await fake.stop();
    });
    beforeEach(() => {
        fake.reset();
        proxy.seen.connects.length = 0;
        proxy.seen.headers.length = 0;
        for (const k of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"]) delete process.env[k];
        process.env.VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP = "true";
        // This API is plain http and not loopback: it goes through a proxy only with this second opt-in.
        process.env.VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY = "true";
        clearSnapshots();
    });
    afterEach(() => {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
    });

    for (const variable of ["HTTP_PROXY", "http_proxy"]) {
        it(`${variable}: the provider reads through the proxy (CONNECT), and the token is only inside the tunnel`, async function () {
            const lc = await newCommand({ VERCEL_API_URL: apiUrl, ...POLICY }, { "vercel:apiToken": SANDBOX_TOKEN });
            process.env[variable] = proxy.url.replace("http://", "http://user:proxy-pass@");
            const { outs } = await lc.create({ idOrName: "web-app", teamId: "team_acme" });
            assert.deepEqual(outs.certIds, ["cert_ledger001", "cert_payments01"]);
            assert.deepEqual(proxy.seen.connects, [`${API_HOST}:${new URL(fake.url).port}`]);
            assert.ok(!proxy.seen.headers.join("").includes(SANDBOX_TOKEN), "the CONNECT request carries no token");
            assert.equal(fake.apiRequests().length, 1);
        });
    }

    it("through the real provider host (a refresh's Read), with http_proxy set: the read goes via the proxy", async function () {
        const { urn, inputs } = await registerResource("via-proxy", { idOrName: "web-app" });
        const host = await ProviderHost.start({
            cwd: REPO_ROOT,
            env: {
                VERCEL_API_URL: apiUrl,
                http_proxy: proxy.url,
                VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP: "true",
                VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY: "true",
                ...POLICY,
            },
        });
        try {
            await host.configure({ "vercel:apiToken": SANDBOX_TOKEN }, ["vercel:apiToken"]);
            const stored = { idOrName: "web-app", teamId: "team_acme", clientCerts: [], certIds: [], origins: [], __provider: inputs.__provider };
            const read = await host.read(urn, "team_acme/web-app", stored, stored);
            assert.deepEqual(read.outputs.certIds, ["cert_ledger001", "cert_payments01"]);
            assert.deepEqual(proxy.seen.connects, [`${API_HOST}:${new URL(fake.url).port}`]);
        } finally {
            await host.stop();
        }
    });

    it("the functions (the program's reads) go through the proxy too", async function () {
        process.env.VERCEL_API_URL = apiUrl;
        process.env.VERCEL_API_TOKEN = SANDBOX_TOKEN;
        Object.assign(process.env, POLICY);
        process.env.HTTPS_PROXY = proxy.url; // used for https only: this API is http
        process.env.HTTP_PROXY = proxy.url;
        // A plain run of a program (no clientCertsMocks left over from other suites), with no config.
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "proxy-test", "dev", false);
        pulumi.runtime.setAllConfig({});
        const r = await getProjectClientCerts({ idOrName: "web-app", teamId: "team_acme" });
        assert.deepEqual(r.certIds, ["cert_ledger001", "cert_payments01"]);
        assert.equal(proxy.seen.connects.length, 1);
    });

    it("without a proxy the name does not resolve; NO_PROXY (either case) sends it direct, and the proxy sees nothing", async function () {
        let lc = await newCommand({ VERCEL_API_URL: apiUrl, ...POLICY }, { "vercel:apiToken": SANDBOX_TOKEN });
        assert.match((await rejection(lc.create({ idOrName: "web-app", teamId: "team_acme" }))).message, /Could not reach Vercel .*\(ENOTFOUND|EAI_AGAIN/);
        for (const variable of ["NO_PROXY", "no_proxy"]) {
            lc = await newCommand({ VERCEL_API_URL: apiUrl, ...POLICY }, { "vercel:apiToken": SANDBOX_TOKEN });
            process.env.HTTP_PROXY = proxy.url;
            process.env[variable] = `localhost,.proxied.test`;
            assert.match((await rejection(lc.create({ idOrName: "web-app", teamId: "team_acme" }))).message, /Could not reach Vercel/);
            delete process.env[variable];
        }
        assert.deepEqual(proxy.seen.connects, []);
    });

    it("a proxy that is down: the error names the proxy, without its user name or password", async function () {
        const closed = await new Promise<number>((resolve) => {
            const s = net.createServer().listen(0, "127.0.0.1", () => {
                const port = (s.address() as AddressInfo).port;
                s.close(() => resolve(port));
            });
        });
        const lc = await newCommand({ VERCEL_API_URL: apiUrl, ...POLICY }, { "vercel:apiToken": SANDBOX_TOKEN });
        process.env.HTTP_PROXY = `http://alice:s3cret-proxy-pass@127.0.0.1:${closed}`;
        const err = await rejection(lc.create({ idOrName: "web-app", teamId: "team_acme" }));
        assert.match(err.message, new RegExp(`via the proxy http://127\\.0\\.0\\.1:${closed}/`));
        assert.ok(!err.message.includes("s3cret-proxy-pass") && !err.message.includes("alice"), err.message);
    });

    it("redirects through the proxy are still refused", async function () {
        const lc = await newCommand({ VERCEL_API_URL: apiUrl, ...POLICY }, { "vercel:apiToken": SANDBOX_TOKEN });
        process.env.HTTP_PROXY = proxy.url;
        fake.failNext({ kind: "redirect", status: 302, location: "https://elsewhere.example.com/steal" });
        assert.match((await rejection(lc.create({ idOrName: "web-app", teamId: "team_acme" }))).message, /Redirects are refused/);
    });

    it("a TLS verification failure is not retried, and suggests NODE_EXTRA_CA_CERTS", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-"));
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${dir}/key.pem`, "-out", `${dir}/cert.pem`, "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "pipe" });
        let requests = 0;
        const server = https.createServer({ key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) }, (_req, res) => {
            requests++;
            res.end("{}");
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
            const lc = await newCommand({ VERCEL_API_URL: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ...POLICY, VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "5" }, { "vercel:apiToken": SANDBOX_TOKEN });
            const started = Date.now();
            const err = await rejection(lc.create({ idOrName: "web-app", teamId: "team_acme" }));
            assert.match(err.message, /TLS verification of Vercel at https:\/\/127\.0\.0\.1:\d+ failed .*\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\).*NODE_EXTRA_CA_CERTS/);
            assert.doesNotMatch(err.message, /Gave up after/, "not retried");
            assert.ok(Date.now() - started < 1_500);
            assert.equal(requests, 0);
        } finally {
            server.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
