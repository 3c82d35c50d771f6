/**
 * Finds a working Pulumi CLI, or builds one from Go modules.
 *
 * Order: `PULUMI_CLI` (an explicit path) → `pulumi` on PATH (at `PULUMI_CLI_VERSION`, when that is set) → the copy cached for this version in the user's cache
 * directory → a build with `go`, when `go` is on PATH → a message saying how to get one.
 *
 * The version is the installed `@pulumi/pulumi`'s (the lockfile's), so the engine and the SDK match, unless
 * `PULUMI_CLI_VERSION` names another. The build runs
 * in a scratch Go module: `pkg/go.mod` has `replace` lines, so `go install …/cmd/pulumi@vX` is refused, while a
 * dependency's `replace` lines are ignored. The version is only set through `-ldflags -X`; the flags are the release
 * build's (CGO_ENABLED=0, -trimpath, tags osusergo and grpcnotrace, -w -s), plus one that only saves work: the
 * compiler skips the DWARF debug information that `-w` makes the linker drop anyway (`-gcflags=all=-dwarf=false`,
 * about 11 % faster; docs/development.md, "Cold runs"). The compiler runs with `GOGC=400` unless `GOGC` is set: a
 * faster build of the same binary, for more memory (`BUILD_GOGC`).
 *
 * Safe to run twice at once: one build at a time holds a lock directory (a dead holder's lock is taken over), the
 * binary is written under a temporary name and renamed into place, and a waiter re-checks the cache when the lock
 * frees. Nothing is written inside the repository.
 *
 * Bounds: a build may take at most `PULUMI_CLI_BUILD_TIMEOUT_MS` (default 40 min); a waiter waits at most that long
 * for another build's lock. Memory: Go compiles two packages at a time on 2 cores; with `GOGC=400` the build of
 * Pulumi's Go SDK and its dependencies peaked at 1.2 GB in one process (1.0 GB at Go's default).
 *
 * Run as a script, it prints the path of the CLI on stdout (progress goes to stderr) and exits 1 with instructions
 * when there is none.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as crypto from "node:crypto";
import * as zlib from "node:zlib";

/**
 * The CLI version to find or build: `PULUMI_CLI_VERSION` if set (e.g. `3.248.0`), else the `@pulumi/pulumi`
 * version installed next to this repo, so engine and SDK match.
 */
export function sdkVersion(): string {
    const wanted = process.env.PULUMI_CLI_VERSION?.trim().replace(/^v/, "");
    if (wanted) {
        if (!/^\d{1,4}\.\d{1,4}\.\d{1,4}$/.test(wanted)) throw new Error(`PULUMI_CLI_VERSION must look like 3.248.0, got "${wanted}"`);
        return wanted;
    }
    return require("@pulumi/pulumi/package.json").version as string;
}

/** Where the built CLI for `version` is cached: `$XDG_CACHE_HOME` or `~/.cache`, never the repo. */
export function cachedCliPath(version = sdkVersion()): string {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(base, "pulumi-vercel-client-certs", "pulumi-cli", `v${version}`, "pulumi");
}

/**
 * The version a `pulumi` binary reports, or undefined if it does not run within 30 s; `whyNot` hears why (so a
 * cached CLI that gets rebuilt says what was wrong with it).
 */
export function cliVersion(bin: string, whyNot?: (reason: string) => void): string | undefined {
    const r = spawnSync(bin, ["version"], {
        encoding: "utf8",
        timeout: 30_000,
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    if (r.status === 0) return r.stdout.trim().replace(/^v/, "");
    const how = r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
    whyNot?.(`\`${bin} version\` failed (${how}): ${(r.stderr ?? "").trim().slice(0, 300)}`);
    return undefined;
}

function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // keep looking
        }
    }
    return undefined;
}

/** What {@link locatePulumi} found. */
export interface LocatedCli {
    /** Absolute path of the `pulumi` binary. */
    path: string;
    /** The version it reports. */
    version: string;
    /** Where it came from. */
    source: "PULUMI_CLI" | "PATH" | "cache" | "built";
}

/** How to get a CLI when none is found and none can be built. */
export function howToGetCli(version = sdkVersion()): string {
    return [
        "No Pulumi CLI was found and none could be built.",
        "Any one of these works:",
        "  - install the Pulumi CLI (https://www.pulumi.com/docs/install/) so `pulumi` is on PATH;",
        `  - install Go 1.25 or newer and run \`npm run pulumi-cli\`: it builds pulumi v${version} from Go modules`,
        `    into ${path.dirname(cachedCliPath(version))} (several minutes and about 2 GB of Go caches the first time);`,
        "  - set PULUMI_CLI to the path of a pulumi binary.",
    ].join("\n");
}

