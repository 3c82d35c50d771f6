/**
 * Upgrades: a stack made with the plugin's version N keeps working after version N+1 is installed beside it.
 *
 * N+1 is built here, in a scratch copy holding this build's compiled dist/ with package.json's (and the schema's)
 * version bumped one patch, packed by scripts/buildPlugin.js: the same code, another version, which is what an
 * upgrade is to the engine. Both archives are installed with `pulumi plugin install … --file` into a private
 * PULUMI_HOME (the CLI's other hosts are refused by a recording proxy), and the real CLI runs Pulumi's own YAML
 * and Go hosts against the fake Vercel API. Which plugin binary served a command is read from the engine's gRPC
 * log (PULUMI_DEBUG_GRPC): the GetPluginInfo answer names the version that ran.
 *
 * What each case prints is asserted as it is; docs/install-routes.md ("Upgrades") documents it for users.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
import { requireCli } from "./support/cli";
import { pluginDir, warmGoBuild } from "./support/pluginStack";
import { REPO_ROOT } from "./support/providerHost";
import type { RecordingProxy } from "./support/recordingProxy";
import {
    assetName,
    expectRoute,
    hostsAsked,
    installedPlugins,
    packageVersion,
    refusingProxy,
    removeRoutePrograms,
    routeProgram,
    runRoute,
    type RouteProgram,
} from "./support/releaseRoutes";

const N = packageVersion();
/** N+1: one patch up. */
const NEXT = N.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_m, a, b, c) => `${a}.${b}.${Number(c) + 1}`);
const PLUGIN = "vercel-client-certs";
const printed = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;
const scratch: string[] = [];

