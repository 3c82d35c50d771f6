/**
 * `npm run release [-- --tag v<version>] [-- --no-build]`: builds every asset of a release into dist/release/, and
 * nothing else there (docs/releasing.md):
 *
 * - `pulumi-resource-vercel-client-certs-v<version>-<os>-<arch>.tar.gz` for linux, darwin and windows × amd64 and
 *   arm64 (Pulumi's standard asset names, `.tar.gz` for Windows too): plugin.js (one bundle, any OS), LICENSE,
 *   licenses/, and the launchers (scripts/launchers.js): `sh` for linux/darwin, `.cmd` and `.exe` for windows;
 * - `schema.json`: the plugin's schema;
 * - `pulumi-vercel-client-certs-<version>.tgz`: the TypeScript package (`npm pack`);
 * - `pulumi-vercel-client-certs-sdk-<version>.tgz`: the Node.js SDK, compiled (JavaScript and `.d.ts`), so one
 *   `npm install <tgz>` is all a user does;
 * - `pulumi_vercel_client_certs-<pep440>-py3-none-any.whl` and `.tar.gz`: the Python SDK, built offline with
 *   `python -m build --no-isolation` (Debian's python3-build, python3-wheel, python3-setuptools);
 * - `SHA256SUMS`: `sha256sum -c` format, over every other file.
 *
 * The Go SDK is released by the tag `sdk/go/v<version>` (its module is github.com/<owner>/<repo>/sdk/go), pushed
 * by the release workflow; nothing for it here.
 *
 * Before it writes anything it checks that every place carrying the version says package.json's
 * (scripts/releaseVersion.ts) and, after the build, that the committed source-plugin/ bundle is the build's
 * (scripts/sourcePlugin.js --check); after, that dist/release/ holds exactly the assets above, each stamped with it.
 * With `--tag`, the tag must be `v<version>` and the CHANGELOG's Unreleased section must be empty.
 *
 * Python: `$PYTHON` if set, else /usr/bin/python3 (Debian's, where python3-build lives; a pyenv `python3` on PATH
 * has no `build` module), else `python3`. Bounds: each step's child process at most 10 minutes.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    archiveName,
    changelogVersion,
    hasUnreleasedEntries,
    isSemver,
    mismatches,
    packageVersion,
    PLATFORMS,
    releaseAssetNames,
    releaseVersionPlaces,
    sourceVersionPlaces,
} from "./releaseVersion";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeLaunchers } = require("./launchers") as { writeLaunchers: (dir: string, version: string, os: string, arch: string) => string[] };

const REPO = path.resolve(__dirname, "..");
/** Where the assets go. */
export const RELEASE_DIR = path.join(REPO, "dist", "release");
/** Scratch space for staging (removed at the end). */
const WORK_DIR = path.join(REPO, "dist", "release-work");
/** The plugin folder scripts/buildPlugin.js writes. */
const PLUGIN_DIR = path.join(REPO, "dist", "plugin", "vercel-client-certs");
/** The longest any one child process may run. */
const STEP_TIMEOUT_MS = 10 * 60_000;

/** Runs a command to its end; fails naming it, with its output, unless it exits 0. */
function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, ...opts });
    if (r.status !== 0) {
        throw new Error(`release: ${cmd} ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout ?? ""}${r.stderr ?? ""}`);
    }
    return String(r.stdout ?? "");
}

/** A deterministic .tar.gz of `files` (relative to `dir`) at the archive's root. */
function tarGz(dir: string, files: string[], out: string): void {
    run("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-czf", out, "-C", dir, ...files.sort()]);
}

