/**
 * The user-level part of `npm run bench`: wall time of a real `pulumi preview` on a stack of `ProjectClientCerts`,
 * against the same stack made of a trivial dynamic resource that makes no request, both measured in this run.
 *
 * Three sizes: 1 resource; 100 resources over 20 projects with 20 ms API latency; 1 000 resources over 200
 * projects with 100 ms (a CI runner's distance from Vercel). Each stack is deployed once (`pulumi up`), then
 * previewed with nothing changed, alternating ours and the trivial one so drift in machine load hits both. Both use
 * `PULUMI_NODEJS_TRANSPILE_ONLY=true`, so type-checking the program is not measured. The programs run on whichever
 * language host `runPulumi` uses (Pulumi's own when it is beside the CLI), and the row says which.
 *
 * Also per size: API requests per preview (must equal the distinct projects), and the peak RSS (VmHWM) of the
 * program and provider-host processes, sampled from /proc every 100 ms while each preview runs.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel, type FakeSeed } from "../dist/testing/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { locatePulumi } from "./pulumiCli";
import { runPulumi, type CliContext } from "./runPulumi";

const REPO = path.resolve(__dirname, "..");

const PROGRAMS = {
    ours: `import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";
const count = Number(new pulumi.Config().get("count") ?? "1");
const projects = Number(new pulumi.Config().get("projects") ?? "1");
for (let i = 0; i < count; i++) {
    new ProjectClientCerts(\`r\${i}\`, { idOrName: \`bench-\${String(i % projects).padStart(3, "0")}\` });
}
`,
    trivial: `import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds, news) { return { inputs: news }; },
    async diff() { return { changes: false }; },
    async create(inputs) { return { id: String(inputs.idOrName), outs: { ...inputs, certIds: [] } }; },
};
class Trivial extends pulumi.dynamic.Resource {
    constructor(name: string, idOrName: string) { super(provider, name, { idOrName, certIds: undefined }); }
}
const count = Number(new pulumi.Config().get("count") ?? "1");
const projects = Number(new pulumi.Config().get("projects") ?? "1");
for (let i = 0; i < count; i++) new Trivial(\`r\${i}\`, \`bench-\${String(i % projects).padStart(3, "0")}\`);
`,
};

export type Kind = keyof typeof PROGRAMS;

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One measured size: medians of `pulumi preview` wall time for ours and the trivial stack. */
export interface PreviewTiming {
    label: string;
    ours: number;
    trivial: number;
    samples: number;
    target: number;
    /** API requests per preview of ours (each preview), and the distinct projects it should equal. */
    requests: number[];
    projects: number;
    /** Peak RSS in MB of our stack's program and provider-host processes over all its previews. */
    rssMb: { program: number; provider: number };
    /** Which language host ran the programs. */
    host: string;
}

/** The sample seed plus `n` projects (`bench-000` …) in team_acme, each with one cert. */
export function seedWith(n: number): FakeSeed {
    const seed = sampleSeed();
    for (let i = 0; i < n; i++) {
        const name = `bench-${String(i).padStart(3, "0")}`;
        seed.projects.push({ id: `prj_${name}`, name, teamId: "team_acme", certs: [{ id: `cert_${name}`, origin: "https://upstream.example.com" }] });
    }
    return seed;
}

/**
 * Samples the peak RSS (VmHWM, MB) of node processes whose working directory is `dir` while `work` runs: the
 * provider host (its command line names cmd/dynamic-provider) and the program (every other node process there).
 */
async function withPeakRss<T>(dir: string, work: () => Promise<T>): Promise<{ result: T; program: number; provider: number }> {
    const peak = { program: 0, provider: 0 };
    const sample = () => {
        for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
            try {
                if (fs.readlinkSync(`/proc/${pid}/cwd`) !== dir) continue;
                const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
                if (!/node/.test(cmd.split("\0")[0])) continue;
                const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
                const kind = /dynamic-provider/.test(cmd) ? "provider" : "program";
                peak[kind] = Math.max(peak[kind], hwm);
            } catch {
                // gone meanwhile
            }
        }
    };
    const timer = setInterval(sample, 100);
    try {
        const result = await work();
        return { result, ...peak };
    } finally {
        clearInterval(timer);
    }
}

