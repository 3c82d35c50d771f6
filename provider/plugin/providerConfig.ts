/**
 * The provider's configuration: Configure, CheckConfig and DiffConfig, and the reader the lifecycle rules use.
 *
 * Keys: `vercel-client-certs:apiToken` (secret) and `vercel-client-certs:team`, from stack config or an explicit
 * provider's arguments. The engine passes them in Configure's `args` (secrets wrapped, decrypted) and, deprecated,
 * in `variables` (plain, keyed `vercel-client-certs:config:<key>`). Absent keys fall back to the environment
 * exactly as the dynamic provider does (core/credentials.ts: `VERCEL_API_TOKEN`, `VERCEL_TOKEN`; the endpoint,
 * proxies and `VERCEL_CLIENT_CERTS_*` bounds are read from the environment at each request).
 *
 * Which keys arrived secret is kept too: a team set with `pulumi config set --secret` (or an explicit provider's
 * `team` given as a secret) makes every resource and function call that takes it a secret scope
 * (core/secretScope.ts `isSecretScope`), as a secret `vercel:team` does for the dynamic provider.
 *
 * The token lives only in this process's memory: it is never part of a resource's inputs, outputs or id.
 */
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { UNKNOWN } from "../core/clientCertsLifecycle";
import { configuredTeam, type VercelConfigReader } from "../core/credentials";
import { CONFIG_NAMESPACE, explicitProviderName, inPluginNamespace, setProviderUrn } from "./grpcErrors";
import { fromStruct, secretValue } from "./wireValues";
import { Struct, Value } from "google-protobuf/google/protobuf/struct_pb";

const KEYS = ["apiToken", "team"] as const;
type Key = (typeof KEYS)[number];
type Config = { values: Partial<Record<Key, string>>; secret: Set<Key> };
let current: Config = { values: {}, secret: new Set() };

/** Reads this provider's configured `apiToken` and `team` (unset: undefined, and the environment applies). */
export const readPluginConfig: VercelConfigReader = (key) => current.values[key];

/** The configured token, for redacting messages that might echo it. */
export const configuredToken = (): string | undefined => current.values.apiToken;

/** True when the configured team arrived secret (`pulumi config set --secret`, or a provider's secret `team`). */
export const teamConfigSecret = (): boolean => current.values.team !== undefined && current.secret.has("team");

/** The configured team as messages may quote it (as set, and trimmed), when it is secret; else none. */
export const secretTeamValues = (): string[] => {
    const team = current.values.team;
    return team !== undefined && teamConfigSecret() ? [...new Set([team, team.trim()])].filter((v) => v !== "") : [];
};

/** String config values from a Struct of provider inputs (unknown or non-string values are ignored), and which were secret. */
function configFrom(struct: Struct | undefined, variables?: Map<string, string>): Config {
    const { props, secretKeys } = fromStruct(struct);
    const out: Config = { values: {}, secret: new Set() };
    for (const key of KEYS) {
        const value = props[key] ?? variables?.get(`${CONFIG_NAMESPACE}:config:${key}`);
        if (typeof value === "string" && value !== "" && value !== UNKNOWN) {
            out.values[key] = value;
            if (secretKeys.has(key)) out.secret.add(key);
        }
    }
    return out;
}

/** Configure: remembers the config (and whether this is an explicit provider); says what the plugin supports. */
export function configure(req: providerPb.ConfigureRequest): providerPb.ConfigureResponse {
    const variables = new Map<string, string>(req.getVariablesMap().toArray() as [string, string][]);
    current = configFrom(req.getArgs(), variables);
    setProviderUrn(req.getUrn());
    return new providerPb.ConfigureResponse()
        .setAcceptsecrets(true)
        // Create/Update run during preview too, from the checked inputs (no request), so previews show real outputs.
        .setSupportspreview(true)
        .setAcceptresources(false);
}

/**
 * CheckConfig: a malformed `team` fails here, naming the key and saying how to write a team; the inputs go back as
 * they came, but for `apiToken`, which goes back secret. The engine stores the provider's inputs as CheckConfig
 * returns them (pkg/resource/deploy/providers/registry.go, Check; the answer is read with secrets kept,
 * sdk/go/common/resource/plugin/provider_plugin.go, CheckConfig, at v3.248.0 and since), so a token set without
 * `--secret` is encrypted in state too, as the schema's `secret: true` promises. What cannot be done here is warn
 * about it: the engine sends CheckConfig's inputs with secrets unwrapped, so whether a key was set secret is not
 * known. For the same reason the team's failure never quotes its value (a resource's or function's own check
 * quotes it, or says `[secret]`).
 */
export function checkConfig(req: providerPb.CheckRequest): providerPb.CheckResponse {
    const news = configFrom(req.getNews()).values;
    const inputs = req.getNews() ?? new Struct();
    const token = inputs.getFieldsMap().get("apiToken");
    if (token?.hasStringValue() && token.getStringValue() !== UNKNOWN) {
        inputs.getFieldsMap().set("apiToken", Value.fromJavaScript(secretValue(token.getStringValue())));
    }
    const response = new providerPb.CheckResponse().setInputs(inputs);
    const team = configuredTeam((key) => news[key], false);
    if ("error" in team) {
        response.addFailures(new providerPb.CheckFailure().setProperty("team").setReason(inPluginNamespace(team.error, explicitProviderName(req.getUrn()))));
    }
    return response;
}

/** DiffConfig: a changed key is an update of the provider, never a replace (nothing at Vercel depends on it). */
export function diffConfig(req: providerPb.DiffRequest): providerPb.DiffResponse {
    const olds = configFrom(req.getOldInputs() ?? req.getOlds()).values;
    const news = configFrom(req.getNews()).values;
    const changed = KEYS.filter((k) => olds[k] !== news[k]);
    return new providerPb.DiffResponse()
        .setChanges(changed.length ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE)
        .setDiffsList(changed);
}
