/**
 * The provider plugin through the real CLI with Pulumi's own YAML language host, against the fake API: one stack
 * shared by the cases (so the suite stays short), every drift workflow for an added, a removed and a re-pointed
 * certificate, requireOrigins, the function, a secret scope, import with and without code generation, destroy,
 * the token kept out of state, and one request per distinct project per command. Each step asserts what a
 * platform engineer reads in the CI log: exit codes and the `--diff` line naming the certificate.
 *
 * The plugin is the unpacked `dist/plugin/vercel-client-certs/` named by `plugins: providers` in Pulumi.yaml
 * (`npm run plugin` builds it; `npm test` runs that first).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { FakeVercel } from "../../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../../dist/testing/sandboxSeed";
import { expectYaml, PLUGIN_DIR, removeYamlStacks, requirePluginBuilt, runYaml, yamlProgram, yamlStack, type YamlStack } from "./pluginCli";

/** Three projects: web-app (drifts), service-01 (also read by the function), service-02 (a secret scope). */
const program = yamlProgram(
    "plugin-yaml",
    `resources:
  web:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: web-app
      teamId: team_acme
      requireOrigins: ["https://payments.example.com"]
  svc:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: service-01
      teamId: team_acme
  hidden:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName:
        fn::secret: service-02
      teamId: team_acme
variables:
  lookup:
    fn::invoke:
      function: vercel-client-certs:index:getProjectClientCerts
      arguments:
        idOrName: service-01
        teamId: team_acme
outputs:
  webCertIds: \${web.certIds}
  webByCert: \${web.certOriginsById}
  lookupCertIds: \${lookup.certIds}
  hiddenCertIds: \${hidden.certIds}
`,
);

const DISTINCT_PROJECTS = 3;
/** Each drift is made twice: on cert_drift01 for the refresh workflows, on cert_drift02 for `up --refresh`. */
const IDS = ["cert_drift01", "cert_drift02"];

type Drift = { kind: string; make(fake: FakeVercel, id: string): void; named(id: string): RegExp; stored(state: string, id: string): boolean };
const DRIFTS: Drift[] = [
    {
        kind: "added",
        make: (f, id) => f.addCert("web-app", "team_acme", { id, origin: `https://${id}-a.example.com` }),
        // preview --diff renders the hidden input's key; a refresh step renders the map entry.
        named: (id) => new RegExp(`^\\s*\\+ .*certOriginsById.*${id}|^\\s*\\+ +${id}\\s*:`, "m"),
        stored: (s, id) => s.includes(`"${id}": "https://${id}-a.example.com"`),
    },
    {
        kind: "re-pointed",
        make: (f, id) => f.addCert("web-app", "team_acme", { id, origin: `https://${id}-b.example.com` }),
        named: (id) => new RegExp(`^\\s*~ .*${id}.*"https://${id}-a\\.example\\.com" => "https://${id}-b\\.example\\.com"`, "m"),
        stored: (s, id) => s.includes(`"${id}": "https://${id}-b.example.com"`),
    },
    {
        kind: "removed",
        make: (f, id) => f.removeCert("web-app", "team_acme", id),
        named: (id) => new RegExp(`^\\s*- .*${id}`, "m"),
        stored: (s, id) => !s.includes(id),
    },
];

/**
 * Registers the YAML suites on one CLI: tests/pluginYaml.test.ts on the default CLI, tests/pluginYamlNewestCli.test.ts
 * on the newest, two files so that `npm test`'s lanes can run them side by side.
 * @param cliName How the suites' titles name the CLI ("" for the default one).
 * @param pickCli Which CLI, in each `before` hook: `requireCli` or `requireNewestCli` (tests/support/cli.ts).
 */
