/**
 * The README as a user meets it: every TypeScript block, extracted automatically, type-checks against the packed
 * package installed in a scratch program that uses Pulumi's own TypeScript template tsconfig (commonjs, node
 * resolution, strict, no esModuleInterop, no skipLibCheck); and the block marked as a test runs under mocha.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./support/providerHost";
import { scratchInstall } from "./support/scratch";

/** The tsconfig.json of Pulumi's `typescript` project template. */
const PULUMI_TEMPLATE_TSCONFIG = {
    compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
    },
};

type Block = { code: string; line: number; runnable: boolean };

/** Every ```ts / ```typescript block of README.md, with whether it is marked to run. */
function readmeBlocks(): Block[] {
    const lines = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").split("\n");
    const blocks: Block[] = [];
    for (let i = 0; i < lines.length; i++) {
        if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
        const start = i;
        const body: string[] = [];
        for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
        blocks.push({ code: body.join("\n"), line: start + 1, runnable: /readme-test: run with mocha/.test(lines[start - 1] ?? "") });
    }
    return blocks;
}

describe("README.md, as a user runs it", function () {
    this.timeout(300_000);
    let dir: string;
    const blocks = readmeBlocks();

    before(function () {
        dir = path.join(scratchInstall().root, "readme");
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir);
        const files = blocks.map((b, i) => {
            const file = `snippet-${i + 1}-line-${b.line}.ts`;
            // Each block is its own module, as it would be its own file.
            fs.writeFileSync(path.join(dir, file), `${b.code}\nexport {};\n`);
            return file;
        });
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ ...PULUMI_TEMPLATE_TSCONFIG, files }, null, 4));
    });

    it("has TypeScript blocks, one of them a runnable test", () => {
        assert.ok(blocks.length >= 5, `${blocks.length} blocks`);
        assert.equal(blocks.filter((b) => b.runnable).length, 1);
    });

    it("every TypeScript block compiles as written under Pulumi's template tsconfig", () => {
        const tsc = path.join(scratchInstall().root, "node_modules", "typescript", "bin", "tsc");
        const r = spawnSync(process.execPath, [tsc, "-p", dir, "--noEmit", "--pretty", "false"], { encoding: "utf8" });
        assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
    });

    it("the testing example runs and passes under mocha", () => {
        const block = blocks.find((b) => b.runnable)!;
        const file = path.join(dir, "stack.test.ts");
        fs.writeFileSync(file, block.code);
        const mocha = require.resolve("mocha/bin/mocha.js");
        const out = execFileSync(process.execPath, [mocha, "-r", require.resolve("ts-node/register"), "--exit", file], {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, TS_NODE_PROJECT: path.join(dir, "tsconfig.json"), TS_NODE_FILES: "false", TS_NODE_TRANSPILE_ONLY: "true" },
        });
        assert.match(out, /2 passing/);
    });
});
