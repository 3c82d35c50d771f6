/**
 * Real-CLI test support: find the CLI (never build it here: `.ci/run` and `npm run pulumi-cli` do that), and
 * count the CLI tests skipped when there is none, so the run says so plainly at the end.
 */
import { locatePulumi, type LocatedCli } from "../../scripts/pulumiCli";
import { languageHostKind, runPulumi, type CliContext, type CliResult } from "../../scripts/runPulumi";
import { FakeVercel, type FakeOptions } from "../../dist/testing/fakeVercel";
import { sampleSeed } from "../../dist/testing/sandboxSeed";
import { cachedCli, NEWEST_CLI } from "./releaseRoutes";
import { scratchInstall, scratchProgram } from "./scratch";

let located: LocatedCli | undefined | null = null;
let skipped = 0;

/** The CLI, or undefined when none is on PATH, in PULUMI_CLI or in the cache. */
export async function findCli(): Promise<LocatedCli | undefined> {
    if (located === null) located = await locatePulumi({ build: false });
    return located;
}

/** In a `before` hook: skips the suite, counting its tests, when there is no CLI. */
export async function requireCli(ctx: Mocha.Context): Promise<string> {
    const cli = await findCli();
    if (!cli) {
        // From a `before` hook the whole suite is skipped; from a test, that test.
        skipped += (ctx.test as { type?: string } | undefined)?.type === "hook" ? (ctx.test?.parent?.tests.length ?? 0) : 1;
        ctx.skip();
    }
    return checkedHost(cli!.path, cli!.version);
}

/**
 * In a `before` hook: the newest CLI (`NEWEST_CLI`, .ci/run's) from the cache `npm run pulumi-cli` fills, for the
 * suites that run on both CLIs. Without it the suite is skipped and says how to build it; under CI=true that fails.
 */
export async function requireNewestCli(ctx: Mocha.Context): Promise<string> {
    const bin = cachedCli(NEWEST_CLI);
    if (!bin) {
        if (process.env.CI === "true") throw new Error(`CI=true: CLI ${NEWEST_CLI} must be built (PULUMI_CLI_VERSION=${NEWEST_CLI} npm run pulumi-cli)`);
        console.log(`      (CLI ${NEWEST_CLI} not built: PULUMI_CLI_VERSION=${NEWEST_CLI} npm run pulumi-cli)`);
        ctx.skip();
    }
    return checkedHost(bin!, NEWEST_CLI);
}

const announced = new Set<string>();

/** `cli`, once its Node.js language host is known: says which one once per CLI, and fails under CI=true on the fallback. */
function checkedHost(cli: string, version: string): string {
    const host = languageHostKind(cli);
    if (!announced.has(cli)) {
        announced.add(cli);
        console.log(`      (real-CLI tests: pulumi v${version}, language host: ${host === "fallback" ? "scripts/languageHost.js via --client (fallback)" : "pulumi-language-nodejs"})`);
    }
    if (host === "fallback" && process.env.CI === "true") {
        throw new Error(
            "CI=true: Pulumi's own pulumi-language-nodejs must run the programs, and none is beside the CLI or on PATH. " +
                "`npm run pulumi-cli` installs it from shared/tools/pulumi-language-nodejs (or set PULUMI_LANGUAGE_NODEJS_DIR).",
        );
    }
    return cli;
}

after(function () {
    if (skipped > 0) {
        console.log(
            `\n  ${skipped} real-CLI test(s) skipped: no Pulumi CLI on PATH, in PULUMI_CLI or in the cache.` +
                "\n  Run `npm run pulumi-cli` (needs Go) or install Pulumi, then `npm test` again. CI never skips them.\n",
        );
    }
    if (process.env.CI === "true" && skipped > 0) {
        throw new Error("CI=true: real-CLI tests must run; .ci/run builds the CLI first");
    }
});

/**
 * The start of every real-CLI suite, in its `before` hook: the CLI (or the suite is skipped), the packed install,
 * and a fake Vercel API with the sample data. The caller stops the fake in `after`.
 * @param pickCli Which CLI: `requireCli` (the default one) or `requireNewestCli`.
 */
export async function startCliSuite(
    ctx: Mocha.Context,
    options: FakeOptions = {},
    pickCli: (ctx: Mocha.Context) => Promise<string> = requireCli,
): Promise<{ cli: string; fake: FakeVercel }> {
    const cli = await pickCli(ctx);
    scratchInstall();
    const fake = new FakeVercel(sampleSeed(), options);
    await fake.start();
    return { cli, fake };
}

/** Every substring of `secret` of length 8 or more that appears in `text` (empty when none leaks). */
export function leakedFragments(text: string, secret: string, min = 8): string[] {
    const found: string[] = [];
    for (let i = 0; i + min <= secret.length; i++) {
        const piece = secret.slice(i, i + min);
        if (text.includes(piece)) found.push(piece);
    }
    return found;
}

/** Runs a CLI command and fails with its whole output when the exit code is not the expected one. */
export async function expectExit(ctx: CliContext, args: string[], code = 0, input?: string): Promise<CliResult> {
    const result = await runPulumi(ctx, args, input);
    if (result.code !== code) {
        throw new Error(
            `pulumi ${args.join(" ")} exited ${result.code}, expected ${code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
        );
    }
    return result;
}

/**
 * A scratch program (`files` in the packed install) with a fresh `dev` stack on a local backend, pointed at the
 * fake API, with `config` set (`vercel:apiToken` with `--secret`). No token comes from the environment unless
 * `env` gives one; the program is transpiled only (types are checked elsewhere).
 */
export async function cliStack(
    cli: string,
    name: string,
    files: Record<string, string>,
    apiUrl: string,
    config: Record<string, string>,
    env: NodeJS.ProcessEnv = {},
): Promise<CliContext> {
    const ctx: CliContext = {
        cli,
        programDir: scratchProgram(name, files),
        env: { VERCEL_API_URL: apiUrl, VERCEL_API_TOKEN: "", VERCEL_TOKEN: "", PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...env },
    };
    await expectExit(ctx, ["stack", "init", "dev"]);
    for (const [key, value] of Object.entries(config)) {
        await expectExit(ctx, ["config", "set", ...(key === "vercel:apiToken" ? ["--secret"] : []), key, value]);
    }
    return ctx;
}

export { runPulumi, type CliContext, type CliResult };
