/**
 * Diagnostics sent to the engine (`pulumirpc.Engine/Log` at the plugin's engine address, engineAddress.ts), shown
 * by the CLI on the resource whose URN they carry. A provider call's failure travels as its gRPC error; this is for
 * what a call must say about other resources: the `ProjectClientCertsSet`'s projects that failed, each on its own
 * resource (construct.ts).
 */
import * as grpc from "@grpc/grpc-js";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { ENGINE_CALL_TIMEOUT_MS } from "../core/limits";

let address: string | undefined;
let client: EngineClient | undefined;

/**
 * Sets the engine's address (main.ts, from the plugin's arguments).
 *
 * @param engine The engine's gRPC address, or undefined when the plugin runs without one.
 */
export function useEngine(engine: string | undefined): void {
    client?.close();
    client = undefined;
    address = engine;
}

/**
 * Logs an error on the resource `urn`. Resolves true once the engine has it; false when there is no engine to tell
 * or it refused, so the caller says it another way.
 *
 * @param urn The resource the error is about.
 * @param message The whole message (already redacted and escaped).
 */
export function logError(urn: string, message: string): Promise<boolean> {
    if (!address) return Promise.resolve(false);
    client ??= new EngineClient(address, grpc.credentials.createInsecure());
    const req = new enginePb.LogRequest().setSeverity(enginePb.LogSeverity.ERROR).setUrn(urn).setMessage(message);
    return new Promise((resolve) => client!.log(req, new grpc.Metadata(), { deadline: Date.now() + ENGINE_CALL_TIMEOUT_MS }, (err) => resolve(!err)));
}
