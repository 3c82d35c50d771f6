/**
 * Real-CLI support for the provider plugin: a YAML program (Pulumi's own yaml language host, installed beside the
 * CLI) in a temporary directory with its own PULUMI_HOME and file backend, pointed at the fake API. Commands run
 * as a user runs them: the plain CLI in the program directory, `--non-interactive`, `--color never`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnCollect, type CliResult } from "../../scripts/runPulumi";

/** The unpacked plugin directory and the release archive `npm run plugin` writes. */
export const PLUGIN_DIR = path.join(__dirname, "..", "..", "dist", "plugin", "vercel-client-certs");
/** The archive for `pulumi plugin install --file`. */
export function pluginArchive(): string {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")).version;
    return path.join(PLUGIN_DIR, "..", `pulumi-resource-vercel-client-certs-v${version}-linux-amd64.tar.gz`);
}

/** Fails clearly when `npm run plugin` has not run (npm test runs it before mocha). */
export function requirePluginBuilt(): void {
    if (!fs.existsSync(path.join(PLUGIN_DIR, "pulumi-resource-vercel-client-certs")) || !fs.existsSync(pluginArchive())) {
        throw new Error("dist/plugin is missing: run `npm run plugin` (npm test does) before these tests");
    }
}

/** A YAML program with its own Pulumi home and backend. */
export interface YamlStack {
    cli: string;
    dir: string;
    env: NodeJS.ProcessEnv;
}

const PROGRAM_COMMANDS = new Set(["up", "preview", "refresh", "destroy", "import"]);

/** Directories made by {@link yamlStack}, removed by {@link removeYamlStacks}. */
const made: string[] = [];

/** Removes every program directory (with its Pulumi home and state) made so far; for `after` hooks. */
export function removeYamlStacks(): void {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A YAML program named `name` that loads the plugin from its build folder, with `body` (its `resources:` and any
 * `outputs:`) after the header.
 */
export function yamlProgram(name: string, body: string): string {
    return `name: ${name}\nruntime: yaml\nplugins:\n  providers:\n    - name: vercel-client-certs\n      path: ${PLUGIN_DIR}\n${body}`;
}

/** Writes `Pulumi.yaml` into a fresh temporary directory and inits stack `dev`. */
export async function yamlStack(cli: string, name: string, pulumiYaml: string, apiUrl: string, home?: string): Promise<YamlStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vcc-plugin-${name}-`));
    made.push(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: [path.dirname(cli), path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter),
        PULUMI_HOME: home ?? path.join(dir, ".pulumi-home"),
        PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: "plugin-test-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        NO_COLOR: "1",
        VERCEL_API_URL: apiUrl,
        VERCEL_API_TOKEN: "",
        VERCEL_TOKEN: "",
    };
    fs.mkdirSync(path.join(dir, ".state"));
    const stack = { cli, dir, env };
    await expectYaml(stack, ["stack", "init", "dev"]);
    return stack;
}

/**
 * Runs `pulumi <args>` (program commands get `--non-interactive --color never`), killed after `timeoutMs`
 * (default 4 minutes). Never throws on exit codes.
 */
export function runYaml(stack: YamlStack, args: string[], timeoutMs = 240_000): Promise<CliResult> {
    const full = PROGRAM_COMMANDS.has(args[0]) ? [...args, "--non-interactive", "--color", "never"] : args;
    return spawnCollect(stack.cli, full, stack.dir, stack.env, timeoutMs);
}

/** Runs a command and fails with its whole output unless it exits `code`. */
export async function expectYaml(stack: YamlStack, args: string[], code = 0, timeoutMs?: number): Promise<CliResult> {
    const r = await runYaml(stack, args, timeoutMs);
    if (r.code !== code) {
        throw new Error(`pulumi ${args.join(" ")} exited ${r.code}, expected ${code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
    }
    return r;
}
