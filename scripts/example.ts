/**
 * `npm run example`: the one-command tour, for someone with the Pulumi CLI and no Pulumi or Vercel account.
 *
 * It starts the sandbox, uses a local file backend inside the repo (.pulumi-state/) with an empty passphrase,
 * runs `pulumi up --yes` on examples/basic, adds a certificate at the sandbox as if in the Vercel dashboard,
 * runs `pulumi preview --diff` so the drift shows, and stops the sandbox.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startSandbox } from "../sandbox/main";
import { SANDBOX_TOKEN } from "../sandbox/seed";

const REPO = path.resolve(__dirname, "..");
const PROGRAM = path.join(REPO, "examples", "basic");
const STATE_DIR = path.join(REPO, ".pulumi-state");

/** The first executable named `name` on PATH, if any. */
function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // keep looking
        }
    }
    return undefined;
}

async function main(): Promise<number> {
    const pulumi = onPath("pulumi");
    if (!pulumi) {
        console.error(
            [
                "npm run example needs the Pulumi CLI, and no `pulumi` is on PATH.",
                "Install it, then run this again:",
                "  curl -fsSL https://get.pulumi.com | sh      # Linux, macOS",
                "  brew install pulumi/tap/pulumi              # macOS (Homebrew)",
                "  https://www.pulumi.com/docs/install/        # everything else",
                "No Pulumi account is needed: this example keeps its state in .pulumi-state/.",
            ].join("\n"),
        );
        return 1;
    }

    const sandbox = await startSandbox(0);
    fs.mkdirSync(STATE_DIR, { recursive: true });
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${STATE_DIR}`,
        PULUMI_CONFIG_PASSPHRASE: "",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        VERCEL_API_URL: sandbox.url,
        VERCEL_API_TOKEN: SANDBOX_TOKEN,
    };
    // Asynchronous on purpose: the sandbox serves from this process's event loop while pulumi runs.
    const run = async (title: string, args: string[]) => {
        console.log(`\n=== ${title}: pulumi ${args.join(" ")}`);
        const child = spawn(pulumi, args, { cwd: PROGRAM, env, stdio: "inherit" });
        const code = await new Promise<number | null>((resolve, reject) => {
            child.once("error", reject);
            child.once("exit", (c) => resolve(c));
        });
        if (code !== 0) throw new Error(`pulumi ${args[0]} failed (exit ${code})`);
    };
    try {
        console.log(`Sandbox (fake Vercel API) on ${sandbox.url}; state in ${STATE_DIR}`);
        await run("stack", ["stack", "select", "--create", "sandbox"]);
        await run("team", ["config", "set", "vercel:team", "team_acme"]);
        await run("deploy", ["up", "--yes", "--non-interactive"]);
        const cert = { id: "cert_added_in_dashboard", origin: "https://new-upstream.example.com" };
        sandbox.addCert("web-app", "team_acme", cert);
        console.log(`\nAdded ${cert.id} (${cert.origin}) to web-app at the sandbox, as if someone used the dashboard.`);
        await run("drift", ["preview", "--diff", "--non-interactive"]);
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
