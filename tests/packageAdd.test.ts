/**
 * `pulumi package add`, rehearsed against the release's own linux-amd64 archive (dist/release/, npm run release),
 * unpacked into a temporary folder, with the real CLI 3.248.0, Pulumi's own language hosts, a private empty
 * PULUMI_HOME and the fake Vercel API. For a YAML, a TypeScript and a Go program it runs the three binary forms:
 * - the unpacked plugin folder: refused by the CLI (it takes a folder plugin's name only from a PulumiPlugin.yaml,
 *   and the release archives carry none: docs/install-routes.md says why), with the message the user sees;
 * - the executable's path (`<folder>/pulumi-resource-vercel-client-certs`): the SDK is generated and linked, and
 *   Pulumi.yaml records `vercel-client-certs@<version>` (not the path); no plugin is installed;
 * - the plugin's name after `pulumi plugin install … --file <archive>` (`vercel-client-certs[@<version>]`): the same
 *   writes; then one `pulumi up` per language whose outputs match the fake API, which saw the read.
 * On the newest CLI (3.276.0) the YAML program checks the folder's refusal and the executable's path again.
 * The Go program pins Pulumi's Go SDK before `package add` (the generated go.mod asks only for v3.30.0), as the
 * README says, and the test asserts the version that ends in go.mod. Go runs with GOPROXY=off: every module comes
 * from the shared module cache (`package add` runs `go mod tidy`), so nothing can silently take a newer Pulumi SDK.
 * The program starts with examples/go's go.sum, as a program made by `pulumi new` has one: with a cold module
 * cache, a module missing from go.sum would need the checksum database, which this machine cannot reach.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
import { requireCli, requireNewestCli } from "./support/cli";
import type { RecordingProxy } from "./support/recordingProxy";
import { releaseArchive } from "./support/release";
import { expectRoute, NEWEST_CLI, installedPlugins, packageVersion, refusingProxy, removeRoutePrograms, routeProgram, runRoute, type RouteProgram } from "./support/releaseRoutes";

const version = packageVersion();
const EXE = "pulumi-resource-vercel-client-certs";
/** The Pulumi SDK version this package is tested with (package-lock.json's @pulumi/pulumi). */
const PULUMI_SDK = require("../package-lock.json").packages["node_modules/@pulumi/pulumi"].version as string;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const printed = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

/** The sample seed's certificates for web-app in team_acme, as the fake API serves them. */
const CERT_IDS = ["cert_ledger001", "cert_payments01"];

const YAML_PROGRAM =
    "name: pkgadd-yaml\nruntime: yaml\nresources:\n  certs:\n    type: vercel-client-certs:index:ProjectClientCerts\n    properties:\n      idOrName: web-app\n      teamId: team_acme\n" +
    "outputs:\n  certIds: ${certs.certIds}\n  origins: ${certs.origins}\n  certIdByOrigin: ${certs.certIdByOrigin}\n";

const TS_PROGRAM = `import * as vcc from "@pulumi-vercel-client-certs/sdk";

const certs = new vcc.ProjectClientCerts("certs", { idOrName: "web-app", teamId: "team_acme" });
export const certIds = certs.certIds;
export const origins = certs.origins;
export const certIdByOrigin = certs.certIdByOrigin;
`;

const GO_PROGRAM = `package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	vcc "github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs/sdk/go/vercelclientcerts"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		certs, err := vcc.NewProjectClientCerts(ctx, "certs", &vcc.ProjectClientCertsArgs{
			IdOrName: pulumi.String("web-app"),
			TeamId:   pulumi.String("team_acme"),
		})
		if err != nil {
			return err
		}
		ctx.Export("certIds", certs.CertIds)
		ctx.Export("origins", certs.Origins)
		ctx.Export("certIdByOrigin", certs.CertIdByOrigin)
		return nil
	})
}
`;

