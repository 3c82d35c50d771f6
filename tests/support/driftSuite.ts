/**
 * Drift in every Pulumi drift workflow, through the real CLI and Pulumi's own Node.js language host, for the three
 * ways a project is scoped (team id, team slug, personal account) and the three things someone can do in the
 * Vercel dashboard (add, re-point, remove a certificate). Each step asserts the exit code and the `--diff` text
 * that names the certificate, as a platform engineer reading the CI log would: a line of its own keyed by the
 * certificate's id, marked as what happened to it (`+ cert_x: "…"`, `- cert_x: "…"`, `~ cert_x: "…" => "…"`,
 * from `certOriginsById`, an input and an output keyed by id), and no other certificate id on such a line. (The
 * list outputs `certIds`, `clientCerts`, `origins` may still shift by index in the display: the CLI diffs lists
 * by position.)
 *
 *   pulumi preview --diff --expect-no-changes                     exit 7, names the cert
 *   pulumi refresh --preview-only --diff --expect-no-changes      exit 7, names the cert (Pulumi Cloud's drift check)
 *   pulumi preview --refresh --diff --expect-no-changes           exit 0 by design; its refresh step names the cert
 *   pulumi refresh --diff --yes                                   "~ 1 updated", names the cert
 *   pulumi up --refresh --skip-preview --diff --yes               its refresh step names the cert
 *   pulumi preview --expect-no-changes (after either)             exit 0: state holds the live set
 *
 * and the Automation API's `stack.previewRefresh()` counts an update for the drifted resource.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as automation from "@pulumi/pulumi/automation";
import type { FakeVercel } from "../../dist/testing/fakeVercel";
import { SANDBOX_TOKEN } from "../../dist/testing/sandboxSeed";
import { cliEnv } from "../../scripts/runPulumi";
import { cliStack, expectExit, startCliSuite, type CliContext, type CliResult } from "./cli";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";

const certs = new ProjectClientCerts("certs", JSON.parse(new pulumi.Config().require("args")));
export const certIds = certs.certIds;
`;

type Scope = { name: string; args: Record<string, string>; project: string; team: string | null };
const SCOPES: Scope[] = [
    { name: "team-id", args: { idOrName: "web-app", teamId: "team_acme" }, project: "web-app", team: "team_acme" },
    { name: "slug", args: { idOrName: "café-ünï", slug: "acme" }, project: "café-ünï", team: "team_acme" },
    { name: "personal", args: { idOrName: "side-project" }, project: "side-project", team: null },
];

type Change = {
    kind: "added" | "re-pointed" | "removed";
    /** What someone does in the dashboard. */
    make(fake: FakeVercel, s: Scope): void;
    /** The line of `--diff` output, keyed by the certificate id, that names this change with its marker. */
    named: RegExp;
};

const ID = "cert_drift01";
const CHANGES: Change[] = [
    {
        kind: "added",
        make: (fake, s) => fake.addCert(s.project, s.team, { id: ID, origin: "https://drift-1.example.com" }),
        named: new RegExp(`^\\s*\\+ ${ID}\\s*: "https://drift-1\\.example\\.com"$`, "m"),
    },
    {
        kind: "re-pointed",
        make: (fake, s) => fake.addCert(s.project, s.team, { id: ID, origin: "https://drift-2.example.com" }),
        named: new RegExp(`^\\s*~ ${ID}\\s*: "https://drift-1\\.example\\.com" => "https://drift-2\\.example\\.com"$`, "m"),
    },
    {
        kind: "removed",
        make: (fake, s) => fake.removeCert(s.project, s.team, ID),
        named: new RegExp(`^\\s*- ${ID}\\s*: "https://drift-2\\.example\\.com"$`, "m"),
    },
];

/** The resource's own section of `--diff` output: from its `ProjectClientCerts:` header to the next resource. */
function resourceSection(stdout: string, step: "update" | "refresh"): string {
    const start = stdout.indexOf(`ProjectClientCerts: (${step})`);
    assert.ok(start >= 0, `no (${step}) step for the resource in:\n${stdout}`);
    const rest = stdout.slice(start);
    const end = rest.search(/\n\s*(pulumi:pulumi:Stack|Resources:)/);
    return end >= 0 ? rest.slice(0, end) : rest;
}

/**
 * Asserts that `section` names the change on a line of its own keyed by the cert id, with the right marker, and
 * that no other certificate id is on a changed line keyed by id (list entries, keyed by index, may shift).
 */
function assertNamesOnly(section: string, change: Change, what: string): void {
    assert.match(section, change.named, `${what}: no line "${change.named.source}" in:\n${section}`);
    const keyed = section.split("\n").flatMap((l) => {
        const m = /^\s*[-+~] (cert_[A-Za-z0-9_]+)\s*:/.exec(l);
        return m ? [m[1]] : [];
    });
    assert.deepEqual([...new Set(keyed)], [ID], `${what}: only ${ID} is marked as changed by id:\n${section}`);
}

