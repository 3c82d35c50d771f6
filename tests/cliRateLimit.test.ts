/**
 * Issue 23 items 4 and 11 through the real CLI: one project answering a 429 storm, in a stack of several projects,
 * for both front doors (a TypeScript program on the dynamic provider, a YAML program on the plugin). What the
 * user reads: the rate-limit message, once, exactly; the other projects asked and answered; preview's exit code.
 * The YAML stack also calls the function for a project that does not exist: its failure is the package's message,
 * once, in the protocol's failure form (no "rpc error: … invocation of … returned an error" wrapping).
 *
 * One `pulumi preview` per front door. The tight policy (2 s timeout, 3.5 s budget) keeps each under a minute.
 */
import { strict as assert } from "node:assert";
import type { FakeVercel, Fault } from "../dist/testing/fakeVercel";
import { FakeVercel as Fake } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { cliStack, requireCli, runPulumi, startCliSuite } from "./support/cli";
import { expectYaml, removeYamlStacks, requirePluginBuilt, runYaml, yamlProgram, yamlStack } from "./support/pluginCli";

const POLICY = { VERCEL_CLIENT_CERTS_TIMEOUT_MS: "2000", VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS: "3500", VERCEL_CLIENT_CERTS_MAX_ATTEMPTS: "3" };
const STORM: Fault = { kind: "status", status: 429, headers: { "retry-after": "1" }, body: JSON.stringify({ error: { code: "rate_limited", message: "Rate limit exceeded" } }) };

/** The storm's message, as the core words it; only the measured durations and the number of waits vary. */
const STORM_MESSAGE = new RegExp(
    '^(?:\\s*error: )?Vercel rate-limited reading project "service-09" in team "team_acme" \\(429\\) and asked to wait 1\\.0 s more; ' +
        "that and another attempt \\(at least 1\\.0 s\\) do not fit in what is left of the 3\\.5 s retry budget " +
        "\\(VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS\\)\\. Waited [12] time\\(s\\) as asked \\(\\d\\.\\d s in all\\); gave up after \\d\\.\\d s\\. " +
        "Nothing was changed; it is safe to run the command again later\\.$",
    "m",
);

/** The CLI's `Diagnostics:` section, where each message is listed once. */
const diagnostics = (stdout: string) => /^Diagnostics:\n([\s\S]*?)(?=^(Outputs|Resources):|(?![\s\S]))/m.exec(stdout)?.[1] ?? "";
const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, "gm")) ?? []).length;

/** Every request for the project, and whether each was answered 200. */
const answered = (fake: FakeVercel, project: string) => fake.apiRequests().filter((r) => r.path === `/v1/projects/${project}/client-cert`).map((r) => r.status);

describe("a 429 storm through the real CLI: rate-limited, not a timeout, and the other projects are read", function () {
    this.timeout(600_000);

    it("dynamic provider (TypeScript): the storm's message once, exit 1; service-01 and service-02 read after it, and answered", async function () {
        const { cli, fake } = await startCliSuite(this);
        try {
            // The other projects are read only once the storm's read has ended (the function shares that read), so
            // a dead end left by it would fail them without a request: what happened before.
            const program = `import { getProjectClientCerts, ProjectClientCerts } from "pulumi-vercel-client-certs";
const stormRead = getProjectClientCerts({ idOrName: "service-09", teamId: "team_acme" }).catch(() => undefined);
new ProjectClientCerts("storm", { idOrName: "service-09", teamId: "team_acme" });
export const ids = ["service-01", "service-02"].map((p) => new ProjectClientCerts(p, { idOrName: stormRead.then(() => p), teamId: "team_acme" }).certIds);
`;
            const ctx = await cliStack(cli, "rate-limit-storm", { "index.ts": program }, fake.url, { "vercel:apiToken": SANDBOX_TOKEN }, POLICY);
            fake.failProject("service-09", ...Array.from({ length: 60 }, () => STORM));
            const r = await runPulumi(ctx, ["preview"]);
            const out = r.stdout + r.stderr;
            assert.equal(r.code, 1, out);
            assert.equal(count(diagnostics(r.stdout), STORM_MESSAGE), 1, out);
            assert.doesNotMatch(out, /did not answer|Not sent for|timed out/);
            for (const p of ["service-01", "service-02"]) assert.deepEqual(answered(fake, p), [200], `${p}: ${out}`);
        } finally {
            await fake.stop();
        }
    });

    it("plugin (YAML): the storm's message once, the function's failure once and unwrapped, exit 1; the other projects answered", async function () {
        const cli = await requireCli(this);
        requirePluginBuilt();
        const fake = new Fake(sampleSeed());
        await fake.start();
        try {
            // The engine checks one resource at a time (the plugin reads in Check) and ends the command at the first
            // Check that fails, so the storm goes last here (dependsOn); the function runs meanwhile.
            const stack = await yamlStack(
                cli,
                "storm",
                yamlProgram(
                    "plugin-storm",
                    `resources:
  one:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: service-01
      teamId: team_acme
  two:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: service-02
      teamId: team_acme
  storm:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: service-09
      teamId: team_acme
    options:
      dependsOn:
        - \${one}
        - \${two}
variables:
  gone:
    fn::invoke:
      function: vercel-client-certs:index:getProjectClientCerts
      arguments:
        idOrName: no-such-app
        teamId: team_acme
outputs:
  oneIds: \${one.certIds}
  goneIds: \${gone.certIds}
`,
                ),
                fake.url,
            );
            Object.assign(stack.env, POLICY);
            await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
            fake.failProject("service-09", ...Array.from({ length: 60 }, () => STORM));
            const r = await runYaml(stack, ["preview"]);
            const out = r.stdout + r.stderr;
            if (process.env.PULUMI_E2E_DEBUG) console.log(out);
            assert.equal(r.code, 1, out);
            const diag = diagnostics(r.stdout);
            assert.equal(count(diag, STORM_MESSAGE), 1, out);
            assert.doesNotMatch(out, /did not answer|Not sent for|timed out/);
            for (const p of ["service-01", "service-02"]) assert.deepEqual(answered(fake, p), [200], `${p}: ${out}`);
            // Item 11: the function's failure, in the protocol's failure form, printed by the YAML host once.
            const notFound =
                'vercel-client-certs:index:getProjectClientCerts invoke failed: Vercel found no project "no-such-app" in team "team_acme" (404). ' +
                'Vercel said: "Project not found". Check idOrName, and teamId/slug or vercel-client-certs:team: a project that belongs to a ' +
                "team is only visible with that team's scope. (idOrName)";
            // Go's SDK (which the YAML host runs on) lists an Invoke's failures as a multierror; pulumi-yaml then adds
            // its own "Error registering variable [gone]: no diagnostics" (plugin.md: why that line stays).
            assert.equal(diag.split(`    error: 1 error occurred:\n    \t* ${notFound}\n`).length - 1, 1, out);
            assert.equal(diag.split(notFound).length - 1, 1, out);
            assert.doesNotMatch(out, /rpc error|returned an error/);
        } finally {
            await fake.stop();
            removeYamlStacks();
        }
    });
});
