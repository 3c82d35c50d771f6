/**
 * The custom resource `vercel-client-certs:index:ProjectClientCerts`: Check, Diff, Create, Read, Update and
 * Delete, as the engine calls them over gRPC. Each converts the wire values (wireValues.ts), applies the rules the
 * dynamic provider applies too (core/clientCertsLifecycle.ts), and converts the answer back.
 *
 * Where the reads are (the engine facts behind this are in docs/plugin.md):
 * - Check reads when its inputs carry no observed set (`certOriginsById`, a hidden input: not in the schema's
 *   `inputProperties`), and returns it among the checked inputs, so it is stored as an input. Program inputs never
 *   carry it; a `ProjectClientCertsSet` child's do (its Construct read them, concurrently).
 * - Diff never reads: a refresh calls it with fresh outputs as olds and stored inputs as news, and inverts it.
 * - Create and Update (also during preview: `supportsPreview`) build outputs from the checked inputs: no request.
 * - Read reads: refresh, and `pulumi import` (which passes only the id).
 * Every read goes through the process's snapshot cache: one request per distinct project per command.
 *
 * Secret scopes: when `idOrName`, `teamId` or `slug` arrives as a secret, or the team comes from a secret
 * `vercel-client-certs:team`, the resource gets an opaque id, every input and output it returns is secret, and
 * every message says `[secret]` for the project and team. Any other input that arrives secret (a `requireOrigins`
 * entry) goes back secret, with every output that holds its value (core/secretScope.ts `secretAnswerKeys`), and
 * messages say `[secret]` for it.
 */
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import {
    checkInputs,
    containsUnknown,
    createResource,
    diffResource,
    guardSecretScope,
    readResource,
    requireArgs,
    SCOPE_KEYS,
    updateResource,
    type LifecycleContext,
    type Props,
} from "../core/clientCertsLifecycle";
import { quoted, VercelClientCertsError } from "../core/errors";
import { scopeFromId } from "../core/resourceIds";
import { isSecretId, isSecretScope, usesConfiguredTeam, type SecretInputs } from "../core/secretScope";
import { PROCESS_OWNER, projectSnapshot } from "../core/snapshots";
import { detailedDiff } from "./detailedDiff";
import { inPluginNamespace } from "./grpcErrors";
import { readPluginConfig, secretTeamValues, teamConfigSecret } from "./providerConfig";
import { argSecretStrings, fromStruct, secretInputs, toStruct, type Unwrapped } from "./wireValues";
import type { ProjectScopeArgs } from "../core/types";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** The plugin's side of the shared rules: `vercel-client-certs:*` config, this process's snapshots. */
export const pluginContext: LifecycleContext = {
    readConfig: readPluginConfig,
    liveCerts: (scope) => projectSnapshot(PROCESS_OWNER, scope, readPluginConfig),
};

/**
 * Props from request Structs, with `secretScope: true` added when the scope is secret (core/secretScope.ts
 * `isSecretScope`): a scope field arrived secret, or, where the configured team is applied (`check`), the props
 * name no team and `vercel-client-certs:team` is secret. Later calls take it from the stored `secretScope` and the
 * stored, secret, scope fields. `given` is what arrived secret, for the answer's secrets and the messages' `[secret]`.
 */
function scoped(structs: (Struct | undefined)[], appliesConfiguredTeam = false): Unwrapped & { secret: boolean; given: SecretInputs; hide: string[] } {
    const u = fromStruct(...structs);
    const argsSecret = u.props.secretScope === true || SCOPE_KEYS.some((k) => u.secretKeys.has(k));
    const secret = isSecretScope(argsSecret, appliesConfiguredTeam && usesConfiguredTeam(u.props), teamConfigSecret());
    if (secret) u.props.secretScope = true;
    return { ...u, secret, given: secretInputs(secret, u), hide: [...argSecretStrings(u), ...secretTeamValues()] };
}

/** Check: validate, take or read the observed set, return it as a hidden input. */
export async function check(req: providerPb.CheckRequest): Promise<providerPb.CheckResponse> {
    const news = scoped([req.getNews()], true);
    const result = await guardSecretScope(() => checkInputs(news.props, pluginContext), [news.props], news.secret, news.hide);
    const response = new providerPb.CheckResponse().setInputs(toStruct(result.inputs, news.given));
    for (const f of result.failures ?? []) {
        response.addFailures(new providerPb.CheckFailure().setProperty(f.property).setReason(inPluginNamespace(f.reason)));
    }
    return response;
}

