/**
 * Pulumi's source-package route, `pulumi package add <clone>/source-plugin`: the folder holds a `PulumiPlugin.yaml`
 * (`runtime: nodejs`), a package.json whose only dependency is `@pulumi/pulumi`, and the committed plugin bundle.
 *
 * First, without a CLI: the committed bundle and licenses are what `npm run source-plugin` makes from this tree now
 * (so a tag never ships a stale plugin), and the check names the file when they differ; the folder's package.json
 * carries the package's version and pins the `@pulumi/pulumi` the package is tested with.
 *
 * Then, as a user does it: a fresh `git clone` of this repository's HEAD, tagged `v<version>` in the clone and
 * checked out at the tag; `pulumi package add <clone>/source-plugin` from a YAML, a TypeScript and a Go program
 * (CLI 3.248.0 and Pulumi's own Node.js and Go hosts, private PULUMI_HOME each); what package add writes
 * (Pulumi.yaml `packages:`, sdks/, the package.json `file:` dependency, go.mod's `replace`); that Pulumi's
 * `npm install` in the folder brought no test or build tooling; and `pulumi up` creating the resource with the fake
 * Vercel API's certificates. npm runs with `npm_config_prefer_offline=true` (its cache first, the registry for what
 * is missing), as the other tests' installs do. Each `package add`'s wall time is printed.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { requireCli } from "./support/cli";
import { pluginDir, PluginStack } from "./support/pluginStack";
import { REPO_ROOT } from "./support/providerHost";
import { escapeRegExp } from "./support/releaseRoutes";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sourcePlugin = require("../scripts/sourcePlugin") as {
    HEADER: string;
    staleFiles(sourceDir?: string, builtDir?: string): string[];
};

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const SOURCE_DIR = path.join(REPO_ROOT, "source-plugin");
const TYPE = "vercel-client-certs:index:ProjectClientCerts";
const version = require("../package.json").version as string;
/** The `@pulumi/pulumi` this package is tested with (the lockfile's). */
const testedPulumi = require("../package-lock.json").packages["node_modules/@pulumi/pulumi"].version as string;
/** What the route must never install on a user's machine: this repository's test and build tooling. */
const TOOLING = ["mocha", "ts-node", "typescript", "esbuild", "@vercel/sdk", "@pulumiverse/vercel", "@types/mocha"];
const CERT_IDS = ["cert_ledger001", "cert_payments01"];

describe("source plugin: the committed folder is the build's", function () {
    this.timeout(600_000);
    let built = "";
    before(function () {
        built = pluginDir();
    });

    it("plugin.js, LICENSE and licenses/ equal what `npm run source-plugin` makes now; plugin.js says it is generated", function () {
        assert.deepEqual(sourcePlugin.staleFiles(SOURCE_DIR, built), [], "run `npm run source-plugin` and commit source-plugin/");
        const head = fs.readFileSync(path.join(SOURCE_DIR, "plugin.js"), "utf8").slice(0, 400);
        assert.ok(head.startsWith(sourcePlugin.HEADER), "plugin.js opens with the generated header");
        assert.match(head, new RegExp(`pulumi-resource-vercel-client-certs ${version.replace(/\./g, "\\.")}:`), "the bundle's banner carries the version");
    });

    it("a build that differs is named: a changed bundle, a missing license, a license no longer bundled", function () {
        const other = fs.mkdtempSync(path.join(os.tmpdir(), "source-plugin-build-"));
        try {
            fs.cpSync(built, other, { recursive: true });
            fs.appendFileSync(path.join(other, "plugin.js"), "\n// a source change\n");
            const names = fs.readdirSync(path.join(other, "licenses")).sort();
            fs.writeFileSync(path.join(other, "licenses", "new-dep.LICENSE"), "MIT\n");
            fs.rmSync(path.join(other, "licenses", names[0]));
            assert.deepEqual(sourcePlugin.staleFiles(SOURCE_DIR, other), [
                "source-plugin/plugin.js: differs from the build",
                "source-plugin/licenses/new-dep.LICENSE: missing",
                `source-plugin/licenses/${names[0]}: not in the build (a package no longer bundled)`,
            ]);
            // The command a maintainer and `npm run release` run says the same, with exit 1 (checked against this
            // tree's own build, it passes).
            const ok = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts", "sourcePlugin.js"), "--check"], { encoding: "utf8" });
            assert.equal(ok.status, 0, ok.stderr);
        } finally {
            fs.rmSync(other, { recursive: true, force: true });
        }
    });

    it("package.json: private, main plugin.js, the package's version, one dependency: the tested @pulumi/pulumi; PulumiPlugin.yaml: runtime nodejs", function () {
        const pkg = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, "package.json"), "utf8"));
        assert.equal(pkg.private, true);
        assert.equal(pkg.main, "plugin.js");
        assert.equal(pkg.version, version);
        assert.deepEqual(pkg.dependencies, { "@pulumi/pulumi": testedPulumi });
        assert.equal(pkg.devDependencies, undefined);
        assert.equal(pkg.scripts, undefined, "no install-time build");
        const yaml = fs.readFileSync(path.join(SOURCE_DIR, "PulumiPlugin.yaml"), "utf8");
        assert.deepEqual(
            yaml.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#")),
            ["runtime:", "  name: nodejs", "  options:", "    nodeargs: --pwd /"],
        );
    });
});

