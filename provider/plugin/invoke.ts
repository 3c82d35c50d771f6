/**
 * Invoke: the function `vercel-client-certs:index:getProjectClientCerts` (in Go `LookupProjectClientCerts`), the
 * same rule as the dynamic provider's function (core/projectCertsQuery.ts), read through this process's snapshot
 * cache, so calls and resources for the same project share one request per command. A secret project or team
 * makes the result secret and the messages say `[secret]`.
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
import { inPluginNamespace } from "./grpcErrors";
import { readPluginConfig } from "./providerConfig";
import { pluginContext } from "./resourceCalls";
import { fromStruct, toStruct } from "./wireValues";

/** The function's token in the schema. */
export const GET_PROJECT_CLIENT_CERTS = "vercel-client-certs:index:getProjectClientCerts";

/** Runs the invoked function. */
export async function invoke(req: providerPb.InvokeRequest): Promise<providerPb.InvokeResponse> {
    if (req.getTok() !== GET_PROJECT_CLIENT_CERTS) {
        throw new Error(`vercel-client-certs has no function ${JSON.stringify(req.getTok())}; it has ${GET_PROJECT_CLIENT_CERTS}.`);
    }
    const args = fromStruct(req.getArgs());
    const secret = SCOPE_KEYS.some((k) => args.secretKeys.has(k));
    let result;
    try {
        result = await guardSecretScope(
            () => queryProjectCerts(args.props, readPluginConfig, pluginContext.liveCerts),
            [args.props],
            secret,
        );
    } catch (err) {
        if (!(err instanceof VercelClientCertsError)) throw err;
        const failure = new providerPb.CheckFailure().setProperty(failedArgument(err)).setReason(inPluginNamespace(err.message));
        const response = new providerPb.InvokeResponse();
        response.addFailures(failure);
        return response;
    }
    return new providerPb.InvokeResponse().setReturn(toStruct(result, secret));
}

/** The argument a failure is about, which the SDKs print after the reason, in parentheses. */
function failedArgument(err: VercelClientCertsError): string {
    if (err.kind === "unauthorized") return "apiToken";
    if (/has no client certificate for/.test(err.message)) return "requireOrigins";
    return "idOrName";
}
