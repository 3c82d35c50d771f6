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
import { checkConfig, configure, configuredToken, diffConfig } from "./providerConfig";
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
                    const tokens = [configuredToken(), process.env.VERCEL_API_TOKEN, process.env.VERCEL_TOKEN];
                    let error = toGrpcError(err);
                    for (const t of tokens) if (t) error = toGrpcError(error, t.trim());
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

/** Starts the server and prints its port; resolves with the server once listening. */
export function serve(): Promise<grpc.Server> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(ResourceProviderService, handlers as grpc.UntypedServiceImplementation);
    return new Promise((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
            if (err) return reject(err);
            process.stdout.write(`${port}\n`);
            resolve(server);
        });
    });
}
