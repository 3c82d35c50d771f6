/**
 * Upgrades: a stack made with the plugin's version N keeps working after version N+1 is installed beside it.
 *
 * N is the release's linux-amd64 asset (releaseDir(): dist/release/). N+1 is built here, in a scratch copy holding this build's compiled dist/ with package.json's (and the schema's)
 * version bumped one patch, packed by scripts/buildPlugin.js: the same code, another version, which is what an
 * upgrade is to the engine. Both archives are installed with `pulumi plugin install … --file` into a private
 * PULUMI_HOME (the CLI's other hosts are refused by a recording proxy), and the real CLI runs Pulumi's own YAML
 * and Go hosts against the fake Vercel API. Which plugin binary served a command is read from the engine's gRPC
 * log (PULUMI_DEBUG_GRPC): the GetPluginInfo answer names the version that ran.
 *
 * What each case prints is asserted as it is, CLI behaviour included (on 3.248.0 and 3.276.0 a `packages:` entry's version does
 * not choose the plugin `preview` runs; `refresh` runs the provider state records, not the program's pin);
 * docs/install-routes.md ("Upgrades from N to N+1") and the README's "Upgrading" document it for users.
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
    releaseDir,
    removeRoutePrograms,
    routeProgram,
    runRoute,
    type RouteProgram,
} from "./support/releaseRoutes";

const N = packageVersion();
/** N+1: one patch up. */
const NEXT = N.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_m, a, b, c) => `${a}.${b}.${Number(c) + 1}`);
const PLUGIN = "vercel-client-certs";
const GO_SDK_MODULE = "github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs/sdk/go";
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

