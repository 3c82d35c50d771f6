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
 *
 * `npm run example:plugin` (this script with `--plugin`) is the same tour for the provider plugin: it installs
 * the release archive `npm run plugin` wrote (`pulumi plugin install … --file`, into the tour's own PULUMI_HOME),
 * writes {@link PLUGIN_PROGRAM} (a YAML program, run by Pulumi's own YAML language host) to
 * .pulumi-state/plugin-tour/Pulumi.yaml, sets `vercel-client-certs:team`, and runs the same commands.
 *
 * With `--write-readme`, the README's blocks for this tour (`<!-- cli-output: npm run example[:plugin], … -->`)
 * are rewritten from what the CLI printed: run it after a change to what the CLI shows, then review the diff.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startSandbox } from "../sandbox/main";
import { SANDBOX_TOKEN } from "../dist/testing/sandboxSeed";
import { howToGetCli, locatePulumi } from "./pulumiCli";
import { normalizeCliText, writeReadmeBlock } from "./readmeBlocks";
import { languageHostKind, runPulumi, type CliContext } from "./runPulumi";

const REPO = path.resolve(__dirname, "..");
const STATE_DIR = path.join(REPO, ".pulumi-state");
const PLUGIN = process.argv.includes("--plugin");
const WRITE_README = process.argv.includes("--write-readme");
/** The README's label for this tour's blocks. */
const README_LABEL = PLUGIN ? "npm run example:plugin" : "npm run example";
/** The commands whose output the README quotes. */
const QUOTED = ["drift", "drift check", "preview with refresh", "refresh", "up with refresh"];
const PROGRAM = PLUGIN ? path.join(STATE_DIR, "plugin-tour") : path.join(REPO, "examples", "basic");

/**
 * The plugin tour's program, as the README shows it: the YAML equivalent of examples/basic, plus the
 * `requireOrigins` guard the README's scheduled drift check relies on.
 */
const PLUGIN_PROGRAM = `name: vercel-client-certs-yaml
runtime: yaml
resources:
  project-certs:
    type: vercel-client-certs:index:ProjectClientCerts
    properties:
      idOrName: web-app
      requireOrigins: ["https://payments.example.com"]
outputs:
  certIds: \${project-certs.certIds}
  clientCerts: \${project-certs.clientCerts}
`;

/** The release archive `npm run plugin` writes, for this package's version. */
function pluginArchive(): string {
    const version = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
    return path.join(REPO, "dist", "plugin", `pulumi-resource-vercel-client-certs-v${version}-linux-amd64.tar.gz`);
}

async function main(): Promise<number> {
    const cli = await locatePulumi();
    if (!cli) {
        console.error(`npm run example needs the Pulumi CLI.\n${howToGetCli()}`);
        return 1;
    }
    if (PLUGIN && !fs.existsSync(pluginArchive())) {
        console.error(`npm run example:plugin needs the plugin's release archive (${pluginArchive()}): run npm run plugin.`);
        return 1;
    }
    const sandbox = await startSandbox(0);
    fs.mkdirSync(STATE_DIR, { recursive: true });
    if (PLUGIN) {
        fs.mkdirSync(PROGRAM, { recursive: true });
        fs.writeFileSync(path.join(PROGRAM, "Pulumi.yaml"), PLUGIN_PROGRAM);
    }
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
    const printed = new Map<string, string>();
    const run = async (title: string, args: string[], expect = 0) => {
        console.log(`\n=== ${title}: pulumi ${args.join(" ")}`);
        const r = await runPulumi(ctx, args);
        printed.set(title, `$ pulumi ${args.join(" ")}\n${r.stdout}${r.stderr}`);
        // Both streams, as a terminal shows them: the CLI's "error: no changes were expected" line is stderr.
        process.stdout.write(r.stdout);
        process.stdout.write(r.stderr);
        console.log(`--- exit ${r.code}`);
        if (r.code !== expect) throw new Error(`pulumi ${args[0]} exited ${r.code}, expected ${expect}`);
    };
    try {
        const host = PLUGIN ? "pulumi-language-yaml" : languageHostKind(cli.path);
        console.log(`Pulumi CLI v${cli.version} (${cli.source}: ${cli.path}); language host: ${host}`);
        console.log(`Sandbox (fake Vercel API) on ${sandbox.url}; state in ${STATE_DIR}`);
        if (PLUGIN) {
            const version = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
            await run("plugin", ["plugin", "install", "resource", "vercel-client-certs", version, "--file", pluginArchive(), "--reinstall"]);
        }
        await run("stack", ["stack", "select", "--create", "sandbox"]);
        await run("team", ["config", "set", PLUGIN ? "vercel-client-certs:team" : "vercel:team", "team_acme"]);
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
        if (WRITE_README) {
            const blocks: [string, string][] = QUOTED.map((t) => [t, `${normalizeCliText(printed.get(t)!, { keepWallTime: true })}\n`]);
            if (PLUGIN) blocks.unshift(["program", PLUGIN_PROGRAM]);
            for (const [title, body] of blocks) {
                if (!writeReadmeBlock(`${README_LABEL}, ${title}`, body)) throw new Error(`README.md has no block "${README_LABEL}, ${title}"`);
            }
            console.log(`Rewrote README.md's ${blocks.length} "${README_LABEL}" blocks: review the diff.`);
        }
        return 0;
    } catch (err) {
        console.error(`\nexample: ${(err as Error).message}`);
        return 1;
    } finally {
        await sandbox.stop();
    }
}

main().then((code) => process.exit(code));
