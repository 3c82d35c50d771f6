/**
 * The gRPC server: binds 127.0.0.1 on a free port, serves `pulumirpc.ResourceProvider` with the handlers of
 * this folder, and prints the port as the first line on stdout (the engine's handshake). Every handler's failure
 * becomes one gRPC error (grpcErrors.ts); nothing is written to stdout or stderr besides the port line.
 *
 * Raw `@grpc/grpc-js` rather than `@pulumi/pulumi/provider`'s `main()`: in 3.248 that one ignores Configure's
 * request, answers CheckConfig/DiffConfig UNIMPLEMENTED, cannot return a detailed diff or `supportsPreview`, and
 * crashes on the import Read (docs/plugin.md).
 */
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { construct } from "./construct";
import { toGrpcError } from "./grpcErrors";
import { invoke } from "./invoke";
import { MAX_PLUGIN_REQUEST_BYTES } from "../core/limits";
import { knownTokens } from "./knownTokens";
import { checkConfig, configure, diffConfig } from "./providerConfig";
import { check, create, diff, read, remove, update } from "./resourceCalls";
import { getPluginInfo, getSchema } from "./schemaServing";

type Handler = (req: never) => unknown;

/** A unary handler: runs `fn`, answers its result or its error (redacted of every token this process knows). */
function unary(fn: Handler): grpc.handleUnaryCall<unknown, unknown> {
    return (callObj, callback) => {
        Promise.resolve()
            .then(() => fn(callObj.request as never))
            .then(
                (res) => callback(null, res),
                (err) => {
                    let error = toGrpcError(err);
                    for (const t of knownTokens()) error = toGrpcError(error, t);
                    callback(error, null);
                },
            );
    };
}

const unimplemented: grpc.handleUnaryCall<unknown, unknown> = (_call, callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: "not implemented", metadata: new grpc.Metadata(), name: "Error", message: "not implemented" }, null);

/** The service's handlers, by the proto's method names. */
const handlers: Record<string, grpc.handleUnaryCall<unknown, unknown>> = {
    handshake: unimplemented,
    parameterize: unimplemented,
    getSchema: unary(getSchema),
    getPluginInfo: unary(getPluginInfo),
    checkConfig: unary(checkConfig),
    diffConfig: unary(diffConfig),
    configure: unary(configure),
    invoke: unary(invoke),
    call: unimplemented,
    check: unary(check),
    diff: unary(diff),
    create: unary(create),
    read: unary(read),
    list: unimplemented,
    update: unary(update),
    delete: unary(async () => {
        await remove();
        return new Empty();
    }),
    construct: unary(construct),
    cancel: unary(() => new Empty()),
    attach: unimplemented,
    getMapping: unimplemented,
    getMappings: unimplemented,
};

/**
 * The refusal of a request over `MAX_PLUGIN_REQUEST_BYTES`, in words. grpc-js refuses it from its length prefix,
 * before buffering any of it, with RESOURCE_EXHAUSTED "Received message larger than max (N vs M)"; this names the
 * call, the plugin, the bound and what it is sized to instead.
 */
export function oversizeRefusal(method: string, details: string | undefined): string {
    const size = /\((\d+) vs\.? \d+\)/.exec(details ?? "")?.[1];
    const call = method.split("/").pop() || method;
    return (
        `vercel-client-certs: the ${call} request${size ? ` (${size} bytes)` : ""} is larger than the plugin accepts ` +
        `(${MAX_PLUGIN_REQUEST_BYTES} bytes, ${MAX_PLUGIN_REQUEST_BYTES / 2 ** 20} MiB), so it was refused unread. That bound is sized to the largest ` +
        "request the engine sends for this package: a diff of a project whose certificates fill Vercel's largest " +
        "accepted answer, or a ProjectClientCertsSet of 10,000 projects. If it was a ProjectClientCertsSet, split " +
        "its projects into several sets."
    );
}

/**
 * Every call passes here first: a RESOURCE_EXHAUSTED status that grpc-js sends for an oversize request (from the
 * call itself, not through a handler) is given {@link oversizeRefusal}'s words. Everything else passes unchanged.
 */
const namesOversizeRequests: grpc.ServerInterceptor = (method, call) => {
    const send = call.sendStatus.bind(call);
    call.sendStatus = (status) =>
        send(status.code === grpc.status.RESOURCE_EXHAUSTED && /larger than max/.test(status.details ?? "") ? { ...status, details: oversizeRefusal(method.path, status.details) } : status);
    return new grpc.ServerInterceptingCall(call);
};

/** Starts the server and prints its port; resolves with the server once listening. */
export function serve(): Promise<grpc.Server> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_PLUGIN_REQUEST_BYTES, interceptors: [namesOversizeRequests] });
    server.addService(ResourceProviderService, handlers as grpc.UntypedServiceImplementation);
    return new Promise((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
            if (err) return reject(err);
            process.stdout.write(`${port}\n`);
            resolve(server);
        });
    });
}
