/**
 * Runs the real `pulumi` CLI on a Pulumi TypeScript program, offline, with a local file backend.
 *
 * With Pulumi's own Node.js language host beside the CLI (`pulumi-language-nodejs`, installed there by
 * `scripts/pulumiCli.ts`), every command is the plain CLI in the program directory, exactly as a user runs it.
 * Only on a machine without that host, commands that run the program (`up`, `preview`, `refresh`, `destroy`) get
 * `--client=<address>` of a `scripts/languageHost.js` started for that one command (see there), and each result
 * says so (`host: "fallback"`). The dynamic-provider plugin `pulumi-resource-pulumi-nodejs` is taken from beside
 * the CLI (where `scripts/pulumiCli.ts` puts it, as a released CLI ships it), else from the program's
 * `@pulumi/pulumi` on PATH.
 *
 * Bounds: each command is killed after `timeoutMs` (default 5 min); the language host must print its port within
 * 60 s.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { languageHostFor } from "./pulumiCli";

/** What one CLI command printed and how it ended. */
export interface CliResult {
    /** Exit code (null if killed). */
    code: number | null;
    stdout: string;
    stderr: string;
    /** Wall time of the CLI command alone, language host start excluded. */
    ms: number;
    /** Which language host ran the program: Pulumi's own, or the `--client` fallback. */
    host?: LanguageHostKind;
}

/** `pulumi-language-nodejs` (Pulumi's own, as users have it) or `fallback` (scripts/languageHost.js via `--client`). */
export type LanguageHostKind = "pulumi-language-nodejs" | "fallback";

/** Which language host runs programs for the CLI at `cli`. */
export function languageHostKind(cli: string): LanguageHostKind {
    return languageHostFor(cli) ? "pulumi-language-nodejs" : "fallback";
}

/** Where and how to run. */
export interface CliContext {
    /** Path of the `pulumi` binary. */
    cli: string;
    /** The directory holding Pulumi.yaml and the program (with its node_modules). */
    programDir: string;
    /** Extra environment; the offline settings below are always set. */
    env?: NodeJS.ProcessEnv;
    /** Per-command bound, default 300 000 ms. */
    timeoutMs?: number;
}

const PROGRAM_COMMANDS = new Set(["up", "preview", "refresh", "destroy"]);
const HOST_SCRIPT = path.join(__dirname, "languageHost.js");

/** The environment every command gets: offline, local, no prompts, no colour. */
export function cliEnv(ctx: CliContext): NodeJS.ProcessEnv {
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [ctx.programDir] }));
    return {
        ...process.env,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_CONFIG_PASSPHRASE: "",
        PULUMI_HOME: path.join(ctx.programDir, ".pulumi-home"),
        PULUMI_BACKEND_URL: `file://${path.join(ctx.programDir, ".pulumi-state")}`,
        NO_COLOR: "1",
        ...ctx.env,
        // The node running this goes first (the plugin and language host run `node`); the SDK's copy of the
        // dynamic-provider plugin goes last, for a CLI that does not ship one beside itself.
        // The CLI prefers a plugin on PATH to its own and warns when they differ, so the fallback is added only
        // when the CLI has none beside it.
        PATH: [
            path.dirname(process.execPath),
            process.env.PATH ?? "",
            ...(fs.existsSync(path.join(path.dirname(ctx.cli), "pulumi-resource-pulumi-nodejs")) ? [] : [sdkDir]),
        ].join(path.delimiter),
    };
}

/** Runs `pulumi <args>` in the program directory. Never throws on a non-zero exit: callers assert on it. */
export async function runPulumi(ctx: CliContext, args: string[], input?: string): Promise<CliResult> {
    const env = cliEnv(ctx);
    const backend = env.PULUMI_BACKEND_URL ?? "";
    if (backend.startsWith("file://")) fs.mkdirSync(backend.slice("file://".length), { recursive: true });
    let host: ChildProcess | undefined;
    const fullArgs = [...args];
    const kind = languageHostKind(ctx.cli);
    try {
        if (kind === "fallback" && PROGRAM_COMMANDS.has(args[0])) {
            const started = await startLanguageHost(ctx.programDir, env);
            host = started.child;
            fullArgs.push(`--client=127.0.0.1:${started.port}`);
        }
        const result = await spawnCollect(ctx.cli, fullArgs, ctx.programDir, env, ctx.timeoutMs ?? 300_000, input);
        return PROGRAM_COMMANDS.has(args[0]) ? { ...result, host: kind } : result;
    } finally {
        if (host && host.exitCode === null) {
            host.kill("SIGTERM");
            await new Promise((r) => host!.once("exit", r));
        }
    }
}

/** Starts the language host for `programDir` and waits for its port. */
async function startLanguageHost(programDir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, [HOST_SCRIPT, programDir], {
        cwd: programDir,
        env,
        stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => {
        stderr += c.toString("utf8");
        // The program's own console output (not the CLI's) also lands here; keep it visible when debugging.
        if (process.env.PULUMI_E2E_DEBUG) process.stderr.write(c);
    });
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`language host did not start within 60 s: ${stderr}`)), 60_000);
        child.stdout!.on("data", (c: Buffer) => {
            out += c.toString("utf8");
            const m = /PORT (\d+)/.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve(Number(m[1]));
            }
        });
        child.once("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`language host exited (${code}) before listening: ${stderr}`));
        });
    });
    return { child, port };
}

/** Runs a command to its end, collecting its output; killed after `timeoutMs`. Never throws on a non-zero exit. */
export function spawnCollect(
    cmd: string,
    args: string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
    timeoutMs: number,
    input?: string,
): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(cmd, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
        child.stdin.end(input ?? "");
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.once("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr, ms: Date.now() - started });
        });
    });
}
