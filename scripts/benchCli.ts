/**
 * The user-level part of `npm run bench`: wall time of a real `pulumi preview` on a stack of `ProjectClientCerts`,
 * against the same stack made of a trivial dynamic resource that makes no request, both measured in this run.
 *
 * Two sizes: 1 resource, and 100 resources over 20 projects with 20 ms API latency. Each stack is deployed once
 * (`pulumi up`), then previewed with nothing changed, alternating ours and the trivial one so drift in machine
 * load hits both. Both use `PULUMI_NODEJS_TRANSPILE_ONLY=true`, so type-checking the program is not measured.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeVercel } from "../dist/fakeVercel";
import { sampleSeed, SANDBOX_TOKEN } from "../dist/sandboxSeed";
import { locatePulumi } from "./pulumiCli";
import { runPulumi, type CliContext } from "./runPulumi";

const REPO = path.resolve(__dirname, "..");

const PROGRAMS = {
    ours: `import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";
const count = Number(new pulumi.Config().get("count") ?? "1");
for (let i = 0; i < count; i++) {
    new ProjectClientCerts(\`r\${i}\`, { idOrName: \`service-\${String(i % 20).padStart(2, "0")}\` });
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
for (let i = 0; i < count; i++) new Trivial(\`r\${i}\`, \`service-\${String(i % 20).padStart(2, "0")}\`);
`,
};

type Kind = keyof typeof PROGRAMS;

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
}

/** Makes a program directory (node_modules linked to the repo's) with a deployed stack of `count` resources. */
async function deployedStack(cli: string, root: string, kind: Kind, count: number, apiUrl: string): Promise<CliContext> {
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
    await must(["up", "--yes", "--skip-preview"]);
    return ctx;
}

async function timeSize(cli: string, root: string, label: string, count: number, latencyMs: number, samples: number, target: number): Promise<PreviewTiming> {
    const fake = new FakeVercel(sampleSeed(), { latencyMs });
    await fake.start();
    try {
        const stacks = {
            ours: await deployedStack(cli, root, "ours", count, fake.url),
            trivial: await deployedStack(cli, root, "trivial", count, fake.url),
        };
        const times: Record<Kind, number[]> = { ours: [], trivial: [] };
        for (let i = 0; i < samples; i++) {
            for (const kind of ["ours", "trivial"] as const) {
                const r = await runPulumi(stacks[kind], ["preview", "--expect-no-changes"]);
                if (r.code !== 0) throw new Error(`bench: preview of ${kind}-${count} failed:\n${r.stdout}\n${r.stderr}`);
                times[kind].push(r.ms);
            }
        }
        return { label, ours: median(times.ours), trivial: median(times.trivial), samples, target };
    } finally {
        await fake.stop();
    }
}

/** Runs both sizes; undefined (with the reason on stderr) when no CLI can be found or built. */
export async function previewTimings(): Promise<PreviewTiming[] | undefined> {
    const cli = await locatePulumi();
    if (!cli) {
        process.stderr.write("bench: no Pulumi CLI (npm run pulumi-cli builds one); skipping the real `pulumi preview` rows\n");
        return undefined;
    }
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-"));
    try {
        return [
            await timeSize(cli.path, root, "pulumi preview, 1 resource", 1, 0, 7, 1.1),
            await timeSize(cli.path, root, "pulumi preview, 100 resources / 20 projects, 20 ms", 100, 20, 5, 1.2),
        ];
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}
