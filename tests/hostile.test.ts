/**
 * Hostile conditions, through the real path: the real `__provider`, the real dynamic-provider host over gRPC,
 * real HTTP to a fake API that misbehaves on demand. Each case states its promised outcome (docs/reliability.md
 * lists them). Every byte the host produced is searched for the token at the end.
 */
import { strict as assert } from "node:assert";
import { FakeVercel, type Fault } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { DEFAULT_REQUEST_POLICY, resolveRequestPolicy } from "../dist/core/credentials";
import { leakedFragments } from "./support/cli";
import { registerResource } from "./support/capture";
import { SimulatedStack } from "./support/engine";
import { newCommand, rejection } from "./support/inProcess";
import { ProviderHost, REPO_ROOT } from "./support/providerHost";

/** A tight policy so the suite is quick; the bounds it proves scale with the configured values. */
const POLICY_ENV = {
    VERCEL_CLIENT_CERTS_TIMEOUT_MS: "400",
    VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "4000",
    VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "4",
};

const status = (code: number, headers: Record<string, string> = {}): Fault => ({ kind: "status", status: code, headers });
const times = (n: number, f: Fault): Fault[] => Array.from({ length: n }, () => f);
const body200 = (body: unknown): Fault => ({ kind: "raw", status: 200, contentType: "application/json", body: typeof body === "string" ? body : JSON.stringify(body) });
const html = (code: number, text: string): Fault => ({ kind: "raw", status: code, contentType: "text/html; charset=utf-8", body: `<!doctype html><html><body><h1>${text}</h1></body></html>` });

type Case = {
    name: string;
    faults: Fault[];
    /** ok: resolves with this many certs. Otherwise the error must match. */
    expect: { certs: number } | RegExp;
    requests: number;
    /** Upper bound on the case's wall time, where the promise is a bound. */
    withinMs?: number;
    before?: (fake: FakeVercel, project: string) => void;
};

