/**
 * The real Pulumi CLI (built from Go modules by `npm run pulumi-cli`, or any on PATH) running the packed package
 * against the fake Vercel API on 127.0.0.1, with a local file backend. Each step asserts what the CLI printed and
 * what the state holds. The steps of the first suite build on each other, like a user's day.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FakeVercel } from "../dist/testing/fakeVercel";
import { OUTSIDER_TOKEN, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { cliStack, expectExit, leakedFragments, runPulumi, startCliSuite, type CliContext } from "./support/cli";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";

const config = new pulumi.Config();
const certs = new ProjectClientCerts("web", { idOrName: config.get("project") ?? "web-app" });

export const clientCerts = certs.clientCerts;
export const certIds = certs.certIds;
export const origins = certs.origins;
`;

type StackState = { deployment: { resources: { type: string; id?: string; outputs?: any; inputs?: any }[] } };

async function exportState(ctx: CliContext): Promise<{ text: string; state: StackState }> {
    const r = await expectExit(ctx, ["stack", "export"]);
    return { text: r.stdout, state: JSON.parse(r.stdout) };
}

function certResource(state: StackState) {
    return (state.deployment.resources ?? []).find((r) => r.type.endsWith("vercel:ProjectClientCerts"));
}

/** The fake's certificates of web-app as the outputs should hold them: sorted by origin, then id. */
function sortedCerts(fake: FakeVercel, project = "web-app") {
    return fake
        .project(project, "team_acme")
        .certs.map(({ id, origin }) => ({ id, origin }))
        .sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.id < b.id ? -1 : 1));
}