/**
 * Returns a working Pulumi CLI. `build: false` only looks; the default builds one with `go` when none is found.
 * Progress of a build goes to `log` (stderr by default).
 */
export async function locatePulumi(
    opts: { build?: boolean; log?: (line: string) => void } = {},
): Promise<LocatedCli | undefined> {
    const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const explicit = process.env.PULUMI_CLI;
    if (explicit) {
        const version = cliVersion(explicit);
        if (!version) throw new Error(`PULUMI_CLI=${explicit} does not run \`pulumi version\`.`);
        return { path: path.resolve(explicit), version, source: "PULUMI_CLI" };
    }
    const fromPath = onPath("pulumi");
    if (fromPath) {
        const version = cliVersion(fromPath);
        // With PULUMI_CLI_VERSION set, a CLI on PATH counts only at that version: GitHub's CI puts a released
        // 3.248.0 on PATH and still asks for the newest CLI by this variable (.ci/run's NEWEST_CLI).
        const wanted = process.env.PULUMI_CLI_VERSION ? sdkVersion() : undefined;
        if (version && (!wanted || version === wanted)) return { path: fromPath, version, source: "PATH" };
        if (version) log(`pulumi-cli: ${fromPath} is v${version}, not v${wanted}; looking in the cache`);
    }
    const version = sdkVersion();
    const cached = cachedCliPath(version);
    const fromCache = () => {
        const why = (reason: string) => log(`pulumi-cli: the cached CLI does not run: ${reason}`);
        const v = fs.existsSync(cached) ? cliVersion(cached, why) : undefined;
        if (!v) return undefined;
        installDynamicProviderPlugin(path.dirname(cached));
        for (const host of LANGUAGE_HOSTS) installLanguageHost(path.dirname(cached), host);
        return { path: cached, version: v, source: "cache" } as const;
    };
    const hit = fromCache();
    if (hit) return hit;
    if (opts.build === false || !onPath("go")) return undefined;
    const builtHere = await buildCli(version, cached, log);
    const found = fromCache();
    return found && (builtHere ? { ...found, source: "built" } : found);
}

/**
 * Puts `pulumi-resource-pulumi-nodejs` beside the binary, where a released Pulumi CLI ships it: the CLI takes
 * plugins from its own directory silently, and warns on every run about one found only on PATH. The file is the
 * small launcher script that ships at the root of the `@pulumi/pulumi` npm package; it resolves the provider host
 * from the program's directory at run time, so one copy serves every program.
 */
function installDynamicProviderPlugin(dir: string): void {
    const dest = path.join(dir, "pulumi-resource-pulumi-nodejs");
    if (fs.existsSync(dest)) return;
    const source = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "pulumi-resource-pulumi-nodejs");
    const tmp = `${dest}.tmp-${process.pid}`;
    fs.copyFileSync(source, tmp);
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, dest);
}

/** The Node.js language host's binary name: a released CLI keeps it beside `pulumi`. */
export const LANGUAGE_HOST = "pulumi-language-nodejs";

/**
 * Pulumi's own language hosts this repository uses, each prebuilt in `shared/tools/<name>/` (gzip + SHA256SUMS):
 * nodejs runs the dynamic provider's programs and generates the Node.js SDK; go and yaml run the plugin's Go and
 * YAML programs (go also generates the Go SDK); python generates the Python SDK (with its `-exec` script beside it).
 */
export const LANGUAGE_HOSTS = ["pulumi-language-nodejs", "pulumi-language-go", "pulumi-language-yaml", "pulumi-language-python"] as const;

/**
 * Where a prebuilt host `name` may be found: `PULUMI_LANGUAGE_NODEJS_DIR` (for the nodejs host; the others follow
 * the same pattern, e.g. `PULUMI_LANGUAGE_GO_DIR`), else `shared/tools/` beside the repository (this workplace's
 * layout; see that folder's README for how each was built from Pulumi's source).
 */
function prebuiltHostDirs(name: string): string[] {
    const repo = path.resolve(__dirname, "..");
    const envName = `${name.replace(/-/g, "_").toUpperCase()}_DIR`;
    return [
        process.env[envName],
        path.join(repo, "..", "shared", "tools", name),
        path.join(repo, "..", "..", "shared", "tools", name),
        path.join(path.parse(repo).root, "work", "shared", "tools", name),
    ].filter((d): d is string => !!d);
}

