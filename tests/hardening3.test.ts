/**
 * Hardening, round 3: failures that multiply, rate limits shared across processes and tokens, input and token
 * bounds, loopback by construction, mocks that follow vercel:team. Real HTTP to the fake on 127.0.0.1 throughout;
 * the CLI-visible class (a spurious replace) runs through the real Pulumi CLI.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { FakeVercel, type Fault } from "../dist/testing/fakeVercel";
import { OUTSIDER_TOKEN, sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { readClientCerts } from "../dist/core/vercelApi";
import { clearSnapshots } from "../dist/core/snapshots";
import { getProjectClientCerts, ProjectClientCerts } from "pulumi-vercel-client-certs";
import { clientCertsMocks } from "pulumi-vercel-client-certs/testing";
import { newCommand, rejection } from "./support/inProcess";
import { cliStack, expectExit, runPulumi, startCliSuite } from "./support/cli";

const times = (n: number, f: Fault): Fault[] => Array.from({ length: n }, () => f);
const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));
const policy = (over: Partial<{ timeoutMs: number; retryBudgetMs: number; maxAttempts: number }> = {}) => ({
    timeoutMs: 2_000,
    retryBudgetMs: 10_000,
    maxAttempts: 5,
    ...over,
});

describe("hardening 3: failures that multiply", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    beforeEach(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    afterEach(() => fake.stop());

    it("refresh against an API that never answers: the engine's later waves of Reads end at once, with the first one's message", async function () {
        const lc = await newCommand(
            {
                VERCEL_API_URL: fake.url,
                VERCEL_CLIENT_CERTS_TIMEOUT_MS: "500",
                VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "2000",
                VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "20",
            },
            { "vercel:apiToken": SANDBOX_TOKEN },
        );
        fake.failNext(...times(500, { kind: "hang" }));
        const read = (i: number) => {
            const name = `service-${String(i).padStart(2, "0")}`;
            return rejection(lc.read(`team_acme/${name}`, { idOrName: name, teamId: "team_acme", clientCerts: [], certIds: [], origins: [] }));
        };
        // The engine runs a refresh's Reads a limited number at a time: a first wave pays the budget…
        const started = Date.now();
        const first = await Promise.all(Array.from({ length: 8 }, (_, i) => read(i)));
        const firstMs = Date.now() - started;
        assert.ok(firstMs >= 1_000 && firstMs < 3_000, `first wave took ${firstMs} ms`);
        for (const e of first) assert.match(e.message, /did not answer within \d+ ms .*Gave up/);
        // …and every later wave ends at once, sending nothing, with the first failure's message.
        const requests = fake.apiRequests().length;
        const laterStarted = Date.now();
        const later = await Promise.all(Array.from({ length: 12 }, (_, i) => read(8 + i)));
        assert.ok(Date.now() - laterStarted < 500, `later waves took ${Date.now() - laterStarted} ms`);
        assert.equal(fake.apiRequests().length, requests, "no request sent");
        const causes = new Set(later.map((e) => e.message.slice(e.message.indexOf("does not heal within one command: "))));
        assert.equal(causes.size, 1, [...causes].join("\n"));
        // …naming no other project: that one may be secret to whoever read it.
        const unnamed = (m: string) => m.replace(/project "service-\d+" in team "team_acme"/g, "another project");
        assert.ok(first.some((e) => later[0].message.endsWith(unnamed(e.message))), "the cause quoted is the first wave's message");
        for (const e of later) assert.equal(e.message.match(/service-\d+/g)?.length, 1, e.message);
        for (const [i, e] of later.entries()) assert.match(e.message, new RegExp(`^Not sent for project "service-${String(8 + i).padStart(2, "0")}"`));
    });

    it("a 401 ends every later read with the same URL and token at once; another token is not affected", async function () {
        const revoked = `${OUTSIDER_TOKEN}-revoked`;
        const first = await rejection(readClientCerts({ scope: { idOrName: "web-app", teamId: "team_acme" }, apiUrl: fake.url, token: revoked, policy: policy() }));
        assert.match(first.message, /rejected the token \(401\)/);
        const before = fake.apiRequests().length;
        const again = await rejection(readClientCerts({ scope: { idOrName: "empty-app", teamId: "team_acme" }, apiUrl: fake.url, token: revoked, policy: policy() }));
        assert.equal(fake.apiRequests().length, before, "no request sent");
        assert.match(again.message, /rejected the token \(401\)/);
        const ok = await readClientCerts({ scope: { idOrName: "empty-app", teamId: "team_acme" }, apiUrl: fake.url, token: SANDBOX_TOKEN, policy: policy() });
        assert.deepEqual(ok, []);
        clearSnapshots();
    });
});

describe("hardening 3: rate limits", function () {
    this.timeout(60_000);
    let fake: FakeVercel;
    afterEach(() => fake.stop());

    it("a 429 whose Retry-After fits in the budget uses up no attempt: 22 projects at 10 requests/s all read with max 1 attempt", async function () {
        fake = new FakeVercel(sampleSeed(), { rateLimitPerSecond: 10 });
        await fake.start();
        const lc = await newCommand(
            { VERCEL_API_URL: fake.url, VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "1", VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "30000" },
            { "vercel:apiToken": SANDBOX_TOKEN },
        );
        const names = Array.from({ length: 20 }, (_, i) => `service-${String(i).padStart(2, "0")}`).concat(["web-app", "empty-app"]);
        const outs = await Promise.all(names.map((n) => lc.create({ idOrName: n, teamId: "team_acme" })));
        assert.equal(outs.length, names.length);
        assert.ok(fake.requests.some((r) => r.status === 429), "the limit was hit");
    });

    it("a 429 pause is waited out without holding a request slot: another token in the process goes through meanwhile", async function () {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        clearSnapshots();
        // Ten reads with token A meet a 3 s Retry-After; they wait it out.
        for (let i = 0; i < 10; i++) fake.failProject(`service-${String(i).padStart(2, "0")}`, { kind: "status", status: 429, headers: { "retry-after": "3" } });
        const paused = Array.from({ length: 10 }, (_, i) =>
            readClientCerts({ scope: { idOrName: `service-${String(i).padStart(2, "0")}`, teamId: "team_acme" }, apiUrl: fake.url, token: SANDBOX_TOKEN, policy: policy() }),
        );
        await new Promise((r) => setTimeout(r, 300));
        const started = Date.now();
        // Token B (another account) is not rate-limited: its answer (a 403 for that team) comes at once.
        const other = await rejection(readClientCerts({ scope: { idOrName: "web-app", teamId: "team_acme" }, apiUrl: fake.url, token: OUTSIDER_TOKEN, policy: policy() }));
        assert.ok(Date.now() - started < 1_000, `token B waited ${Date.now() - started} ms`);
        assert.match(other.message, /\(403\)/);
        assert.equal((await Promise.all(paused)).length, 10);
        clearSnapshots();
    });
});

describe("hardening 3: inputs and tokens", function () {
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(() => fake.stop());
    beforeEach(() => fake.reset());

    it("hand-edited state: a malformed stored certOriginsById is an error naming it and what to do, sending nothing", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const olds = { idOrName: "web-app", teamId: "team_acme", clientCerts: [], certIds: [], origins: [] };
        const err = await rejection(lc.diff("team_acme/web-app", olds, { idOrName: "web-app", teamId: "team_acme", certOriginsById: { cert_a: 5 } }));
        assert.match(err.message, /^Cannot compare with the stored certificates: certOriginsById .*Run `pulumi refresh`/);
        assert.equal(fake.requests.length, 0);
    });

    it("a 200 kB teamId is a short check failure, before any request", async function () {
        const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": SANDBOX_TOKEN });
        const { failures } = await lc.check({}, { idOrName: "web-app", teamId: `team_${"a".repeat(200_000)}`, certOriginsById: {} });
        assert.equal(failures?.[0].property, "teamId");
        assert.match(failures![0].reason, /at most 100 characters/);
        assert.ok(failures![0].reason.length < 300, `${failures![0].reason.length} characters`);
        assert.equal(fake.requests.length, 0);
    });

    for (const [label, token] of [
        ["smart quotes", `“${SANDBOX_TOKEN}”`],
        ["a zero-width space", `${SANDBOX_TOKEN.slice(0, 10)}\u200b${SANDBOX_TOKEN.slice(10)}`],
    ]) {
        it(`a token with ${label} says the token has characters a header cannot carry, without echoing it`, async function () {
            const lc = await newCommand({ VERCEL_API_URL: fake.url }, { "vercel:apiToken": token });
            const err = await rejection(lc.create({ idOrName: "web-app", teamId: "team_acme" }));
            assert.match(err.message, /token from stack config vercel:apiToken has characters an HTTP header cannot carry/);
            assert.doesNotMatch(err.message, /Check idOrName/);
            assert.ok(!err.message.includes(SANDBOX_TOKEN.slice(0, 8)) && !err.message.includes(SANDBOX_TOKEN.slice(12, 20)));
            assert.equal(fake.requests.length, 0);
        });
    }

    it("plain http to a *.localhost name is refused without the opt-in (it resolves through DNS); 127.0.0.1 and localhost are allowed", async function () {
        const port = new URL(fake.url).port;
        let lc = await newCommand({ VERCEL_API_URL: `http://api.localhost:${port}` }, { "vercel:apiToken": SANDBOX_TOKEN });
        const err = await rejection(lc.create({ idOrName: "web-app", teamId: "team_acme" }));
        assert.match(err.message, /plain http to api\.localhost:\d+, which would send the token unencrypted/);
        assert.equal(fake.requests.length, 0);
        lc = await newCommand({ VERCEL_API_URL: `http://localhost:${port}` }, { "vercel:apiToken": SANDBOX_TOKEN });
        assert.equal((await lc.create({ idOrName: "web-app", teamId: "team_acme" })).id, "team_acme/web-app");
    });
});

describe("hardening 3: clientCertsMocks follows vercel:team like the real provider", function () {
    it("the resource and the function both read the configured team's certificates", async function () {
        pulumi.runtime.setAllConfig({ "vercel:team": "team_other" });
        try {
            await pulumi.runtime.setMocks(
                clientCertsMocks({
                    "my-app": [{ id: "cert_personal", origin: "https://p.example.com" }],
                    "team_other/my-app": [{ id: "cert_team", origin: "https://t.example.com" }],
                }),
                "user-stack",
                "test",
            );
            const certs = new ProjectClientCerts("certs", { idOrName: "my-app" });
            assert.deepEqual(await value(certs.certIds), ["cert_team"]);
            assert.equal(await value(certs.teamId), "team_other");
            assert.equal(await value(certs.id), "team_other/my-app");
            assert.deepEqual((await getProjectClientCerts({ idOrName: "my-app" })).certIds, ["cert_team"]);
        } finally {
            pulumi.runtime.setAllConfig({});
        }
    });
});

describe("hardening 3: the id of a secret-scope resource", function () {
    it("ProjectClientCerts.get refuses a (secret)/ id at once, saying why", function () {
        assert.throws(
            () => ProjectClientCerts.get("x", "(secret)/0b7c1d2e-0000-4000-8000-000000000000"),
            /is the id of a resource whose project or team is secret; such an id holds neither/,
        );
    });
});

describe("hardening 3: no spurious replace (real Pulumi CLI)", function () {
    this.timeout(300_000);
    let fake: FakeVercel;
    let cli: string;
    before(async function () {
        ({ cli, fake } = await startCliSuite(this));
    });
    after(() => fake?.stop());

    it("an idOrName unknown during preview, with vercel:team, previews an update, even with protect: true", async function () {
        // `Source` is a trivial dynamic resource whose output is unknown in a preview that updates it.
        const program = `import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";
const provider: pulumi.dynamic.ResourceProvider = {
    async diff(_id, olds, news) { return { changes: olds.rev !== news.rev }; },
    async create(inputs) { return { id: "source", outs: { ...inputs, name: "web-app" } }; },
    async update(_id, _olds, news) { return { outs: { ...news, name: "web-app" } }; },
};
class Source extends pulumi.dynamic.Resource {
    constructor(name: string, rev: string) { super(provider, name, { rev, name: undefined }); }
}
const source = new Source("source", new pulumi.Config().require("rev"));
const certs = new ProjectClientCerts("certs", { idOrName: (source as any).name }, { protect: true });
export const certIds = certs.certIds;
`;
        const ctx = await cliStack(cli, "no-replace", { "index.ts": program }, fake.url, {
            "vercel:apiToken": SANDBOX_TOKEN,
            "vercel:team": "team_acme",
            rev: "1",
        });
        await expectExit(ctx, ["up", "--yes"]);
        await expectExit(ctx, ["config", "set", "rev", "2"]);
        const preview = await expectExit(ctx, ["preview", "--diff"]);
        assert.match(preview.stdout, /~ pulumi-nodejs:dynamic\/vercel:ProjectClientCerts: \(update\)/);
        assert.doesNotMatch(preview.stdout, /\((create-)?replace\)|- teamId/);
        const up = await expectExit(ctx, ["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /1 updated/);
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
    });
});

describe("hardening 3: a secret scope stays secret (real Pulumi CLI)", function () {
    this.timeout(600_000);
    let fake: FakeVercel;
    let cli: string;
    before(async function () {
        ({ cli, fake } = await startCliSuite(this));
    });
    after(() => fake?.stop());

    const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";
const cfg = new pulumi.Config();
const certs = new ProjectClientCerts("certs", { idOrName: cfg.get("plainProject") ?? cfg.requireSecret("project") });
export const certIds = certs.certIds;
export const id = certs.id;
`;

    /** Every place a user or a log could see: CLI output, state, ids. */
    async function visible(ctx: Parameters<typeof expectExit>[0], printed: string): Promise<string> {
        const exported = (await expectExit(ctx, ["stack", "export"])).stdout;
        const ids = (await expectExit(ctx, ["stack", "--show-ids"])).stdout;
        return `${printed}\n${exported}\n${ids}`;
    }

    it("a secret idOrName: opaque id, encrypted outputs, [secret] in diffs and errors", async function () {
        const ctx = await cliStack(cli, "secret-project", { "index.ts": PROGRAM }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
        await expectExit(ctx, ["config", "set", "--secret", "project", "web-app"]);
        const up = await expectExit(ctx, ["up", "--yes"]);
        let seen = await visible(ctx, up.stdout + up.stderr);
        for (const plain of ["web-app", "cert_payments01", "https://payments.example.com", "team_acme/"]) {
            assert.ok(!seen.includes(plain), `"${plain}" is visible:\n${seen}`);
        }
        const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json", "--show-secrets"])).stdout);
        assert.match(out.id, /^\(secret\)\/[0-9a-f-]{36}$/);
        assert.deepEqual(out.certIds, ["cert_ledger001", "cert_payments01"], "the values are there, encrypted");

        // Drift still shows, without naming the project or its certificates.
        fake.addCert("web-app", "team_acme", { id: "cert_secret_drift", origin: "https://s.example.com" });
        const preview = await expectExit(ctx, ["preview", "--diff", "--expect-no-changes"], 7);
        assert.match(preview.stdout, /~ 1 to update/);
        seen = await visible(ctx, preview.stdout + preview.stderr);
        for (const plain of ["web-app", "cert_secret_drift"]) assert.ok(!seen.includes(plain), `"${plain}" is visible:\n${seen}`);
        const refresh = await expectExit(ctx, ["refresh", "--yes"]);
        assert.match(refresh.stdout, /1 updated/);
        seen = await visible(ctx, refresh.stdout);
        for (const plain of ["web-app", "cert_secret_drift"]) assert.ok(!seen.includes(plain), `"${plain}" is visible after refresh`);
        fake.removeCert("web-app", "team_acme", "cert_secret_drift");

        // An error about a secret project says [secret].
        await expectExit(ctx, ["config", "set", "--secret", "project", "no-such-secret-app"]);
        const failed = await runPulumi(ctx, ["preview"]);
        assert.notEqual(failed.code, 0);
        const printed = failed.stdout + failed.stderr;
        assert.ok(!printed.includes("no-such-secret-app"), printed);
        assert.match(printed, /\[secret\]/);
    });

    it("a secret vercel:team: the team appears nowhere in state or output", async function () {
        const ctx = await cliStack(cli, "secret-team", { "index.ts": PROGRAM }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, plainProject: "empty-app" });
        await expectExit(ctx, ["config", "set", "--secret", "vercel:team", "team_acme"]);
        const up = await expectExit(ctx, ["up", "--yes"]);
        const seen = await visible(ctx, up.stdout + up.stderr);
        assert.ok(!seen.includes("team_acme"), seen);
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
        await expectExit(ctx, ["refresh", "--preview-only", "--expect-no-changes"]);
    });
});