/** The plugin versions (not the language hosts') that answered GetPluginInfo in a PULUMI_DEBUG_GRPC log, without duplicates, sorted. */
function versionsServed(log: string): string[] {
    if (!fs.existsSync(log)) return [];
    const seen = new Set<string>();
    for (const line of fs.readFileSync(log, "utf8").split("\n")) {
        if (!line.includes("GetPluginInfo")) continue;
        const m = /"version"\s*:\s*"([^"]+)"/.exec(line);
        // Pulumi's language hosts answer GetPluginInfo too, with the CLI's version ("v3.248.0"); the plugin's has no "v".
        if (m && !m[1].startsWith("v")) seen.add(m[1]);
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
        pluginDir(); // dist/ and the plugin folder that N+1 is packed from
        // N: the release's own linux-amd64 asset (dist/release/, as npm run release wrote it; CI=true demands it).
        archiveN = path.join(releaseDir(), assetName(N));
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

    /** The default provider resources in state: URN tail and the version their inputs record (undefined: none). */
    async function providersInState(p: RouteProgram): Promise<{ name: string; version?: string; id: string }[]> {
        const state = JSON.parse((await expectRoute(p, ["stack", "export"])).stdout);
        return (state.deployment.resources ?? [])
            .filter((r: { type: string }) => r.type === `pulumi:providers:${PLUGIN}`)
            .map((r: { urn: string; id: string; inputs?: { version?: string } }) => ({ name: r.urn.split("::").pop()!, version: r.inputs?.version, id: r.id }));
    }
    const certIds = async (p: RouteProgram) => JSON.parse((await expectRoute(p, ["stack", "output", "certIds", "--json"])).stdout);

    it("YAML: unpinned, N+1 serves a clean preview and refresh, drift still shows; the version option pins N; a packages: version does not; --reinstall", async function () {
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
        // The default provider in state records no version (nothing pinned one): state does not tie the stack to N.
        const providersBefore = await providersInState(p);
        assert.deepEqual(providersBefore.map((r) => [r.name, r.version]), [["default", undefined]]);

        const i2 = await install(p, NEXT, archiveNext);
        assert.equal(i2.code, 0, printed(i2));
        assert.deepEqual(installedPlugins(p), [`resource-${PLUGIN}-v${N}`, `resource-${PLUGIN}-v${NEXT}`]);

        // Unpinned: the newest installed plugin (N+1) serves; nothing to do.
        const preview = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        assert.equal(preview.code, 0, printed(preview));
        assert.match(preview.stdout, /Resources:\n\s+2 unchanged/);
        assert.doesNotMatch(preview.stdout, /to (update|create|replace|delete)/);
        assert.deepEqual(preview.ran, [NEXT]);
        const refresh = await traced(p, ["refresh", "--yes"]);
        assert.equal(refresh.code, 0, printed(refresh));
        assert.match(refresh.stdout, /Resources:\n\s+2 unchanged/);
        assert.deepEqual(refresh.ran, [NEXT]);
        assert.deepEqual(await certIds(p), ["cert_ledger001", "cert_payments01"]);
        const providersAfter = await providersInState(p);
        assert.deepEqual(providersAfter, providersBefore, "refresh keeps the provider resource state recorded");

        // A real change in the API after the upgrade is still reported, by N+1.
        fake.addCert("web-app", "team_acme", { id: "cert_upgrade01", origin: "https://upgrade.example.com" });
        const drift = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        assert.equal(drift.code, 7, printed(drift));
        assert.match(drift.stdout, /cert_upgrade01/);
        assert.match(drift.stdout, /~ 1 to update/);
        assert.deepEqual(drift.ran, [NEXT]);
        fake.removeCert("web-app", "team_acme", "cert_upgrade01");

        // A packages: entry's version (3.248.0 and 3.276.0) does not choose the plugin preview runs: N+1 still serves.
        const pkgs = `name: upgrade-yaml\nruntime: yaml\npackages:\n  ${PLUGIN}:\n    source: ${PLUGIN}\n    version: ${N}\n${resource}${outputs}`;
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), pkgs);
        const kPreview = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        assert.equal(kPreview.code, 0, printed(kPreview));
        assert.deepEqual(kPreview.ran, [NEXT]);

        // Pinned to N by the resource option: preview runs N; refresh runs the provider state records (unpinned: N+1).
        const pinned = `name: upgrade-yaml\nruntime: yaml\n${resource}    options:\n      version: ${N}\n${outputs}`;
        fs.writeFileSync(path.join(p.dir, "Pulumi.yaml"), pinned);
        const pPreview = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        assert.equal(pPreview.code, 0, printed(pPreview));
        assert.deepEqual(pPreview.ran, [N]);
        const pRefresh = await traced(p, ["refresh", "--yes"]);
        assert.equal(pRefresh.code, 0, printed(pRefresh));
        assert.deepEqual(pRefresh.ran, [NEXT]);
        assert.deepEqual(await certIds(p), ["cert_ledger001", "cert_payments01"]);
        // `up` stores the pinned provider (named for its version) in state; from then on refresh runs N too.
        const pUp = await traced(p, ["up", "--yes", "--skip-preview"]);
        assert.equal(pUp.code, 0, printed(pUp));
        assert.match(pUp.stdout, /Resources:\n\s+2 unchanged/);
        assert.deepEqual(pUp.ran, [N]);
        assert.deepEqual((await providersInState(p)).map((r) => [r.name, r.version]), [[`default_${N.replace(/\./g, "_")}`, N]]);
        const pRefresh2 = await traced(p, ["refresh", "--yes"]);
        assert.equal(pRefresh2.code, 0, printed(pRefresh2));
        assert.deepEqual(pRefresh2.ran, [N]);

        // Same version again: the installed copy is kept silently; --reinstall unpacks the archive again.
        const exe = path.join(p.home, "plugins", `resource-${PLUGIN}-v${N}`, `pulumi-resource-${PLUGIN}`);
        fs.appendFileSync(exe, "\n# marker\n");
        const again = await install(p, N, archiveN);
        assert.equal(again.code, 0, printed(again));
        assert.ok(fs.readFileSync(exe, "utf8").includes("# marker"), "kept without --reinstall");
        const re = await install(p, N, archiveN, ["--reinstall"]);
        assert.equal(re.code, 0, printed(re));
        assert.match(printed(re), new RegExp(`\\[resource plugin ${PLUGIN}-${N.replace(/\./g, "\\.")}\\] installing`));
        assert.ok(!fs.readFileSync(exe, "utf8").includes("# marker"), "rewritten by --reinstall");
        assert.deepEqual(hostsAsked(proxy), []);
    });

    it("Go: a program on the SDK of N keeps running N after N+1 is installed; on the SDK of N+1, N+1 serves", async function () {
        // Two copies of sdk/go: N as released, and N+1 stamped (pulumi-plugin.json and the generated default version).
        const sdkN = tmp("go-sdk-n");
        fs.cpSync(path.join(REPO_ROOT, "sdk", "go"), sdkN, { recursive: true });
        const sdkNext = tmp("go-sdk-next");
        fs.cpSync(path.join(REPO_ROOT, "sdk", "go"), sdkNext, { recursive: true });
        const meta = path.join(sdkNext, "vercelclientcerts", "pulumi-plugin.json");
        fs.writeFileSync(meta, JSON.stringify({ ...JSON.parse(fs.readFileSync(meta, "utf8")), version: NEXT }, null, 2));
        const util = path.join(sdkNext, "vercelclientcerts", "internal", "pulumiUtilities.go");
        const text = fs.readFileSync(util, "utf8");
        assert.ok(text.includes(`semver.MustParse("${N}")`));
        fs.writeFileSync(util, text.split(`semver.MustParse("${N}")`).join(`semver.MustParse("${NEXT}")`));

        const example = path.join(REPO_ROOT, "examples", "go");
        const files: Record<string, string> = {};
        for (const f of ["main.go", "go.mod", "go.sum", "Pulumi.yaml"]) files[f] = fs.readFileSync(path.join(example, f), "utf8");
        const p = routeProgram(cli, "go", files, proxy.url, fake.url);
        p.env.GOTOOLCHAIN = "local";
        const useSdk = (dir: string) => {
            const edit = spawnSync("go", ["mod", "edit", `-replace=${GO_SDK_MODULE}=${dir}`], { cwd: p.dir, encoding: "utf8" });
            assert.equal(edit.status, 0, edit.stderr);
        };
        useSdk(sdkN);
        console.log(`      (go build of the program: ${warmGoBuild(p.dir)} ms)`);
        assert.equal((await install(p, N, archiveN)).code, 0);
        await expectRoute(p, ["stack", "init", "dev"]);
        await expectRoute(p, ["config", "set", "project", "web-app"]);
        await expectRoute(p, ["config", "set", "vercel-client-certs:team", "team_acme"]);
        await expectRoute(p, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
        const up = await traced(p, ["up", "--yes", "--skip-preview"]);
        assert.equal(up.code, 0, printed(up));
        assert.match(up.stdout, /\+ 2 created/);
        assert.deepEqual(up.ran, [N]);
        // The SDK asks for its version: state's default provider is named for it and records it.
        const server = "github_/api.github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs";
        const underscored = (v: string) => v.replace(/\./g, "_");
        assert.deepEqual((await providersInState(p)).map((r) => [r.name, r.version]), [[`default_${underscored(N)}_${server}`, N]]);

        assert.equal((await install(p, NEXT, archiveNext)).code, 0);
        const preview = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        assert.equal(preview.code, 0, printed(preview));
        assert.deepEqual(preview.ran, [N], "the SDK of N pins N");
        const refresh = await traced(p, ["refresh", "--yes"]);
        assert.equal(refresh.code, 0, printed(refresh));
        assert.match(refresh.stdout, /Resources:\n\s+2 unchanged/);
        assert.deepEqual(refresh.ran, [N]);

        // The user upgrades the SDK: N+1 serves, and there is still nothing to change.
        useSdk(sdkNext);
        const upgraded = await traced(p, ["preview", "--expect-no-changes", "--diff"]);
        assert.equal(upgraded.code, 0, printed(upgraded));
        assert.match(upgraded.stdout, /Resources:\n\s+2 unchanged/);
        assert.deepEqual(upgraded.ran, [NEXT]);
        const up2 = await traced(p, ["up", "--yes", "--skip-preview"]);
        assert.equal(up2.code, 0, printed(up2));
        assert.match(up2.stdout, /Resources:\n\s+2 unchanged/);
        assert.deepEqual(up2.ran, [NEXT]);
        // `up` swaps state's default provider for N+1's; the resource itself is unchanged.
        assert.deepEqual((await providersInState(p)).map((r) => [r.name, r.version]), [[`default_${underscored(NEXT)}_${server}`, NEXT]]);
        assert.deepEqual(await expectRoute(p, ["stack", "output", "certIds", "--json"]).then((r) => JSON.parse(r.stdout)), ["cert_ledger001", "cert_payments01"]);
        assert.deepEqual(hostsAsked(proxy), []);
    });
});

after(() => {
    for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