/** Makes a program directory (node_modules linked to the repo's) with a deployed stack of `count` resources (also used by benchPlugin.ts). */
export async function deployedStack(cli: string, root: string, kind: Kind, count: number, projects: number, apiUrl: string): Promise<CliContext> {
    const dir = path.join(root, `${kind}-${count}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${kind}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAMS[kind]);
    const ctx: CliContext = {
        cli,
        programDir: dir,
        env: { VERCEL_API_URL: apiUrl, VERCEL_API_TOKEN: SANDBOX_TOKEN, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    };
    const must = async (args: string[]) => {
        const r = await runPulumi(ctx, args);
        if (r.code !== 0) throw new Error(`bench: pulumi ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
        return r;
    };
    await must(["stack", "init", "bench"]);
    await must(["config", "set", "vercel:team", "team_acme"]);
    await must(["config", "set", "count", String(count)]);
    await must(["config", "set", "projects", String(projects)]);
    await must(["up", "--yes", "--skip-preview"]);
    return ctx;
}

async function timeSize(
    cli: string,
    root: string,
    label: string,
    size: { count: number; projects: number; latencyMs: number },
    samples: number,
    target: number,
): Promise<PreviewTiming> {
    const fake = new FakeVercel(seedWith(size.projects), { latencyMs: size.latencyMs });
    await fake.start();
    try {
        const stacks = {
            ours: await deployedStack(cli, root, "ours", size.count, size.projects, fake.url),
            trivial: await deployedStack(cli, root, "trivial", size.count, size.projects, fake.url),
        };
        const times: Record<Kind, number[]> = { ours: [], trivial: [] };
        const requests: number[] = [];
        const rssMb = { program: 0, provider: 0 };
        let host = "";
        for (let i = 0; i < samples; i++) {
            for (const kind of ["ours", "trivial"] as const) {
                const before = fake.apiRequests().length;
                const { result: r, program, provider } = await withPeakRss(stacks[kind].programDir, () =>
                    runPulumi(stacks[kind], ["preview", "--expect-no-changes"]),
                );
                if (r.code !== 0) throw new Error(`bench: preview of ${kind}-${size.count} failed:\n${r.stdout}\n${r.stderr}`);
                times[kind].push(r.ms);
                host = r.host ?? host;
                if (kind === "ours") {
                    requests.push(fake.apiRequests().length - before);
                    rssMb.program = Math.max(rssMb.program, program);
                    rssMb.provider = Math.max(rssMb.provider, provider);
                }
            }
        }
        return { label, ours: median(times.ours), trivial: median(times.trivial), samples, target, requests, projects: size.projects, rssMb, host };
    } finally {
        await fake.stop();
    }
}

/** Runs every size; undefined (with the reason on stderr) when no CLI can be found or built. */
export async function previewTimings(): Promise<PreviewTiming[] | undefined> {
    const cli = await locatePulumi();
    if (!cli) {
        process.stderr.write("bench: no Pulumi CLI (npm run pulumi-cli builds one); skipping the real `pulumi preview` rows\n");
        return undefined;
    }
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-"));
    try {
        // BENCH_CLI_SIZES=1,100,1000 picks sizes by resource count (all three when unset).
        const picked = (process.env.BENCH_CLI_SIZES ?? "1,100,1000").split(",").map((s) => Number(s.trim()));
        const sizes = [
            { label: "pulumi preview, 1 resource", size: { count: 1, projects: 1, latencyMs: 0 }, samples: 7, target: 1.1 },
            { label: "pulumi preview, 100 resources / 20 projects, 20 ms", size: { count: 100, projects: 20, latencyMs: 20 }, samples: 5, target: 1.15 },
            { label: "pulumi preview, 1 000 resources / 200 projects, 100 ms", size: { count: 1000, projects: 200, latencyMs: 100 }, samples: 3, target: 1.25 },
        ].filter((s) => picked.includes(s.size.count));
        const timings: PreviewTiming[] = [];
        for (const s of sizes) timings.push(await timeSize(cli.path, root, s.label, s.size, s.samples, s.target));
        return timings;
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}
