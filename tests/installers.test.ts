/**
 * One copy of `@pulumi/pulumi`, whatever installs the program. The package declares `@pulumi/pulumi` as a peer
 * dependency, so the program's own copy is the one it uses: two copies would keep two runtime states, and
 * resources registered through the second would never reach the engine. Checked with npm, pnpm and yarn 1 (both
 * from the npm registry, pinned) on Node 20, where a program pins @pulumi/pulumi 3.248.0 (newer ones need Node 22):
 * the install succeeds, the program and the package resolve the same `@pulumi/pulumi` directory, and a real
 * `pulumi preview` of the installed program works.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import type { FakeVercel } from "../dist/testing/fakeVercel";
import { expectExit, startCliSuite, type CliContext } from "./support/cli";
import { scratchInstall } from "./support/scratch";
import { REPO_ROOT } from "./support/providerHost";

const TOOLS = { yarn: "1.22.22", pnpm: "10.34.8" };
const PULUMI_VERSION = "3.248.0";

const PROGRAM = `import { ProjectClientCerts } from "pulumi-vercel-client-certs";
export const certIds = new ProjectClientCerts("web", { idOrName: "web-app", teamId: "team_acme" }).certIds;
`;

describe("installs with npm, pnpm and yarn 1: one @pulumi/pulumi, and a preview that works", function () {
    this.timeout(600_000);
    let cli: string;
    let fake: FakeVercel;
    let tools: string;

    before(async function () {
        // The issue this guards against is Node 20's: newer @pulumi/pulumi needs Node 22, and yarn 1 resolved one.
        if (!process.version.startsWith("v20.")) this.skip();
        ({ cli, fake } = await startCliSuite(this));
        tools = fs.mkdtempSync(path.join(os.tmpdir(), "installers-"));
        execFileSync("npm", ["install", "--prefix", tools, "--no-audit", "--no-fund", `yarn@${TOOLS.yarn}`, `pnpm@${TOOLS.pnpm}`], { stdio: "pipe" });
    });
    after(async () => {
        await fake?.stop();
        if (tools) fs.rmSync(tools, { recursive: true, force: true });
    });

    const installs: Record<string, (dir: string) => string[]> = {
        npm: () => ["npm", "install", "--no-audit", "--no-fund"],
        pnpm: () => [path.join(tools, "node_modules", ".bin", "pnpm"), "install", "--config.confirmModulesPurge=false"],
        "yarn 1": () => [path.join(tools, "node_modules", ".bin", "yarn"), "install", "--non-interactive", "--no-progress"],
    };

    for (const [name, command] of Object.entries(installs)) {
        it(`${name}: the program and the package share one @pulumi/pulumi, and pulumi preview runs`, async function () {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `install-${name.replace(" ", "")}-`));
            try {
                const versionOf = (dep: string) => require(`${dep}/package.json`).version as string;
                fs.writeFileSync(
                    path.join(dir, "package.json"),
                    JSON.stringify({
                        name: "installer-check",
                        private: true,
                        main: "index.ts",
                        dependencies: {
                            "@pulumi/pulumi": PULUMI_VERSION,
                            "pulumi-vercel-client-certs": `file:${scratchInstall().tarball}`,
                        },
                        devDependencies: { typescript: versionOf("typescript"), "@types/node": versionOf("@types/node") },
                    }),
                );
                fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: installer-check\nruntime: nodejs\n");
                fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
                const [cmd, ...args] = command(dir);
                execFileSync(cmd, args, { cwd: dir, stdio: "pipe", env: { ...process.env, CI: "true" } });

                const sdkFrom = (from: string) => fs.realpathSync(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [from] })));
                const pkgDir = fs.realpathSync(path.join(dir, "node_modules", "pulumi-vercel-client-certs"));
                assert.equal(sdkFrom(pkgDir), sdkFrom(dir), "the package resolves the program's @pulumi/pulumi");
                assert.equal(JSON.parse(fs.readFileSync(path.join(sdkFrom(dir), "package.json"), "utf8")).version, PULUMI_VERSION);

                const ctx: CliContext = {
                    cli,
                    programDir: dir,
                    env: { VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: SANDBOX_TOKEN, VERCEL_TOKEN: "", PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
                };
                await expectExit(ctx, ["stack", "init", "dev"]);
                const preview = await expectExit(ctx, ["preview", "--diff"]);
                assert.match(preview.stdout, /\+ pulumi-nodejs:dynamic\/vercel:ProjectClientCerts: \(create\)/);
                assert.match(preview.stdout, /\+ 2 to create/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }

    it("examples/basic copied out of the repo: npm install (with the packed tarball) and pulumi up, type-checked by its own tsconfig", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "example-copy-"));
        try {
            const source = path.join(REPO_ROOT, "examples", "basic");
            // What a clone holds: stack files (`Pulumi.<stack>.yaml`, e.g. from `npm run example`) are git-ignored.
            const copied = fs.readdirSync(source).filter((f) => !/^Pulumi\..+\.yaml$|^node_modules$|^package-lock\.json$/.test(f));
            for (const file of copied) fs.copyFileSync(path.join(source, file), path.join(dir, file));
            assert.deepEqual(copied.sort(), ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"], "self-contained");
            // Until the package is on npm, as the example's header says: add the packed build, then install.
            execFileSync("npm", ["install", "--no-audit", "--no-fund", scratchInstall().tarball], { cwd: dir, stdio: "pipe" });
            execFileSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, stdio: "pipe" });
            // No PULUMI_NODEJS_TRANSPILE_ONLY: the program is type-checked with the example's own tsconfig.
            const ctx: CliContext = { cli, programDir: dir, env: { VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: SANDBOX_TOKEN, VERCEL_TOKEN: "" } };
            await expectExit(ctx, ["stack", "init", "dev"]);
            await expectExit(ctx, ["config", "set", "vercel:team", "team_acme"]);
            const up = await expectExit(ctx, ["up", "--yes", "--skip-preview"]);
            assert.match(up.stdout, /\+ 2 created/);
            const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
            assert.deepEqual(out.certIds, ["cert_ledger001", "cert_payments01"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
