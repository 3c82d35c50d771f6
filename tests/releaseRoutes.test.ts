/**
 * Download on first use, rehearsed against the release's own assets: dist/release/ (npm run release) served from
 * 127.0.0.1 as a GitHub release would serve it, a private empty PULUMI_HOME, the real CLI and Pulumi's hosts,
 * and a proxy that refuses (and records) every other host, so each test says where the CLI went.
 *
 * For each CLI (3.248.0, the oldest supported, and the newest the Go module proxy serves) it runs:
 * - `pulumi plugin install resource vercel-client-certs <v> --server <url>`, with a wrong, the right and no
 *   `--checksum`;
 * - a YAML program whose Pulumi.yaml names the package under `packages:` with that server: what `pulumi preview`
 *   does in an empty plugin cache, then `pulumi install`, then `up`;
 * - `packages:` `checksums` (wrong and right) through `pulumi install`;
 * - the `pluginDownloadURL` + `version` resource options of a YAML program with no `packages:` entry;
 * - a mirror: the released `github://` URL mapped to the server by `PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES`;
 * and, on the default CLI, a Go program on the SDK whose pulumi-plugin.json names the server (a test copy of
 * sdk/go: the released SDK names the GitHub release).
 *
 * Each version's answers are asserted as they are, CLI bugs included (docs/install-routes.md, "Supported
 * versions"); nothing here works around them.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN, sampleSeed } from "../dist/testing/sandboxSeed";
import { requireCli, requireNewestCli } from "./support/cli";
import { warmGoBuild } from "./support/pluginStack";
import { REPO_ROOT } from "./support/providerHost";
import type { RecordingProxy } from "./support/recordingProxy";
import {
    AssetServer,
    assetName,
    escapeRegExp,
    NEWEST_CLI,
    expectRoute,
    hostsAsked,
    installedPlugins,
    packageVersion,
    refusingProxy,
    releaseDir,
    removeRoutePrograms,
    routeProgram,
    runRoute,
    sha256,
    type RouteProgram,
} from "./support/releaseRoutes";

const version = packageVersion();
const ASSET = assetName(version);
const WRONG = "ab".repeat(32);

/** The YAML program every route runs: one resource, its certificate ids as an output. */
function yamlProject(name: string, header: string, options = ""): string {
    return (
        `name: ${name}\nruntime: yaml\n${header}` +
        "resources:\n  certs:\n    type: vercel-client-certs:index:ProjectClientCerts\n    properties:\n      idOrName: web-app\n      teamId: team_acme\n" +
        options +
        "outputs:\n  certIds: ${certs.certIds}\n"
    );
}

/** A `packages:` entry naming the release server, with optional extra lines (4-space indented). */
function packagesEntry(url: string, extra = ""): string {
    return `packages:\n  vercel-client-certs:\n    source: vercel-client-certs\n    version: ${version}\n    pluginDownloadURL: ${url}/\n${extra}`;
}

/** Everything printed, for matching. */
const printed = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

type CliCase = { label: string; newest: boolean; cli: (ctx: Mocha.Context) => Promise<string> };
const CLIS: CliCase[] = [
    { label: "default CLI (3.248.0)", newest: false, cli: requireCli },
    {
        label: `newest CLI (${NEWEST_CLI})`,
        newest: true,
        cli: requireNewestCli,
    },
];