const CASES: Case[] = [
    // A 429 whose Retry-After fits in the budget is a shared limit, not a failure: it uses up no attempt.
    { name: "429 storm with Retry-After: 0, then success (waits use up no attempts)", faults: times(6, status(429, { "retry-after": "0" })), expect: { certs: 1 }, requests: 7 },
    { name: "429 storm without Retry-After (exponential backoff)", faults: times(4, status(429)), expect: /rate-limited .*Gave up after 4 attempt/, requests: 4, withinMs: 4500 },
    { name: "429 with a huge Retry-After fails at once, not after an hour", faults: [status(429, { "retry-after": "3600" })], expect: /\(429\) and asked to wait 3600\.0 s more; that and another attempt \(at least 0\.4 s\) do not fit in what is left of the 4 s retry budget/, requests: 1, withinMs: 1000 },
    { name: "429 with Retry-After as an HTTP date, then success", faults: [status(429, { "retry-after": new Date(Date.now() + 1000).toUTCString() })], expect: { certs: 1 }, requests: 2 },
    { name: "429 with only X-RateLimit-Reset, then success", faults: [status(429, { "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)) })], expect: { certs: 1 }, requests: 2 },
    { name: "500 then success", faults: [status(500)], expect: { certs: 1 }, requests: 2 },
    { name: "502 then success", faults: [status(502)], expect: { certs: 1 }, requests: 2 },
    { name: "503 then success", faults: [status(503)], expect: { certs: 1 }, requests: 2 },
    { name: "504 then success", faults: [status(504)], expect: { certs: 1 }, requests: 2 },
    { name: "persistent 503", faults: times(4, status(503)), expect: /answered 503 .*Gave up after 4 attempt.*safe to run the command again/, requests: 4 },
    { name: "connection reset, then success", faults: [{ kind: "reset" }], expect: { certs: 1 }, requests: 2 },
    { name: "persistent connection reset", faults: times(4, { kind: "reset" }), expect: /Could not reach Vercel at http:\/\/127\.0\.0\.1:\d+ .*Gave up after 4/, requests: 4 },
    { name: "a server that never answers once: per-request timeout, then success", faults: [{ kind: "hang" }], expect: { certs: 1 }, requests: 2 },
    { name: "a server that never answers: bounded by the retry budget", faults: times(20, { kind: "hang" }), expect: /did not answer within \d+ ms .*Gave up/, requests: 4, withinMs: 4600 },
    { name: "malformed JSON with status 200", faults: [body200("{\"clientCerts\": [")], expect: /was not valid JSON/, requests: 1 },
    { name: "an HTML page with status 200", faults: [html(200, "Sign in")], expect: /answered 200 .*content-type "text\/html; charset=utf-8" instead of JSON/, requests: 1 },
    { name: "an HTML error page with status 502, persistent", faults: times(4, html(502, "502 Bad Gateway")), expect: /answered 502 .*Vercel said: "502 Bad Gateway"/, requests: 4 },
    { name: "clientCerts missing", faults: [body200({ certs: [] })], expect: /field `clientCerts`/, requests: 1 },
    { name: "clientCerts not an array", faults: [body200({ clientCerts: { id: "x", origin: "y" } })], expect: /field `clientCerts`/, requests: 1 },
    { name: "an entry without id", faults: [body200({ clientCerts: [{ origin: "https://a" }] })], expect: /field `clientCerts\[0\]\.id`/, requests: 1 },
    { name: "a null origin", faults: [body200({ clientCerts: [{ id: "a", origin: "https://a" }, { id: "b", origin: null }] })], expect: /field `clientCerts\[1\]\.origin`/, requests: 1 },
    { name: "unknown extra fields are tolerated", faults: [body200({ clientCerts: [{ id: "a", origin: "https://a", createdAt: 1, nested: { x: [1] } }], pagination: { next: null }, extra: true })], expect: { certs: 1 }, requests: 1 },
    { name: "an empty list", faults: [body200({ clientCerts: [] })], expect: { certs: 0 }, requests: 1 },
    {
        name: "10,000 certs",
        faults: [],
        expect: { certs: 10_000 },
        requests: 1,
        before: (fake, project) => {
            fake.project(project, "team_acme").certs = Array.from({ length: 10_000 }, (_, i) => ({ id: `cert_${String(9_999 - i).padStart(5, "0")}`, origin: `https://o${i % 97}.example.com` }));
        },
    },
    // Twice: a run's first 401 is confirmed once before it counts (deadEnds.ts).
    { name: "a 401 body echoing the token is redacted", faults: Array.from({ length: 2 }, (): Fault => ({ kind: "status", status: 401, body: JSON.stringify({ error: { message: `token ${SANDBOX_TOKEN} is not valid` } }) })), expect: /token \[redacted\] is not valid/, requests: 2 },
    { name: "malformed JSON echoing the token (surfacing through the SDK's JSON.parse) is redacted", faults: [body200(`{"auth": "Bearer ${SANDBOX_TOKEN}", oops}`)], expect: /not valid JSON/, requests: 1 },
];

describe("hostile conditions through the real host", function () {
    this.timeout(120_000);
    let fake: FakeVercel;
    let host: ProviderHost;
    let providerText: string;
    /** Every host of the suite: a case that ends on a dead end (deadEnds.ts) gets a fresh one, as a new command would. */
    const hosts: ProviderHost[] = [];
    const startHostHere = async () => {
        host = await ProviderHost.start({ cwd: REPO_ROOT, env: { VERCEL_API_URL: fake.url, NODE_DEBUG: "http,net,tls,fetch,undici", ...POLICY_ENV } });
        await host.configure({ "vercel:apiToken": SANDBOX_TOKEN }, ["vercel:apiToken"]);
        hosts.push(host);
    };
    let urn: string;
    const errorTexts: string[] = [];
    const seenPaths: string[] = [];
    /** Clears the fake between cases, keeping every request path for the suite-wide assertion. */
    const nextCase = () => {
        seenPaths.push(...fake.requests.map((r) => r.path));
        fake.reset();
    };

    before(async function () {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        ({ urn, inputs: { __provider: providerText } } = (await registerResource("hostile", { idOrName: "web-app" })) as never);
        // Verbose Node debug output on, to prove it stays clean too.
        await startHostHere();
    });
    after(async () => {
        await host.stop();
        await fake.stop();
    });
    afterEach(async function () {
        // Unreachable, no answer, 401/403: the host remembers them for the rest of its life (one command).
        if (errorTexts.length && /Could not reach|did not answer within|rejected the token/.test(errorTexts[errorTexts.length - 1]) && !restartedFor.has(errorTexts.length)) {
            restartedFor.add(errorTexts.length);
            await host.stop();
            await startHostHere();
        }
    });
    const restartedFor = new Set<number>();

    CASES.forEach((c, i) => {
        // A project per case: successes are cached for the rest of the host's life, as within one command.
        const project = `service-${String(i % 20).padStart(2, "0")}`;
        it(c.name, async function () {
            if (i >= 20) fake.seed.projects.push({ id: `prj_extra${i}`, name: `extra-${i}`, teamId: "team_acme", certs: [{ id: `cert_extra${i}`, origin: "https://x.example.com" }] });
            const name = i >= 20 ? `extra-${i}` : project;
            c.before?.(fake, name);
            nextCase();
            fake.failNext(...c.faults);
            const started = Date.now();
            const result = await host
                .create(urn, { idOrName: name, teamId: "team_acme", __provider: providerText })
                .then((r) => ({ ok: true as const, outputs: r.outputs }), (err: { details?: string }) => ({ ok: false as const, message: String(err.details) }));
            const elapsed = Date.now() - started;
            if (c.expect instanceof RegExp) {
                assert.ok(!result.ok, "expected an error");
                assert.match(result.message, c.expect);
                assert.match(result.message, new RegExp(`project "${name}" in team "team_acme"`));
                errorTexts.push(result.message);
            } else {
                assert.ok(result.ok, result.ok ? "" : result.message);
                const certs = result.outputs.clientCerts as { id: string }[];
                assert.equal(certs.length, c.expect.certs);
                const ids = result.outputs.certIds as string[];
                assert.deepEqual(ids, (result.outputs.clientCerts as { id: string }[]).map((x) => x.id));
            }
            assert.equal(fake.apiRequests().length, c.requests, "requests made");
            if (c.withinMs) assert.ok(elapsed <= c.withinMs, `took ${elapsed} ms, bound ${c.withinMs} ms`);
        });
    });

    it("bad idOrName values: check failures, or a request only to /v1/projects/{encoded}/client-cert", async function () {
        nextCase();
        const inputs = (idOrName: string) => ({ idOrName, teamId: "team_acme", __provider: providerText });
        for (const bad of ["", "   ", ".", "..", "x".repeat(101), "a\u0000b", "web\r\nHost: evil"]) {
            const { failures } = await host.check(urn, {}, inputs(bad));
            assert.equal(failures[0]?.property, "idOrName", JSON.stringify(bad));
        }
        assert.equal(fake.requests.length, 0, "no request for any of them");
        const encoded: Record<string, string> = {
            "../x": "..%2Fx",
            "a/b": "a%2Fb",
            "a?b=c": "a%3Fb%3Dc",
            "%2e%2e": "%252e%252e",
            "a#b": "a%23b",
            "проект-ü": "%D0%BF%D1%80%D0%BE%D0%B5%D0%BA%D1%82-%C3%BC",
        };
        for (const [name, path] of Object.entries(encoded)) {
            nextCase();
            const { failures } = await host.check(urn, {}, inputs(name));
            assert.equal(failures[0]?.property, "idOrName", "a 404 is a check failure on idOrName");
            assert.match(failures[0].reason, /\(404\)/);
            assert.deepEqual(fake.requests.map((r) => r.path), [`/v1/projects/${path}/client-cert`]);
        }
        for (const [args, property] of [
            [{ teamId: "team_acme", slug: "acme" }, "slug"],
            [{ teamId: "acme" }, "teamId"],
            [{ slug: "a b" }, "slug"],
        ] as const) {
            nextCase();
            const { failures } = await host.check(urn, {}, { idOrName: "web-app", ...args, __provider: providerText });
            assert.equal(failures[0]?.property, property);
            assert.equal(fake.requests.length, 0);
        }
    });

    it("every request of the suite went to the one endpoint path", function () {
        nextCase();
        assert.ok(seenPaths.length >= 50, `saw ${seenPaths.length} requests`);
        assert.deepEqual(seenPaths.filter((p) => !/^\/v1\/projects\/[^/]+\/client-cert$/.test(p)), []);
    });

    it("no token in __provider, any gRPC response, host stdout/stderr (NODE_DEBUG on) or any error text", function () {
        assert.ok(errorTexts.length >= 12, `${errorTexts.length} error texts`);
        assert.ok(!providerText.includes(SANDBOX_TOKEN));
        assert.ok(hosts.some((h) => h.stderr.includes("FETCH")), "NODE_DEBUG output was produced");
        const all = Buffer.concat([...hosts.map((h) => h.allBytes()), Buffer.from(errorTexts.join("\n"))]).toString("utf8");
        assert.deepEqual(leakedFragments(all, SANDBOX_TOKEN), [], "no 8-character piece of the token");
    });
});

describe("a per-token rate limit (10 requests/s) under a burst of 40 projects", function () {
    this.timeout(60_000);
    it("every resource succeeds with the default policy: one 429 pauses every request with that URL and token, not each alone", async function () {
        const fake = new FakeVercel(sampleSeed(), { rateLimitPerSecond: 10 });
        await fake.start();
        for (let i = 0; i < 40; i++) fake.seed.projects.push({ id: `prj_burst${i}`, name: `burst-${i}`, teamId: "team_acme", certs: [{ id: `cert_b${i}`, origin: "https://b.example.com" }] });
        const { urn, inputs } = await registerResource("burst", { idOrName: "web-app" });
        const host = await ProviderHost.start({ cwd: REPO_ROOT, env: { VERCEL_API_URL: fake.url } });
        try {
            await host.configure({ "vercel:apiToken": SANDBOX_TOKEN }, ["vercel:apiToken"]);
            const results = await Promise.all(
                Array.from({ length: 40 }, async (_, i) => {
                    const checked = await host.check(urn, {}, { ...inputs, idOrName: `burst-${i}`, teamId: "team_acme" });
                    return (await host.create(urn, checked.inputs)).outputs.certIds;
                }),
            );
            assert.deepEqual(results[7], ["cert_b7"]);
            const requests = fake.apiRequests().length;
            // 40 successes; the 429s are bounded by the in-flight limit per window, not by attempts × requests.
            const timeline = fake.apiRequests().map((r) => `${r.at - fake.apiRequests()[0].at}:${r.status}`).join(" ");
            assert.ok(requests >= 40 && requests <= 40 + 8 * 4, `${requests} requests: ${timeline}`);
        } finally {
            await host.stop();
            await fake.stop();
        }
    });
});

describe("bad tokens are stopped before any request", function () {
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());

    const cases: [string, string, RegExp][] = [
        ["empty (counts as unset)", "", /No Vercel API token .*pulumi config set --secret vercel:apiToken/],
        ["whitespace only", "  \t ", /vercel:apiToken is empty/],
        ["a newline inside", "abc\ndef", /control characters/],
        ["a header injection attempt", "abc\r\nX-Evil: 1", /control characters/],
        ["other control characters", "abc\u0007def", /control characters/],
        ["inner whitespace", "abc def", /contains whitespace/],
    ];
    for (const [title, token, message] of cases) {
        it(title, async function () {
            fake.reset();
            const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": token });
            const err = await rejection(lc.create({ idOrName: "web-app", teamId: "team_acme" }));
            assert.match(err.message, message);
            assert.match(err.message, /project "web-app" in team "team_acme"/);
            if (token.trim()) assert.ok(!err.message.includes(token.trim()));
            assert.equal(fake.requests.length, 0);
        });
    }
});

describe("documented defaults", function () {
    it("30 s per request, 60 s in total, 5 attempts; each configurable", function () {
        assert.deepEqual(resolveRequestPolicy({}), { timeoutMs: 30_000, retryBudgetMs: 60_000, maxAttempts: 5 });
        assert.deepEqual(DEFAULT_REQUEST_POLICY, { timeoutMs: 30_000, retryBudgetMs: 60_000, maxAttempts: 5 });
        assert.deepEqual(resolveRequestPolicy(POLICY_ENV), { timeoutMs: 400, retryBudgetMs: 4000, maxAttempts: 4 });
        assert.throws(() => resolveRequestPolicy({ VERCEL_CLIENT_CERTS_TIMEOUT_MS: "soon" }), /whole number of ms from 100 to 600000 \(default 30000\)/);
    });
});

describe("nothing lost", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    let stack: SimulatedStack;
    before(async function () {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        const { urn, inputs } = await registerResource("keep", { idOrName: "web-app", teamId: "team_acme" });
        stack = new SimulatedStack(urn, inputs, { cwd: REPO_ROOT, env: { VERCEL_API_URL: fake.url, ...POLICY_ENV } }, {
            values: { "vercel:apiToken": SANDBOX_TOKEN },
            secrets: ["vercel:apiToken"],
        });
        await stack.up();
    });
    after(() => fake.stop());

    for (const command of ["refresh", "preview", "up"] as const) {
        it(`a failed ${command} (Read / Check+Diff / Update) errors and leaves state as it was`, async function () {
            const stored = structuredClone(stack.state);
            fake.failNext(...times(8, status(500)));
            await assert.rejects(stack[command](), /answered 500/);
            assert.deepEqual(stack.state, stored);
            fake.reset();
        });
    }

    it("Update after a successful Check and Diff builds outputs from the checked inputs: a Vercel failure meanwhile cannot fail it", async function () {
        fake.addCert("web-app", "team_acme", { id: "cert_mid", origin: "https://mid.example.com" });
        const stored = structuredClone(stack.state!);
        try {
            const outs = await stack.command(async (host) => {
                const { inputs } = await host.check(stack.urn, stored.inputs, stack.programInputs);
                const diff = await host.diff(stack.urn, stored.id, stored.outputs, inputs);
                assert.equal(diff.changes, "some");
                // A new host for Update, and Vercel failing: Update sends no request, so neither matters.
                fake.failNext(...times(8, status(503)));
                const before = fake.apiRequests().length;
                const fresh = await ProviderHost.start(stack.hostOptions);
                try {
                    await fresh.configure(stack.config.values, stack.config.secrets);
                    const updated = await fresh.update(stack.urn, stored.id, stored.outputs, inputs);
                    assert.equal(fake.apiRequests().length, before, "Update sent no request");
                    return updated;
                } finally {
                    await fresh.stop();
                }
            });
            assert.ok((outs as { outputs: { certIds: string[] } }).outputs.certIds.includes("cert_mid"));
        } finally {
            fake.reset();
            fake.removeCert("web-app", "team_acme", "cert_mid");
        }
    });

    it("the host killed mid-operation: the next command, on a fresh host, works from stored state", async function () {
        const stored = structuredClone(stack.state!);
        fake.failNext({ kind: "hang" });
        const host = await ProviderHost.start(stack.hostOptions);
        await host.configure(stack.config.values, stack.config.secrets);
        const pending = host.read(stack.urn, stored.id, stored.outputs, stored.inputs).catch((e: Error) => e);
        while (fake.apiRequests().length === 0) await new Promise((r) => setTimeout(r, 10));
        await host.stop("SIGKILL");
        assert.ok((await pending) instanceof Error, "the engine sees the operation fail");
        assert.deepEqual(stack.state, stored);
        fake.reset();
        assert.equal(await stack.refresh(), "refreshed");
        assert.deepEqual(stack.state!.outputs.certIds, stored.outputs.certIds);
        assert.equal((await stack.preview()).diff!.changes, "none");
    });
});