/** Runs one command and asserts its exit code, returning what it printed. */
async function step(ctx: CliContext, args: string[], code: number): Promise<CliResult> {
    return expectExit(ctx, args, code);
}

/** One dashboard change, seen by every workflow, then stored by `apply`. */
async function driftRound(ctx: CliContext, fake: FakeVercel, scope: Scope, change: Change, apply: "refresh" | "up --refresh") {
    const where = `${scope.name}, ${change.kind}`;
    change.make(fake, scope);

    const preview = await step(ctx, ["preview", "--diff", "--expect-no-changes"], 7);
    assertNamesOnly(resourceSection(preview.stdout, "update"), change, `preview --diff (${where})`);
    assert.match(preview.stdout, /~ 1 to update/);

    const refreshPreview = await step(ctx, ["refresh", "--preview-only", "--diff", "--expect-no-changes"], 7);
    assertNamesOnly(resourceSection(refreshPreview.stdout, "update"), change, `refresh --preview-only (${where})`);
    assert.match(refreshPreview.stdout, /~ 1 to update/);

    // The desired state follows the live one, so Pulumi's --expect-no-changes (which ignores refresh steps)
    // passes; the refresh step is where the change shows.
    const previewRefresh = await step(ctx, ["preview", "--refresh", "--diff", "--expect-no-changes"], 0);
    assertNamesOnly(resourceSection(previewRefresh.stdout, "refresh"), change, `preview --refresh (${where})`);

    if (apply === "refresh") {
        const refresh = await step(ctx, ["refresh", "--diff", "--yes"], 0);
        const applied = refresh.stdout.slice(refresh.stdout.indexOf("Refreshing ("));
        assertNamesOnly(resourceSection(applied, "update"), change, `refresh --diff --yes (${where})`);
        assert.match(applied, /~ 1 updated/, `refresh reports the resource updated (${where})`);
    } else {
        const up = await step(ctx, ["up", "--refresh", "--skip-preview", "--diff", "--yes"], 0);
        assertNamesOnly(resourceSection(up.stdout, "refresh"), change, `up --refresh --skip-preview (${where})`);
    }
    // Stored: the next preview is clean.
    await step(ctx, ["preview", "--expect-no-changes"], 0);
}

/**
 * Registers the drift suite on one CLI: tests/cliDrift.test.ts on the default CLI, tests/cliDriftNewestCli.test.ts on
 * the newest, two files so that `npm test`'s lanes can run them side by side.
 * @param cliName How the suite's title names the CLI ("" for the default one).
 * @param pickCli Which CLI, in the `before` hook: `requireCli` or `requireNewestCli` (tests/support/cli.ts).
 */
