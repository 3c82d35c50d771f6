/**
 * One copy of `@pulumi/pulumi`, whatever installs the program. The package declares `@pulumi/pulumi` as a peer
 * dependency, so the program's own copy is the one it uses: two copies would keep two runtime states, and
 * resources registered through the second would never reach the engine. Checked with npm, pnpm and yarn 1 (both
 * from the npm registry, pinned) on Node 20, where a program pins @pulumi/pulumi 3.248.0 (newer ones need Node 22):
 * the install succeeds, the program and the package resolve the same `@pulumi/pulumi` directory, and a real
 * `pulumi preview` of the installed program works. pnpm runs twice, at 10 and at the newest version on the npm
 * registry today, each following the README's pnpm step exactly. examples/basic, copied out of the repo, runs the
 * commands its header lists, in that order.
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
const PULUMI_MAJOR_NODE = Number(process.versions.node.split(".")[0]);

/** The README's pnpm step for this Node version: the line of the `install: pnpm` block commented for it. */
function readmePnpmStep(): string[] {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const block = /<!-- install: pnpm -->\n```sh\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, "README.md has an `install: pnpm` block");
    const wanted = PULUMI_MAJOR_NODE >= 22 ? /# Node 22 or newer/ : /# Node 20/;
    const line = block[1].split("\n").find((l) => wanted.test(l));
    assert.ok(line, `no pnpm line for Node ${PULUMI_MAJOR_NODE} in:\n${block[1]}`);
    return line.replace(/#.*$/, "").trim().split(/\s+/);
}

/** The commands in an example's header comment (` *   npm …` / ` *   pulumi …`), in order, comments dropped. */
function headerCommands(file: string): string[][] {
    const header = fs.readFileSync(file, "utf8").split("*/")[0];
    return [...header.matchAll(/^ \* {3}((?:npm|pulumi) .*?)\s*(?:#.*)?$/gm)].map((m) => m[1].split(/\s+/));
}
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
        // The newest pnpm, whatever it is today, in a directory of its own (a second version of the same package).
        execFileSync("npm", ["install", "--prefix", path.join(tools, "newest"), "--no-audit", "--no-fund", "pnpm@latest"], { stdio: "pipe" });
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

    for (const [label, bin] of [
        [`pnpm ${TOOLS.pnpm}`, () => path.join(tools, "node_modules", ".bin", "pnpm")],
        ["the newest pnpm", () => path.join(tools, "newest", "node_modules", ".bin", "pnpm")],
    ] as const) {
        it(`${label}, following the README's pnpm step: one @pulumi/pulumi, a direct dependency, and pulumi preview runs`, async function () {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "install-pnpm-readme-"));
            try {
                const pnpm = bin();
                const version = execFileSync(pnpm, ["--version"], { encoding: "utf8" }).trim();
                console.log(`      (pnpm ${version})`);
                assert.ok(Number(version.split(".")[0]) >= 10, version);
                fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pnpm-readme", private: true, main: "index.ts" }));
                fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: pnpm-readme\nruntime: nodejs\n");
                fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
                // The README's step exactly, with the packed build's path in place of the package name (as it says).
                const [tool, ...args] = readmePnpmStep();
                assert.equal(tool, "pnpm");
                const withTarball = args.map((a) => (a === "pulumi-vercel-client-certs" ? scratchInstall().tarball : a));
                execFileSync(pnpm, withTarball, { cwd: dir, stdio: "pipe", env: { ...process.env, CI: "true" } });
                // The approval is recorded: a later plain install (what CI runs) succeeds too.
                execFileSync(pnpm, ["install"], { cwd: dir, stdio: "pipe", env: { ...process.env, CI: "true" } });

                const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
                assert.ok(manifest.dependencies["@pulumi/pulumi"], "@pulumi/pulumi is a direct dependency");
                const sdkFrom = (from: string) => fs.realpathSync(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [from] })));
                const pkgDir = fs.realpathSync(path.join(dir, "node_modules", "pulumi-vercel-client-certs"));
                assert.equal(sdkFrom(pkgDir), sdkFrom(dir), "the package resolves the program's @pulumi/pulumi");

                const ctx: CliContext = {
                    cli,
                    programDir: dir,
                    env: { VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: SANDBOX_TOKEN, VERCEL_TOKEN: "", PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
                };
                await expectExit(ctx, ["stack", "init", "dev"]);
                const preview = await expectExit(ctx, ["preview"]);
                assert.match(preview.stdout, /\+ 2 to create/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }

    it("every example's header installs the packed build before the plain npm install", () => {
        for (const example of ["basic", "many-projects", "mtls-egress"]) {
            const commands = headerCommands(path.join(REPO_ROOT, "examples", example, "index.ts")).map((c) => c.join(" "));
            assert.deepEqual(commands.slice(0, 3), ["npm install /path/to/pulumi-vercel-client-certs-0.1.0.tgz", "npm install", "pulumi stack init dev"], example);
            assert.equal(commands[commands.length - 1], "pulumi up", example);
        }
    });

    it("examples/basic copied out of the repo: the commands of its header, in order, then pulumi up, type-checked by its own tsconfig", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "example-copy-"));
        try {
            const source = path.join(REPO_ROOT, "examples", "basic");
            // What a clone holds: stack files (`Pulumi.<stack>.yaml`, e.g. from `npm run example`) are git-ignored.
            const copied = fs.readdirSync(source).filter((f) => !/^Pulumi\..+\.yaml$|^node_modules$|^package-lock\.json$/.test(f));
            for (const file of copied) fs.copyFileSync(path.join(source, file), path.join(dir, file));
            assert.deepEqual(copied.sort(), ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"], "self-contained");
            // The header's commands as written, with its placeholders filled in: the packed build's path, the
            // sandbox's token, team and project. `pulumi up` gets `--yes`: it runs without a terminal here.
            const fill: Record<string, string> = {
                "/path/to/pulumi-vercel-client-certs-0.1.0.tgz": scratchInstall().tarball,
                "<token>": SANDBOX_TOKEN,
                team_123: "team_acme",
                "my-app": "web-app",
            };
            // No PULUMI_NODEJS_TRANSPILE_ONLY: the program is type-checked with the example's own tsconfig.
            const ctx: CliContext = { cli, programDir: dir, env: { VERCEL_API_URL: fake.url, VERCEL_API_TOKEN: "", VERCEL_TOKEN: "" } };
            const commands = headerCommands(path.join(dir, "index.ts"));
            let up = "";
            for (const [tool, ...rawArgs] of commands) {
                const args = rawArgs.map((a) => fill[a] ?? a);
                if (tool === "npm") execFileSync("npm", [...args, "--no-audit", "--no-fund"], { cwd: dir, stdio: "pipe" });
                else if (args[0] === "up") up = (await expectExit(ctx, [...args, "--yes"])).stdout;
                else await expectExit(ctx, args);
            }
            assert.match(up, /\+ 2 created/);
            const out = JSON.parse((await expectExit(ctx, ["stack", "output", "--json"])).stdout);
            assert.deepEqual(out.certIds, ["cert_ledger001", "cert_payments01"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
