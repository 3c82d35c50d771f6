/**
 * The CLI locator and builder (scripts/pulumiCli.ts), run as `npm run pulumi-cli` runs it: two at once into an
 * empty cache build one binary between them (one waits on the other's lock), a third run finds it in the cache,
 * and the repository gains no file. It builds the lockfile's version (PULUMI_CLI_VERSION), which `.ci/run` built. Needs `go`; Go's own caches make this a rebuild of seconds once `.ci/run`
 * has built the CLI. Also: with `PULUMI_CLI_VERSION` set, a CLI on PATH of another version is passed over for the
 * cached one (GitHub's CI has a released CLI on PATH and asks for the newest by that variable).
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedCliPath, sdkVersion } from "../scripts/pulumiCli";
import { spawnCollect } from "../scripts/runPulumi";
import { REPO_ROOT } from "./support/providerHost";
import { NEWEST_CLI } from "./support/releaseRoutes";

const SCRIPT = ["-r", "ts-node/register/transpile-only", path.join(REPO_ROOT, "scripts", "pulumiCli.ts")];

/** Every file and directory of the repository (node_modules and .git aside), with sizes. */
function repoFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (entry.name === "node_modules" || entry.name === ".git") continue;
            const full = path.join(dir, entry.name);
            out.push(`${path.relative(REPO_ROOT, full)}${entry.isFile() ? ` ${fs.statSync(full).size}` : "/"}`);
            if (entry.isDirectory()) walk(full);
        }
    };
    walk(REPO_ROOT);
    return out.sort();
}

const locate = (env: NodeJS.ProcessEnv) => spawnCollect(process.execPath, SCRIPT, REPO_ROOT, env, 1_200_000);

describe("npm run pulumi-cli: the locator and builder", function () {
    this.timeout(1_200_000);

    it("the tests' newest CLI is the one .ci/run builds before pass 1", function () {
        const ciRun = fs.readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8");
        assert.equal(/^NEWEST_CLI=(\S+)$/m.exec(ciRun)?.[1], NEWEST_CLI);
    });

    it("with PULUMI_CLI_VERSION set, a pulumi on PATH of another version is passed over for the cached one", async function () {
        // GitHub's CI (.github/workflows/ci.yml) puts a released CLI on PATH and .ci/run still asks for the newest
        // by PULUMI_CLI_VERSION. Both are real CLIs: PULUMI_CLI (which .ci/run exports) or the cached default one on
        // PATH, and the newest (.ci/run's NEWEST_CLI) from the cache .ci/run filled.
        const onPathCli = process.env.PULUMI_CLI ?? cachedCliPath();
        const newest = NEWEST_CLI;
        const newestCli = cachedCliPath(newest);
        if (!fs.existsSync(onPathCli) || !fs.existsSync(newestCli)) {
            if (process.env.CI === "true") throw new Error(`CI=true: both CLIs must be built (npm run pulumi-cli; PULUMI_CLI_VERSION=${newest} npm run pulumi-cli)`);
            this.skip();
        }
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "vcc-path-cli-"));
        fs.symlinkSync(onPathCli, path.join(bin, "pulumi"));
        const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` };
        delete env.PULUMI_CLI;
        try {
            const asked = await locate({ ...env, PULUMI_CLI_VERSION: newest });
            assert.equal(asked.code, 0, asked.stderr);
            assert.equal(asked.stdout.trim(), newestCli);
            assert.match(asked.stderr, new RegExp(`is v${sdkVersion().replace(/\./g, "\\.")}, not v${newest.replace(/\./g, "\\.")}; looking in the cache`));
            assert.match(asked.stderr, new RegExp(`pulumi-cli: v${newest.replace(/\./g, "\\.")} \\(cache\\)`));
            // Without PULUMI_CLI_VERSION the CLI on PATH is the answer, whatever its version.
            const plain = { ...env };
            delete plain.PULUMI_CLI_VERSION;
            const found = await locate(plain);
            assert.equal(found.code, 0, found.stderr);
            assert.equal(found.stdout.trim(), path.join(bin, "pulumi"));
            assert.match(found.stderr, /\(PATH\)/);
        } finally {
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });

    it("two runs at once into an empty cache build once; a third finds the cache; the repo is untouched", async function () {
        if (spawnSync("go", ["version"]).status !== 0) this.skip();
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-cache-"));
        // No pulumi on PATH and no PULUMI_CLI: only the cache or a build can answer.
        const pathWithoutPulumi = (process.env.PATH ?? "")
            .split(path.delimiter)
            .filter((dir) => !fs.existsSync(path.join(dir, "pulumi")))
            .join(path.delimiter);
        // Go derives its build cache from XDG_CACHE_HOME too: keep Go's own, so this is a rebuild, not a cold build.
        const goCache = execFileSync("go", ["env", "GOCACHE"], { encoding: "utf8" }).trim();
        // The lockfile's version (the one .ci/run built, so Go's caches are warm), even where a newer SDK is installed.
        const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")).packages["node_modules/@pulumi/pulumi"].version;
        const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutPulumi, XDG_CACHE_HOME: cache, GOCACHE: goCache, PULUMI_CLI_VERSION: version };
        delete env.PULUMI_CLI;
        const before = repoFiles();
        try {
            const [a, b] = await Promise.all([locate(env), locate(env)]);
            assert.equal(a.code, 0, a.stderr);
            assert.equal(b.code, 0, b.stderr);
            const expected = path.join(cache, "pulumi-vercel-client-certs", "pulumi-cli", `v${version}`, "pulumi");
            assert.equal(a.stdout.trim(), expected);
            assert.equal(b.stdout.trim(), expected);
            const builds = [a, b].filter((r) => /\(built\)/.test(r.stderr));
            assert.equal(builds.length, 1, `exactly one built:\n${a.stderr}\n---\n${b.stderr}`);
            assert.match(builds[0].stderr, /building pulumi v\d+\.\d+\.\d+ from Go modules/);
            assert.ok(fs.existsSync(path.join(path.dirname(expected), "pulumi-resource-pulumi-nodejs")));
            // Pulumi's own language hosts are installed beside it (from shared/tools, checksum verified), where a
            // released CLI keeps them, and both runs report the Node.js one.
            assert.deepEqual(fs.readdirSync(path.dirname(expected)).sort(), [
                "pulumi",
                "pulumi-language-go",
                "pulumi-language-nodejs",
                "pulumi-language-python",
                "pulumi-language-python-exec",
                "pulumi-language-yaml",
                "pulumi-resource-pulumi-nodejs",
            ]);
            for (const r of [a, b]) assert.match(r.stderr, /Node\.js language host: \/\S+\/pulumi-language-nodejs/);

            const c = await locate(env);
            assert.equal(c.code, 0);
            assert.match(c.stderr, /\(cache\)/);
            assert.equal(c.stdout.trim(), expected);
            assert.deepEqual(repoFiles(), before, "the locator wrote nothing into the repository");
        } finally {
            fs.rmSync(cache, { recursive: true, force: true });
        }
    });
});
