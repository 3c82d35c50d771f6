/**
 * The release assets for tests: `ensureRelease()` builds dist/release/ (scripts/release.ts) once per test process,
 * after `npm test` has built dist/ and the plugin, so every suite that rehearses an install route uses the assets a
 * release would publish, made from the tree under test.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as path from "node:path";
import { release, RELEASE_DIR } from "../../scripts/release";
import { archiveName, packageVersion, type Platform } from "../../scripts/releaseVersion";

let built = false;

/** Builds dist/release/ once per process (from the already built dist/ and dist/plugin/), and returns its path. */
export function ensureRelease(): string {
    if (!built) {
        const pluginBuilt = fs.existsSync(path.join(RELEASE_DIR, "..", "plugin", "vercel-client-certs", "plugin.js"));
        release({ noBuild: pluginBuilt, log: () => undefined });
        built = true;
    }
    return RELEASE_DIR;
}

/** The path of one platform's plugin archive in dist/release/. */
export function releaseArchive(p: Platform): string {
    return path.join(ensureRelease(), archiveName(packageVersion(), p));
}

/** How a launcher is started for {@link launchedPluginVersion}. */
export interface LaunchOptions {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /**
     * Take the port from this file instead of a pipe, and stderr from `<stdoutFile>.err` (Windows node.exe under
     * wine cannot write to a pipe: EBADF, so both go to files).
     */
    stdoutFile?: string;
    /** How long to wait for the port (default 60 s; wine's first start takes ~10 s). */
    timeoutMs?: number;
}

/**
 * Starts a plugin launcher as the engine does (`cmd args...`, stdout read for the port), asks the plugin over gRPC
 * for its version (GetPluginInfo), stops it, and returns the version with whatever the process wrote to stderr.
 * Fails naming the launcher when no port appears in time or the process exits first.
 */
export async function launchedPluginVersion(cmd: string, args: string[], opts: LaunchOptions = {}): Promise<{ version: string; stderr: string }> {
    const out = opts.stdoutFile ? fs.openSync(opts.stdoutFile, "w") : "pipe";
    const err = opts.stdoutFile ? fs.openSync(`${opts.stdoutFile}.err`, "w") : "pipe";
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", out, err], detached: true });
    if (typeof out === "number") fs.closeSync(out);
    if (typeof err === "number") fs.closeSync(err);
    let stderrPiped = "";
    let stdout = "";
    let exited: number | null | undefined;
    child.stderr?.on("data", (c: Buffer) => (stderrPiped += c.toString()));
    /** What the process wrote to stderr so far (the last 4 000 characters, for messages). */
    const stderrText = () => (opts.stdoutFile ? fs.readFileSync(`${opts.stdoutFile}.err`, "utf8") : stderrPiped);
    const tail = () => stderrText().slice(-4000);
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.on("exit", (code) => (exited = code));
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    try {
        let port: string | undefined;
        while (port === undefined) {
            const text = opts.stdoutFile ? fs.readFileSync(opts.stdoutFile, "utf8") : stdout;
            port = /^(\d+)\r?\n/.exec(text)?.[1];
            if (port) break;
            if (exited !== undefined) throw new Error(`${cmd} exited ${exited} before printing a port; stderr ends:\n${tail()}`);
            if (Date.now() > deadline) throw new Error(`${cmd} printed no port within ${opts.timeoutMs ?? 60_000} ms; stderr ends:\n${tail()}`);
            await new Promise((r) => setTimeout(r, 100));
        }
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            const version = await new Promise<string>((resolve, reject) =>
                client.getPluginInfo(new Empty(), new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err, res) => (err ? reject(err) : resolve(res!.getVersion()))),
            );
            return { version, stderr: stderrText() };
        } finally {
            client.close();
        }
    } finally {
        // The whole process group: a launcher's node child (and wine's helpers) go with it.
        try {
            process.kill(-child.pid!, "SIGKILL");
        } catch {
            /* already gone */
        }
    }
}