/** The Python interpreter that has Debian's `build`, `wheel` and `setuptools`. */
function python(): string {
    if (process.env.PYTHON) return process.env.PYTHON;
    return fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

/** The six plugin archives: the shared files plus each platform's launchers. */
function writeArchives(version: string): void {
    const shared = ["plugin.js", "LICENSE", "licenses"];
    for (const name of shared) {
        if (!fs.existsSync(path.join(PLUGIN_DIR, name))) throw new Error(`release: ${PLUGIN_DIR}/${name} is missing; run \`npm run plugin\``);
    }
    for (const p of PLATFORMS) {
        const stage = path.join(WORK_DIR, `${p.os}-${p.arch}`);
        fs.mkdirSync(stage, { recursive: true });
        for (const name of shared) fs.cpSync(path.join(PLUGIN_DIR, name), path.join(stage, name), { recursive: true });
        const launchers = writeLaunchers(stage, version, p.os, p.arch);
        tarGz(stage, [...shared, ...launchers], path.join(RELEASE_DIR, archiveName(version, p)));
    }
}

/** The TypeScript package, as `npm pack` makes it (already built: its prepack would only build again). */
function packTypeScriptPackage(): void {
    run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", RELEASE_DIR], { cwd: REPO });
}

/**
 * The Node.js SDK as an installable tarball: sdk/nodejs compiled with its own tsconfig (against this repository's
 * @pulumi/pulumi and TypeScript, found by walking up from dist/), then package.json, README and LICENSE beside the
 * output, without the build script and dev dependencies the user no longer needs, packed.
 */
function packNodeSdk(): void {
    const src = path.join(WORK_DIR, "nodejs");
    fs.cpSync(path.join(REPO, "sdk", "nodejs"), src, { recursive: true });
    run(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [REPO] }), "-p", path.join(src, "tsconfig.json")], { cwd: src });
    const bin = path.join(src, "bin");
    const pkg = JSON.parse(fs.readFileSync(path.join(src, "package.json"), "utf8"));
    delete pkg.scripts;
    delete pkg.devDependencies;
    pkg.main = "index.js";
    pkg.types = "index.d.ts";
    fs.writeFileSync(path.join(bin, "package.json"), `${JSON.stringify(pkg, null, 4)}\n`);
    fs.copyFileSync(path.join(src, "README.md"), path.join(bin, "README.md"));
    fs.copyFileSync(path.join(REPO, "LICENSE"), path.join(bin, "LICENSE"));
    run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", RELEASE_DIR], { cwd: bin });
}

/** The Python SDK's wheel and sdist, built offline from a copy of sdk/python with the repository's README and LICENSE. */
function buildPythonSdk(): void {
    const src = path.join(WORK_DIR, "python");
    fs.cpSync(path.join(REPO, "sdk", "python"), src, { recursive: true });
    fs.copyFileSync(path.join(REPO, "sdk", "nodejs", "README.md"), path.join(src, "README.md"));
    fs.copyFileSync(path.join(REPO, "LICENSE"), path.join(src, "LICENSE"));
    const py = python();
    const probe = spawnSync(py, ["-c", "import build, wheel, setuptools"], { encoding: "utf8" });
    if (probe.status !== 0) {
        throw new Error(
            `release: ${py} lacks build/wheel/setuptools (${probe.stderr.trim().split("\n").pop()}). ` +
                "On Debian/Ubuntu: apt-get install -y python3-build python3-wheel python3-setuptools (or set PYTHON)",
        );
    }
    run(py, ["-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", RELEASE_DIR, src], {
        cwd: src,
        env: { ...process.env, PIP_NO_INDEX: "1", SOURCE_DATE_EPOCH: "315532800" },
    });
}

/** SHA256SUMS over every other file, `sha256sum -c` format, sorted by name. */
function writeChecksums(): void {
    const lines = fs
        .readdirSync(RELEASE_DIR)
        .filter((f) => f !== "SHA256SUMS")
        .sort()
        .map((f) => `${createHash("sha256").update(fs.readFileSync(path.join(RELEASE_DIR, f))).digest("hex")}  ${f}`);
    fs.writeFileSync(path.join(RELEASE_DIR, "SHA256SUMS"), `${lines.join("\n")}\n`);
}