function tmp(label: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vcc-upgrade-${label}-`));
    scratch.push(dir);
    return dir;
}

/**
 * Builds N+1's linux-amd64 archive in a scratch copy: this build's dist/ (without its packed plugin and release),
 * package.json and the schema at NEXT, node_modules linked, then scripts/buildPlugin.js. Returns the archive.
 */
function buildNext(): string {
    const copy = tmp("next");
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    fs.writeFileSync(path.join(copy, "package.json"), JSON.stringify({ ...pkg, version: NEXT }, null, 2));
    fs.cpSync(path.join(REPO_ROOT, "dist"), path.join(copy, "dist"), {
        recursive: true,
        filter: (src) => !/[/\\]dist[/\\](release|plugin[/\\]vercel-client-certs)$/.test(src) && !src.endsWith(".tar.gz"),
    });
    const schemaFile = path.join(copy, "dist", "plugin", "schema.json");
    if (fs.existsSync(schemaFile)) {
        const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
        fs.writeFileSync(schemaFile, JSON.stringify({ ...schema, version: NEXT }, null, 2));
    }
    fs.mkdirSync(path.join(copy, "scripts"));
    for (const f of ["buildPlugin.js", "launchers.js"]) fs.copyFileSync(path.join(REPO_ROOT, "scripts", f), path.join(copy, "scripts", f));
    for (const f of fs.readdirSync(REPO_ROOT).filter((n) => /^LICENSE/.test(n))) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(copy, f));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    const built = spawnSync(process.execPath, [path.join(copy, "scripts", "buildPlugin.js")], { cwd: copy, encoding: "utf8", timeout: 5 * 60_000 });
    assert.equal(built.status, 0, `buildPlugin.js at ${NEXT}: ${built.stdout}${built.stderr}`);
    const archive = path.join(copy, "dist", "plugin", assetName(NEXT));
    assert.ok(fs.existsSync(archive), `no ${archive}`);
    return archive;
}

/** The plugin versions that answered GetPluginInfo in a PULUMI_DEBUG_GRPC log, without duplicates, sorted. */
function versionsServed(log: string): string[] {
    if (!fs.existsSync(log)) return [];
    const seen = new Set<string>();
    for (const line of fs.readFileSync(log, "utf8").split("\n")) {
        if (!line.includes("GetPluginInfo")) continue;
        const m = /"version"\s*:\s*"([^"]+)"/.exec(line);
        if (m) seen.add(m[1]);
    }
    return [...seen].sort();
}

/** Runs a program command with a fresh gRPC log; returns the result and the plugin versions that ran. */
async function traced(p: RouteProgram, args: string[]) {
    const log = path.join(p.dir, `grpc-${Date.now()}.log`);
    p.env.PULUMI_DEBUG_GRPC = log;
    try {
        const r = await runRoute(p, args);
        return { ...r, ran: versionsServed(log) };
    } finally {
        delete p.env.PULUMI_DEBUG_GRPC;
    }
}

describe(`plugin upgrade: a stack made with ${N} after ${NEXT} is installed`, function () {
    this.timeout(1_200_000);
    let cli = "";
    let proxy: RecordingProxy;
    let fake: FakeVercel;
    let archiveN = "";
    let archiveNext = "";

    before(async function () {
        cli = await requireCli(this);
        pluginDir(); // npm run plugin's archive of N
        archiveN = path.join(REPO_ROOT, "dist", "plugin", assetName(N));
        assert.ok(fs.existsSync(archiveN), `no ${archiveN}`);
        const started = Date.now();
        archiveNext = buildNext();
        console.log(`      (N+1 = ${NEXT} packed in ${Date.now() - started} ms)`);
        proxy = await refusingProxy();
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(async () => {
        await proxy?.stop();
        await fake?.stop();
        removeRoutePrograms();
        for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    });

    const install = (p: RouteProgram, version: string, archive: string, extra: string[] = []) =>
        runRoute(p, ["plugin", "install", "resource", PLUGIN, version, "--file", archive, ...extra]);

    it("YAML: unpinned, pinned by the version option, and --reinstall", async function () {
        const resource =
            "resources:\n  certs:\n    type: vercel-client-certs:index:ProjectClientCerts\n    properties:\n      idOrName: web-app\n      teamId: team_acme\n";
        const outputs = "outputs:\n  certIds: ${certs.certIds}\n";
        const p = routeProgram(cli, "yaml", { "Pulumi.yaml": `name: upgrade-yaml\nruntime: yaml\n${resource}${outputs}` }, proxy.url, fake.url);
        const i1 = await install(p, N, archiveN);
        assert.equal(i1.code, 0, printed(i1));
        await expectRoute(p, ["stack", "init", "dev"]);
        await expectRoute(p, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
        const up = await traced(p, ["up", "--yes", "--skip-preview"]);
        assert.equal(up.code, 0, printed(up));
        assert.match(up.stdout, /\+ 2 created/);
        assert.deepEqual(up.ran, [N]);

        const i2 = await install(p, NEXT, archiveNext);
        assert.equal(i2.code, 0, printed(i2));
        assert.deepEqual(installedPlugins(p), [`resource-${PLUGIN}-v${N}`, `resource-${PLUGIN}-v${NEXT}`]);

        const preview = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        console.log("YAML unpinned preview", preview.code, preview.ran, printed(preview));
        const refresh = await traced(p, ["refresh", "--yes"]);
        console.log("YAML unpinned refresh", refresh.code, refresh.ran, printed(refresh));

        // Pinned to N by the resource option.
        const pinned = `name: upgrade-yaml\nruntime: yaml\n${resource}    options:\n      version: ${N}\n${outputs}`;
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), pinned);
        const pPreview = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        console.log("YAML pinned preview", pPreview.code, pPreview.ran, printed(pPreview));
        const pRefresh = await traced(p, ["refresh", "--yes"]);
        console.log("YAML pinned refresh", pRefresh.code, pRefresh.ran, printed(pRefresh));

        // packages: entry pinned to N.
        const pkgs = `name: upgrade-yaml\nruntime: yaml\npackages:\n  ${PLUGIN}:\n    source: ${PLUGIN}\n    version: ${N}\n${resource}${outputs}`;
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), pkgs);
        const kPreview = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        console.log("YAML packages preview", kPreview.code, kPreview.ran, printed(kPreview));

        // Same version again: kept silently; --reinstall replaces it.
        const exe = path.join(p.home, "plugins", `resource-${PLUGIN}-v${N}`, `pulumi-resource-${PLUGIN}`);
        fs.appendFileSync(exe, "\n# marker\n");
        const again = await install(p, N, archiveN);
        console.log("again", again.code, printed(again), fs.readFileSync(exe, "utf8").includes("# marker"));
        const re = await install(p, N, archiveN, ["--reinstall"]);
        console.log("reinstall", re.code, printed(re), fs.readFileSync(exe, "utf8").includes("# marker"));
        assert.deepEqual(hostsAsked(proxy), []);
    });
});

after(() => {
    for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
