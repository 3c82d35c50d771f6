/**
 * Drives `@pulumi/pulumi`'s dynamic-provider host over gRPC, the way the Pulumi engine does: spawn
 * `cmd/dynamic-provider/index.js <engine>` in the program directory, read the port from its first stdout line,
 * then call Configure/Check/Diff/Create/Read/Update/Delete. One host per simulated `pulumi` command.
 *
 * Every response's bytes, the host's stdout/stderr and every error text are kept, so tests can search them all
 * for the token.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as grpc from "@grpc/grpc-js";

/** Pulumi's wire encoding of a secret value inside a Struct (`runtime/rpc.ts`). */
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

type Props = Record<string, unknown>;

/** Options for one host process. */
export type HostOptions = {
    /** The program directory: the host's working directory, from which `__provider` resolves modules. */
    cwd: string;
    /** Extra environment for the host (VERCEL_API_URL, …). The parent's environment is not inherited. */
    env?: Record<string, string>;
};

/** A running host and a gRPC client to it. */
export class ProviderHost {
    /** Everything observable: response bytes, stdout, stderr and error texts, for leak searches. */
    readonly captured: Buffer[] = [];
    stdout = "";
    stderr = "";
    private client!: grpc.Client & Record<string, Function>;
    private readonly proto: {
        grpc: typeof grpc;
        provider: any;
        grpcPb: any;
        struct: any;
    };

    private constructor(
        readonly child: ChildProcess,
        readonly programDir: string,
    ) {
        // Load the protobuf stubs from the same @pulumi/pulumi the program resolves, as the engine's host would.
        // Its own dependencies (grpc-js, google-protobuf) resolve from where that package really lives.
        const pulumiDir = fs.realpathSync(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [programDir] })));
        const req = (m: string) => require(require.resolve(m, { paths: [pulumiDir] }));
        this.proto = {
            // grpc-js checks credentials with instanceof, so it must be the copy the stubs were built with.
            grpc: req("@grpc/grpc-js"),
            provider: req("@pulumi/pulumi/proto/provider_pb"),
            grpcPb: req("@pulumi/pulumi/proto/provider_grpc_pb"),
            struct: req("google-protobuf/google/protobuf/struct_pb"),
        };
    }

    /** Spawns the host and connects. Resolves once the host has printed its port. */
    static async start(opts: HostOptions): Promise<ProviderHost> {
        const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [opts.cwd] });
        const child = spawn(process.execPath, [hostScript, "127.0.0.1:1"], {
            cwd: opts.cwd,
            env: { PATH: process.env.PATH ?? "", ...opts.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const host = new ProviderHost(child, opts.cwd);
        child.stderr!.on("data", (d: Buffer) => {
            host.stderr += d.toString();
            host.captured.push(d);
        });
        const port = await new Promise<number>((resolve, reject) => {
            let buffered = "";
            const onData = (d: Buffer) => {
                host.captured.push(d);
                host.stdout += d.toString();
                buffered += d.toString();
                const nl = buffered.indexOf("\n");
                if (nl >= 0) resolve(Number(buffered.slice(0, nl).trim()));
            };
            child.stdout!.on("data", onData);
            child.once("exit", (code) => reject(new Error(`host exited (${code}) before printing a port: ${host.stderr}`)));
        });
        try {
            const Client = host.proto.grpcPb.ResourceProviderClient;
            host.client = new Client(`127.0.0.1:${port}`, host.proto.grpc.credentials.createInsecure());
        } catch (err) {
            await host.stop();
            throw err;
        }
        return host;
    }

    /** Kills the host, as the engine does when a command ends (or crashes). */
    async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
        this.client?.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        await new Promise<void>((resolve) => {
            this.child.once("exit", () => resolve());
            this.child.kill(signal);
        });
    }

    private struct(obj: Props): any {
        return this.proto.struct.Struct.fromJavaScript(obj);
    }

    private call<T>(method: string, request: any): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method](request, (err: grpc.ServiceError | null, resp: any) => {
                if (err) {
                    this.captured.push(Buffer.from(`${err.details}\n${err.message}`));
                    reject(err);
                    return;
                }
                this.captured.push(Buffer.from(resp.serializeBinary()));
                resolve(resp);
            });
        });
    }

    /** Configure with the whole stack config; keys in `secrets` are sent wrapped as secrets, like the engine does. */
    async configure(config: Record<string, string>, secrets: string[] = []): Promise<void> {
        const args: Props = {};
        for (const [k, v] of Object.entries(config)) args[k] = secrets.includes(k) ? { ...SECRET_SIG, value: v } : v;
        const req = new this.proto.provider.ConfigureRequest();
        req.setArgs(this.struct(args));
        req.setAcceptsecrets(true);
        req.setAcceptresources(true);
        await this.call("configure", req);
    }

    /** Check(olds, news) → checked inputs and failures. */
    async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new this.proto.provider.CheckRequest();
        req.setUrn(urn);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        const resp: any = await this.call("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    /** Diff(id, olds = old outputs, news = checked inputs). */
    async diff(urn: string, id: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }> {
        const req = new this.proto.provider.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        req.setOldInputs(this.struct(oldInputs));
        const resp: any = await this.call("diff", req);
        const C = this.proto.provider.DiffResponse.DiffChanges;
        const changes = resp.getChanges() === C.DIFF_SOME ? "some" : resp.getChanges() === C.DIFF_NONE ? "none" : "unknown";
        return { changes, replaces: resp.getReplacesList() };
    }

    /** Create(properties = checked inputs) → id and outputs. */
    async create(urn: string, props: Props): Promise<{ id: string; outputs: Props }> {
        const req = new this.proto.provider.CreateRequest();
        req.setUrn(urn);
        req.setProperties(this.struct(props));
        const resp: any = await this.call("create", req);
        return { id: resp.getId(), outputs: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /** Read(id, properties = old outputs, inputs = old inputs) → id (empty: gone), outputs, inputs. */
    async read(urn: string, id: string, props: Props, inputs: Props): Promise<{ id: string; outputs: Props; inputs?: Props }> {
        const req = new this.proto.provider.ReadRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(this.struct(props));
        req.setInputs(this.struct(inputs));
        const resp: any = await this.call("read", req);
        return { id: resp.getId(), outputs: resp.getProperties()?.toJavaScript() ?? {}, inputs: resp.getInputs()?.toJavaScript() };
    }

    /** Update(id, olds = old outputs, news = checked inputs) → outputs. */
    async update(urn: string, id: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<{ outputs: Props }> {
        const req = new this.proto.provider.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(this.struct(olds));
        req.setNews(this.struct(news));
        req.setOldInputs(this.struct(oldInputs));
        const resp: any = await this.call("update", req);
        return { outputs: resp.getProperties()?.toJavaScript() ?? {} };
    }

    /** Delete(id, properties = outputs). */
    async delete(urn: string, id: string, props: Props, oldInputs: Props = {}): Promise<void> {
        const req = new this.proto.provider.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(this.struct(props));
        req.setOldInputs(this.struct(oldInputs));
        await this.call("delete", req);
    }

    /** All captured bytes as one buffer, for `includes(token)`. */
    allBytes(): Buffer {
        return Buffer.concat(this.captured);
    }
}

/** The repository root: the program directory for tests that run inside the repo. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
