/**
 * The committed SDKs (sdk/go, sdk/python, sdk/nodejs) are exactly what `npm run gen-sdk` makes from the plugin's
 * schema today, so they never go stale, and each one compiles with its own language's tools: the Go SDK builds,
 * every Python file compiles, and the Node.js SDK type-checks with its own tsconfig against this repository's
 * @pulumi/pulumi.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findFiles, generateSdks, SDK_DIR, SDK_LANGUAGES } from "../scripts/genSdk";
import { requireCli } from "./support/cli";

/** Runs a command to its end and fails with its output unless it exits 0. */
function mustRun(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
    const result = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 10 * 60_000 });
    assert.equal(result.status, 0, `${cmd} ${args.join(" ")} in ${cwd} exited ${result.status}\n${result.stdout}${result.stderr}`);
    return result.stdout;
}

/** Every file under `dir`, relative, sorted. */
function listing(dir: string): string[] {
    return findFiles(dir).map((f) => path.relative(dir, f));
}

describe("generated SDKs (sdk/)", function () {
    this.timeout(900_000);
    let cli: string;

    before(async function () {
        cli = await requireCli(this);
    });

    it("regenerating from provider/plugin/schema.json gives exactly the committed sdk/go, sdk/python, sdk/nodejs", function () {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-regen-"));
        try {
            generateSdks({ cli, outDir: out, log: () => undefined });
            const stale: string[] = [];
            for (const language of SDK_LANGUAGES) {
                const fresh = path.join(out, language);
                const committed = path.join(SDK_DIR, language);
                const names = new Set([...listing(fresh), ...listing(committed)]);
                for (const name of [...names].sort()) {
                    const a = path.join(fresh, name);
                    const b = path.join(committed, name);
                    if (!fs.existsSync(a)) stale.push(`sdk/${language}/${name}: committed, no longer generated`);
                    else if (!fs.existsSync(b)) stale.push(`sdk/${language}/${name}: generated, not committed`);
                    else if (!fs.readFileSync(a).equals(fs.readFileSync(b))) stale.push(`sdk/${language}/${name}: differs`);
                }
            }
            assert.deepEqual(stale, [], "the committed SDKs are stale: run `npm run gen-sdk` and commit sdk/");
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("every SDK carries package.json's version, and the Go SDK is its own module on the lockfile's Pulumi SDK", function () {
        const version = require("../package.json").version as string;
        const pluginJson = (file: string) => JSON.parse(fs.readFileSync(path.join(SDK_DIR, file), "utf8"));
        assert.equal(pluginJson("go/vercelclientcerts/pulumi-plugin.json").version, version);
        assert.equal(pluginJson("python/pulumi_vercel_client_certs/pulumi-plugin.json").version, version);
        assert.equal(pluginJson("nodejs/package.json").version, version);
        assert.match(fs.readFileSync(path.join(SDK_DIR, "python/setup.py"), "utf8"), new RegExp(`^VERSION = "${version.replace(/\./g, "\\.")}"$`, "m"));
        const goMod = fs.readFileSync(path.join(SDK_DIR, "go/go.mod"), "utf8");
        assert.match(goMod, /^module github\.com\/[^/\s]+\/[^/\s]+\/sdk\/go$/m);
        const pulumiVersion = require("../package-lock.json").packages["node_modules/@pulumi/pulumi"].version as string;
        assert.match(goMod, new RegExp(`github\\.com/pulumi/pulumi/sdk/v3 v${pulumiVersion.replace(/\./g, "\\.")}\\b`));
        assert.ok(fs.existsSync(path.join(SDK_DIR, "go/go.sum")), "sdk/go/go.sum is committed");
    });

    it("the Go SDK builds: go build ./... in sdk/go", function () {
        // -trimpath, as Pulumi's Go host builds programs: Go's build cache then already holds Pulumi's Go SDK (.ci/run's
        // warm-up compiled it that way), where a plain build compiles it all again (about 80 s with a cold cache).
        mustRun("go", ["build", "-trimpath", "./..."], path.join(SDK_DIR, "go"), { GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly" });
    });

    it("every .py file of the Python SDK compiles (python3 -m py_compile)", function () {
        const files = findFiles(path.join(SDK_DIR, "python"), (f) => f.endsWith(".py"));
        assert.ok(files.length >= 5, `Python files found: ${files.length}`);
        // Bytecode goes to a scratch prefix, never into sdk/python.
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-pycache-"));
        try {
            mustRun("python3", ["-m", "py_compile", ...files], SDK_DIR, { PYTHONPYCACHEPREFIX: cache });
        } finally {
            fs.rmSync(cache, { recursive: true, force: true });
        }
    });

    it("the Node.js SDK type-checks with its own tsconfig (tsc --noEmit, @pulumi/pulumi from the repository)", function () {
        const tsc = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");
        mustRun(process.execPath, [tsc, "-p", path.join(SDK_DIR, "nodejs", "tsconfig.json"), "--noEmit"], path.join(SDK_DIR, "nodejs"));
    });
});

describe("examples/python on the generated Python SDK (compiled and name-checked: no Python Pulumi runtime here)", function () {
    const example = path.join(SDK_DIR, "..", "examples", "python", "__main__.py");

    it("compiles (python3 -m py_compile)", function () {
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "example-pycache-"));
        try {
            mustRun("python3", ["-m", "py_compile", example], SDK_DIR, { PYTHONPYCACHEPREFIX: cache });
        } finally {
            fs.rmSync(cache, { recursive: true, force: true });
        }
    });

    it("every SDK class, function, argument and output it uses is in sdk/python (certIdByOrigin included)", function () {
        const checker = path.join(__dirname, "support", "pythonSdkNames.py");
        const out = mustRun("python3", [checker, path.join(SDK_DIR, "python", "pulumi_vercel_client_certs"), example, "vcc"], SDK_DIR);
        const { used, problems } = JSON.parse(out) as { used: string[]; problems: string[] };
        assert.deepEqual(problems, []);
        // What the example must exercise, so the check cannot pass by finding nothing.
        for (const name of [
            "vcc.ProjectClientCerts(id_or_name=)",
            "vcc.ProjectClientCerts(require_origins=)",
            "vcc.get_project_client_certs_output(id_or_name=)",
            "ProjectClientCerts.cert_id_by_origin",
            "GetProjectClientCertsResult.cert_ids",
        ]) {
            assert.ok(used.includes(name), `examples/python does not use ${name}: ${used.join(", ")}`);
        }
    });
});
