/**
 * The hostile review's findings (issue 9), each proven through the real dynamic-provider host where a provider
 * is involved, in the program's process for the data-source functions, and in a child process where the claim
 * is "nothing crashes". Every observable byte is searched for any 8-character piece of the token.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { FakeVercel, type Fault } from "../dist/testing/fakeVercel";
import { OUTSIDER_TOKEN, sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { getProjectClientCerts } from "../dist";
import { readClientCerts } from "../dist/core/vercelApi";
import { leakedFragments } from "./support/cli";
import { registerResource } from "./support/capture";
import { ProviderHost, REPO_ROOT } from "./support/providerHost";

const POLICY_ENV = {
    VERCEL_CLIENT_CERTS_TIMEOUT_MS: "400",
    VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "4000",
    VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "4",
};
const TEAM = { teamId: "team_acme" };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Fault => ({
    kind: "raw",
    status,
    contentType: "application/json; charset=utf-8",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers,
});
const times = (n: number, f: Fault): Fault[] => Array.from({ length: n }, () => f);
const certsBody = (n: number) => JSON.stringify({ clientCerts: Array.from({ length: n }, (_, i) => ({ id: `cert_${i}`, origin: "https://o.example.com" })) });

/** A host in the repo (the package resolves from there), configured with a token, and the __provider text. */
async function startHost(env: Record<string, string>, token = SANDBOX_TOKEN) {
    const { urn, inputs } = await registerResource("hard", { idOrName: "web-app" });
    const host = await ProviderHost.start({ cwd: REPO_ROOT, env });
    await host.configure({ "vercel:apiToken": token }, ["vercel:apiToken"]);
    const provider = String(inputs.__provider);
    const create = (idOrName: string, scope: Record<string, string> = TEAM) =>
        host.create(urn, { idOrName, ...scope, __provider: provider }).then(
            (r) => ({ ok: true as const, outputs: r.outputs, message: "" }),
            (err: { details?: string }) => ({ ok: false as const, outputs: undefined, message: String(err.details) }),
        );
    return { host, urn, provider, create };
}

describe("hardening: cached answers never cross credentials or runs (functions, in the program's process)", function () {
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        fake.seed.projects.push({ id: "prj_mallory01", name: "side-project", teamId: null, user: "mallory", certs: [{ id: "cert_mallory", origin: "https://m.example.com" }] });
        process.env.VERCEL_API_URL = await fake.start();
        delete process.env.VERCEL_API_TOKEN;
        delete process.env.VERCEL_TOKEN;
    });
    after(async () => {
        delete process.env.VERCEL_API_URL;
        await fake.stop();
    });
    const run = async (config: Record<string, string>) => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "p", "s", false);
        pulumi.runtime.setAllConfig(config, Object.keys(config).filter((k) => k === "vercel:apiToken"));
    };
    const setConfig = (config: Record<string, string>) =>
        pulumi.runtime.setAllConfig(config, Object.keys(config).filter((k) => k === "vercel:apiToken"));

    it("token B, a rejected token and no token are never served token A's answer", async () => {
        await run({ "vercel:apiToken": SANDBOX_TOKEN });
        fake.reset();
        const a = await getProjectClientCerts({ idOrName: "web-app", ...TEAM });
        assert.deepEqual(a.certIds, ["cert_ledger001", "cert_payments01"]);
        assert.equal(fake.apiRequests().length, 1);

        setConfig({ "vercel:apiToken": OUTSIDER_TOKEN });
        await assert.rejects(getProjectClientCerts({ idOrName: "web-app", ...TEAM }), /rejected the token \(403\)/);
        assert.equal(fake.apiRequests().length, 2, "token B made its own request");

        setConfig({ "vercel:apiToken": "revoked-token-000000000000" });
        await assert.rejects(getProjectClientCerts({ idOrName: "web-app", ...TEAM }), /rejected the token \(401\)/);
        assert.equal(fake.apiRequests().length, 4, "the 401, and the request that confirmed it");

        setConfig({});
        await assert.rejects(getProjectClientCerts({ idOrName: "web-app", ...TEAM }), /No Vercel API token/);
        assert.equal(fake.apiRequests().length, 4, "no token: no request and no cached answer");
    });

    it("two personal projects of the same name in different accounts get their own certificates", async () => {
        await run({ "vercel:apiToken": SANDBOX_TOKEN });
        assert.deepEqual((await getProjectClientCerts({ idOrName: "side-project" })).certIds, ["cert_side01"]);
        setConfig({ "vercel:apiToken": OUTSIDER_TOKEN });
        assert.deepEqual((await getProjectClientCerts({ idOrName: "side-project" })).certIds, ["cert_mallory"]);
    });

    it("a new run (as the Automation API starts one) reads afresh, with no clearSnapshots() call", async () => {
        await run({ "vercel:apiToken": SANDBOX_TOKEN });
        fake.reset();
        await getProjectClientCerts({ idOrName: "web-app", ...TEAM });
        await getProjectClientCerts({ idOrName: "web-app", ...TEAM });
        assert.equal(fake.apiRequests().length, 1, "one request within a run");
        fake.addCert("web-app", "team_acme", { id: "cert_next_run", origin: "https://next.example.com" });
        await run({ "vercel:apiToken": SANDBOX_TOKEN });
        const next = await getProjectClientCerts({ idOrName: "web-app", ...TEAM });
        assert.ok(next.certIds.includes("cert_next_run"));
        assert.equal(fake.apiRequests().length, 2);
        fake.removeCert("web-app", "team_acme", "cert_next_run");
    });
});

