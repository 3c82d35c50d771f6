/**
 * A TypeScript program on the Node.js SDK as a release publishes it (dist/release's compiled tarball from
 * `npm run release`, installed with one `npm install` beside @pulumi/pulumi at the lockfile's version, no build
 * step), with the plugin installed by `pulumi plugin install --file <the release's linux-amd64 archive>` (no path in
 * Pulumi.yaml), through the real CLI and Pulumi's own Node.js language host: `up`, then a drift preview naming the
 * certificate (exit 7 with --expect-no-changes).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { requireCli } from "./support/cli";
import { PluginStack, resourceSection } from "./support/pluginStack";
import { ensureRelease, releaseArchive } from "./support/release";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as vcc from "@pulumi-vercel-client-certs/sdk";

const project = new pulumi.Config().require("project");
const certs = new vcc.ProjectClientCerts("certs", { idOrName: project });
export const certIds = certs.certIds;
export const lookedUpCertIds = vcc.getProjectClientCertsOutput({ idOrName: project }).certIds;
`;

describe("real Pulumi CLI: a TypeScript program on the generated sdk/nodejs with the installed plugin", function () {
    this.timeout(900_000);
    let fake: FakeVercel;
    let stack: PluginStack;

    before(async function () {
        const cli = await requireCli(this);
        const version = require("../package.json").version as string;
        // The assets a release publishes (npm run release): the plugin archive and the compiled SDK tarball, which
        // installs with one `npm install`, no build step.
        const archive = releaseArchive({ os: "linux", arch: "amd64" });
        const sdkTarball = path.join(ensureRelease(), `pulumi-vercel-client-certs-sdk-${version}.tgz`);
        assert.ok(fs.existsSync(sdkTarball), `npm run release wrote ${sdkTarball}`);
        fake = new FakeVercel(sampleSeed());
        await fake.start();
        stack = new PluginStack(cli, "node-sdk", { VERCEL_API_URL: fake.url, PULUMI_NODEJS_TRANSPILE_ONLY: "true" });

        const dir = stack.programDir;
        const versionOf = (dep: string) => require(`${dep}/package.json`).version as string;
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "node-sdk-program", private: true }));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: node-sdk-program\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
        fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            JSON.stringify({ compilerOptions: { strict: true, target: "ES2020", module: "commonjs", moduleResolution: "node", noEmit: true }, files: ["index.ts"] }),
        );
        execFileSync(
            npm,
            [
                "install",
                "--no-audit",
                "--no-fund",
                "--prefer-offline",
                sdkTarball,
                `@pulumi/pulumi@${require("../package-lock.json").packages["node_modules/@pulumi/pulumi"].version}`,
                `typescript@${versionOf("typescript")}`,
                `@types/node@${versionOf("@types/node")}`,
            ],
            { cwd: dir, stdio: "pipe" },
        );
        await stack.expect(["plugin", "install", "resource", "vercel-client-certs", version, "--file", archive]);
        await stack.init({ project: "web-app", "vercel-client-certs:team": "team_acme" }, { "vercel-client-certs:apiToken": SANDBOX_TOKEN });
    });
    after(async () => {
        await fake?.stop();
        stack?.dispose();
    });

    it("the program type-checks against the installed SDK (its own tsconfig)", function () {
        const tsc = path.join(stack.programDir, "node_modules", "typescript", "bin", "tsc");
        execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: stack.programDir, stdio: "pipe" });
        const installed = JSON.parse(fs.readFileSync(path.join(stack.programDir, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"));
        assert.equal(installed.version, require("../package-lock.json").packages["node_modules/@pulumi/pulumi"].version);
    });

    it("pulumi up creates the resource and exports the certificates and the function's result", async function () {
        const up = await stack.expect(["up", "--yes"]);
        assert.match(up.stdout, /\+\s+vercel-client-certs:index:ProjectClientCerts\s+certs\s+created/);
        assert.deepEqual(await stack.output("certIds"), ["cert_ledger001", "cert_payments01"]);
        assert.deepEqual(await stack.output("lookedUpCertIds"), ["cert_ledger001", "cert_payments01"]);
        assert.ok(!(await stack.exportState()).includes(SANDBOX_TOKEN), "no token in state");
        await stack.expect(["preview", "--expect-no-changes"], 0);
    });

    it("an added certificate: preview --diff --expect-no-changes exits 7 naming its id", async function () {
        fake.addCert("web-app", "team_acme", { id: "cert_drift01", origin: "https://drift-1.example.com" });
        const preview = await stack.expect(["preview", "--diff", "--expect-no-changes"], 7);
        assert.match(resourceSection(preview.stdout, "update"), /^\s*[+~] .*cert_drift01/m);
        assert.match(preview.stdout, /~ 1 to update/);
    });
});
