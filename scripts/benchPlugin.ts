/**
 * The provider plugin's rows of `npm run bench` (after scripts/bench.ts; `BENCH_ONLY=plugin` runs only these),
 * each ratio against a baseline measured in the same run, on loopback:
 *
 *   start        spawn of the plugin (launcher → node → bundle) to its port line, against a bare `node -e`
 *   1 resource   YAML `pulumi preview` of 1 plugin resource, against the dynamic provider's TS preview of 1
 *   100 / 20     YAML preview of 100 resources over 20 projects at 100 ms API latency, against the same stack at
 *                0 ms plus 20 × 100 ms (the engine checks one resource at a time, so the reads are sequential)
 *   1 000 / 200  1 000 resources over 200 projects at 100 ms via ProjectClientCertsSet (5 sets of 200), against
 *                the same at 0 ms
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/testing/fakeVercel";
import { SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { deployedStack, seedWith } from "./benchCli";
import { locatePulumi } from "./pulumiCli";
import { runPulumi } from "./runPulumi";
import { expectYaml, PLUGIN_DIR, requirePluginBuilt, runYaml, yamlStack, type YamlStack } from "../tests/support/pluginCli";

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3);

/** Milliseconds from spawn to the first stdout line of `cmd`. */
function toFirstLine(cmd: string, args: string[]): Promise<number> {
    return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
        child.stdout.once("data", () => {
            resolve(performance.now() - t0);
            child.kill("SIGTERM");
        });
        child.once("error", reject);
    });
}

/** A YAML program of `count` ProjectClientCerts over `projects` bench projects, or `sets` sets of them. */
function yamlProgram(count: number, projects: number, sets = 0): string {
    const name = (i: number) => `bench-${String(i % projects).padStart(3, "0")}`;
    const head = `name: bench-plugin\nruntime: yaml\nplugins:\n  providers:\n    - name: vercel-client-certs\n      path: ${PLUGIN_DIR}\nresources:\n`;
    if (sets) {
        const per = count / sets;
        const list = (s: number) => Array.from({ length: per }, (_, i) => `        - { idOrName: ${name(s * per + i)}, teamId: team_acme }`).join("\n");
        return head + Array.from({ length: sets }, (_, s) => `  set${s}:\n    type: vercel-client-certs:index:ProjectClientCertsSet\n    properties:\n      projects:\n${list(s)}\n`).join("");
    }
    return head + Array.from({ length: count }, (_, i) => `  r${i}:\n    type: vercel-client-certs:index:ProjectClientCerts\n    properties:\n      idOrName: ${name(i)}\n      teamId: team_acme\n`).join("");
}

/** Every YAML stack directory made, removed at the end. */
const made: string[] = [];

/** A deployed YAML stack against a fake with `latencyMs`. */
async function yamlDeployed(cli: string, label: string, program: string, fake: FakeVercel): Promise<YamlStack> {
    const stack = await yamlStack(cli, label, program, fake.url);
    made.push(stack.dir);
    await expectYaml(stack, ["config", "set", "--secret", "vercel-client-certs:apiToken", SANDBOX_TOKEN]);
    // Deploying 1 000 resources on a loaded 2-core machine took more than the tests' 4-minute bound.
    await expectYaml(stack, ["up", "--yes", "--skip-preview"], 0, 30 * 60_000);
    return stack;
}

/** Median wall time of `pulumi preview --expect-no-changes` on each stack, alternating. */
async function previews(stacks: YamlStack[], fakes: FakeVercel[]): Promise<{ ms: number[]; requests: number[] }> {
    const times: number[][] = stacks.map(() => []);
    const requests: number[] = stacks.map(() => 0);
    for (let i = 0; i < SAMPLES; i++) {
        for (const [k, stack] of stacks.entries()) {
            const before = fakes[k].apiRequests().length;
            const r = await runYaml(stack, ["preview", "--expect-no-changes"], 30 * 60_000);
            if (r.code !== 0) throw new Error(`bench: preview failed:\n${r.stdout}\n${r.stderr}`);
            times[k].push(r.ms);
            requests[k] = fakes[k].apiRequests().length - before;
        }
    }
    return { ms: times.map(median), requests };
}

type Row = [string, string, string, string, string, string];

const widths = [52, 12, 30, 8, 8, 5];
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;

/** Progress on stderr: the run takes minutes. */
const progress = (what: string) => process.stderr.write(`bench (plugin): ${what}\n`);

