/**
 * The provider's configuration: Configure, CheckConfig and DiffConfig, and the reader the lifecycle rules use.
 *
 * Keys: `vercel-client-certs:apiToken` (secret) and `vercel-client-certs:team`, from stack config or an explicit
 * provider's arguments. The engine passes them in Configure's `args` (secrets wrapped, decrypted) and, deprecated,
 * in `variables` (plain, keyed `vercel-client-certs:config:<key>`). Absent keys fall back to the environment
 * exactly as the dynamic provider does (core/credentials.ts: `VERCEL_API_TOKEN`, `VERCEL_TOKEN`; the endpoint,
 * proxies and `VERCEL_CLIENT_CERTS_*` bounds are read from the environment at each request).
 *
 * The token lives only in this process's memory: it is never part of a resource's inputs, outputs or id.
 */
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { UNKNOWN } from "../core/clientCertsLifecycle";
import { configuredTeam, type VercelConfigReader } from "../core/credentials";
import { CONFIG_NAMESPACE, inPluginNamespace } from "./grpcErrors";
import { fromStruct } from "./wireValues";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";

const KEYS = ["apiToken", "team"] as const;
let current: Partial<Record<(typeof KEYS)[number], string>> = {};

/** Reads this provider's configured `apiToken` and `team` (unset: undefined, and the environment applies). */
export const readPluginConfig: VercelConfigReader = (key) => current[key];

/** The configured token, for redacting messages that might echo it. */
export const configuredToken = (): string | undefined => current.apiToken;

/** String config values from a Struct of provider inputs (unknown or non-string values are ignored). */
function configFrom(struct: Struct | undefined, variables?: Map<string, string>): typeof current {
    const { props } = fromStruct(struct);
    const out: typeof current = {};
    for (const key of KEYS) {
        const value = props[key] ?? variables?.get(`${CONFIG_NAMESPACE}:config:${key}`);
        if (typeof value === "string" && value !== "" && value !== UNKNOWN) out[key] = value;
    }
    return out;
}

/** Configure: remembers the config; says what the plugin supports. */
export function configure(req: providerPb.ConfigureRequest): providerPb.ConfigureResponse {
    const variables = new Map<string, string>(req.getVariablesMap().toArray() as [string, string][]);
    current = configFrom(req.getArgs(), variables);
    return new providerPb.ConfigureResponse()
        .setAcceptsecrets(true)
        // Create/Update run during preview too, from the checked inputs (no request), so previews show real outputs.
        .setSupportspreview(true)
        .setAcceptresources(false);
}

/** CheckConfig: a malformed `team` fails here, naming the key; inputs pass through unchanged (secrets kept). */
export function checkConfig(req: providerPb.CheckRequest): providerPb.CheckResponse {
    const news = configFrom(req.getNews());
    const response = new providerPb.CheckResponse().setInputs(req.getNews());
    const team = configuredTeam((key) => news[key]);
    if ("error" in team) {
        response.addFailures(new providerPb.CheckFailure().setProperty("team").setReason(inPluginNamespace(team.error)));
    }
    return response;
}

/** DiffConfig: a changed key is an update of the provider, never a replace (nothing at Vercel depends on it). */
export function diffConfig(req: providerPb.DiffRequest): providerPb.DiffResponse {
    const olds = configFrom(req.getOldInputs() ?? req.getOlds());
    const news = configFrom(req.getNews());
    const changed = KEYS.filter((k) => olds[k] !== news[k]);
    return new providerPb.DiffResponse()
        .setChanges(changed.length ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE)
        .setDiffsList(changed);
}