describe("real Pulumi CLI: up, preview, refresh, destroy", function () {
    this.timeout(600_000);
    let fake: FakeVercel;
    let ctx: CliContext;

    before(async function () {
        let cli: string;
        ({ cli, fake } = await startCliSuite(this, { shuffle: true }));
        ctx = await cliStack(cli, "certs-day", { "index.ts": PROGRAM }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
    });
    after(async () => {
        await fake?.stop();
    });

    it("pulumi up creates the resource, and stack output equals the sandbox's certificates", async () => {
        const up = await expectExit(ctx, ["up", "--yes"]);
        assert.match(up.stdout, /\+ {2}pulumi-nodejs:dynamic\/vercel:ProjectClientCerts web created/);
        assert.match(up.stdout, /\+ 2 created/);
        const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
        const expected = sortedCerts(fake);
        assert.deepEqual(out.clientCerts, expected);
        assert.deepEqual(out.certIds, expected.map((c) => c.id));
        assert.deepEqual(out.origins, expected.map((c) => c.origin));
    });

    it("pulumi preview --expect-no-changes passes while the API reorders its list on every call", async () => {
        for (let i = 0; i < 2; i++) {
            const r = await expectExit(ctx, ["preview", "--expect-no-changes"]);
            assert.match(r.stdout, /2 unchanged/);
        }
    });

    // What every drift workflow prints for an added, re-pointed or removed certificate, and its exit code, is
    // cliDrift.test.ts's matrix; here each change is stored by a different command and read back as outputs.
    it("an added certificate: pulumi up stores it, stack output holds it, and the next preview is clean", async () => {
        fake.addCert("web-app", "team_acme", { id: "cert_added0001", origin: "https://added.example.com" });
        const up = await expectExit(ctx, ["up", "--yes"]);
        assert.match(up.stdout, /~ 1 updated/);
        const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(out.clientCerts, sortedCerts(fake));
        assert.ok(out.certIds.includes("cert_added0001"));
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
    });

    it("a re-pointed certificate: pulumi up --refresh stores it", async () => {
        fake.project("web-app", "team_acme").certs.find((c) => c.id === "cert_added0001")!.origin = "https://moved.example.com";
        await expectExit(ctx, ["up", "--refresh", "--yes"]);
        const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(out.clientCerts, sortedCerts(fake));
        assert.ok(out.origins.includes("https://moved.example.com"));
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
    });

    it("a removed certificate: pulumi refresh stores the live set, in outputs and inputs; the next preview is clean", async () => {
        fake.removeCert("web-app", "team_acme", "cert_ledger001");
        await expectExit(ctx, ["preview", "--expect-no-changes"], 7);
        await expectExit(ctx, ["refresh", "--yes"]);
        const { state } = await exportState(ctx);
        const stored = certResource(state)!;
        assert.deepEqual(stored.outputs.clientCerts, sortedCerts(fake));
        assert.deepEqual(Object.keys(stored.inputs.certOriginsById).sort(), sortedCerts(fake).map((c) => c.id).sort());
        const clean = await expectExit(ctx, ["preview", "--expect-no-changes"]);
        assert.match(clean.stdout, /2 unchanged/);
    });

    it("pulumi stack export holds no fragment of the token set with `config set --secret`", async () => {
        const { text } = await exportState(ctx);
        assert.deepEqual(leakedFragments(text, SANDBOX_TOKEN), []);
        const config = fs.readFileSync(path.join(ctx.programDir, "Pulumi.dev.yaml"), "utf8");
        assert.match(config, /vercel:apiToken:\s+secure:/);
        assert.deepEqual(leakedFragments(config, SANDBOX_TOKEN), []);
    });

    it("pulumi destroy sends no API request and empties the stack", async () => {
        const before = fake.apiRequests().length;
        const destroyed = await expectExit(ctx, ["destroy", "--yes"]);
        assert.match(destroyed.stdout, /- 2 deleted/);
        assert.equal(fake.apiRequests().length, before, "destroy must not call Vercel");
        const { state } = await exportState(ctx);
        assert.equal(certResource(state), undefined);
    });
});

/**
 * The error is diagnosed once, on the resource: the host's own echo (`VercelClientCertsError: …: `, shown under
 * the stack resource with a stray trailing colon) is dropped. (The progress line above Diagnostics repeats it:
 * that is the CLI's display of any resource error.)
 */
function assertDiagnosedOnce(printed: string, text: string): void {
    const diagnostics = printed.slice(printed.indexOf("Diagnostics:"));
    assert.equal(diagnostics.split(text).length - 1, 1, printed);
    assert.doesNotMatch(printed, /VercelClientCertsError/, printed);
    assert.doesNotMatch(diagnostics, /pulumi:pulumi:Stack \(/, "nothing diagnosed under the stack resource");
}

describe("real Pulumi CLI: errors a user can act on", function () {
    this.timeout(300_000);
    let fake: FakeVercel;
    let cli: string;
    const token = SANDBOX_TOKEN;

    before(async function () {
        ({ cli, fake } = await startCliSuite(this));
    });
    after(async () => {
        await fake?.stop();
    });

    async function failingUp(name: string, project: string, apiToken: string) {
        const ctx = await cliStack(cli, name, { "index.ts": PROGRAM }, fake.url, { "vercel:apiToken": apiToken, "vercel:team": "team_acme", project });
        const up = await runPulumi(ctx, ["up", "--yes"]);
        assert.notEqual(up.code, 0, `pulumi up must fail:\n${up.stdout}`);
        const printed = up.stdout + up.stderr;
        assert.deepEqual(leakedFragments(printed, apiToken), [], printed);
        const { text } = { text: (await expectExit(ctx, ["stack", "export"])).stdout };
        assert.deepEqual(leakedFragments(text, apiToken), []);
        return printed;
    }

    it("an unknown project: names the project and team, and says what to check", async () => {
        const printed = await failingUp("err-unknown", "no-such-app", token);
        assert.match(printed, /project "no-such-app" in team "team_acme"/);
        assert.match(printed, /Check idOrName/);
        assertDiagnosedOnce(printed, "Check idOrName");
    });

    it("a rejected token: names the project, says how to set the token, shows none of it", async () => {
        const printed = await failingUp("err-auth", "web-app", `${OUTSIDER_TOKEN}-revoked`);
        assert.match(printed, /rejected the token \(401\)/);
        assertDiagnosedOnce(printed, "rejected the token (401)");
        assert.match(printed, /project "web-app" in team "team_acme"/);
        assert.match(printed, /pulumi config set --secret vercel:apiToken/);
    });

    it("bad input: the check names the argument and the project, before any request", async () => {
        const before = fake.apiRequests().length;
        const printed = await failingUp("err-input", " web-app", token);
        assert.match(printed, /idOrName must not start or end with whitespace \(project " web-app"\)/);
        assert.equal(fake.apiRequests().length, before);
    });
});

describe("real Pulumi CLI: ProjectClientCerts.get and the import option", function () {
    this.timeout(300_000);
    let fake: FakeVercel;
    let cli: string;
    before(async function () {
        ({ cli, fake } = await startCliSuite(this));
    });
    after(async () => {
        await fake?.stop();
    });
    const stack = (name: string, program: string) => cliStack(cli, name, { "index.ts": program }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN });

    it("get(name, id) reads an existing project by id: up shows a read, outputs hold its certificates", async () => {
        const ctx = await stack(
            "get-by-id",
            `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
const existing = ProjectClientCerts.get("existing", "team_acme/web-app");
export const certIds = existing.certIds;
export const personal = ProjectClientCerts.get("personal", "(personal)/side-project").certIds;
export const bySlug = ProjectClientCerts.get("by-slug", "acme/web-app").origins;
`,
        );
        const up = await expectExit(ctx, ["up", "--yes"]);
        assert.match(up.stdout, /read pulumi-nodejs:dynamic\/vercel:ProjectClientCerts existing/);
        const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(out.certIds, ["cert_ledger001", "cert_payments01"]);
        assert.deepEqual(out.personal, ["cert_side01"]);
        assert.deepEqual(out.bySlug, ["https://ledger.example.com", "https://payments.example.com"]);
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
        const before = fake.apiRequests().length;
        await expectExit(ctx, ["destroy", "--yes"]);
        assert.equal(fake.apiRequests().length, before);
    });
});

describe("real Pulumi CLI: a plain scope's lean registration stores what the full one does", function () {
    this.timeout(300_000);
    let fake: FakeVercel;
    before(async function () {
        let cli: string;
        ({ cli, fake } = await startCliSuite(this));
        ctx = await cliStack(cli, "layouts", { "index.ts": LAYOUT_PROGRAM }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN, "vercel:team": "team_acme" });
    });
    let ctx: CliContext;
    after(async () => {
        await fake?.stop();
    });

    it("plain arguments, then the same as Outputs: the same state, no changes, and every output equals the stored one", async () => {
        // By name: the two are created concurrently, so their order in state varies.
        const resourcesOf = (state: StackState) =>
            ["by-team", "by-slug"].map((name) => {
                const found = (state.deployment.resources as unknown as { urn: string; id?: string; inputs?: any; outputs?: any }[]).find((r) => r.urn.endsWith(`::${name}`));
                assert.ok(found, name);
                return { id: found.id, inputs: found.inputs, outputs: found.outputs };
            });
        // Each output the program sees (its stack outputs) equals the one stored, and both layouts store the same.
        const assertOutputsStored = async () => {
            const { state } = await exportState(ctx);
            const stackOutputs = (state.deployment.resources as unknown as { type: string; outputs?: any }[]).find((r) => r.type === "pulumi:pulumi:Stack")!.outputs;
            for (const [name, stored] of [["byTeam", resourcesOf(state)[0]], ["bySlug", resourcesOf(state)[1]]] as const) {
                for (const key of ["idOrName", "teamId", "slug", "requireOrigins", "clientCerts", "certIds", "origins", "certOriginsById", "certIdByOrigin"]) {
                    assert.deepEqual(stackOutputs[name][key] ?? null, stored.outputs[key] ?? null, `${name}.${key}`);
                }
            }
            return resourcesOf(state);
        };
        await expectExit(ctx, ["up", "--yes"]);
        const lean = await assertOutputsStored();
        assert.deepEqual(lean[0].outputs.certOriginsById, { cert_ledger001: "https://ledger.example.com", cert_payments01: "https://payments.example.com" });
        assert.deepEqual(lean[0].outputs.certIdByOrigin, { "https://ledger.example.com": "cert_ledger001", "https://payments.example.com": "cert_payments01" });
        assert.equal(lean[0].inputs.teamId, "team_acme");
        assert.equal(lean[1].inputs.slug, "acme");
        assert.equal(lean[0].inputs.programRead, undefined, "the hidden input is unpacked by check, never stored");

        // The same resources with Output arguments: nothing to change, and `up` stores exactly the same.
        await expectExit(ctx, ["config", "set", "wrap", "true"]);
        await expectExit(ctx, ["preview", "--expect-no-changes"]);
        await expectExit(ctx, ["up", "--yes"]);
        assert.deepEqual(await assertOutputsStored(), lean);
    });
});

/** Two resources whose arguments are plain (lean layout) or, with config `wrap`, Outputs (full layout). */
const LAYOUT_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";

const wrap = (v: string) => (new pulumi.Config().getBoolean("wrap") ? pulumi.output(v) : v);
const outputsOf = (r: ProjectClientCerts) => ({
    idOrName: r.idOrName, teamId: r.teamId, slug: r.slug, requireOrigins: r.requireOrigins,
    clientCerts: r.clientCerts, certIds: r.certIds, origins: r.origins, certOriginsById: r.certOriginsById,
    certIdByOrigin: r.certIdByOrigin,
});
export const byTeam = outputsOf(new ProjectClientCerts("by-team", { idOrName: wrap("web-app") }));
export const bySlug = outputsOf(
    new ProjectClientCerts("by-slug", { idOrName: wrap("web-app"), slug: wrap("acme"), requireOrigins: ["https://payments.example.com"] }),
);
`;
