/**
 * Support for rehearsing the install routes a user takes against the assets of a release: the release directory
 * (`dist/release/`, which `npm run release` writes), an HTTP server on 127.0.0.1 that stands in for the GitHub
 * release (it serves those files by name and records every request), a CONNECT proxy that refuses everything
 * else and records which host the CLI tried (so "asked api.github.com" is an assertion, not a timeout), and a
 * program directory with a private, empty PULUMI_HOME in which the CLI downloads plugins by itself.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawnCollect, type CliResult } from "../../scripts/runPulumi";
import { cachedCliPath } from "../../scripts/pulumiCli";
import { RecordingProxy } from "./recordingProxy";

const REPO = path.resolve(__dirname, "..", "..");

/** The plugin's name, as Pulumi names its package, its archives and its folder in the plugin cache. */
export const PLUGIN = "vercel-client-certs";

/** package.json's version: the release being rehearsed. */
export function packageVersion(): string {
    return JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
}

/** Pulumi's standard asset name for this plugin (`standardAssetName` in Pulumi's workspace/plugins.go). */
export function assetName(version: string, osName = "linux", arch = "amd64"): string {
    return `pulumi-resource-${PLUGIN}-v${version}-${osName}-${arch}.tar.gz`;
}

/** The SHA-256 of a file, hex. */
export function sha256(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/**
 * The release directory to serve: `dist/release/` when `npm run release` wrote this version's linux-amd64
 * archive there. Until then (or outside CI), a scratch directory holding `npm run plugin`'s archive under the
 * standard asset name; CI=true demands the real one.
 */
export function releaseDir(): string {
    const version = packageVersion();
    const real = path.join(REPO, "dist", "release");
    if (fs.existsSync(path.join(real, assetName(version)))) return real;
    if (process.env.CI === "true") throw new Error(`CI=true: dist/release/${assetName(version)} is missing; run \`npm run release\` first`);
    const built = path.join(REPO, "dist", "plugin", assetName(version));
    if (!fs.existsSync(built)) throw new Error(`neither dist/release/ nor ${built}: run \`npm run release\` (or \`npm run plugin\`)`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vcc-release-"));
    fs.copyFileSync(built, path.join(scratch, assetName(version)));
    return scratch;
}

/** An HTTP server on 127.0.0.1 serving one directory's files by name, as a GitHub release serves its assets. */
export class AssetServer {
    /** Every request path received, in order. */
    readonly requests: string[] = [];
    private server?: http.Server;
    /** `http://127.0.0.1:<port>`. */
    url = "";

    /** @param dir The directory whose files are served at `/<name>` (and under any prefix: `/<prefix>/<name>`). */
    constructor(public dir: string) {}

    /** Listens on an ephemeral port. */
    async start(): Promise<this> {
        this.server = http.createServer((req, res) => {
            const urlPath = decodeURIComponent((req.url ?? "/").split("?")[0]);
            this.requests.push(urlPath);
            const file = path.join(this.dir, path.basename(urlPath));
            if (req.method !== "GET" || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
                res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
                return;
            }
            const body = fs.readFileSync(file);
            res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length }).end(body);
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    /** Downloads of `name` so far. */
    downloads(name: string): number {
        return this.requests.filter((p) => path.basename(p) === name).length;
    }

    /** Stops listening. */
    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
        this.server?.closeAllConnections();
    }
}

/** A proxy that refuses every CONNECT (403) and records the hosts asked: the CLI's attempts to reach the internet. */
export async function refusingProxy(): Promise<RecordingProxy> {
    return new RecordingProxy({ kind: "answer", answer: () => "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n" }).start();
}

/** Hosts the proxy was asked to CONNECT to (`api.github.com:443`, …), without duplicates. */
export function hostsAsked(proxy: RecordingProxy): string[] {
    return [...new Set(proxy.connects.map((line) => line.split(" ")[1]))];
}

/**
 * The newest Pulumi CLI the tests rehearse, the same as `.ci/run`'s NEWEST_CLI (tests/pulumiCli.test.ts checks):
 * `PULUMI_CLI_VERSION=3.276.0 npm run pulumi-cli` builds it.
 */
export const NEWEST_CLI = "3.276.0";

/** The CLI of `version` when `npm run pulumi-cli` (PULUMI_CLI_VERSION=…) cached it, else undefined. */
export function cachedCli(version: string): string | undefined {
    const bin = cachedCliPath(version);
    return fs.existsSync(bin) ? bin : undefined;
}

/** `text` as a regular expression that matches it literally (a path or URL inside a pattern). */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A program directory whose CLI downloads plugins by itself into a private PULUMI_HOME, offline but for 127.0.0.1. */
export interface RouteProgram {
    cli: string;
    dir: string;
    home: string;
    env: NodeJS.ProcessEnv;
}

const made: string[] = [];

/** Removes every directory {@link routeProgram} made. */
export function removeRoutePrograms(): void {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh directory with `files`, its own empty PULUMI_HOME and file backend. Automatic plugin acquisition stays
 * on (it is what is rehearsed); every connection leaving 127.0.0.1 goes to `proxyUrl`.
 */
export function routeProgram(cli: string, label: string, files: Record<string, string>, proxyUrl: string, apiUrl: string): RouteProgram {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vcc-route-${label}-`));
    made.push(dir);
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    const home = path.join(dir, ".pulumi-home");
    fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: [path.dirname(cli), path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter),
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: "route-test-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "",
        NO_COLOR: "1",
        HTTPS_PROXY: proxyUrl,
        HTTP_PROXY: proxyUrl,
        https_proxy: proxyUrl,
        http_proxy: proxyUrl,
        NO_PROXY: "127.0.0.1,localhost",
        no_proxy: "127.0.0.1,localhost",
        GITHUB_TOKEN: "",
        VERCEL_API_URL: apiUrl,
        VERCEL_API_TOKEN: "",
        VERCEL_TOKEN: "",
    };
    delete env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION;
    return { cli, dir, home, env };
}

const PROGRAM_COMMANDS = new Set(["up", "preview", "refresh", "destroy"]);

/** Runs `pulumi <args>` in the program (program commands get `--non-interactive --color never`); never throws. */
export function runRoute(p: RouteProgram, args: string[], timeoutMs = 300_000): Promise<CliResult> {
    const full = PROGRAM_COMMANDS.has(args[0]) ? [...args, "--non-interactive", "--color", "never"] : args;
    return spawnCollect(p.cli, full, p.dir, p.env, timeoutMs);
}

/** Runs a command and fails with its whole output unless it exits `code`. */
export async function expectRoute(p: RouteProgram, args: string[], code = 0, timeoutMs?: number): Promise<CliResult> {
    const r = await runRoute(p, args, timeoutMs);
    if (r.code !== code) {
        throw new Error(`pulumi ${args.join(" ")} exited ${r.code}, expected ${code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
    }
    return r;
}

/** The folders in the program's plugin cache (`resource-vercel-client-certs-v0.1.0`, …). */
export function installedPlugins(p: RouteProgram): string[] {
    const dir = path.join(p.home, "plugins");
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => !/\.(lock|partial|lastused)$/.test(n)).sort() : [];
}