export function describeYaml(cliName: string, pickCli: (ctx: Mocha.Context) => Promise<string>): void {
    describe(`plugin: YAML program through the real CLI${cliName}`, function () {
        this.timeout(240_000);
        let fake: FakeVercel;
        let stack: YamlStack;
        /** Every command this suite ran, with its exit code, for the log. */
        const ran: string[] = [];

        /** Runs a command expecting `code`, counts the API requests it made, and logs it. */
        async function step(args: string[], code = 0): Promise<{ out: string; requests: number }> {
            const before = fake.apiRequests().length;
            const r = await expectYaml(stack, args, code);
            const requests = fake.apiRequests().length - before;
            ran.push(`pulumi ${args.join(" ")} → exit ${r.code}, ${requests} API request(s), ${(r.ms / 1000).toFixed(1)} s`);
            return { out: r.stdout + r.stderr, requests };
        }

        const exported = async () => (await expectYaml(stack, ["stack", "export"])).stdout;
        /** The `web` resource's stored inputs and outputs, as JSON text (the stack's outputs change only on `up`). */
        const webState = async () => {
            const deployment = JSON.parse(await exported()).deployment;
            const web = deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::web"));
            return JSON.stringify({ inputs: web.inputs, outputs: web.outputs }, null, 1);
        };

        before(async function () {
            const cli = await pickCli(this);
            requirePluginBuilt();
            fake = new FakeVercel(sampleSeed());
            await fake.start();
            stack = await yamlStack(cli, "drift", program, fake.url);
            await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
        });

        after(async function () {
            if (ran.length) console.log(`      commands:\n${ran.map((l) => `        ${l}`).join("\n")}`);
            await fake?.stop();
            removeYamlStacks();
        });

        describe("up", function () {
            it("up: creates the resources, evaluates the function, one request per distinct project", async function () {
                const { out, requests } = await step(["up", "--yes", "--skip-preview"]);
                assert.match(out, /\+ 4 created|4 created/);
                assert.equal(requests, DISTINCT_PROJECTS);
                const outputs = JSON.parse((await expectYaml(stack, ["stack", "output", "--json", "--show-secrets"])).stdout);
                assert.deepEqual(outputs.webCertIds, ["cert_ledger001", "cert_payments01"]);
                assert.deepEqual(outputs.webByCert, { cert_ledger001: "https://ledger.example.com", cert_payments01: "https://payments.example.com" });
                assert.deepEqual(outputs.lookupCertIds, ["cert_svc1_a"]);
                assert.deepEqual(outputs.hiddenCertIds, ["cert_svc2_a"]);
            });

            it("state: type token is the package's, ids are <team>/<project>, secret scope is opaque, the token is absent", async function () {
                const state = await exported();
                assert.match(state, /"type": "vercel-client-certs:index:ProjectClientCerts"/);
                assert.match(state, /"id": "team_acme\/web-app"/);
                assert.match(state, /"id": "\(secret\)\/[0-9a-f-]{36}"/);
                assert.ok(!state.includes("service-02"), "the secret project's name is in plain text in state");
                assert.ok(!state.includes(SANDBOX_TOKEN.slice(0, 12)), "the token is in state");
                assert.ok(!state.includes("__provider"), "no serialized code in state");
            });

            it("a clean preview: --expect-no-changes exits 0, one request per distinct project", async function () {
                const { requests } = await step(["preview", "--expect-no-changes"]);
                assert.equal(requests, DISTINCT_PROJECTS);
            });
        });

        for (const drift of DRIFTS) {
            describe(`a certificate ${drift.kind} in the dashboard`, function () {
                const [first, second] = IDS;
                before(() => drift.make(fake, first));

                it("preview --diff --expect-no-changes: exit 7, a line names the certificate", async function () {
                    const { out, requests } = await step(["preview", "--diff", "--expect-no-changes"], 7);
                    assert.match(out, drift.named(first));
                    assert.equal(requests, DISTINCT_PROJECTS);
                });

                it("refresh --preview-only --diff --expect-no-changes: exit 7, names it", async function () {
                    const { out, requests } = await step(["refresh", "--preview-only", "--diff", "--expect-no-changes"], 7);
                    assert.match(out, drift.named(first));
                    assert.equal(requests, DISTINCT_PROJECTS);
                });

                it("preview --refresh --diff: its refresh step names it", async function () {
                    const { out } = await step(["preview", "--refresh", "--diff"]);
                    assert.match(out, drift.named(first));
                });

                it("refresh --diff --yes: ~ 1 updated, names it, and state holds the live set", async function () {
                    const { out } = await step(["refresh", "--diff", "--yes", "--skip-preview"]);
                    assert.match(out, /~ 1 updated/);
                    assert.match(out, drift.named(first));
                    assert.ok(drift.stored(await webState(), first), "state does not hold the live set");
                });

                it("up --refresh --skip-preview --diff: names the same change on another certificate, and stores it", async function () {
                    drift.make(fake, second);
                    const { out } = await step(["up", "--refresh", "--skip-preview", "--diff", "--yes"]);
                    assert.match(out, drift.named(second));
                    assert.ok(drift.stored(await webState(), second), "state does not hold the live set");
                });

                it("then a clean preview --expect-no-changes exits 0", async function () {
                    await step(["preview", "--expect-no-changes"]);
                });
            });
        }

        describe("import, destroy", function () {
            it("import with --generate-code=false, and with generated YAML code", async function () {
                const plain = await step(["import", "vercel-client-certs:index:ProjectClientCerts", "imported-empty", "team_acme/empty-app", "--yes", "--skip-preview", "--generate-code=false"]);
                assert.match(plain.out, /= 1 imported|1 imported/);
                assert.equal(plain.requests, 1);
                const coded = await step(["import", "vercel-client-certs:index:ProjectClientCerts", "imported-svc", "acme/service-03", "--yes", "--skip-preview"]);
                assert.match(coded.out, /^ {4}type: vercel-client-certs:(index:)?ProjectClientCerts$/m);
                assert.match(coded.out, /idOrName: service-03/);
                assert.match(coded.out, /slug: acme/);
                assert.equal(coded.requests, 1);
                assert.doesNotMatch(coded.out, /certOriginsById/, "generated code names the hidden input");
                const state = await exported();
                assert.match(state, /"id": "team_acme\/empty-app"/);
                assert.match(state, /"id": "acme\/service-03"/);
                assert.match(state, /"cert_svc3_a": "https:\/\/upstream-0\.example\.com"/);
            });

            it("destroy: fails on the protected imports until unprotected, then deletes all, sending no request", async function () {
                const blocked = await runYaml(stack, ["destroy", "--yes"]);
                ran.push(`pulumi destroy --yes → exit ${blocked.code} (protected imports)`);
                assert.notEqual(blocked.code, 0);
                assert.match(blocked.stdout, /imported-svc" cannot be deleted\s+because it is protected/);
                await expectYaml(stack, ["state", "unprotect", "--all", "--yes"]);
                const { out, requests } = await step(["destroy", "--yes"]);
                assert.match(out, /- 6 deleted|6 deleted/);
                assert.equal(requests, 0);
            });
        });
    });

    describe(`plugin: examples/yaml as written through the real CLI${cliName} (requireOrigins, certIdByOrigin)`, function () {
        this.timeout(240_000);
        let fake: FakeVercel;
        let stack: YamlStack;

        before(async function () {
            const cli = await pickCli(this);
            requirePluginBuilt();
            fake = new FakeVercel(sampleSeed(), { shuffle: true });
            await fake.start();
            // The example as a user has it, plus where this test's plugin is (a user installs it instead).
            const example = fs.readFileSync(path.join(__dirname, "..", "..", "examples", "yaml", "Pulumi.yaml"), "utf8");
            stack = await yamlStack(cli, "example", `${example}plugins:\n  providers:\n    - name: vercel-client-certs\n      path: ${PLUGIN_DIR}\n`, fake.url);
            await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
            await expectYaml(stack, ["config", "set", "vercel-client-certs:team", "team_acme"]);
        });

        after(async function () {
            await fake?.stop();
            removeYamlStacks();
        });

        it("a project without the required origin: the preview fails, naming the origin and the project; nothing is stored", async function () {
            await expectYaml(stack, ["config", "set", "project", "empty-app"]);
            const r = await runYaml(stack, ["preview"]);
            const out = r.stdout + r.stderr;
            assert.notEqual(r.code, 0, out);
            assert.match(out, /project "empty-app" in team "team_acme"/);
            // Once in the Diagnostics section (the progress line above it is the CLI's live view of the same).
            const diagnostics = out.slice(out.indexOf("Diagnostics:"));
            assert.equal(diagnostics.split('has no client certificate for "https://payments.example.com"').length - 1, 1, `not said once:\n${out}`);
            assert.equal(fake.apiRequests().length, 1, "the resource and the function share one request");
            assert.doesNotMatch((await expectYaml(stack, ["stack", "export"])).stdout, /ProjectClientCerts/);
        });

        it("up: paymentsCertId is the payments origin's certificate id, wired by origin", async function () {
            await expectYaml(stack, ["config", "set", "project", "web-app"]);
            await expectYaml(stack, ["up", "--yes", "--skip-preview"]);
            const outputs = JSON.parse((await expectYaml(stack, ["stack", "output", "--json", "--show-secrets"])).stdout);
            assert.equal(outputs.paymentsCertId, "cert_payments01");
            assert.deepEqual(outputs.certIds, ["cert_ledger001", "cert_payments01"]);
            assert.deepEqual(outputs.lookedUpCertIds, outputs.certIds);
        });

        it("a rotation that re-points the origin: preview --diff shows paymentsCertId change, and one key of certIdByOrigin", async function () {
            // A second certificate for the same origin whose id sorts first: it wins (the rule of certIdByOrigin),
            // however the fake orders its list (it reorders every answer).
            fake.addCert("web-app", "team_acme", { id: "cert_payments00", origin: "https://payments.example.com" });
            const r = await expectYaml(stack, ["preview", "--diff", "--expect-no-changes"], 7);
            // The stack outputs' diff, as the CLI prints it under `--outputs:--`.
            const outputsDiff = r.stdout.slice(r.stdout.indexOf("--outputs:--"), r.stdout.indexOf("\nResources:"));
            assert.match(outputsDiff, /^\s*~ paymentsCertId\s*: "cert_payments01" => "cert_payments00"$/m);
            // The map: exactly one line changes, the re-pointed origin's (certIds, a list, shifts by position instead).
            const map = /^\s*~ certIdByOrigin\s*: \{\n([\s\S]*?)\n\s*\}$/m.exec(outputsDiff);
            assert.ok(map, `no certIdByOrigin map in the outputs' diff:\n${outputsDiff}`);
            const changed = map[1].split("\n").filter((l) => /^\s*[-+~] /.test(l));
            assert.deepEqual(changed.map((l) => l.trim()), ['~ https://payments.example.com: "cert_payments01" => "cert_payments00"'], outputsDiff);
        });
    });
}
