/**
 * Invoke: the function `vercel-client-certs:index:getProjectClientCerts` (in Go `LookupProjectClientCerts`), the
 * same rule as the dynamic provider's function (core/projectCertsQuery.ts), read through this process's snapshot
 * cache, so calls and resources for the same project share one request per command. A secret project or team
 * (given, or a secret `vercel-client-certs:team`) makes the result secret and the messages say `[secret]`; any
 * other secret argument (a `requireOrigins` entry) keeps every part of the result that holds it secret, and is
 * said as `[secret]` too.
 *
 * A failure the package words (VercelClientCertsError) is returned as the protocol's form for it,
 * `InvokeResponse.failures`, not as a gRPC error: the engine passes failures through untouched and each SDK prints
 * the reason once ("<token> invoke failed: <reason> (<argument>)" in Go and YAML), where a gRPC error reached the
 * program wrapped as "rpc error: code = Unknown desc = invocation of <token> returned an error: …". See plugin.md.
 */
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { guardSecretScope, SCOPE_KEYS } from "../core/clientCertsLifecycle";
import { VercelClientCertsError } from "../core/errors";
import { queryProjectCerts } from "../core/projectCertsQuery";
import { isSecretScope, usesConfiguredTeam } from "../core/secretScope";
import { forEngine } from "./knownTokens";
import { readPluginConfig, secretTeamValues, teamConfigSecret } from "./providerConfig";
import { pluginContext } from "./resourceCalls";
import { argSecretStrings, fromStruct, secretInputs, toStruct } from "./wireValues";

/** The function's token in the schema. */
export const GET_PROJECT_CLIENT_CERTS = "vercel-client-certs:index:getProjectClientCerts";

/** Runs the invoked function. */
export async function invoke(req: providerPb.InvokeRequest): Promise<providerPb.InvokeResponse> {
    if (req.getTok() !== GET_PROJECT_CLIENT_CERTS) {
        throw new Error(`vercel-client-certs has no function ${JSON.stringify(req.getTok())}; it has ${GET_PROJECT_CLIENT_CERTS}.`);
    }
    const args = fromStruct(req.getArgs());
    const argsSecret = SCOPE_KEYS.some((k) => args.secretKeys.has(k));
    const secret = isSecretScope(argsSecret, usesConfiguredTeam(args.props), teamConfigSecret());
    let result;
    try {
        result = await guardSecretScope(
            () => queryProjectCerts(args.props, readPluginConfig, pluginContext.liveCerts),
            [args.props],
            secret,
            [...argSecretStrings(args), ...secretTeamValues()],
        );
    } catch (err) {
        if (!(err instanceof VercelClientCertsError)) throw err;
        const failure = new providerPb.CheckFailure().setProperty(failedArgument(err)).setReason(forEngine(err.message));
        const response = new providerPb.InvokeResponse();
        response.addFailures(failure);
        return response;
    }
    // Every secret argument stays secret in the result: all of it for a secret scope, else each part that holds one.
    return new providerPb.InvokeResponse().setReturn(toStruct(result, secretInputs(secret, args)));
}

/** The argument a failure is about, which the SDKs print after the reason, in parentheses. */
function failedArgument(err: VercelClientCertsError): string {
    if (err.kind === "unauthorized") return "apiToken";
    if (/has no client certificate for/.test(err.message)) return "requireOrigins";
    return "idOrName";
}