describe("hardening: through the real provider host", function () {
    this.timeout(120_000);
    let fake: FakeVercel;
    let h: Awaited<ReturnType<typeof startHost>>;
    const texts: string[] = [];

    /** Bytes of every host this suite started: each test gets a fresh host, as each command does. */
    const earlierBytes: Buffer[] = [];
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    // A fresh host per test: a failure that does not heal within one command (unreachable, no answer, 401/403)
    // ends the host's later reads at once (deadEnds.ts), as it would end the rest of that command.
    beforeEach(async () => {
        h = await startHost({ VERCEL_API_URL: fake.url, ...POLICY_ENV });
    });
    afterEach(async () => {
        earlierBytes.push(h.host.allBytes());
        await h.host.stop();
    });
    after(async () => {
        await fake.stop();
    });
    /** A fresh project per case: successes are cached for the host's life, as within one command. */
    let n = 0;
    const project = () => {
        const name = `hard-${++n}`;
        fake.seed.projects.push({ id: `prj_hard${n}`, name, teamId: "team_acme", certs: [{ id: `cert_hard${n}`, origin: "https://h.example.com" }] });
        fake.reset();
        return name;
    };
    const expectFailure = async (name: string, pattern: RegExp) => {
        const r = await h.create(name);
        assert.ok(!r.ok, "expected an error");
        assert.match(r.message, pattern);
        assert.match(r.message, new RegExp(`project "${name}" in team "team_acme"`));
        texts.push(r.message);
        return r.message;
    };

    it("a body cut off by a reset is retried, and reported as a broken connection when it persists", async () => {
        const cut: Fault = { kind: "cut", status: 200, contentType: "application/json", body: certsBody(50), sendBytes: 100 };
        const once = project();
        fake.failNext(cut);
        const ok = await h.create(once);
        assert.ok(ok.ok, ok.message);
        assert.equal(fake.apiRequests().length, 2);

        const always = project();
        fake.failNext(...times(4, cut));
        await expectFailure(always, /connection to Vercel .* broke while its answer .* was arriving .*Gave up after 4 attempt/);
        assert.equal(fake.apiRequests().length, 4);
    });

    it("a body that stalls is retried, and reported as an unfinished answer, within the budget", async () => {
        const stall: Fault = { kind: "stall", status: 200, contentType: "application/json", body: certsBody(5), sendBytes: 20 };
        const name = project();
        fake.failNext(...times(4, stall));
        const started = Date.now();
        await expectFailure(name, /started answering .* but did not finish within \d+ ms.*Gave up after 4 attempt/);
        assert.ok(Date.now() - started < 4_600);
    });

    it("200 kB of '<' in an error body: linear work, the host answers others meanwhile, fails within the budget", async () => {
        const name = project();
        const other = project();
        fake.failProject(name, ...times(4, { kind: "raw", status: 502, contentType: "text/html", body: "<".repeat(200_000) }));
        const started = Date.now();
        const [failed, meanwhile] = await Promise.all([
            expectFailure(name, /answered 502/),
            (async () => {
                await new Promise((r) => setTimeout(r, 50));
                const t = Date.now();
                await h.create(other);
                return Date.now() - t;
            })(),
        ]);
        assert.ok(failed);
        assert.ok(meanwhile < 1_000, `another resource waited ${meanwhile} ms`);
        assert.ok(Date.now() - started < 4_600);
    });

    it("a 50 MB body is refused at the 8 MiB limit while streaming, and the host survives", async () => {
        const name = project();
        fake.failNext({ kind: "flood", status: 200, contentType: "application/json", bytes: 50 * 1024 * 1024 });
        await expectFailure(name, /exceeded 8388608 bytes while streaming, over the 8388608 byte limit/);
        const after = project();
        assert.ok((await h.create(after)).ok, "the host still works");
    });

    it("a declared 50 MB Content-Length is refused before reading", async () => {
        const name = project();
        fake.failNext({ kind: "flood", status: 200, contentType: "application/json", bytes: 50 * 1024 * 1024, declare: true });
        await expectFailure(name, /declares 52428800 bytes \(Content-Length\), over the 8388608 byte limit/);
    });

    it("more than 10 000 certificates are refused, naming the limit", async () => {
        const name = project();
        fake.failNext(json(200, certsBody(10_001)));
        await expectFailure(name, /returned 10001 client certificates .* more than the 10000 this package accepts/);
    });

    it("no 8-character piece of the token survives truncation, JSON escapes, percent-encoding or parser snippets", async () => {
        const token = SANDBOX_TOKEN;
        const unicodeEscaped = Array.from(token, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
        const bodies: Fault[] = [
            json(401, { error: { code: "forbidden", message: `${"x".repeat(280)} ${token}` } }),
            json(401, { error: { message: `${"y".repeat(290)}${token}` } }),
            { kind: "raw", status: 403, contentType: "text/html", body: `<p>bad token ${JSON.stringify(token)} / ${unicodeEscaped}</p>` },
            { kind: "raw", status: 400, contentType: "text/plain", body: `echo ${encodeURIComponent(token)} and half ${token.slice(0, 15)} and ${token.slice(12)}` },
            json(200, `{"auth": "Bearer ${token}", oops`),
            json(200, `{"clientCerts": [{"id": "${token}", "origin": 7}]}`),
        ];
        for (const fault of bodies) {
            const name = project();
            // A 401 is asked twice (a run's first 401 is confirmed before it counts: deadEnds.ts).
            fake.failNext(...("status" in fault && fault.status === 401 ? [fault, fault] : [fault]));
            const r = await h.create(name);
            assert.ok(!r.ok);
            texts.push(r.message);
            assert.deepEqual(leakedFragments(r.message, token), [], r.message);
        }
    });

    it("redirects are refused, and the token goes nowhere else", async () => {
        const other = new FakeVercel(sampleSeed());
        await other.start();
        try {
            const same = project();
            fake.failNext({ kind: "redirect", status: 302, location: "/v1/elsewhere" });
            await expectFailure(same, /answered 302 redirecting to http:\/\/127\.0\.0\.1:\d+\/v1\/elsewhere .*Redirects are refused/);
            assert.deepEqual(fake.requests.map((r) => r.path), [`/v1/projects/${same}/client-cert`]);

            const cross = project();
            fake.failNext({ kind: "redirect", status: 307, location: `${other.url}/v1/projects/web-app/client-cert?teamId=team_acme` });
            await expectFailure(cross, /answered 307 redirecting to .*Redirects are refused/);
            assert.equal(other.requests.length, 0, "the other origin was never contacted");
        } finally {
            await other.stop();
        }
    });

    it("every message of the suite, and every byte the host produced, holds no piece of the token", () => {
        assert.ok(texts.length >= 10);
        assert.deepEqual(leakedFragments(texts.join("\n"), SANDBOX_TOKEN), []);
        assert.deepEqual(leakedFragments(Buffer.concat([...earlierBytes, h.host.allBytes()]).toString("utf8"), SANDBOX_TOKEN), []);
    });
});

describe("hardening: refresh keeps state unless Vercel itself says the project is gone", function () {
    this.timeout(120_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());

    /** Creates through a host, then refreshes (Read) through a fresh host with `faults` queued. */
    async function refreshWith(faults: Fault[], opts: { scope?: Record<string, string>; idOrName?: string; readEnv?: Record<string, string>; readToken?: string } = {}) {
        const idOrName = opts.idOrName ?? "web-app";
        const scope = opts.scope ?? TEAM;
        const setup = await startHost({ VERCEL_API_URL: fake.url, ...POLICY_ENV });
        const created = await setup.host.create(setup.urn, { idOrName, ...scope, __provider: setup.provider });
        await setup.host.stop();
        const refresh = await startHost({ VERCEL_API_URL: fake.url, ...POLICY_ENV, ...opts.readEnv }, opts.readToken);
        fake.reset();
        fake.failNext(...faults);
        try {
            return await refresh.host
                .read(refresh.urn, created.id, { ...created.outputs, __provider: refresh.provider }, { idOrName, ...scope, __provider: refresh.provider })
                .then(
                    (r) => ({ kept: r.id !== "", id: r.id, error: "" }),
                    (err: { details?: string }) => ({ kept: true, id: created.id, error: String(err.details) }),
                );
        } finally {
            await refresh.host.stop();
        }
    }
    const projectGone = json(404, { error: { code: "not_found", message: "Project not found" } });

    it("a proxy's HTML 404 page: error, state kept", async () => {
        const r = await refreshWith([{ kind: "raw", status: 404, contentType: "text/html", body: "<h1>404 Not Found</h1>" }]);
        assert.ok(r.kept && r.error, JSON.stringify(r));
        assert.match(r.error, /not with its JSON "project not found" answer .*Nothing was changed or removed/);
    });

    it("an endpoint that no longer exists (a JSON 'path not found'): error saying the endpoint may have gone, state kept", async () => {
        const r = await refreshWith([json(404, { error: { code: "not_found", message: "The requested path was not found" } })]);
        assert.ok(r.kept && r.error);
        assert.match(r.error, /endpoint itself may have moved or gone/);
    });

    it("VERCEL_API_URL with a wrong path prefix: error, state kept", async () => {
        const r = await refreshWith([], { readEnv: { VERCEL_API_URL: `${fake.url}/api` } });
        assert.ok(r.kept && r.error);
        assert.match(r.error, /404/);
    });

    it("a transient 'project not found' (once, then found): the resource stays, with its certificates", async () => {
        const r = await refreshWith([projectGone]);
        assert.deepEqual(r, { kept: true, id: "team_acme/web-app", error: "" });
        assert.equal(fake.apiRequests().length, 2, "the second request confirmed it exists");
    });

    it("a personal project read with another user's token: error explaining why, state kept", async () => {
        const r = await refreshWith([], { scope: {}, idOrName: "side-project", readToken: OUTSIDER_TOKEN });
        assert.ok(r.kept && r.error);
        assert.match(r.error, /token of another user, so the resource is kept.*pulumi state delete/);
    });

    it("Vercel's JSON 'project not found', twice, for a team project: the resource is removed", async () => {
        const r = await refreshWith([projectGone, projectGone]);
        assert.equal(r.id, "");
    });
});

describe("hardening: configuration bounds, URLs and pauses", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());

    it("out-of-range numbers are rejected with their range, before any request", async () => {
        for (const [name, value, range] of [
            ["VERCEL_CLIENT_CERTS_TIMEOUT_MS", "3000000000", /from 100 to 600000/],
            ["VERCEL_CLIENT_CERTS_TIMEOUT_MS", "3e9", /from 100 to 600000/],
            ["VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS", "99999999999", /from 100 to 3600000/],
            ["VERCEL_CLIENT_CERTS_MAX_ATTEMPTS", "0", /from 1 to 20/],
        ] as const) {
            const h = await startHost({ VERCEL_API_URL: fake.url, [name]: value });
            try {
                fake.reset();
                const r = await h.create("web-app");
                assert.ok(!r.ok);
                assert.match(r.message, new RegExp(name));
                assert.match(r.message, range);
                assert.equal(fake.requests.length, 0);
            } finally {
                await h.host.stop();
            }
        }
    });

    it("a 25-day Retry-After under the largest budget fails at once instead of pausing", async () => {
        const h = await startHost({ VERCEL_API_URL: fake.url, VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "3600000" });
        try {
            fake.failNext(json(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": String(25 * 86_400) }));
            const started = Date.now();
            const r = await h.create("web-app");
            assert.ok(!r.ok);
            assert.match(r.message, /asked to wait 25 days more; that and another attempt \(at least 1\.0 s\) do not fit in what is left of the 3600 s retry budget/);
            assert.ok(Date.now() - started < 2_000);
        } finally {
            await h.host.stop();
        }
    });

    it("VERCEL_API_URL with userinfo, a query, or plain http off loopback is refused without echoing secrets", async () => {
        const port = new URL(fake.url).port;
        for (const [url, pattern] of [
            [`http://user:hunter2secret@127.0.0.1:${port}`, /must not contain a user name or password/],
            [`${fake.url}?token=abc`, /must not have a query or fragment/],
            ["http://api.vercel.example", /plain http to api\.vercel\.example, .*VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP=true/],
        ] as const) {
            const h = await startHost({ VERCEL_API_URL: url });
            try {
                fake.reset();
                const r = await h.create("web-app");
                assert.ok(!r.ok);
                assert.match(r.message, pattern);
                assert.ok(!r.message.includes("hunter2"), r.message);
                assert.equal(fake.requests.length, 0);
            } finally {
                await h.host.stop();
            }
        }
    });

    it("a 429 pauses only its own API URL and token", async () => {
        const other = new FakeVercel(sampleSeed());
        await other.start();
        const policy = { timeoutMs: 2_000, retryBudgetMs: 6_000, maxAttempts: 3 };
        try {
            fake.reset();
            fake.failNext(json(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "3" }));
            const limited = readClientCerts({ scope: { idOrName: "web-app", ...TEAM }, token: SANDBOX_TOKEN, apiUrl: fake.url, policy });
            await new Promise((r) => setTimeout(r, 200));
            let t = Date.now();
            await readClientCerts({ scope: { idOrName: "web-app", ...TEAM }, token: SANDBOX_TOKEN, apiUrl: other.url, policy });
            assert.ok(Date.now() - t < 1_000, "another API URL is not paused");
            t = Date.now();
            await readClientCerts({ scope: { idOrName: "side-project" }, token: OUTSIDER_TOKEN, apiUrl: fake.url, policy }).catch(() => undefined);
            assert.ok(Date.now() - t < 1_000, "another token is not paused");
            assert.equal((await limited).length, 2);
        } finally {
            await other.stop();
        }
    });

    it("a read that waits for a free request slot past its budget says it waited for capacity", async () => {
        const hanging = Array.from({ length: 8 }, (_, i) => {
            fake.failNext({ kind: "hang" });
            return readClientCerts({ scope: { idOrName: `service-0${i}`, ...TEAM }, token: SANDBOX_TOKEN, apiUrl: fake.url, policy: { timeoutMs: 2_000, retryBudgetMs: 2_000, maxAttempts: 1 } }).catch((e: Error) => e);
        });
        await new Promise((r) => setTimeout(r, 100));
        const err = await readClientCerts({ scope: { idOrName: "web-app", ...TEAM }, token: SANDBOX_TOKEN, apiUrl: fake.url, policy: { timeoutMs: 300, retryBudgetMs: 300, maxAttempts: 1 } }).catch((e: Error) => e);
        assert.ok(err instanceof Error);
        assert.match(err.message, /waited 0\.\d s for a free request slot \(at most 8 requests are in flight per process\)/);
        assert.doesNotMatch(err.message, /did not answer within 1 ms/);
        await Promise.all(hanging);
        fake.reset();
    });
});