async function main(): Promise<void> {
    requirePluginBuilt();
    // Each row is also printed as soon as it is measured (the run takes long; a later failure keeps the earlier rows).
    const rows: Row[] = [];
    const push = rows.push.bind(rows);
    rows.push = (...r: Row[]) => {
        for (const row of r) progress(line(row));
        return push(...r);
    };
    const launcher = path.join(PLUGIN_DIR, "pulumi-resource-vercel-client-certs");
    const start: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 11; i++) {
        start.push(await toFirstLine(launcher, []));
        bare.push(await toFirstLine(process.execPath, ["-e", "console.log(1)"]));
    }
    const size = (f: string) => `${(fs.statSync(f).size / 1024).toFixed(0)} kB`;
    rows.push(["plugin start → port line (median of 11)", `${median(start).toFixed(0)} ms`, `${median(bare).toFixed(0)} ms bare node -e`, "", "", ""]);
    const archive = path.join(PLUGIN_DIR, "..", fs.readdirSync(path.join(PLUGIN_DIR, "..")).find((f) => f.endsWith(".tar.gz"))!);
    rows.push(["plugin size: bundle / release archive", size(path.join(PLUGIN_DIR, "plugin.js")), `${size(archive)} archive`, "", "", ""]);

    const cli = (await locatePulumi())?.path;
    if (!cli) throw new Error("bench: no Pulumi CLI (npm run pulumi-cli)");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plugin-"));
    try {
        // 1 resource: YAML on the plugin against TypeScript on the dynamic provider.
        progress("1 resource: YAML vs TS");
        {
            const fake = new FakeVercel(seedWith(1));
            await fake.start();
            const yaml = await yamlDeployed(cli, "one", yamlProgram(1, 1), fake);
            const ts = await deployedStack(cli, root, "ours", 1, 1, fake.url);
            const y: number[] = [];
            const t: number[] = [];
            for (let i = 0; i < Math.max(SAMPLES, 5); i++) {
                y.push((await runYaml(yaml, ["preview", "--expect-no-changes"])).ms);
                const r = await runPulumi(ts, ["preview", "--expect-no-changes"]);
                if (r.code !== 0) throw new Error(`bench: TS preview failed:\n${r.stdout}\n${r.stderr}`);
                t.push(r.ms);
            }
            rows.push(["YAML preview, 1 plugin resource vs TS dynamic", `${median(y)} ms`, `${median(t)} ms TS`, `${(median(y) / median(t)).toFixed(2)}×`, "", ""]);
            await fake.stop();
        }
        // 100 resources over 20 projects: 100 ms against 0 ms + 20 × 100 ms.
        progress("100 resources over 20 projects");
        {
            const slow = new FakeVercel(seedWith(20), { latencyMs: 100 });
            const fast = new FakeVercel(seedWith(20));
            await slow.start();
            await fast.start();
            const program = yamlProgram(100, 20);
            const stacks = [await yamlDeployed(cli, "s100", program, slow), await yamlDeployed(cli, "f100", program, fast)];
            const { ms, requests } = await previews(stacks, [slow, fast]);
            const allowance = ms[1] + 20 * 100;
            rows.push(["YAML preview, 100 res / 20 projects, 100 ms", `${ms[0]} ms`, `${allowance} ms (0 ms: ${ms[1]} + 2000)`, `${(ms[0] / allowance).toFixed(2)}×`, "≤ 1.10×", ms[0] / allowance <= 1.1 ? "yes" : "NO"]);
            rows.push(["  API requests per preview", String(requests[0]), "", "", "20", requests[0] === 20 ? "yes" : "NO"]);
            await slow.stop();
            await fast.stop();
        }
        // 1 000 resources over 200 projects through 5 ProjectClientCertsSets: 100 ms against 0 ms.
        progress("1 000 resources over 200 projects (5 sets)");
        {
            const slow = new FakeVercel(seedWith(200), { latencyMs: 100 });
            const fast = new FakeVercel(seedWith(200));
            await slow.start();
            await fast.start();
            const program = yamlProgram(1000, 200, 5);
            const stacks = [await yamlDeployed(cli, "s1000", program, slow), await yamlDeployed(cli, "f1000", program, fast)];
            const { ms, requests } = await previews(stacks, [slow, fast]);
            rows.push(["YAML preview, 1 000 res / 200 projects, 100 ms, 5 sets", `${ms[0]} ms`, `${ms[1]} ms at 0 ms`, `${(ms[0] / ms[1]).toFixed(2)}×`, "≤ 1.25×", ms[0] / ms[1] <= 1.25 ? "yes" : "NO"]);
            rows.push(["  API requests per preview", String(requests[0]), "", "", "200", requests[0] === 200 ? "yes" : "NO"]);
            await slow.stop();
            await fast.stop();
        }
    } finally {
        for (const dir of [root, ...made]) fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log(line(["metric (plugin)", "plugin", "baseline (same run)", "result", "target", "met?"]));
    console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const r of rows) console.log(line(r));
}

if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === "plugin") {
    main().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
