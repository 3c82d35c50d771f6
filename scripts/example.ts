/**
 * `npm run example`: the one-command tour, with the real Pulumi CLI, the sandbox (fake Vercel API) and no Pulumi
 * or Vercel account.
 *
 * It finds a Pulumi CLI (PATH, cache, or a build from Go modules: see scripts/pulumiCli.ts), starts the sandbox,
 * keeps state in a local file backend inside the repo (.pulumi-state/, git-ignored) with an empty passphrase,
 * runs `pulumi up --yes` on examples/basic, adds a certificate at the sandbox as if in the Vercel dashboard, and
 * shows that drift in each of Pulumi's drift workflows (`preview`, `refresh --preview-only`, `preview --refresh`,
 * `refresh`), then re-points the certificate and stores that with `up --refresh --skip-preview`. Each command's
 * output is printed between `=== <title>: pulumi …` and `--- exit <code>`; the README quotes them verbatim and a
 * test compares the two.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startSandbox } from "../sandbox/main";
import { SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { howToGetCli, locatePulumi } from "./pulumiCli";
import { languageHostKind, runPulumi, type CliContext } from "./runPulumi";

const REPO = path.resolve(__dirname, "..");
const PROGRAM = path.join(REPO, "examples", "basic");
const STATE_DIR = path.join(REPO, ".pulumi-state");

async function main(): Promise<number> {
    const cli = await locatePulumi();
    if (!cli) {
        console.error(`npm run example needs the Pulumi CLI.\n${howToGetCli()}`);
        return 1;
    }
    const sandbox = await startSandbox(0);
    fs.mkdirSync(STATE_DIR, { recursive: true });
    const ctx: CliContext = {
        cli: cli.path,
        programDir: PROGRAM,
        env: {
            PULUMI_BACKEND_URL: `file://${STATE_DIR}`,
            PULUMI_HOME: path.join(STATE_DIR, ".pulumi-home"),
            VERCEL_API_URL: sandbox.url,
            VERCEL_API_TOKEN: SANDBOX_TOKEN,
            NO_COLOR: process.env.NO_COLOR ?? "",
        },
    };
    // Output is printed once each command ends: the sandbox serves from this process's event loop meanwhile.
    // `expect` is the exit code that means success here: 7 is `--expect-no-changes` reporting drift.
    const run = async (title: string, args: string[], expect = 0) => {
        console.log(`\n=== ${title}: pulumi ${args.join(" ")}`);
        const r = await runPulumi(ctx, args);
        // Both streams, as a terminal shows them: the CLI's "error: no changes were expected" line is stderr.
        process.stdout.write(r.stdout);
        process.stdout.write(r.stderr);
        console.log(`--- exit ${r.code}`);
        if (r.code !== expect) throw new Error(`pulumi ${args[0]} exited ${r.code}, expected ${expect}`);
    };
    try {
        console.log(`Pulumi CLI v${cli.version} (${cli.source}: ${cli.path}); language host: ${languageHostKind(cli.path)}`);
        console.log(`Sandbox (fake Vercel API) on ${sandbox.url}; state in ${STATE_DIR}`);
        await run("stack", ["stack", "select", "--create", "sandbox"]);
        await run("team", ["config", "set", "vercel:team", "team_acme"]);
        await run("deploy", ["up", "--yes"]);
        const cert = { id: "cert_added_in_dashboard", origin: "https://new-upstream.example.com" };
        sandbox.addCert("web-app", "team_acme", cert);
        console.log(`\nAdded ${cert.id} (${cert.origin}) to web-app at the sandbox, as if someone used the dashboard.`);
        await run("drift", ["preview", "--diff", "--expect-no-changes"], 7);
        await run("drift check", ["refresh", "--preview-only", "--diff", "--expect-no-changes"], 7);
        await run("preview with refresh", ["preview", "--refresh", "--diff"]);
        await run("refresh", ["refresh", "--diff", "--yes"]);
        await run("clean", ["preview", "--expect-no-changes"]);
        const moved = { ...cert, origin: "https://moved-upstream.example.com" };
        sandbox.addCert("web-app", "team_acme", moved);
        console.log(`\nRe-pointed ${cert.id} to ${moved.origin} at the sandbox.`);
        await run("up with refresh", ["up", "--refresh", "--skip-preview", "--diff", "--yes"]);
        console.log("\nEach drift workflow above named the certificate; refresh and up --refresh stored it.");
        return 0;
    } catch (err) {
        console.error(`\nexample: ${(err as Error).message}`);
        return 1;
    } finally {
        await sandbox.stop();
    }
}

main().then((code) => process.exit(code));
