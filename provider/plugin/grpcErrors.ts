/**
 * How a failure reaches the engine: as a gRPC status whose message is the user's whole story, once. The CLI prints
 * a failed call's message on the resource's own line; the plugin never also writes it to stderr (which the CLI
 * would show a second time).
 *
 * The plugin's config lives in its own namespace (`vercel-client-certs:*`: a plugin receives no other), while the
 * core's messages name the dynamic provider's keys (`vercel:apiToken`, `vercel:team`). {@link inPluginNamespace}
 * rewrites those mentions, so every hint tells a plugin user the key that works for them. An explicit provider
 * reads no stack config at all: its token and team are its own `apiToken` and `team` properties, so for one the
 * core's phrases for where they are set (core/errors.ts `CONFIG_WORDS`) name that provider's properties instead.
 */
import * as grpc from "@grpc/grpc-js";
import { CONFIG_WORDS, quoted, VercelClientCertsError } from "../core/errors";
import { redact } from "../core/redact";

/** The plugin's config namespace. */
export const CONFIG_NAMESPACE = "vercel-client-certs";

/** The explicit provider this process was configured as (its name), or undefined for the default provider. */
let explicitProvider: string | undefined;

/**
 * The name of the explicit provider a provider URN names, or undefined for a default provider, whose config is the
 * stack's (the engine's own test, `providers.IsDefaultProvider`: a provider resource named `default…`), or no URN.
 */
export function explicitProviderName(urn: string | undefined): string | undefined {
    const match = /^urn:pulumi:[^:]*::[^:]*::(?:.*\$)?pulumi:providers:[^:$]*::(.*)$/s.exec(urn ?? "");
    if (!match || match[1].startsWith("default")) return undefined;
    return match[1];
}

/** Remembers which provider this process serves (Configure's URN), for the advice in its messages. */
export function setProviderUrn(urn: string | undefined): void {
    explicitProvider = explicitProviderName(urn);
}

/**
 * `text` with the dynamic provider's config keys replaced by the plugin's, and, for an explicit provider (by
 * default the one this process was configured as), the places of its token and team named as its properties.
 */
export function inPluginNamespace(text: string, provider: string | undefined = explicitProvider): string {
    let out = text;
    if (provider !== undefined) {
        const name = `provider ${quoted(provider)}`;
        const words: [string, string][] = [
            [CONFIG_WORDS.setToken, `the \`apiToken\` property of ${name}`],
            [CONFIG_WORDS.tokenSource, `the apiToken property of ${name}`],
            [CONFIG_WORDS.setTeam, `set it as the \`team\` property of ${name}`],
            [CONFIG_WORDS.teamSource, `the team property of ${name}`],
        ];
        for (const [from, to] of words) out = out.split(from).join(to);
    }
    return out.replace(/\bvercel:(apiToken|team)\b/g, `${CONFIG_NAMESPACE}:$1`);
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
