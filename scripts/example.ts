/**
 * `npm run example`: the one-command tour, with the real Pulumi CLI, the sandbox (fake Vercel API) and no Pulumi
 * or Vercel account.
 *
 * It finds a Pulumi CLI (PATH, cache, or a build from Go modules: see scripts/pulumiCli.ts), starts the sandbox,
 * keeps state in a local file backend inside the repo (.pulumi-state/, git-ignored) with an empty passphrase,
 * runs `pulumi up --yes` on examples/basic, adds a certificate at the sandbox as if in the Vercel dashboard, runs
 * `pulumi preview --diff` so the drift shows, and stops the sandbox.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startSandbox } from "../sandbox/main";
import { SANDBOX_TOKEN } from "../dist/sandboxSeed";
import { howToGetCli, locatePulumi } from "./pulumiCli";
import { runPulumi, type CliContext } from "./runPulumi";

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
    const run = async (title: string, args: string[]) => {
        console.log(`\n=== ${title}: pulumi ${args.join(" ")}`);
        const r = await runPulumi(ctx, args);
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        if (r.code !== 0) throw new Error(`pulumi ${args[0]} failed (exit ${r.code})`);
    };
    try {
        console.log(`Pulumi CLI v${cli.version} (${cli.source}: ${cli.path})`);
        console.log(`Sandbox (fake Vercel API) on ${sandbox.url}; state in ${STATE_DIR}`);
        await run("stack", ["stack", "select", "--create", "sandbox"]);
        await run("team", ["config", "set", "vercel:team", "team_acme"]);
        await run("deploy", ["up", "--yes"]);
        const cert = { id: "cert_added_in_dashboard", origin: "https://new-upstream.example.com" };
        sandbox.addCert("web-app", "team_acme", cert);
        console.log(`\nAdded ${cert.id} (${cert.origin}) to web-app at the sandbox, as if someone used the dashboard.`);
        await run("drift", ["preview", "--diff"]);
        console.log("\nThe preview above names the added certificate. `pulumi up` would store it.");
        return 0;
    } catch (err) {
        console.error(`\nexample: ${(err as Error).message}`);
        return 1;
    } finally {
        await sandbox.stop();
    }
}

main().then((code) => process.exit(code));