/** What `npm run release` was asked. */
export interface ReleaseOptions {
    /** The git tag being released (`v<version>`); also requires an empty Unreleased section. */
    tag?: string;
    /** Skip `npm run build` and `npm run plugin` (they already ran). */
    noBuild?: boolean;
    /** Progress lines. */
    log?: (line: string) => void;
}

/** Checks the version everywhere, builds every asset into dist/release/, and checks what it wrote. */
export function release(opts: ReleaseOptions = {}): string[] {
    const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const version = packageVersion();
    if (!isSemver(version)) throw new Error(`release: package.json's version ${version} is not semver`);
    const changelog = fs.readFileSync(path.join(REPO, "CHANGELOG.md"), "utf8");
    if (opts.tag !== undefined) {
        if (opts.tag !== `v${version}`) throw new Error(`release: tag ${opts.tag} is not v${version} (package.json's version)`);
        if (hasUnreleasedEntries(changelog)) {
            throw new Error(`release: CHANGELOG.md still has entries under "## Unreleased": move them under "## ${version}" before tagging`);
        }
    }
    const before = mismatches(sourceVersionPlaces());
    if (before.length > 0) {
        throw new Error(
            `release: these places do not say package.json's version ${version} (CHANGELOG: ${changelogVersion(changelog) ?? "none"}):\n` +
                `  ${before.join("\n  ")}\nRun \`npm run gen-sdk\` after changing the version, and head the CHANGELOG's section "## ${version}".`,
        );
    }
    const started = Date.now();
    if (!opts.noBuild) {
        log("release: npm run build, npm run plugin");
        run("npm", ["run", "--silent", "build"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
        run(process.execPath, [path.join(REPO, "scripts", "buildPlugin.js")], { cwd: REPO });
    }
    // The committed source plugin (source-plugin/, the `pulumi package add` source route) must be this build's.
    run(process.execPath, [path.join(REPO, "scripts", "sourcePlugin.js"), "--check"], { cwd: REPO });
    fs.rmSync(RELEASE_DIR, { recursive: true, force: true });
    fs.rmSync(WORK_DIR, { recursive: true, force: true });
    fs.mkdirSync(RELEASE_DIR, { recursive: true });
    fs.mkdirSync(WORK_DIR, { recursive: true });
    try {
        const steps: [string, () => void][] = [
            ["plugin archives (6)", () => writeArchives(version)],
            ["schema.json", () => fs.copyFileSync(path.join(REPO, "provider", "plugin", "schema.json"), path.join(RELEASE_DIR, "schema.json"))],
            ["TypeScript package (npm pack)", packTypeScriptPackage],
            ["Node.js SDK (tsc, npm pack)", packNodeSdk],
            ["Python SDK (wheel, sdist)", buildPythonSdk],
            ["SHA256SUMS", writeChecksums],
        ];
        for (const [name, step] of steps) {
            const t = Date.now();
            step();
            log(`release: ${name} (${Date.now() - t} ms)`);
        }
    } finally {
        fs.rmSync(WORK_DIR, { recursive: true, force: true });
    }
    const after = mismatches(releaseVersionPlaces(RELEASE_DIR, version));
    if (after.length > 0) throw new Error(`release: dist/release/ is not what a release must be:\n  ${after.join("\n  ")}`);
    log(`release: dist/release/ v${version}, ${releaseAssetNames(version).length} files (${Date.now() - started} ms)`);
    return releaseAssetNames(version);
}

function main(argv: string[]): void {
    const opts: ReleaseOptions = {};
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--tag") opts.tag = argv[++i];
        else if (argv[i].startsWith("--tag=")) opts.tag = argv[i].slice("--tag=".length);
        else if (argv[i] === "--no-build") opts.noBuild = true;
        else throw new Error(`release: unknown argument ${JSON.stringify(argv[i])} (use --tag v<version>, --no-build)`);
    }
    for (const name of release(opts)) process.stdout.write(`dist/release/${name}\n`);
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(1);
    }
}