describe("source route: `pulumi package add <clone at v<version>>/source-plugin` from YAML, TypeScript and Go (real CLI)", function () {
    this.timeout(1_800_000);
    let cli = "";
    let fake: FakeVercel;
    let tmp = "";
    let folder = "";
    const stacks: PluginStack[] = [];
    const timings: string[] = [];

    before(async function () {
        cli = await requireCli(this);
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "source-route-"));
        const clone = path.join(tmp, "pulumi-vercel-client-certs");
        const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
        execFileSync("git", ["clone", "--quiet", "--no-checkout", REPO_ROOT, clone], { stdio: "pipe" });
        execFileSync("git", ["tag", `v${version}`, head], { cwd: clone, stdio: "pipe" });
        execFileSync("git", ["-c", "advice.detachedHead=false", "checkout", "--quiet", `v${version}`], { cwd: clone, stdio: "pipe" });
        folder = path.join(clone, "source-plugin");
        assert.ok(!fs.existsSync(path.join(folder, "node_modules")), "a fresh clone has no node_modules");
    });
    after(async () => {
        await fake?.stop();
        if (timings.length) console.log(`      (source route: ${timings.join("; ")})`);
        for (const s of stacks) {
            console.log(`      (${path.basename(s.root)}: ${s.log.map((l) => `${l.args.split(" ").slice(0, 2).join(" ")} ${l.code} ${l.ms} ms`).join("; ")})`);
            s.dispose();
        }
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    /** A program's stack whose commands let npm use its cache first. */
    function newStack(name: string): PluginStack {
        const stack = new PluginStack(cli, `source-${name}`, {
            VERCEL_API_URL: fake.url,
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            npm_config_prefer_offline: "true",
            npm_config_audit: "false",
            npm_config_fund: "false",
        });
        stacks.push(stack);
        return stack;
    }

    /** `pulumi package add <folder>`: exit 0, the CLI's words, its time recorded. */
    async function packageAdd(stack: PluginStack, label: string): Promise<void> {
        const add = await stack.expect(["package", "add", folder]);
        timings.push(`${label} package add ${add.ms} ms`);
        const said = add.stdout + add.stderr;
        assert.match(said, /Installing dependencies\.\.\./);
        assert.match(said, /Successfully generated an SDK for the vercel-client-certs package at /);
        assert.match(said, /Added package Vercel Client Certificates/);
        const project = fs.readFileSync(path.join(stack.programDir, "Pulumi.yaml"), "utf8");
        assert.match(project, new RegExp(`^packages:\\n  vercel-client-certs: ${escapeRegExp(folder)}\\n`, "m"));
    }

    /** `up` creates the resource; its certificate ids are the fake API's. */
    async function upCreates(stack: PluginStack): Promise<void> {
        await stack.init({ project: "web-app", "vercel-client-certs:team": "team_acme" }, { "vercel-client-certs:apiToken": SANDBOX_TOKEN });
        const up = await stack.expect(["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, new RegExp(`\\+\\s+${TYPE}\\s+certs\\s+created`));
        assert.deepEqual(await stack.output("certIds"), CERT_IDS);
        const state = await stack.exportState();
        assert.ok(!state.includes(SANDBOX_TOKEN), "no token in state");
        // The provider in state is the source plugin (no plugin was installed in this PULUMI_HOME).
        assert.match(state, /"type": "pulumi:providers:vercel-client-certs"/);
    }

    it("YAML: package add records the folder under packages: and writes sdks/; Pulumi's npm install brought only @pulumi/pulumi's tree; up creates the resource", async function () {
        const stack = newStack("yaml");
        fs.writeFileSync(
            path.join(stack.programDir, "Pulumi.yaml"),
            "name: source-yaml\nruntime: yaml\n",
        );
        await packageAdd(stack, "YAML (cold: npm install in the clone)");
        assert.ok(fs.existsSync(path.join(stack.programDir, "sdks", "vercel-client-certs", `vercel-client-certs-${version}.yaml`)));
        fs.appendFileSync(
            path.join(stack.programDir, "Pulumi.yaml"),
            `resources:\n  certs:\n    type: ${TYPE}\n    properties:\n      idOrName: web-app\noutputs:\n  certIds: \${certs.certIds}\n`,
        );

        const modules = path.join(folder, "node_modules");
        const installed = JSON.parse(fs.readFileSync(path.join(modules, "@pulumi", "pulumi", "package.json"), "utf8"));
        assert.equal(installed.version, testedPulumi);
        const present = TOOLING.filter((name) => fs.existsSync(path.join(modules, name)));
        assert.deepEqual(present, [], "no test or build tooling in the source plugin's node_modules");
        // What Pulumi added to the clone: node_modules and npm's lockfile, both ignored by git.
        assert.equal(execFileSync("git", ["status", "--porcelain"], { cwd: folder, encoding: "utf8" }), "");
        await upCreates(stack);
    });

    it("TypeScript (tsconfig target ES2022): package add links sdks/vercel-client-certs as a file: dependency; the program type-checks; up creates the resource", async function () {
        const stack = newStack("node");
        const dir = stack.programDir;
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: source-node\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "source-node", private: true }));
        const versionOf = (dep: string) => require(`${dep}/package.json`).version as string;
        execFileSync(
            npm,
            ["install", "--no-audit", "--no-fund", "--prefer-offline", `@pulumi/pulumi@${testedPulumi}`, `typescript@${versionOf("typescript")}`, `@types/node@${versionOf("@types/node")}`],
            { cwd: dir, stdio: "pipe" },
        );
        await packageAdd(stack, "TypeScript");
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        const [sdkName, spec] = Object.entries(pkg.dependencies as Record<string, string>).find(([, v]) => v.startsWith("file:")) ?? [];
        assert.equal(spec, "file:sdks/vercel-client-certs", JSON.stringify(pkg.dependencies));
        // One @pulumi/pulumi, the tested one: the program's, which the linked SDK uses too.
        const installed = (p: string) => JSON.parse(fs.readFileSync(path.join(p, "@pulumi", "pulumi", "package.json"), "utf8")).version;
        assert.equal(installed(path.join(dir, "node_modules")), testedPulumi);
        assert.ok(!fs.existsSync(path.join(dir, "node_modules", sdkName!, "node_modules", "@pulumi", "pulumi")), "the SDK has no @pulumi/pulumi of its own");
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            `import * as pulumi from "@pulumi/pulumi";\nimport * as vcc from "${sdkName}";\n\n` +
                'const certs = new vcc.ProjectClientCerts("certs", { idOrName: new pulumi.Config().require("project") });\n' +
                "export const certIds = certs.certIds;\n",
        );
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            // ES2022: newer than the TypeScript 3.8.3 that run-plugin compiles with would take from this folder
            // (PulumiPlugin.yaml's `--pwd /` is why the plugin starts anyway).
            JSON.stringify({
                compilerOptions: { strict: true, target: "ES2022", lib: ["ES2022"], module: "commonjs", moduleResolution: "node", noEmit: true },
                files: ["index.ts"],
            }),
        );
        execFileSync(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: dir, stdio: "pipe" });
        await upCreates(stack);
    });

    it("Go: package add writes sdks/vercel-client-certs and a go.mod replace; the program keeps the tested Pulumi SDK; up creates the resource", async function () {
        const stack = newStack("go");
        const dir = stack.programDir;
        const example = path.join(REPO_ROOT, "examples", "go");
        for (const file of ["main.go", "go.mod", "go.sum"]) fs.copyFileSync(path.join(example, file), path.join(dir, file));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: source-go\nruntime: go\n");
        const module = "github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs/sdk/go";
        // A new program: no SDK required yet (package add links it).
        execFileSync("go", ["mod", "edit", `-droprequire=${module}`], { cwd: dir, stdio: "pipe", env: { ...process.env, GOTOOLCHAIN: "local" } });
        await packageAdd(stack, "Go");
        const goMod = fs.readFileSync(path.join(dir, "go.mod"), "utf8");
        assert.match(goMod, new RegExp(`^replace ${module} => \\./sdks/vercel-client-certs$`, "m"));
        assert.match(goMod, /^\tgithub\.com\/pulumi\/pulumi\/sdk\/v3 v3\.248\.0$/m, "the program's go.mod keeps the Pulumi SDK it pinned");
        assert.ok(fs.existsSync(path.join(dir, "sdks", "vercel-client-certs", "vercelclientcerts", "projectClientCerts.go")));
        await upCreates(stack);
    });
});
