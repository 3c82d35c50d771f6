/**
 * A stack of a program in any Pulumi language that uses the provider plugin (not the dynamic provider), run by the
 * real CLI as a user runs it: in the program's folder, on a temporary local backend and PULUMI_HOME of its own,
 * `--non-interactive --color never`, with the plugin from `dist/plugin/vercel-client-certs` (`npm run plugin`).
 * scripts/runPulumi.ts serves Node.js programs of the dynamic provider; Go and SDK-based programs need no
 * `@pulumi/pulumi` beside them, hence this.
 *
 * Bounds: each command is killed after 10 min (a cold Go build compiles the Pulumi SDK's dependencies: ~2.5 min on
 * an idle 2-core machine, several times that on a loaded one; callers warm it first with {@link warmGoBuild}).
 */
import { spawnSync } from "node:child_process";
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnCollect, type CliResult } from "../../scripts/runPulumi";
import { REPO_ROOT } from "./providerHost";

const COMMAND_TIMEOUT_MS = 10 * 60_000;
/** The passphrase of every test stack's secrets provider. */
export const PASSPHRASE = "plugin-stack-test-passphrase";

/** The unpacked plugin folder that `npm run plugin` writes (built once here when absent). */
export function pluginDir(): string {
    const dir = path.join(REPO_ROOT, "dist", "plugin", "vercel-client-certs");
    const exe = path.join(dir, "pulumi-resource-vercel-client-certs");
    if (!fs.existsSync(exe)) {
        const built = spawnSync("npm", ["run", "--silent", "plugin"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 10 * 60_000 });
        assert.equal(built.status, 0, `npm run plugin failed:\n${built.stdout}${built.stderr}`);
    }
    assert.ok(fs.existsSync(exe), `npm run plugin wrote no ${exe}`);
    return dir;
}

/**
 * Builds the Go program in `dir` as Pulumi's Go language host does (`go build -trimpath`: the same build cache
 * entries), so the CLI commands after it only link. Returns the wall time in ms. Bounded at 20 min.
 */
export function warmGoBuild(dir: string): number {
    const started = Date.now();
    const out = path.join(os.tmpdir(), `warm-go-${process.pid}-${Date.now()}`);
    const result = spawnSync("go", ["build", "-buildvcs=false", "-trimpath", "-ldflags", "-w -s", "-o", out, "."], {
        cwd: dir,
        encoding: "utf8",
        timeout: 20 * 60_000,
        env: { ...process.env, GOTOOLCHAIN: "local" },
    });
    fs.rmSync(out, { force: true });
    assert.equal(result.status, 0, `go build in ${dir}: ${result.error?.message ?? ""}\n${result.stderr}`);
    return Date.now() - started;
}

/** One program's stack: where it runs and what every command gets. */
export class PluginStack {
    /** A temporary directory holding the program (`program/`), the backend and PULUMI_HOME. */
    readonly root: string;
    /** The program's folder (holds Pulumi.yaml). */
    readonly programDir: string;
    /** Every command's wall time and exit code, in order, for the report. */
    readonly log: { args: string; code: number | null; ms: number }[] = [];

    /** Makes the temporary root; the caller fills `programDir` and calls `init`. */
    constructor(
        readonly cli: string,
        name: string,
        private readonly env: NodeJS.ProcessEnv,
    ) {
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), `plugin-stack-${name}-`));
        this.programDir = path.join(this.root, "program");
        fs.mkdirSync(this.programDir);
        fs.mkdirSync(path.join(this.root, "state"));
    }

    /** The environment of every command: isolated backend and home, no prompts, no colour, no downloads. */
    cliEnv(): NodeJS.ProcessEnv {
        return {
            ...process.env,
            PULUMI_HOME: path.join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${path.join(this.root, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            NO_COLOR: "1",
            // The machine's Go builds Go programs; never a downloaded toolchain.
            GOTOOLCHAIN: "local",
            VERCEL_API_TOKEN: "",
            VERCEL_TOKEN: "",
            ...this.env,
            // The plugin may be a Node launcher: the node running the tests goes first.
            PATH: [path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter),
        };
    }

    /** Runs `pulumi <args> --non-interactive --color never` in the program folder; never throws on an exit code. */
    async run(args: string[], input?: string): Promise<CliResult> {
        const result = await spawnCollect(
            this.cli,
            [...args, "--non-interactive", "--color", "never"],
            this.programDir,
            this.cliEnv(),
            COMMAND_TIMEOUT_MS,
            input,
        );
        this.log.push({ args: args.join(" "), code: result.code, ms: result.ms });
        if (process.env.PULUMI_E2E_DEBUG) process.stderr.write(`pulumi ${args.join(" ")}: exit ${result.code}, ${result.ms} ms\n${result.stdout}${result.stderr}\n`);
        return result;
    }

    /** Runs a command and fails with everything it printed unless it exits `code`. */
    async expect(args: string[], code = 0, input?: string): Promise<CliResult> {
        const result = await this.run(args, input);
        if (result.code !== code) {
            throw new Error(`pulumi ${args.join(" ")} exited ${result.code}, expected ${code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
        }
        return result;
    }

    /** `pulumi stack init dev` and each config value (`secret` ones with `--secret`). */
    async init(config: Record<string, string>, secret: Record<string, string> = {}): Promise<void> {
        await this.expect(["stack", "init", "dev"]);
        for (const [key, value] of Object.entries(config)) await this.expect(["config", "set", key, value]);
        for (const [key, value] of Object.entries(secret)) await this.expect(["config", "set", "--secret", key, value]);
    }

    /** The stack's state, as `pulumi stack export` prints it. */
    async exportState(): Promise<string> {
        return (await this.expect(["stack", "export"])).stdout;
    }

    /** A stack output, parsed from `pulumi stack output <name> --json`. */
    async output(name: string): Promise<unknown> {
        return JSON.parse((await this.expect(["stack", "output", name, "--json", "--show-secrets"])).stdout);
    }

    /** Removes the temporary root (backend, home, program). */
    dispose(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

/**
 * The resource's own section of `--diff` output: from its `ProjectClientCerts: (<step>)` header to the next
 * resource, the stack outputs' diff or the summary.
 */
export function resourceSection(stdout: string, step: "update" | "refresh"): string {
    const start = stdout.indexOf(`ProjectClientCerts: (${step})`);
    assert.ok(start >= 0, `no (${step}) step for the resource in:\n${stdout}`);
    const rest = stdout.slice(start);
    // It ends at the next resource, the summary, or the stack outputs' diff: `--outputs:--` indented at most 4
    // (a refresh step's own outputs diff, inside the section, is indented 8).
    const end = rest.search(/\n(\s*(pulumi:pulumi:Stack|Resources:|Outputs:)| {0,4}--outputs:--)/);
    return end >= 0 ? rest.slice(0, end) : rest;
}