export function describeDrift(cliName: string, pickCli: (ctx: Mocha.Context) => Promise<string>): void {
    describe(`real Pulumi CLI${cliName}: drift in every drift workflow`, function () {
        // Up to 60 CLI commands per test; on a shared 2-core machine each can take a minute.
        this.timeout(3_600_000);
        let fake: FakeVercel;
        let cli: string;

        before(async function () {
            ({ cli, fake } = await startCliSuite(this, { shuffle: true }, pickCli));
        });
        after(() => fake?.stop());

        it("added, re-pointed, removed × team id, slug, personal: every workflow names the cert, with the right exit code", async function () {
            // The three stacks run side by side, on three projects. Across them, each change is stored once by
            // `refresh` and once by `up --refresh`.
            const run = async (scope: Scope, applies: ("refresh" | "up --refresh")[]) => {
                const ctx = await cliStack(cli, `drift-${scope.name}`, { "index.ts": PROGRAM }, fake.url, {
                    "vercel:apiToken": SANDBOX_TOKEN,
                    args: JSON.stringify(scope.args),
                });
                await step(ctx, ["up", "--yes"], 0);
                await step(ctx, ["preview", "--expect-no-changes"], 0);
                for (const [i, change] of CHANGES.entries()) await driftRound(ctx, fake, scope, change, applies[i]);
            };
            const [teamId, slug, personal] = SCOPES;
            await Promise.all([
                run(teamId, ["refresh", "up --refresh", "refresh"]),
                run(slug, ["up --refresh", "refresh", "up --refresh"]),
                run(personal, ["refresh", "up --refresh", "refresh"]),
            ]);
        });

        it("Automation API: stack.previewRefresh() counts an update for the drifted resource, and none once refreshed", async function () {
            const ctx = await cliStack(cli, "drift-automation", { "index.ts": PROGRAM }, fake.url, {
                "vercel:apiToken": SANDBOX_TOKEN,
                args: JSON.stringify({ idOrName: "empty-app", teamId: "team_acme" }),
            });
            await step(ctx, ["up", "--yes"], 0);
            // The Automation API runs `<root>/bin/pulumi`: point it at the CLI under test.
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-root-"));
            fs.mkdirSync(path.join(root, "bin"));
            fs.symlinkSync(ctx.cli, path.join(root, "bin", "pulumi"));
            try {
                const env = cliEnv(ctx);
                const pulumiCommand = await automation.PulumiCommand.get({ root, skipVersionCheck: true });
                const stack = await automation.LocalWorkspace.selectStack(
                    { stackName: "dev", workDir: ctx.programDir },
                    { pulumiCommand, envVars: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)) },
                );
                const clean = await stack.previewRefresh();
                assert.equal(clean.changeSummary.update ?? 0, 0, JSON.stringify(clean.changeSummary));

                fake.addCert("empty-app", "team_acme", { id: "cert_auto01", origin: "https://auto.example.com" });
                // What the engine tells an Automation API program about the step: the refreshed outputs, by cert id.
                const outputs: { old?: Record<string, string>; new?: Record<string, string> }[] = [];
                const drifted = await stack.previewRefresh({
                    onEvent: (e) => {
                        // The step's pre-event or its outputs event, whichever carries the refreshed outputs.
                        for (const m of [e.resourcePreEvent?.metadata, e.resOutputsEvent?.metadata]) {
                            if (m?.type.endsWith("ProjectClientCerts")) outputs.push({ old: m.old?.outputs?.certOriginsById, new: m.new?.outputs?.certOriginsById });
                        }
                    },
                });
                assert.equal(drifted.changeSummary.update, 1, JSON.stringify(drifted.changeSummary));
                assert.match(drifted.stdout, /ProjectClientCerts certs update \[diff: ~certOriginsById/);
                const refreshed = outputs.filter((o) => JSON.stringify(o.new) !== JSON.stringify(o.old));
                assert.deepEqual(refreshed, [{ old: {}, new: { cert_auto01: "https://auto.example.com" } }], JSON.stringify(outputs));

                await stack.refresh();
                const after = await stack.previewRefresh();
                assert.equal(after.changeSummary.update ?? 0, 0, JSON.stringify(after.changeSummary));
            } finally {
                fs.rmSync(root, { recursive: true, force: true });
            }
        });

        it("state written by 0.1.0 (no certOriginsById in inputs or outputs): preview names drift; refresh stores the live set; __provider ≤ 1.5 kB", async function () {
            const ctx = await cliStack(cli, "drift-upgrade", { "index.ts": PROGRAM }, fake.url, {
                "vercel:apiToken": SANDBOX_TOKEN,
                args: JSON.stringify({ idOrName: "service-07", teamId: "team_acme" }),
            });
            await step(ctx, ["up", "--yes"], 0);
            const exported = JSON.parse((await step(ctx, ["stack", "export"], 0)).stdout);
            const resource = exported.deployment.resources.find((r: { type: string }) => r.type.endsWith("ProjectClientCerts"));
            // State size: the `__provider` stub, stored in inputs and outputs, is at most 1.5 kB for both.
            const stubBytes = Buffer.byteLength(JSON.stringify(resource.inputs.__provider)) + Buffer.byteLength(JSON.stringify(resource.outputs.__provider));
            assert.ok(stubBytes <= 1536, `__provider takes ${stubBytes} bytes per resource in stack export`);
            assert.match(resource.outputs.__provider, /pulumi-vercel-client-certs\/lifecycle/);
            // 0.1.0 stored neither the live set in inputs nor certOriginsById in outputs.
            delete resource.inputs.certOriginsById;
            delete resource.outputs.certOriginsById;
            const file = path.join(ctx.programDir, "old-state.json");
            fs.writeFileSync(file, JSON.stringify(exported));
            await step(ctx, ["stack", "import", "--file", file], 0);

            // Nothing changed at Vercel: a plain preview (which reads in the program) is clean.
            await step(ctx, ["preview", "--expect-no-changes"], 0);
            // A refresh preview cannot prove that from such state: it reports the resource until the live set is stored.
            await step(ctx, ["refresh", "--preview-only", "--expect-no-changes"], 7);

            fake.addCert("service-07", "team_acme", { id: "cert_upgrade01", origin: "https://upgrade.example.com" });
            const preview = await step(ctx, ["preview", "--diff", "--expect-no-changes"], 7);
            assert.match(resourceSection(preview.stdout, "update"), /cert_upgrade01/);
            const refresh = await step(ctx, ["refresh", "--diff", "--yes"], 0);
            assert.match(refresh.stdout, /~ 1 updated/);
            // From now on the state carries the live set, and both drift checks are exact.
            await step(ctx, ["refresh", "--preview-only", "--expect-no-changes"], 0);
            await step(ctx, ["preview", "--expect-no-changes"], 0);
        });
    });
}
