/**
 * The plugin as users install it, through the real CLI: `pulumi plugin install resource vercel-client-certs
 * <version> --file <archive>` into a temporary PULUMI_HOME, then the README's YAML example, which names no plugin
 * path, run as written; and the large-stack component, `ProjectClientCertsSet`, whose Construct reads its
 * projects concurrently (the fake API answers nothing until 5 requests are in flight at once, so a plugin that
 * read one project at a time would hang and fail this test).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
import { requireCli } from "./support/cli";
import { expectYaml, pluginArchive, removeYamlStacks, requirePluginBuilt, yamlProgram, yamlStack, type YamlStack } from "./support/pluginCli";

/** The YAML program the README shows, exactly (between its marker comment and the closing fence). */
function readmeYaml(): string {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const m = /<!-- plugin-yaml-example -->\n```yaml\n([\s\S]*?)```/.exec(readme);
    if (!m) throw new Error("README.md lost its <!-- plugin-yaml-example --> block");
    return m[1];
}

const version = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).version as string;

describe("plugin: installed from the release archive, README's YAML example", function () {
    this.timeout(180_000);
    let fake: FakeVercel;
    let home = "";
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(async () => {
        await fake?.stop();
        removeYamlStacks();
        if (home) fs.rmSync(home, { recursive: true, force: true });
    });

    it("pulumi plugin install --file, then a program that names no path runs", async function () {
        const cli = await requireCli(this);
        requirePluginBuilt();
        home = fs.mkdtempSync(path.join(os.tmpdir(), "vcc-plugin-home-"));
        const stack = await yamlStack(cli, "readme", readmeYaml(), fake.url, home);
        const installed = await expectYaml(stack, ["plugin", "install", "resource", "vercel-client-certs", version, "--file", pluginArchive()]);
        assert.match(installed.stdout + installed.stderr, /vercel-client-certs/);
        assert.ok(fs.existsSync(path.join(home, "plugins", `resource-vercel-client-certs-v${version}`, "pulumi-resource-vercel-client-certs")));
        await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
        const up = await expectYaml(stack, ["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /\+ 2 created/);
        const outputs = JSON.parse((await expectYaml(stack, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(outputs.certIds, ["cert_ledger001", "cert_payments01"]);
        assert.deepEqual(outputs.serviceCertIds, ["cert_svc1_a"]);
        assert.ok(!(await expectYaml(stack, ["stack", "export"])).stdout.includes(SANDBOX_TOKEN.slice(0, 12)));
    });
});

/** A stack whose program is one `ProjectClientCertsSet` "fleet" over `projects` (YAML list lines), token set. */
async function setStack(cli: string, label: string, projects: string[], apiUrl: string, outputs = ""): Promise<YamlStack> {
    const body = `resources:\n  fleet:\n    type: vercel-client-certs:index:ProjectClientCertsSet\n    properties:\n      projects:\n${projects.join("\n")}\n${outputs}`;
    const stack = await yamlStack(cli, label, yamlProgram(`plugin-${label}`, body), apiUrl);
    await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
    return stack;
}

describe("plugin: ProjectClientCertsSet, the large-stack route", function () {
    this.timeout(180_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed(), { answerOnceInFlight: 5 });
        await fake.start();
    });
    after(async () => {
        await fake?.stop();
        removeYamlStacks();
    });

    it("reads its projects concurrently, registers one child each, and shows drift by certificate id", async function () {
        const cli = await requireCli(this);
        requirePluginBuilt();
        const projects = Array.from({ length: 20 }, (_, i) => `        - { idOrName: service-${String(i).padStart(2, "0")}, teamId: team_acme }`);
        // The same project twice is read once and registered once.
        projects.push("        - { idOrName: service-00, teamId: team_acme }");
        const stack = await setStack(
            cli,
            "set",
            projects,
            fake.url,
            'outputs:\n  certIds: ${fleet.certIds}\n  svc7Upstream1: ${fleet.certIdByOriginByResourceId["team_acme/service-07"]["https://upstream-1.example.com"]}\n',
        );
        const up = await expectYaml(stack, ["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /\+ 22 created/, up.stdout); // stack, component, 20 children
        assert.equal(fake.apiRequests().length, 20);
        assert.ok(fake.peakInFlight >= 5 && fake.peakInFlight <= 8, `peak in flight ${fake.peakInFlight}`);
        const outputs = JSON.parse((await expectYaml(stack, ["stack", "output", "--json"])).stdout);
        assert.equal(outputs.certIds.length, 20);
        // certIdByOriginByResourceId: resource id → origin → certificate id, wired by project and origin from YAML.
        assert.equal(outputs.svc7Upstream1, "cert_svc7_a");
        const state = (await expectYaml(stack, ["stack", "export"])).stdout;
        assert.match(state, /"id": "team_acme\/service-07"/);
        assert.match(state, /ProjectClientCertsSet\$vercel-client-certs:index:ProjectClientCerts::fleet\/team_acme\/service-07/);

        fake.reset();
        fake.addCert("service-07", "team_acme", { id: "cert_fleet_new", origin: "https://new.example.com" });
        const drift = await expectYaml(stack, ["preview", "--diff", "--expect-no-changes"], 7);
        assert.match(drift.stdout, /^\s*\+ .*cert_fleet_new/m);
        assert.match(drift.stdout, /~ 1 to update/);
        assert.equal(fake.apiRequests().length, 20);
    });
});

describe("plugin: ProjectClientCertsSet with a project Vercel does not have", function () {
    this.timeout(180_000);
    let fake: FakeVercel;
    before(async () => {
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(async () => {
        await fake?.stop();
        removeYamlStacks();
    });

    it("a project whose read fails: its error, naming project and team, is shown on its own line", async function () {
        const cli = await requireCli(this);
        requirePluginBuilt();
        const projects = ["        - { idOrName: service-01, teamId: team_acme }", "        - { idOrName: no-such-project, teamId: team_acme }"];
        const stack = await setStack(cli, "set-missing", projects, fake.url);
        const preview = await expectYaml(stack, ["preview"], 1);
        const printed = preview.stdout + preview.stderr;
        // The failing project's error is shown on its own resource, naming project and team and what to check
        // (tests/pluginRound5.test.ts asserts every line).
        assert.match(printed, /ProjectClientCerts \(fleet\/team_acme\/no-such-project\):\n\s+error: Vercel found no project "no-such-project" in team "team_acme" \(404\)\..*Check idOrName/);
        // At most two requests for it: the set's read, and the child's own check's.
        assert.ok(fake.apiRequests().filter((r) => r.path.includes("no-such-project")).length <= 2);
    });
});