describe("hardening: no failure leaves an unhandled rejection or crashes the process", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());

    it("a child process reading through every trigger catches each failure and exits 0", async () => {
        fake.failNext(
            json(200, '{"clientCerts": ['),
            { kind: "cut", status: 200, contentType: "application/json", body: certsBody(40), sendBytes: 64 },
            { kind: "stall", status: 200, contentType: "application/json", body: certsBody(40), sendBytes: 64 },
        );
        const script = `
const { readClientCerts } = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "core", "vercelApi.js"))});
const { resolveApiUrl } = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "core", "credentials.js"))});
let unhandled = 0;
process.on("unhandledRejection", () => { unhandled++; });
const policy = { timeoutMs: 300, retryBudgetMs: 2000, maxAttempts: 1 };
const read = (idOrName, apiUrl) => readClientCerts({ scope: { idOrName, teamId: "team_acme" }, token: ${JSON.stringify(SANDBOX_TOKEN)}, apiUrl, policy });
const url = ${JSON.stringify(fake.url)};
const caught = [];
(async () => {
  for (const [name, run] of [
    ["invalid JSON 200", () => read("web-app", url)],
    ["cut body", () => read("web-app", url)],
    ["stalled body", () => read("web-app", url)],
    ["lone surrogate", () => read("bad\\uD800name", url)],
    ["userinfo in the URL (unchecked)", () => read("web-app", url.replace("http://", "http://u:p@"))],
    ["userinfo in the URL (checked)", async () => resolveApiUrl({ idOrName: "x" }, { VERCEL_API_URL: url.replace("http://", "http://u:p@") })],
  ]) {
    try { await run(); caught.push(name + ": resolved"); } catch (e) { caught.push(name + ": " + e.message.slice(0, 60)); }
  }
  await new Promise((r) => setTimeout(r, 500));
  console.log(JSON.stringify({ caught, unhandled }));
  process.exit(unhandled ? 3 : 0);
})();
`;
        const child = spawn(process.execPath, ["-e", script], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (c) => (out += c));
        child.stderr.on("data", (c) => (err += c));
        const code = await new Promise((r) => child.once("close", r));
        assert.equal(code, 0, `${out}\n${err}`);
        const result = JSON.parse(out.trim().split("\n").pop()!);
        assert.equal(result.unhandled, 0);
        assert.equal(result.caught.length, 6);
        for (const line of result.caught) assert.doesNotMatch(line, /resolved$/, line);
    });

    it("the same triggers in this process: no unhandled rejection while watching", async () => {
        let unhandled = 0;
        const watch = () => unhandled++;
        process.on("unhandledRejection", watch);
        try {
            const policy = { timeoutMs: 300, retryBudgetMs: 2000, maxAttempts: 1 };
            fake.failNext(json(200, "not json"), { kind: "cut", status: 200, contentType: "application/json", body: certsBody(40), sendBytes: 10 });
            for (const idOrName of ["web-app", "web-app", "bad\uDC00"]) {
                await assert.rejects(readClientCerts({ scope: { idOrName, ...TEAM }, token: SANDBOX_TOKEN, apiUrl: fake.url, policy }));
            }
            await new Promise((r) => setTimeout(r, 300));
            assert.equal(unhandled, 0);
        } finally {
            process.off("unhandledRejection", watch);
        }
    });
});