/** Diff: compares stored or fresh outputs with checked or stored inputs; names each changed certificate. */
export async function diff(req: providerPb.DiffRequest): Promise<providerPb.DiffResponse> {
    const id = req.getId();
    const olds = scoped([req.getOlds()]);
    const news = scoped([req.getNews()]);
    const secret = olds.secret || news.secret || isSecretId(id);
    const decision = await guardSecretScope(async () => diffResource(id, olds.props, news.props), [id, olds.props, news.props], secret, [...olds.hide, ...news.hide]);
    const response = new providerPb.DiffResponse()
        .setChanges(decision.changes ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE)
        .setReplacesList(decision.replaces ?? []);
    if (decision.changes && !containsUnknown(news.props)) {
        const details = detailedDiff(olds.props, news.props, decision.replaces ?? []);
        const map = response.getDetaileddiffMap();
        for (const [key, value] of details) map.set(key, value);
        response.setHasdetaileddiff(true).setDiffsList([...new Set([...details.keys()].map((k) => k.split(/[.[]/)[0]))]);
    }
    return response;
}

/** Create: id and outputs from the checked inputs (no request). During a preview with unknown inputs, echoes them. */
export async function create(req: providerPb.CreateRequest): Promise<providerPb.CreateResponse> {
    const inputs = scoped([req.getProperties()]);
    if (req.getPreview() && containsUnknown(inputs.props)) {
        return new providerPb.CreateResponse().setId("").setProperties(toStruct(inputs.props, inputs.given));
    }
    const made = await guardSecretScope(() => createResource(inputs.props, pluginContext), [inputs.props], inputs.secret, inputs.hide);
    return new providerPb.CreateResponse().setId(made.id).setProperties(toStruct(made.outs, inputs.given));
}

/**
 * Read: refresh (stored outputs given) or `pulumi import` and `get` (only the id:
 * `<teamId | slug | (personal)>/<idOrName>`). Returns the fresh outputs and inputs, or an empty id when the project
 * is gone from its team. Nothing is requested for an id or stored scope that would be refused as an argument.
 */
export async function read(req: providerPb.ReadRequest): Promise<providerPb.ReadResponse> {
    const id = req.getId();
    // Refresh: the stored outputs, and the stored inputs (what arrived secret in either goes back secret).
    const stored = scoped([req.getInputs(), req.getProperties()]);
    const props = { ...stored, props: fromStruct(req.getProperties()).props };
    const secret = props.secret || isSecretId(id);
    const given = { ...props.given, scope: secret };
    const result = await guardSecretScope(
        async () => readResource(id, readScope(id, props.props, secret), pluginContext),
        [id, props.props],
        secret,
        props.hide,
    );
    const response = new providerPb.ReadResponse().setId(result.id);
    if (result.props) response.setProperties(toStruct(result.props, given));
    if (result.inputs) response.setInputs(toStruct(result.inputs, given));
    return response;
}

/**
 * The scope a Read reads. An import carries only the id, parsed and validated as arguments are
 * (core/resourceIds.ts). A refresh carries the stored outputs, whose arguments are validated the same way, and
 * the stored id, which must be one this package makes: an opaque secret one, or `<team>/<project>` naming a valid
 * scope. State that fails either (an import by an earlier version took ids unchecked) is named, escaped, with the
 * way out; nothing is requested for it.
 */
function readScope(id: string, stored: Props, secret: boolean): ProjectScopeArgs {
    if (stored.idOrName === undefined) return scopeFromId(id, "Cannot import vercel-client-certs:index:ProjectClientCerts");
    try {
        if (!secret) scopeFromId(id, "Cannot refresh a ProjectClientCerts");
        return requireArgs(stored, `refresh the ProjectClientCerts with id ${quoted(id)}`);
    } catch (err) {
        throw new VercelClientCertsError(
            "config",
            `${(err as Error).message.replace(/ Nothing was requested\.$/, "")} Nothing was requested. The resource's state ` +
                "is not valid (an earlier version imported ids without checking them): remove it from state. " +
                "`pulumi stack --show-urns --show-ids` lists its URN; then run `pulumi state unprotect '<URN>'` " +
                "(imports are protected) and `pulumi state delete '<URN>'`.",
            undefined,
        );
    }
}

/** Update: outputs from the checked inputs (no second read, in preview or up). */
export async function update(req: providerPb.UpdateRequest): Promise<providerPb.UpdateResponse> {
    const news = scoped([req.getNews()]);
    const secret = news.secret || isSecretId(req.getId());
    const given = { ...news.given, scope: secret };
    if (req.getPreview() && containsUnknown(news.props)) {
        return new providerPb.UpdateResponse().setProperties(toStruct(news.props, given));
    }
    const made = await guardSecretScope(() => updateResource(news.props, pluginContext), [req.getId(), news.props], secret, news.hide);
    return new providerPb.UpdateResponse().setProperties(toStruct(made.outs, given));
}

/** Delete: read-only, so there is nothing at Vercel to delete; removing it from state is all destroy means. */
export async function remove(): Promise<void> {}
