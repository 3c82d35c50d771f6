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

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingSlugs(markdown: string): Set<string> {
    const slugs = new Set<string>();
    let fenced = false;
    for (const line of markdown.split("\n")) {
        if (/^```/.test(line)) fenced = !fenced;
        const m = !fenced && /^#{1,6} (.*)$/.exec(line);
        if (!m) continue;
        const base = m[1]
            .toLowerCase()
            .replace(/[^\p{L}\p{N} _-]/gu, "")
            .replace(/ /g, "-");
        let slug = base;
        for (let n = 1; slugs.has(slug); n++) slug = `${base}-${n}`;
        slugs.add(slug);
    }
    return slugs;
}

describe("README.md, as a new user reads it", function () {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const section = (heading: string) => {
        const at = readme.indexOf(`\n${heading}\n`);
        assert.ok(at >= 0, `README has "${heading}"`);
        const level = heading.split(" ")[0];
        const rest = readme.slice(at + heading.length + 2);
        const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
        return end >= 0 ? rest.slice(0, end) : rest;
    };

    it("every link to a heading of the README lands on one", () => {
        const slugs = headingSlugs(readme);
        const broken = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]).filter((a) => !slugs.has(a));
        assert.deepEqual([...new Set(broken)], []);
    });

    it("opens by saying which of the two ships to pick, then gives YAML, Go, Python and TypeScript a path: install, configure, first program, drift, CI", () => {
        const headings = readme.split("\n").filter((l) => /^## /.test(l));
        assert.equal(headings[0], "## Which one to use", "the first section picks the ship");
        const pick = section("## Which one to use");
        assert.match(pick, /provider plugin `vercel-client-certs`[\s\S]*any language[\s\S]*`pulumi import` works[\s\S]*state/);
        assert.match(pick, /TypeScript package `pulumi-vercel-client-certs`[\s\S]*testing helpers/);
        const header = pick.split("\n").find((l) => l.startsWith("| You write |"));
        assert.equal(header, "| You write | Install | Configure | First program | Drift | CI |");
        for (const language of ["YAML", "Go", "Python", "TypeScript"]) {
            const row = pick.split("\n").find((l) => l.startsWith(`| ${language} |`));
            assert.ok(row, `a row for ${language}`);
            const cells = row.split("|").slice(2, -1);
            assert.equal(cells.length, 5, row);
            for (const cell of cells) assert.match(cell, /\]\(#[^)]+\)/, `${language}: every step is a link: ${row}`);
        }
        // The order a reader follows.
        const order = ["## Which one to use", "## Install", "## Configure", "## First program", "## Drift detection"];
        assert.deepEqual(order.map((h) => headings.indexOf(h)), [...order.map((h) => headings.indexOf(h))].sort((a, b) => a - b));
        for (const h of ["### YAML", "### Go", "### Python", "### TypeScript"]) section(h);
        section("### What the plugin prints");
        section("### What the TypeScript package prints");
        section("### How the two differ");
    });

    it("has an Install section with the plugin, the SDKs and the npm package, and a Supported versions section naming both", () => {
        const install = section("## Install");
        for (const h of ["### The provider plugin", "### The SDKs (Go, Python, Node.js)", "### The TypeScript package"]) assert.ok(install.includes(`\n${h}\n`), h);
        const supported = section("## Supported versions");
        assert.match(supported, /\*\*The provider plugin\*\*/);
        assert.match(supported, /\*\*The TypeScript package\*\*/);
    });

    it("does not contradict itself: import works with the plugin; the state stub's size; examples in other languages", () => {
        assert.doesNotMatch(readme, /\*\*`import` does not work\*\*/);
        assert.match(section("## Import"), /pulumi import vercel-client-certs:index:ProjectClientCerts/);
        assert.doesNotMatch(readme, /2\.7 kB/);
        const examples = section("## Examples");
        for (const e of ["examples/yaml", "examples/go", "examples/python", "examples/basic"]) assert.ok(examples.includes(`\`${e}\``), e);
        assert.match(section("## Testing your stack"), /pulumi\.WithMocks/);
    });

    it("where it discusses the token, warns that the engine's verbose log prints it and prefers VERCEL_API_TOKEN", () => {
        const token = section("### Where the token is");
        assert.match(token, /pulumi up -v=9 --logtostderr/);
        assert.match(token, /Configure\(\)\.inputs\]: apiToken=/);
        assert.match(token, /Never\s+share such logs/);
        assert.match(token, /`VERCEL_API_TOKEN`[\s\S]*not a\s+provider input/);
    });

    it("the Node.js SDK route from a clone writes no package-lock.json into the clone", () => {
        const route = section("### The SDKs (Go, Python, Node.js)");
        const install = route.split("\n").find((l) => /^\s*npm install\b/.test(l) && !l.includes("/path/to/clone"));
        assert.ok(install, route);
        assert.match(install, /--no-package-lock/);
    });
});