for (const c of CLIS) {
    describe(`release routes, download on first use: ${c.label}`, function () {
        this.timeout(600_000);
        let cli = "";
        let server: AssetServer;
        let proxy: RecordingProxy;
        let fake: FakeVercel;
        let sum = "";

        before(async function () {
            cli = await c.cli(this);
            const dir = releaseDir();
            sum = sha256(path.join(dir, ASSET));
            server = await new AssetServer(dir).start();
            proxy = await refusingProxy();
            fake = new FakeVercel(sampleSeed());
            await fake.start();
        });
        after(async () => {
            await server?.stop();
            await proxy?.stop();
            await fake?.stop();
            removeRoutePrograms();
        });

        const program = (label: string, files: Record<string, string> = {}) => routeProgram(cli, label, files, proxy.url, fake.url);
        /** Runs and reports what was served and which outside hosts were asked during this command. */
        const traced = async (p: RouteProgram, args: string[]) => {
            const served = server.requests.length;
            proxy.connects.length = 0;
            const r = await runRoute(p, args);
            return { ...r, served: server.requests.slice(served), asked: hostsAsked(proxy) };
        };

        it("pulumi plugin install --server: a wrong --checksum fails; the right one installs on the newest CLI only; none installs", async function () {
            const p = program("plugin-install");
            const install = ["plugin", "install", "resource", "vercel-client-certs", version, "--server", `${server.url}/`];
            const wrong = await traced(p, [...install, "--checksum", WRONG]);
            assert.equal(wrong.code, 1, printed(wrong));
            // 3.248.0 reports a wrong "actual" (its reader hashes all but the final read); the newest CLI the real sum.
            assert.match(printed(wrong), new RegExp(`invalid checksum, expected ${WRONG}, actual ${c.newest ? sum : "[0-9a-f]{64}"}`));
            assert.deepEqual(wrong.served, [`/${ASSET}`]);
            assert.deepEqual(installedPlugins(p), []);

            const right = await traced(p, [...install, "--checksum", sum]);
            if (c.newest) {
                assert.equal(right.code, 0, printed(right));
            } else {
                // 3.248.0's checksum reader compares before hashing the final read: the right sum is refused too.
                assert.equal(right.code, 1, printed(right));
                assert.match(printed(right), new RegExp(`invalid checksum, expected ${sum}, actual (?!${sum})[0-9a-f]{64}`));
                assert.deepEqual(installedPlugins(p), []);
                const none = await traced(p, install);
                assert.equal(none.code, 0, printed(none));
            }
            assert.deepEqual(installedPlugins(p), [`resource-vercel-client-certs-v${version}`]);
            assert.ok(fs.existsSync(path.join(p.home, "plugins", `resource-vercel-client-certs-v${version}`, "pulumi-resource-vercel-client-certs")));
            assert.equal(server.downloads(ASSET), c.newest ? 2 : 3);
            // Installing the same version again keeps the copy silently (no download) unless --reinstall.
            const again = await traced(p, install);
            assert.equal(again.code, 0, printed(again));
            assert.deepEqual(again.served, []);
            const reinstall = await traced(p, [...install, "--reinstall"]);
            assert.equal(reinstall.code, 0, printed(reinstall));
            assert.deepEqual(reinstall.served, [`/${ASSET}`]);
        });

        it("a YAML program with a packages: entry: what preview does in an empty cache, then pulumi install and up", async function () {
            const p = program("yaml-packages", { "Pulumi.yaml": yamlProject("route-packages", packagesEntry(server.url)) });
            await expectRoute(p, ["stack", "init", "dev"]);
            await expectRoute(p, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
            const preview = await traced(p, ["preview"]);
            // Both CLIs (3.248.0 and 3.276.0) look the plugin up without the entry's URL: Pulumi's GitHub org, refused here.
            assert.equal(preview.code, 1, printed(preview));
            assert.match(printed(preview), /api\.github\.com\/repos\/pulumi\/pulumi-vercel-client-certs/);
            assert.deepEqual(preview.served, []);
            assert.ok(preview.asked.includes("api.github.com:443"), JSON.stringify(preview.asked));
            assert.deepEqual(installedPlugins(p), []);
            const install = await traced(p, ["install"]);
            assert.equal(install.code, 0, printed(install));
            assert.deepEqual(installedPlugins(p), [`resource-vercel-client-certs-v${version}`]);
            const up = await traced(p, ["up", "--yes", "--skip-preview"]);
            assert.equal(up.code, 0, printed(up));
            assert.match(up.stdout, /\+ 2 created/);
            assert.deepEqual(up.asked, []);
            const outputs = JSON.parse((await expectRoute(p, ["stack", "output", "--json"])).stdout);
            assert.deepEqual(outputs.certIds, ["cert_ledger001", "cert_payments01"]);
            assert.ok(server.downloads(ASSET) >= 1);
        });

        it("packages: checksums in Pulumi.yaml: neither CLI decodes the map, so pulumi install fails before any download", async function () {
            const withSum = (value: string) => packagesEntry(server.url, `    checksums:\n      linux-amd64: "${value}"\n`);
            const wrong = program("checksum-wrong", { "Pulumi.yaml": yamlProject("route-checksum", withSum(WRONG)) });
            const right = program("checksum-right", { "Pulumi.yaml": yamlProject("route-checksum", withSum(sum)) });
            const w = await traced(wrong, ["install"]);
            const r = await traced(right, ["install"]);
            assert.equal(w.code, 1, printed(w));
            assert.deepEqual(installedPlugins(wrong), []);
            // Neither 3.248.0 nor 3.276.0 decodes a checksums map in Pulumi.yaml (only a Pulumi.json project does).
            for (const result of [w, r]) {
                assert.match(printed(result), /invalid YAML file: package must be either a string or a package specification object/);
                assert.deepEqual(result.served, []);
            }
            assert.equal(r.code, 1);
            assert.deepEqual(installedPlugins(right), []);
        });

        it("a YAML program with the pluginDownloadURL and version resource options downloads by itself on preview", async function () {
            const options = `    options:\n      version: ${version}\n      pluginDownloadURL: ${server.url}/\n`;
            const p = program("yaml-option", { "Pulumi.yaml": yamlProject("route-option", "", options) });
            await expectRoute(p, ["stack", "init", "dev"]);
            await expectRoute(p, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
            const preview = await traced(p, ["preview"]);
            assert.equal(preview.code, 0, printed(preview));
            assert.deepEqual(preview.served, [`/${ASSET}`]);
            assert.deepEqual(preview.asked, []);
            assert.match(preview.stdout, /\+ 2 to create/);
            assert.deepEqual(installedPlugins(p), [`resource-vercel-client-certs-v${version}`]);
        });

        it("a mirror: PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES maps the released github:// URL to it; GitHub is never asked", async function () {
            // The URL every released SDK names (the schema's), as a program on a released SDK or the options route has it.
            const released = JSON.parse(fs.readFileSync(path.join(releaseDir(), "schema.json"), "utf8")).pluginDownloadURL as string;
            assert.match(released, /^github:\/\/api\.github\.com\//);
            const options = `    options:\n      version: ${version}\n      pluginDownloadURL: ${released}\n`;
            const p = program("mirror", { "Pulumi.yaml": yamlProject("route-mirror", "", options) });
            p.env.PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES = `^${escapeRegExp(released)}=${server.url}/`;
            await expectRoute(p, ["stack", "init", "dev"]);
            await expectRoute(p, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
            const up = await traced(p, ["up", "--yes", "--skip-preview"]);
            assert.equal(up.code, 0, printed(up));
            assert.deepEqual(up.served, [`/${ASSET}`]);
            assert.deepEqual(up.asked, []);
            assert.match(up.stdout, /\+ 2 created/);
            // Without the override the same program asks GitHub (refused here), and installs nothing.
            const q = program("no-mirror", { "Pulumi.yaml": yamlProject("route-no-mirror", "", options) });
            await expectRoute(q, ["stack", "init", "dev"]);
            const preview = await traced(q, ["preview"]);
            assert.notEqual(preview.code, 0, printed(preview));
            assert.ok(preview.asked.includes("api.github.com:443"), JSON.stringify(preview.asked));
            assert.deepEqual(preview.served, []);
        });
    });
}

describe("release routes, download on first use: a Go program on the SDK whose pulumi-plugin.json names the server", function () {
    this.timeout(1_200_000);
    let server: AssetServer;
    let proxy: RecordingProxy;
    let fake: FakeVercel;
    const scratch: string[] = [];

    before(async function () {
        await requireCli(this);
        server = await new AssetServer(releaseDir()).start();
        proxy = await refusingProxy();
        fake = new FakeVercel(sampleSeed());
        await fake.start();
    });
    after(async () => {
        await server?.stop();
        await proxy?.stop();
        await fake?.stop();
        removeRoutePrograms();
        for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("pulumi up in an empty plugin cache installs the archive from the server named by the SDK, and runs", async function () {
        const cli = await requireCli(this);
        // A test copy of the Go SDK whose pulumi-plugin.json names the local server (the released one names GitHub).
        const sdk = fs.mkdtempSync(path.join(os.tmpdir(), "vcc-route-go-sdk-"));
        scratch.push(sdk);
        fs.cpSync(path.join(REPO_ROOT, "sdk", "go"), sdk, { recursive: true });
        const metaFile = path.join(sdk, "vercelclientcerts", "pulumi-plugin.json");
        const meta = JSON.parse(fs.readFileSync(metaFile, "utf8"));
        assert.equal(meta.server, "github://api.github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs", "the released SDK names the GitHub release");
        assert.equal(meta.version, version);
        fs.writeFileSync(metaFile, JSON.stringify({ ...meta, server: `${server.url}/` }, null, 2));

        const example = path.join(REPO_ROOT, "examples", "go");
        const files: Record<string, string> = {};
        for (const f of ["main.go", "go.mod", "go.sum", "Pulumi.yaml"]) files[f] = fs.readFileSync(path.join(example, f), "utf8");
        const p = routeProgram(cli, "go", files, proxy.url, fake.url);
        p.env.GOTOOLCHAIN = "local";
        const edit = spawnSync("go", ["mod", "edit", `-replace=github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs/sdk/go=${sdk}`], { cwd: p.dir, encoding: "utf8" });
        assert.equal(edit.status, 0, edit.stderr);
        console.log(`      (go build of the program: ${warmGoBuild(p.dir)} ms)`);
        await expectRoute(p, ["stack", "init", "dev"]);
        await expectRoute(p, ["config", "set", "project", "web-app"]);
        await expectRoute(p, ["config", "set", "vercel-client-certs:team", "team_acme"]);
        await expectRoute(p, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
        assert.deepEqual(installedPlugins(p), []);
        proxy.connects.length = 0;
        const up = await expectRoute(p, ["up", "--yes", "--skip-preview"]);
        assert.match(up.stdout, /\+ 2 created/);
        assert.equal(server.downloads(ASSET), 1);
        assert.deepEqual(hostsAsked(proxy), []);
        assert.deepEqual(installedPlugins(p), [`resource-vercel-client-certs-v${version}`]);
        const outputs = JSON.parse((await expectRoute(p, ["stack", "output", "--json"])).stdout);
        assert.deepEqual(outputs.certIds, ["cert_ledger001", "cert_payments01"]);
    });
});