describe("pulumi package add, the binary forms, from the release's linux-amd64 archive (CLI 3.248.0; the newest CLI for YAML)", function () {
    this.timeout(1_200_000);
    let cli = "";
    let archive = "";
    let unpacked = "";
    let proxy: RecordingProxy;
    let fake: FakeVercel;
    let expected: { certIds: string[]; origins: string[]; certIdByOrigin: Record<string, string> };

    before(async function () {
        cli = await requireCli(this);
        archive = releaseArchive({ os: "linux", arch: "amd64" });
        unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "vcc-pkgadd-unpacked-"));
        execFileSync("tar", ["-xzf", archive, "-C", unpacked]);
        assert.ok(fs.existsSync(path.join(unpacked, EXE)));
        assert.ok(!fs.existsSync(path.join(unpacked, "PulumiPlugin.yaml")), "the release archives carry no PulumiPlugin.yaml");
        proxy = await refusingProxy();
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        // What the fake API holds for web-app, read the way a user would (curl with the token).
        const res = await fetch(`${fake.url}/v1/projects/web-app/client-cert?teamId=team_acme`, { headers: { authorization: `Bearer ${SANDBOX_TOKEN}` } });
        assert.equal(res.status, 200);
        const body = (await res.json()) as { clientCerts?: { id: string; origin: string }[] } | { id: string; origin: string }[];
        const certs = (Array.isArray(body) ? body : (body.clientCerts ?? [])).map((c) => ({ id: c.id, origin: c.origin }));
        expected = {
            certIds: certs.map((c) => c.id).sort(),
            origins: [...new Set(certs.map((c) => c.origin))].sort(),
            certIdByOrigin: Object.fromEntries(certs.map((c) => [c.origin, c.id])),
        };
        assert.deepEqual(expected.certIds, CERT_IDS);
    });
    after(async () => {
        await proxy?.stop();
        await fake?.stop();
        removeRoutePrograms();
        if (unpacked) fs.rmSync(unpacked, { recursive: true, force: true });
    });

    const program = (label: string, files: Record<string, string>) => routeProgram(cli, `pkgadd-${label}`, files, proxy.url, fake.url);

    /** The unpacked folder: refused, naming the missing PulumiPlugin.yaml (the name is empty without one). */
    async function folderFormRefused(p: RouteProgram): Promise<void> {
        const r = await runRoute(p, ["package", "add", unpacked]);
        assert.equal(r.code, 1, printed(r));
        assert.match(printed(r), /expected "" to have an executable named "pulumi-resource-" or a PulumiPlugin file/);
        assert.ok(!fs.existsSync(path.join(p.dir, "sdks")), "nothing generated");
    }

    /** `pulumi up` creates the resource; its outputs are what the fake API holds; the API saw the read. */
    async function upMatchesApi(p: RouteProgram, args = ["up", "--yes", "--skip-preview"]): Promise<string> {
        const before = fake.requests.length;
        const up = await expectRoute(p, args);
        const outputs = JSON.parse((await expectRoute(p, ["stack", "output", "--json"])).stdout);
        assert.deepEqual([...outputs.certIds].sort(), expected.certIds);
        assert.deepEqual([...outputs.origins].sort(), expected.origins);
        assert.deepEqual(outputs.certIdByOrigin, expected.certIdByOrigin);
        const seen = fake.requests.slice(before).filter((r) => r.path === "/v1/projects/web-app/client-cert");
        assert.ok(seen.length >= 1, `the fake API saw no read: ${JSON.stringify(fake.requests.slice(before))}`);
        return up.stdout;
    }

    async function initStack(p: RouteProgram): Promise<void> {
        await expectRoute(p, ["stack", "init", "dev"]);
        await expectRoute(p, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
    }

    /** Pulumi.yaml's `packages:` names the plugin by name and version (never by path). */
    function recordsByNameAndVersion(p: RouteProgram): void {
        assert.match(fs.readFileSync(path.join(p.dir, "Pulumi.yaml"), "utf8"), new RegExp(`\\npackages:\\n  vercel-client-certs: vercel-client-certs@${version.replace(/\./g, "\\.")}\\n`));
    }

    /**
     * Both binary forms in one program, `checkLinked` (what the language's SDK link looks like) after each, then one
     * `up` whose outputs match the API.
     */
    async function bothFormsThenUp(p: RouteProgram, specs: string[], checkLinked: () => void = () => undefined): Promise<void> {
        await byExecutablePath(p);
        checkLinked();
        await byNameAfterInstall(p, specs);
        checkLinked();
        await initStack(p);
        assert.match(await upMatchesApi(p), /\+ 2 created/);
    }

    /**
     * The executable's path: `package add` generates the SDK from the executable and records the plugin under
     * `packages:` by name and version (what GetPluginInfo answered), not by path; it installs no plugin.
     */
    async function byExecutablePath(p: RouteProgram): Promise<void> {
        const r = await runRoute(p, ["package", "add", path.join(unpacked, EXE)]);
        assert.equal(r.code, 0, printed(r));
        assert.match(printed(r), /Added package Vercel Client Certificates/);
        recordsByNameAndVersion(p);
        assert.deepEqual(installedPlugins(p), [], "package add <path> installs no plugin");
    }

    /** The plugin's name after install: `plugin install --file <archive>`, then `package add <spec>`. */
    async function byNameAfterInstall(p: RouteProgram, specs: string[]): Promise<void> {
        await expectRoute(p, ["plugin", "install", "resource", "vercel-client-certs", version, "--file", archive]);
        assert.deepEqual(installedPlugins(p), [`resource-vercel-client-certs-v${version}`]);
        for (const spec of specs) {
            const r = await runRoute(p, ["package", "add", spec]);
            assert.equal(r.code, 0, `${spec}: ${printed(r)}`);
            recordsByNameAndVersion(p);
        }
    }

    it("YAML: the folder is refused; the executable's path and the name after install write packages:; up runs", async function () {
        const p = program("yaml", { "Pulumi.yaml": YAML_PROGRAM });
        await folderFormRefused(p);
        await bothFormsThenUp(p, ["vercel-client-certs", `vercel-client-certs@${version}`]);
    });

    it(`YAML on the newest CLI (${NEWEST_CLI}): the folder is refused the same way; the executable's path writes the same packages: line`, async function () {
        const newest = await requireNewestCli(this);
        const p = routeProgram(newest, "pkgadd-yaml-newest", { "Pulumi.yaml": YAML_PROGRAM }, proxy.url, fake.url);
        await folderFormRefused(p);
        await byExecutablePath(p);
    });

    it("TypeScript: the folder is refused; the executable's path and the name after install write sdks/ and a file: dependency; up runs", async function () {
        const p = program("node", {
            "Pulumi.yaml": "name: pkgadd-node\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
            "index.ts": TS_PROGRAM,
            "package.json": JSON.stringify({ name: "pkgadd-node", private: true, dependencies: { "@pulumi/pulumi": PULUMI_SDK } }, null, 2),
        });
        p.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        // npm reaches its registry (or its cache) directly; only Pulumi's own downloads are fenced by the proxy.
        for (const k of ["HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"]) delete p.env[k];
        execFileSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: p.dir, stdio: "pipe", env: p.env });
        await folderFormRefused(p);

        const checkLinked = () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(p.dir, "package.json"), "utf8"));
            assert.equal(pkg.dependencies["@pulumi-vercel-client-certs/sdk"], "file:sdks/vercel-client-certs");
            assert.equal(pkg.dependencies["@pulumi/pulumi"], PULUMI_SDK);
            const sdkPkg = JSON.parse(fs.readFileSync(path.join(p.dir, "sdks", "vercel-client-certs", "package.json"), "utf8"));
            assert.equal(sdkPkg.version, version);
            assert.equal(sdkPkg.dependencies["@pulumi/pulumi"], `^${PULUMI_SDK}`, "the schema's language.nodejs.dependencies floor");
            // One @pulumi/pulumi, the program's: the SDK resolves the same copy.
            const installed = JSON.parse(fs.readFileSync(path.join(p.dir, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"));
            assert.equal(installed.version, PULUMI_SDK);
            assert.ok(!fs.existsSync(path.join(p.dir, "sdks", "vercel-client-certs", "node_modules", "@pulumi", "pulumi")));
        };
        await bothFormsThenUp(p, [`vercel-client-certs@${version}`], checkLinked);
    });

    it("Go: the folder is refused; with Pulumi's Go SDK pinned first, the executable's path and the name after install write sdks/ and a replace; up runs", async function () {
        // A Go program as `pulumi new` leaves one: its go.sum already lists Pulumi's Go SDK and its dependencies (here
        // examples/go's, the versions this package is tested with). Go then checks modules against go.sum, never
        // against the checksum database, which GOPROXY=off would leave it unable to ask.
        const goSum = fs.readFileSync(path.join(__dirname, "..", "examples", "go", "go.sum"), "utf8");
        const p = program("go", { "Pulumi.yaml": "name: pkgadd-go\nruntime: go\n", "main.go": GO_PROGRAM, "go.mod": "module pkgadd-go\n\ngo 1.25\n", "go.sum": goSum });
        Object.assign(p.env, { GOTOOLCHAIN: "local", GOPROXY: "off", GOFLAGS: "-mod=mod" });
        await folderFormRefused(p);
        // The README's step: the generated go.mod requires Pulumi's Go SDK v3.30.0 only, so the program pins it first.
        const get = spawnSync("go", ["get", `github.com/pulumi/pulumi/sdk/v3@v${PULUMI_SDK}`], { cwd: p.dir, env: p.env, encoding: "utf8", timeout: 600_000 });
        assert.equal(get.status, 0, get.stderr);

        const checkLinked = () => {
            const mod = fs.readFileSync(path.join(p.dir, "go.mod"), "utf8");
            assert.ok(mod.includes("replace github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs/sdk/go => ./sdks/vercel-client-certs"), mod);
            assert.match(mod, new RegExp(`github\\.com/pulumi/pulumi/sdk/v3 v${PULUMI_SDK.replace(/\./g, "\\.")}\\n`));
            const sdkMod = fs.readFileSync(path.join(p.dir, "sdks", "vercel-client-certs", "go.mod"), "utf8");
            // Pulumi's Go codegen writes this floor itself (pkg/codegen/go/gen.go); the schema cannot change it.
            assert.match(sdkMod, /require github\.com\/pulumi\/pulumi\/sdk\/v3 v3\.30\.0/);
        };
        await bothFormsThenUp(p, [`vercel-client-certs@${version}`], checkLinked);
    });
});
