/**
 * How a failure reaches the engine: as a gRPC status whose message is the user's whole story, once. The CLI prints
 * a failed call's message on the resource's own line; the plugin never also writes it to stderr (which the CLI
 * would show a second time).
 *
 * The plugin's config lives in its own namespace (`vercel-client-certs:*`: a plugin receives no other), while the
 * core's messages name the dynamic provider's keys (`vercel:apiToken`, `vercel:team`). {@link inPluginNamespace}
 * rewrites those mentions, so every hint tells a plugin user the key that works for them.
 */
import * as grpc from "@grpc/grpc-js";
import { VercelClientCertsError } from "../core/errors";
import { redact } from "../core/redact";

/** The plugin's config namespace. */
export const CONFIG_NAMESPACE = "vercel-client-certs";

/** `text` with the dynamic provider's config keys replaced by the plugin's. */
export function inPluginNamespace(text: string): string {
    return text.replace(/\bvercel:(apiToken|team)\b/g, `${CONFIG_NAMESPACE}:$1`);
}

/** A gRPC error carrying `err`'s message (redacted of `token`, in the plugin's namespace). */
export function toGrpcError(err: unknown, token?: string): grpc.ServiceError {
    const message = err instanceof VercelClientCertsError ? err.message : String((err as Error)?.message ?? err);
    const e = new Error(inPluginNamespace(redact(message, token))) as grpc.ServiceError;
    e.code = grpc.status.UNKNOWN;
    e.details = e.message;
    e.metadata = new grpc.Metadata();
    return e;
}
