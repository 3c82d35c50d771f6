/**
 * Serves one Pulumi TypeScript program to the real `pulumi` CLI over the language-runtime gRPC protocol, using
 * `@pulumi/pulumi`'s own `LanguageServer` (the one its Automation API uses for inline programs).
 *
 * Why this exists: the CLI runs a Node.js program through the plugin `pulumi-language-nodejs`, a Go module of its
 * own. The Go module proxy here serves the CLI (`pkg/v3`, `sdk/v3`) but refuses that module at every version
 * (403 "This module version is not available"), so the CLI is built here and the language host is not. The CLI's
 * supported `--client=<address>` flag (Automation API, CLI ≥ 3.181) attaches it to an already-running language
 * runtime instead. Everything else — engine, state, diff display, the dynamic-provider plugin the engine starts —
 * is the real thing.
 *
 * Usage: `node scripts/languageHost.js <program dir or file>`. It prints
 * `PORT <n>` on stdout once listening and serves until stdin closes or it is signalled. The program is loaded
 * the way `pulumi-language-nodejs` loads it: its module's exports (or its awaited default export) become the
 * stack outputs. The program's directory becomes the working directory, as with the real host.
 */
"use strict";
// Plain JavaScript on purpose: the program gets its own ts-node registration (below), and a second ts-node
// registered for this file would compile the program twice.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/** Loads `@pulumi/pulumi`'s language-runtime pieces from the program's own copy. */
function sdkFor(program) {
    // Resolved from the program's directory, so the program and the server share one @pulumi/pulumi instance:
    // two copies would keep two runtime states, and the program's resources would never register.
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [program] }));
    const fromSdk = (id) => require(require.resolve(id, { paths: [sdkDir] }));
    return {
        grpc: fromSdk("@grpc/grpc-js"),
        LanguageServer: fromSdk("@pulumi/pulumi/automation/server").LanguageServer,
        langrpc: fromSdk("@pulumi/pulumi/proto/language_grpc_pb"),
    };
}

/** Binds a LanguageRuntime service on 127.0.0.1, prints `PORT <n>`, and serves until stdin closes or a signal. */
async function serve(sdk, service) {
    const server = new sdk.grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(sdk.langrpc.LanguageRuntimeService, service);
    const port = await new Promise((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", sdk.grpc.ServerCredentials.createInsecure(), (err, p) =>
            err ? reject(err) : resolve(p),
        ),
    );
    process.stdout.write(`PORT ${port}\n`);
    const stop = () => server.tryShutdown(() => process.exit(0));
    process.stdin.on("end", stop);
    process.stdin.resume();
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
}

/**
 * `--run-once <program>`: one program run in this process, as `pulumi-language-nodejs` gives each Run a fresh
 * `node` process. A module's top level runs once per process, so re-running it in one process (preview, then
 * update, in one `pulumi up`) would register nothing the second time.
 */
async function runOnce(program) {
    const sdk = sdkFor(program);
    registerTypeScript(program);
    await serve(
        sdk,
        new sdk.LanguageServer(async () => {
            const exported = require(program);
            if (Object.getOwnPropertyDescriptor(exported, "default") !== undefined) {
                return typeof exported.default === "function" ? await exported.default() : await exported.default;
            }
            return { ...exported };
        }),
    );
}

/** Starts `--run-once` for `program` and resolves with the child and its port (bound: 60 s). */
function startRunner(program) {
    const child = spawn(process.execPath, [__filename, "--run-once", program], {
        cwd: process.cwd(),
        stdio: ["pipe", "pipe", "inherit"],
    });
    return new Promise((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error("the program runner did not start within 60 s"));
        }, 60_000);
        child.stdout.on("data", (chunk) => {
            out += chunk.toString("utf8");
            const m = /PORT (\d+)/.exec(out);
            if (m) {
                clearTimeout(timer);
                // Anything after the port line is the program's own console output: pass it on.
                child.stdout.removeAllListeners("data");
                child.stdout.pipe(process.stdout);
                resolve({ child, port: Number(m[1]) });
            }
        });
        child.once("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the program runner exited (${code}) before listening`));
        });
    });
}

/** The long-lived server the CLI attaches to: plugin queries answered here, each Run in a fresh runner. */
async function main() {
    const target = process.argv[2];
    if (!target) throw new Error("usage: languageHost.js <program dir or file>");
    const program = path.resolve(target);
    if (target === "--run-once") return runOnce(path.resolve(process.argv[3]));
    const sdk = sdkFor(program);
    const local = new sdk.LanguageServer(async () => {
        throw new Error("programs run in a --run-once child");
    });
    const service = {
        getRequiredPlugins: local.getRequiredPlugins.bind(local),
        getPluginInfo: local.getPluginInfo.bind(local),
        run(call, callback) {
            startRunner(program).then(
                ({ child, port }) => {
                    const client = new sdk.langrpc.LanguageRuntimeClient(
                        `127.0.0.1:${port}`,
                        sdk.grpc.credentials.createInsecure(),
                    );
                    client.run(call.request, (err, resp) => {
                        client.close();
                        child.stdin.end();
                        callback(err, resp);
                    });
                },
                (err) => callback(err),
            );
        },
    };
    await serve(sdk, service);
}

/**
 * Registers ts-node the way `@pulumi/pulumi/cmd/run` does for `runtime: nodejs` with TypeScript: the program's
 * own ts-node and typescript (else the copies `@pulumi/pulumi` vendors), its tsconfig.json if it has one,
 * type-checking unless `PULUMI_NODEJS_TRANSPILE_ONLY=true`, and CommonJS output via `nodenext` on TypeScript ≥ 4.7.
 */
function registerTypeScript(program) {
    const dir = fs.statSync(program).isDirectory() ? program : path.dirname(program);
    const tsconfig = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? path.join(dir, "tsconfig.json");
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [program] }));
    const locate = (id, vendored) => {
        try {
            return require.resolve(id, { paths: [program] });
        } catch {
            return require.resolve(path.join(sdk, "vendor", vendored));
        }
    };
    const tsPath = locate("typescript", "typescript@3.8.3");
    const ts = require(tsPath);
    const tsNode = require(locate("ts-node", "ts-node@7.0.1"));
    const [major, minor] = String(ts.version).split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    const transpileEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    tsNode.register({
        compiler: tsPath,
        transpileOnly: transpileEnv ? transpileEnv === "true" : undefined,
        project: tsconfig,
        skipProject: !fs.existsSync(tsconfig),
        compilerOptions: {
            target: "ES2020",
            module: nodeNext ? "nodenext" : "commonjs",
            moduleResolution: nodeNext ? "nodenext" : "node",
            sourceMap: "true",
        },
    });
}

main().catch((err) => {
    process.stderr.write(`languageHost: ${err.stack ?? err}\n`);
    process.exit(1);
});
