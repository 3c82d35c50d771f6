/**
 * The README's Go program (examples/go, on the generated Go SDK in sdk/go through a `replace`) through the real CLI,
 * Pulumi's own Go language host and the provider plugin, against the fake Vercel API: `up`, every drift workflow
 * for an added, a re-pointed and a removed certificate, `requireOrigins`, the function
 * (LookupProjectClientCerts), `pulumi import` with and without code generation, and `destroy`. One stack serves
 * every step (each `it` continues the last one's state), so Go builds the program once cold and then from its cache.
 *
 * Per change, from the same state (rewound with `stack export`/`stack import` between the two ways of storing it):
 *
 *   pulumi preview --diff --expect-no-changes                     exit 7, names the cert
 *   pulumi refresh --preview-only --diff --expect-no-changes      exit 7, names the cert
 *   pulumi preview --refresh --diff                               its refresh step names the cert
 *   pulumi refresh --diff --yes                                   "~ 1 updated", names the cert; then a clean preview
 *   pulumi up --refresh --skip-preview --diff --yes               its refresh step names the cert; then a clean preview
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { requireCli } from "./support/cli";
import { pluginDir, PluginStack, resourceSection, warmGoBuild } from "./support/pluginStack";
import { REPO_ROOT } from "./support/providerHost";

const EXAMPLE = path.join(REPO_ROOT, "examples", "go");
const GO_SDK_MODULE = "github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs/sdk/go";
const TYPE = "vercel-client-certs:index:ProjectClientCerts";
const ID = "cert_drift01";

/** The Go code block of the README's "First program" section. */
function readmeGoExample(): string {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = readme.indexOf("\n## First program");
    assert.ok(start >= 0, 'README has a "## First program" section');
    const section = readme.slice(start + 1).split(/\n## /)[0];
    const block = /\n```go\n([\s\S]*?)\n```/.exec(section);
    assert.ok(block, "that section has a ```go block");
    return `${block[1]}\n`;
}

type Change = { kind: string; make(fake: FakeVercel): void; named: RegExp };
const CHANGES: Change[] = [
    {
        kind: "added",
        make: (fake) => fake.addCert("web-app", "team_acme", { id: ID, origin: "https://drift-1.example.com" }),
        named: new RegExp(`^\\s*[+~] .*${ID}`, "m"),
    },
    {
        kind: "re-pointed",
        make: (fake) => fake.addCert("web-app", "team_acme", { id: ID, origin: "https://drift-2.example.com" }),
        named: /^\s*~ .*"https:\/\/drift-1\.example\.com" => "https:\/\/drift-2\.example\.com"/m,
    },
    {
        kind: "removed",
        make: (fake) => fake.removeCert("web-app", "team_acme", ID),
        named: new RegExp(`^\\s*[-~] .*${ID}`, "m"),
    },
];

describe("real Pulumi CLI: the README's Go program on sdk/go with the provider plugin", function () {
    this.timeout(1_800_000);
    let fake: FakeVercel;
    let stack: PluginStack;

    before(async function () {
        const cli = await requireCli(this);
        const plugin = pluginDir();
        fake = new FakeVercel(sampleSeed(), { shuffle: true });
        await fake.start();
        stack = new PluginStack(cli, "go", { VERCEL_API_URL: fake.url });
        for (const file of ["main.go", "go.mod", "go.sum", "Pulumi.yaml"]) {
            fs.copyFileSync(path.join(EXAMPLE, file), path.join(stack.programDir, file));
        }
        // Outside the repository the `replace` must be absolute; and the plugin comes from the unpacked folder.
        const edit = spawnSync("go", ["mod", "edit", `-replace=${GO_SDK_MODULE}=${path.join(REPO_ROOT, "sdk", "go")}`], {
            cwd: stack.programDir,
            encoding: "utf8",
        });
        assert.equal(edit.status, 0, edit.stderr);
        fs.appendFileSync(
            path.join(stack.programDir, "Pulumi.yaml"),
            `plugins:\n  providers:\n    - name: vercel-client-certs\n      path: ${plugin}\n`,
        );
        const cold = warmGoBuild(stack.programDir);
        const warm = warmGoBuild(stack.programDir);
        console.log(`      (go build of the program: first ${cold} ms, again ${warm} ms)`);
        await stack.init(
            { project: "web-app", "vercel-client-certs:team": "team_acme" },
            { "vercel-client-certs:apiToken": SANDBOX_TOKEN },
        );
    });
    after(async () => {
        await fake?.stop();
        if (stack) {
            console.log(`      (Go program commands: ${stack.log.map((l) => `${l.args.split(" ")[0]} ${l.code} ${l.ms} ms`).join("; ")})`);
            stack.dispose();
        }
    });

    it("examples/go/main.go is the README's Go example, as written", function () {
        assert.equal(fs.readFileSync(path.join(EXAMPLE, "main.go"), "utf8"), readmeGoExample());
    });

    it("pulumi up creates the resource and exports the certificates and the function's result; the token is never in state", async function () {
        const up = await stack.expect(["up", "--yes"]);
        assert.match(up.stdout, /\+ 2 created/);
        assert.match(up.stdout, new RegExp(`\\+\\s+${TYPE}\\s+certs\\s+created`));
        assert.deepEqual(await stack.output("certIds"), ["cert_ledger001", "cert_payments01"]);
        assert.deepEqual(await stack.output("lookedUpCertIds"), ["cert_ledger001", "cert_payments01"]);
        assert.deepEqual(await stack.output("clientCerts"), [
            { id: "cert_ledger001", origin: "https://ledger.example.com" },
            { id: "cert_payments01", origin: "https://payments.example.com" },
        ]);
        const state = await stack.exportState();
        assert.ok(!state.includes(SANDBOX_TOKEN), "no token in state");
        assert.match(state, new RegExp(`"type": "${TYPE}"`));
        assert.match(state, /"id": "team_acme\/web-app"/);
        await stack.expect(["preview", "--expect-no-changes"], 0);
    });

    for (const change of CHANGES) {
        it(`${change.kind === "added" ? "an" : "a"} ${change.kind} certificate: every drift workflow names it, with Pulumi's exit codes`, async function () {
            change.make(fake);
            const preview = await stack.expect(["preview", "--diff", "--expect-no-changes"], 7);
            const section = resourceSection(preview.stdout, "update");
            assert.match(section, change.named, "preview --diff");
            const changed = section.split("\n").filter((l) => /^\s*[-+~] /.test(l) && /cert_/.test(l));
            assert.ok(changed.length > 0 && changed.every((l) => l.includes(ID)), `only ${ID} changes:\n${section}`);
            assert.match(preview.stdout, /~ 1 to update/);

            const refreshPreview = await stack.expect(["refresh", "--preview-only", "--diff", "--expect-no-changes"], 7);
            assert.match(resourceSection(refreshPreview.stdout, "update"), change.named, "refresh --preview-only");
            assert.match(refreshPreview.stdout, /~ 1 to update/);

            const previewRefresh = await stack.expect(["preview", "--refresh", "--diff"], 0);
            assert.match(resourceSection(previewRefresh.stdout, "refresh"), change.named, "preview --refresh");

            // Stored by `refresh`, then (from the same state, rewound) by `up --refresh`: each ends clean.
            const before = await stack.exportState();
            const refresh = await stack.expect(["refresh", "--diff", "--yes"], 0);
            const applied = refresh.stdout.slice(refresh.stdout.indexOf("Refreshing ("));
            assert.match(resourceSection(applied, "update"), change.named, "refresh");
            assert.match(applied, /~ 1 updated/);
            await stack.expect(["preview", "--expect-no-changes"], 0);

            await stack.expect(["stack", "import"], 0, before);
            await stack.expect(["preview", "--expect-no-changes"], 7);
            const up = await stack.expect(["up", "--refresh", "--skip-preview", "--diff", "--yes"], 0);
            assert.match(resourceSection(up.stdout, "refresh"), change.named, "up --refresh --skip-preview");
            await stack.expect(["preview", "--expect-no-changes"], 0);
        });
    }

    it("requireOrigins: a missing origin fails the preview, naming the origin and the project; prior state is kept", async function () {
        const before = await stack.exportState();
        await stack.expect(["config", "set", "requireOrigins", '["https://missing.example.com"]']);
        const preview = await stack.run(["preview"]);
        assert.notEqual(preview.code, 0);
        const text = preview.stdout + preview.stderr;
        assert.match(text, /https:\/\/missing\.example\.com/);
        assert.match(text, /web-app/);
        assert.ok(!text.includes(SANDBOX_TOKEN));
        await stack.expect(["config", "rm", "requireOrigins"]);
        assert.equal(await stack.exportState(), before, "state untouched");
        await stack.expect(["preview", "--expect-no-changes"], 0);
    });

    it("the function (LookupProjectClientCertsOutput) reads live certificates on every run", async function () {
        fake.addCert("web-app", "team_acme", { id: "cert_fn0001", origin: "https://fn.example.com" });
        await stack.expect(["up", "--yes", "--skip-preview"], 0);
        assert.deepEqual(await stack.output("lookedUpCertIds"), ["cert_fn0001", "cert_ledger001", "cert_payments01"]);
        fake.removeCert("web-app", "team_acme", "cert_fn0001");
        await stack.expect(["up", "--yes", "--skip-preview"], 0);
        assert.deepEqual(await stack.output("lookedUpCertIds"), ["cert_ledger001", "cert_payments01"]);
    });

    it("pulumi import without code generation adds the resource, protected, with the project's certificates", async function () {
        const imported = await stack.expect(["import", TYPE, "imported", "team_acme/service-00", "--yes", "--generate-code=false"], 0);
        assert.match(imported.stdout, /= 1 imported/);
        assert.doesNotMatch(imported.stdout, /NewProjectClientCerts/);
        const state = JSON.parse(await stack.exportState());
        const res = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::imported"));
        assert.ok(res, "imported resource in state");
        assert.equal(res.id, "team_acme/service-00");
        assert.equal(res.protect, true);
        assert.deepEqual(res.outputs.certIds, ["cert_svc0_a"]);
    });

    it("pulumi import with --generate-code prints Go code on the generated SDK (Pulumi's Go host)", async function () {
        const imported = await stack.expect(["import", TYPE, "imported-code", "acme/service-01", "--yes", "--generate-code"], 0);
        assert.match(imported.stdout, /= 1 imported/);
        assert.match(imported.stdout, /vercelclientcerts\.NewProjectClientCerts\(ctx, "imported-code", &vercelclientcerts\.ProjectClientCertsArgs\{/);
        assert.match(imported.stdout, /IdOrName:\s+pulumi\.String\("service-01"\)/);
        assert.match(imported.stdout, /Slug:\s+pulumi\.String\("acme"\)/);
        assert.match(imported.stdout, /pulumi\.Protect\(true\)/);
        assert.match(imported.stdout, new RegExp(`"${GO_SDK_MODULE}/vercelclientcerts"`));
    });

    it("pulumi destroy removes every resource once unprotected", async function () {
        await stack.expect(["state", "unprotect", "--all", "--yes"], 0);
        const destroy = await stack.expect(["destroy", "--yes"], 0);
        assert.match(destroy.stdout, /- 4 deleted/);
        const state = JSON.parse(await stack.exportState());
        assert.deepEqual(state.deployment.resources ?? [], []);
    });
});

/**
 * examples/go-mtls-egress: the mTLS egress wiring in Go (`CertIdByOrigin.MapIndex(origin)`, guarded by
 * `RequireOrigins`). Its own unit tests run with `go test` on Pulumi's mocks, as a user tests a program; then the
 * program runs through the real CLI: a project without the origin fails the preview naming it, and a rotation
 * that re-points the origin shows in `preview --diff` as the one output and the one map key that change.
 */
describe("examples/go-mtls-egress: go test on pulumi.WithMocks, and certIdByOrigin through the real CLI", function () {
    this.timeout(1_800_000);
    const egress = path.join(REPO_ROOT, "examples", "go-mtls-egress");
    let fake: FakeVercel;
    let stack: PluginStack;

    it("go test ./... passes: the program's own tests with pulumi.WithMocks", function () {
        // -trimpath: the same build cache entries as the language host's builds, so Pulumi's SDK compiles once.
        const r = spawnSync("go", ["test", "-trimpath", "-count=1", "./..."], {
            cwd: egress,
            encoding: "utf8",
            timeout: 20 * 60_000,
            env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly" },
        });
        assert.equal(r.status, 0, `go test in examples/go-mtls-egress: ${r.error?.message ?? ""}\n${r.stdout}${r.stderr}`);
        assert.match(r.stdout, /^ok\s+vercel-client-certs-go-mtls-egress-example\b/m);
    });

    describe("through the real CLI", function () {
        before(async function () {
            const cli = await requireCli(this);
            const plugin = pluginDir();
            fake = new FakeVercel(sampleSeed(), { shuffle: true });
            await fake.start();
            stack = new PluginStack(cli, "go-egress", { VERCEL_API_URL: fake.url });
            for (const file of ["main.go", "go.mod", "go.sum", "Pulumi.yaml"]) fs.copyFileSync(path.join(egress, file), path.join(stack.programDir, file));
            const edit = spawnSync("go", ["mod", "edit", `-replace=${GO_SDK_MODULE}=${path.join(REPO_ROOT, "sdk", "go")}`], { cwd: stack.programDir, encoding: "utf8" });
            assert.equal(edit.status, 0, edit.stderr);
            fs.appendFileSync(path.join(stack.programDir, "Pulumi.yaml"), `plugins:\n  providers:\n    - name: vercel-client-certs\n      path: ${plugin}\n`);
            warmGoBuild(stack.programDir);
            await stack.init({ project: "empty-app", "vercel-client-certs:team": "team_acme" }, { "vercel-client-certs:apiToken": SANDBOX_TOKEN });
        });
        after(async () => {
            await fake?.stop();
            stack?.dispose();
        });

        it("a project without the origin: the preview fails naming the origin and the project", async function () {
            const preview = await stack.run(["preview"]);
            const text = preview.stdout + preview.stderr;
            assert.notEqual(preview.code, 0, text);
            assert.match(text, /project "empty-app" in team "team_acme" has no client certificate for "https:\/\/payments\.example\.com"/);
        });

        it("up exports the origin's certificate id; a rotation shows in preview --diff as that one output and one map key", async function () {
            await stack.expect(["config", "set", "project", "web-app"]);
            await stack.expect(["up", "--yes", "--skip-preview"]);
            assert.equal(await stack.output("egressCertId"), "cert_payments01");
            fake.addCert("web-app", "team_acme", { id: "cert_payments00", origin: "https://payments.example.com" });
            const preview = await stack.expect(["preview", "--diff", "--expect-no-changes"], 7);
            const outputs = preview.stdout.slice(preview.stdout.indexOf("--outputs:--"), preview.stdout.indexOf("\nResources:"));
            assert.match(outputs, /^\s*~ egressCertId\s*: "cert_payments01" => "cert_payments00"$/m);
            const map = /^\s*~ certIdByOrigin\s*: \{\n([\s\S]*?)\n\s*\}$/m.exec(outputs);
            assert.ok(map, `no certIdByOrigin map in the outputs' diff:\n${outputs}`);
            const changed = map[1].split("\n").filter((l) => /^\s*[-+~] /.test(l)).map((l) => l.trim());
            assert.deepEqual(changed, ['~ https://payments.example.com: "cert_payments01" => "cert_payments00"'], outputs);
        });
    });
});
