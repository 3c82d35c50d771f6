/**
 * Every token this plugin process knows (the configured `apiToken`, `VERCEL_API_TOKEN`, `VERCEL_TOKEN`), so that
 * whatever it sends the engine, an error (server.ts) or a diagnostic (engineLog.ts), is redacted of each of them.
 */
import { redact } from "../core/redact";
import { inPluginNamespace } from "./grpcErrors";
import { configuredToken } from "./providerConfig";

/** The tokens this process knows, trimmed, empty ones dropped. */
export function knownTokens(): string[] {
    return [configuredToken(), process.env.VERCEL_API_TOKEN, process.env.VERCEL_TOKEN].map((t) => t?.trim() ?? "").filter((t) => t !== "");
}

/**
 * `text` as the engine may see it: redacted of every known token, and naming the plugin's config keys.
 *
 * @param text A message for the engine.
 */
export function forEngine(text: string): string {
    let out = text;
    for (const token of knownTokens()) out = redact(out, token);
    return inPluginNamespace(out);
}
