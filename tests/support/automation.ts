/**
 * Automation API test support: inline programs run in this (mocha's) process, through `LocalWorkspace` and the
 * real CLI, on a local file backend in a temp directory, as a drift service or platform API would run them.
 *
 * The inline program imports the package from `dist/`, with the same `@pulumi/pulumi` the Automation API runs it
 * with; the provider host the CLI starts loads the packed package from the scratch install (the workspace's
 * `workDir` is a scratch program directory there), as a user's would.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as automation from "@pulumi/pulumi/automation";
import { cliEnv } from "../../scripts/runPulumi";
import { scratchProgram } from "./scratch";

/** The environment variables of this package that a test moves between `process.env` and `envVars`. */
export const VERCEL_ENV_KEYS = [
    "VERCEL_API_URL",
    "VERCEL_API_TOKEN",
    "VERCEL_TOKEN",
    "VERCEL_CLIENT_CERTS_TIMEOUT_MS",
    "VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS",
    "VERCEL_CLIENT_CERTS_MAX_ATTEMPTS",
] as const;

/** An inline program's stack, and how to clean up after it. */
export interface InlineStack {
    stack: automation.Stack;
    /** Removes the temp CLI root and backend. */
    dispose(): void;
}

/**
 * Creates stack `dev` of a new project `name` whose program is `program`, run inline in this process.
 *
 * @param cli Path of the real `pulumi`.
 * @param name Project name (and scratch directory).
 * @param program The inline program.
 * @param envVars `LocalWorkspace` `envVars`: what the CLI and the provider host get on top of `process.env`.
 *   Every `VERCEL_*` key not given here is set empty, so only what a test passes reaches the provider.
 */
export async function inlineStack(
    cli: string,
    name: string,
    program: automation.PulumiFn,
    envVars: Record<string, string>,
): Promise<InlineStack> {
    const workDir = scratchProgram(name, {});
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-inline-"));
    // The Automation API runs `<root>/bin/pulumi`: point it at the CLI under test.
    fs.mkdirSync(path.join(temp, "bin"));
    fs.symlinkSync(cli, path.join(temp, "bin", "pulumi"));
    const pulumiCommand = await automation.PulumiCommand.get({ root: temp, skipVersionCheck: true });
    const empty = Object.fromEntries(VERCEL_ENV_KEYS.map((k) => [k, ""]));
    const base = cliEnv({ cli, programDir: workDir, env: { ...empty, ...envVars } });
    const env: Record<string, string> = {
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_CONFIG_PASSPHRASE: "inline-test-passphrase",
        PULUMI_HOME: path.join(temp, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(temp, "state")}`,
        NO_COLOR: "1",
        PATH: base.PATH ?? "",
        ...empty,
        ...envVars,
    };
    fs.mkdirSync(path.join(temp, "state"));
    const stack = await automation.LocalWorkspace.createOrSelectStack(
        { stackName: "dev", projectName: name, program },
        { workDir, pulumiCommand, envVars: env },
    );
    return { stack, dispose: () => fs.rmSync(temp, { recursive: true, force: true }) };
}

/**
 * Runs `fn` with `process.env` changed as given (undefined deletes), then restores it: the inline program reads
 * this process's environment, so a test sets what it is meant to see there.
 */
export async function withProcessEnv<T>(changes: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(changes).map((k) => [k, process.env[k]]));
    const apply = (values: Record<string, string | undefined>) => {
        for (const [k, v] of Object.entries(values)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
    apply(changes);
    try {
        return await fn();
    } finally {
        apply(saved);
    }
}

/** The text of an Automation API command's failure (its message holds the CLI's stdout and stderr). */
export async function commandFailure(p: Promise<unknown>): Promise<string> {
    try {
        await p;
    } catch (err) {
        return String((err as Error)?.message ?? err);
    }
    throw new Error("expected the command to fail, but it succeeded");
}