/**
 * Puts Pulumi's own language host `name` beside a CLI that has none, from a prebuilt copy (gzip + SHA256SUMS),
 * checksum verified (and, for python, its `pulumi-language-python-exec` script); the Go module proxy refuses
 * their modules, so they cannot be built here. Returns its path, or undefined when there is none beside the CLI
 * and no prebuilt copy (callers then fall back, and say so).
 */
export function installLanguageHost(dir: string, name: string = LANGUAGE_HOST): string | undefined {
    const dest = path.join(dir, name);
    if (fs.existsSync(dest)) return dest;
    for (const src of prebuiltHostDirs(name)) {
        const sums = path.join(src, "SHA256SUMS");
        const gz = fs.existsSync(src) ? fs.readdirSync(src).find((f) => f.startsWith(`${name}-`) && f.endsWith(".gz")) : undefined;
        if (!gz || !fs.existsSync(sums)) continue;
        const sumsText = fs.readFileSync(sums, "utf8");
        const expected = (file: string) => new RegExp(`^([0-9a-f]{64})\\s+\\*?${file}$`, "m").exec(sumsText)?.[1];
        const verified = (file: string, bytes: Buffer) => {
            const digest = crypto.createHash("sha256").update(bytes).digest("hex");
            if (digest !== expected(file)) throw new Error(`pulumi-cli: ${file} from ${src} does not match ${sums} (sha256 ${digest})`);
            return bytes;
        };
        const place = (file: string, bytes: Buffer) => {
            const tmp = path.join(dir, `${file}.tmp-${process.pid}`);
            fs.writeFileSync(tmp, bytes, { mode: 0o755 });
            fs.renameSync(tmp, path.join(dir, file));
        };
        // Python's host runs programs through a script beside it; place that first so the host never lacks it.
        const exec = `${name}-exec`;
        if (fs.existsSync(path.join(src, exec))) place(exec, verified(exec, fs.readFileSync(path.join(src, exec))));
        place(name, verified(name, zlib.gunzipSync(fs.readFileSync(path.join(src, gz)))));
        return dest;
    }
    return undefined;
}

/** The real Node.js language host the CLI at `cli` will use (beside it, else on PATH), if any. */
export function languageHostFor(cli: string): string | undefined {
    const beside = path.join(path.dirname(cli), LANGUAGE_HOST);
    return fs.existsSync(beside) ? beside : onPath(LANGUAGE_HOST);
}

/**
 * The garbage-collection target of the Go compiler and linker processes during a build, unless `GOGC` is set:
 * 400 against Go's default 100 makes each compile process collect less often, for about 13 % less compile time at
 * about 20 % more peak memory (1.2 GB instead of 1.0 GB for Pulumi's Go SDK tree; docs/development.md, "CI").
 * The binary is the same: GOGC tunes the compiler's runtime, not what it writes.
 */
const BUILD_GOGC = "400";

const BUILD_TIMEOUT_MS = boundedMs(process.env.PULUMI_CLI_BUILD_TIMEOUT_MS, 40 * 60_000);

function boundedMs(raw: string | undefined, fallback: number): number {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1_000 || n > 2 * 60 * 60_000) {
        throw new Error(`PULUMI_CLI_BUILD_TIMEOUT_MS must be a whole number of ms from 1000 to 7200000, got ${raw}`);
    }
    return n;
}

/**
 * Builds `pulumi` v`version` into `dest`, holding a lock so concurrent callers build once. Resolves true if this
 * call built it, false if another process did meanwhile.
 */
