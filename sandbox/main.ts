/**
 * `npm run sandbox`: the fake Vercel API as a long-running local server, seeded with sample teams, projects and
 * certificates. Point a stack or CI at it with VERCEL_API_URL and the printed token. It binds 127.0.0.1 only.
 *
 *   npm run sandbox                 # port 4010
 *   npm run sandbox -- --port 5000  # or SANDBOX_PORT=5000
 */
import { SANDBOX_TOKEN, SEED_SUMMARY } from "../provider/testing/sandboxSeed";
import { startSandbox } from "../provider/testing/testing";

export { startSandbox };

/** The help text printed at start: how to point Pulumi at it, and how to change certs while it runs. */
export function sandboxInstructions(url: string): string {
    const web = `${url}/_sandbox/projects/web-app/certs?teamId=team_acme`;
    return [
        `Fake Vercel API listening on ${url} (127.0.0.1 only)`,
        "",
        "Point a stack at it:",
        `  export VERCEL_API_URL=${url}`,
        `  export VERCEL_API_TOKEN=${SANDBOX_TOKEN}`,
        "  pulumi config set vercel-client-certs:team team_acme   # the provider plugin (YAML, Go, Python, …)",
        "  pulumi config set vercel:team team_acme                 # the TypeScript package",
        "",
        SEED_SUMMARY,
        "",
        "Change certificates while it runs, then run `pulumi preview` to see the drift:",
        `  curl -X POST '${web}' -d '{"origin":"https://new.example.com"}'`,
        `  curl -X PUT '${url}/_sandbox/projects/web-app/certs/cert_payments01?teamId=team_acme' -d '{"origin":"https://payments-v2.example.com"}'`,
        `  curl -X DELETE '${url}/_sandbox/projects/web-app/certs/cert_ledger001?teamId=team_acme'`,
        `  curl '${url}/_sandbox/state'`,
        "",
        `How many requests it has served: curl '${url}/_sandbox/requests'. Each is logged below (method, path, status).`,
        "Try it with examples/basic (it reads web-app), npm run example:plugin's YAML program, or any program reading",
        "web-app in team team_acme.",
        "",
        "Ctrl-C stops it. Data lives in memory and starts fresh each time.",
    ].join("\n");
}

async function main(): Promise<void> {
    const flag = process.argv.indexOf("--port");
    const port = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.SANDBOX_PORT ?? 4010));
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${port}`);
    let fake;
    try {
        // One line per request served (method, path, status), never a header: the token is in one.
        fake = await startSandbox(port, { logRequest: (line) => console.log(line) });
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
            throw new Error(
                `port ${port} on 127.0.0.1 is already in use (another sandbox?). Pick another: ` +
                    "npm run sandbox -- --port 5000 (or SANDBOX_PORT=5000), or --port 0 for any free port.",
            );
        }
        throw err;
    }
    console.log(sandboxInstructions(fake.url));
    const stop = () => void fake.stop().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
}

if (require.main === module) {
    main().catch((err) => {
        console.error(`sandbox: ${(err as Error).message}`);
        process.exit(1);
    });
}