async function buildCli(version: string, dest: string, log: (line: string) => void): Promise<boolean> {
    const dir = path.dirname(dest);
    fs.mkdirSync(dir, { recursive: true });
    const lock = path.join(dir, ".build.lock");
    const deadline = Date.now() + BUILD_TIMEOUT_MS;
    for (;;) {
        try {
            fs.mkdirSync(lock);
            fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
            break;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        if (fs.existsSync(dest)) return false; // another process finished while we looked
        if (lockHolderDead(lock)) {
            log(`pulumi-cli: taking over a stale build lock in ${dir}`);
            fs.rmSync(lock, { recursive: true, force: true });
            continue;
        }
        if (Date.now() > deadline) throw new Error(`pulumi-cli: gave up waiting for another build's lock ${lock}`);
        log("pulumi-cli: another process is building the CLI; waiting for it");
        await new Promise((r) => setTimeout(r, 5_000));
    }
    try {
        if (fs.existsSync(dest) && cliVersion(dest)) return false;
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-build-"));
        try {
            const goEnv = { GOGC: BUILD_GOGC, ...process.env, GOFLAGS: "-mod=mod", GO111MODULE: "on", CGO_ENABLED: "0" };
            const step = async (title: string, args: string[]) => {
                log(`pulumi-cli: ${title}: go ${args.join(" ")}`);
                const started = Date.now();
                await run("go", args, work, goEnv, deadline - Date.now(), log);
                log(`pulumi-cli: ${title}: done in ${Math.round((Date.now() - started) / 1000)} s`);
            };
            const tmp = `${dest}.tmp-${process.pid}`;
            log(`pulumi-cli: building pulumi v${version} from Go modules (the first build takes several minutes)`);
            await step("scratch module", ["mod", "init", "pulumi-cli-build"]);
            await step("fetch modules", [
                "get",
                `github.com/pulumi/pulumi/pkg/v3@v${version}`,
                `github.com/pulumi/pulumi/sdk/v3@v${version}`,
            ]);
            // Pulumi's release flags (.goreleaser.yml and scripts/go-wrapper.sh at v3.248.0): no cgo, -trimpath,
            // the osusergo and grpcnotrace tags, a stripped binary. They also make the build cheaper: no C
            // compiler runs, and the linker drops gRPC's tracing and DWARF. Since the linker drops DWARF, the
            // compiler need not write it: measured here, 11 % less compile time; the machine code differs only
            // in where things sit (the build settings Go records in the binary are longer) and in one generated
            // equality helper (docs/development.md, "Cold runs").
            await step("compile", [
                "build",
                "-trimpath",
                "-gcflags=all=-dwarf=false",
                "-tags",
                "osusergo,grpcnotrace",
                "-o",
                tmp,
                "-ldflags",
                `-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
                "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
            ]);
            const got = cliVersion(tmp);
            if (got !== version) {
                fs.rmSync(tmp, { force: true });
                throw new Error(`pulumi-cli: the built binary reports version ${got ?? "(none)"}, expected ${version}`);
            }
            fs.renameSync(tmp, dest); // atomic: readers see no binary or a whole one
            log(`pulumi-cli: built ${dest}`);
            return true;
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
        }
    } finally {
        fs.rmSync(lock, { recursive: true, force: true });
    }
}

function lockHolderDead(lock: string): boolean {
    let pid: number;
    try {
        pid = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
    } catch {
        // The holder may be between mkdir and writing its pid; treat an old pid-less lock as dead.
        try {
            return Date.now() - fs.statSync(lock).mtimeMs > 60_000;
        } catch {
            return true;
        }
    }
    try {
        process.kill(pid, 0);
        return false;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
}

/** Runs a command, streaming its output to `log`, failing after `timeoutMs`. */
function run(
    cmd: string,
    args: string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
    timeoutMs: number,
    log: (line: string) => void,
): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const timer = setTimeout(() => child.kill("SIGKILL"), Math.max(1_000, timeoutMs));
        const tail: string[] = [];
        const onData = (chunk: Buffer) => {
            for (const line of chunk.toString("utf8").split("\n")) {
                if (!line) continue;
                tail.push(line);
                if (tail.length > 40) tail.shift();
                // Module downloads are hundreds of lines; show a sample so long builds visibly progress.
                if (!/^go: (downloading|added|finding|extracting) /.test(line) || tail.length % 20 === 0) log(`  ${line}`);
            }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.once("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            if (code === 0) resolve();
            else reject(new Error(`go ${args[0]} failed (${signal ?? `exit ${code}`}):\n${tail.join("\n")}`));
        });
    });
}

if (require.main === module) {
    locatePulumi()
        .then((cli) => {
            if (!cli) {
                process.stderr.write(`${howToGetCli()}\n`);
                process.exit(1);
            }
            const host = languageHostFor(cli.path);
            process.stderr.write(
                `pulumi-cli: v${cli.version} (${cli.source}); Node.js language host: ${host ?? "none (tests fall back to scripts/languageHost.js)"}\n`,
            );
            process.stdout.write(`${cli.path}\n`);
        })
        .catch((err) => {
            process.stderr.write(`${(err as Error).message}\n${howToGetCli()}\n`);
            process.exit(1);
        });
}
