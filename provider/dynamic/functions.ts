/**
 * Data-source functions in Pulumi's invoke style: `getProjectClientCerts` (a Promise) and
 * `getProjectClientCertsOutput` (an Output). They run in the program's own process, not in the provider host,
 * with the same credential rules as the resource: stack config `vercel:apiToken` (read as a secret), then the
 * environment. Calls for the same team and project within one program run share one request.
 *
 * Secret scopes: the Output form knows which arguments are secrets, and then says `[secret]` in every error where
 * the project or team would be, and returns a secret result; a team from a secret `vercel:team` is hidden and
 * makes the result secret in the same way. The Promise form receives plain values, so it can only hide a secret
 * `vercel:team`.
 *
 * In an Automation API inline program "the program's own process" is the caller's: the functions read with its
 * environment (`process.env`), never with `LocalWorkspace` `envVars` (those reach the CLI and the provider host).
 * Without a token there (stack config or `process.env`), they fail saying so, rather than read with another one.
 */
import * as pulumi from "@pulumi/pulumi";
import { TOKEN_ENV_VARS, type VercelConfigReader } from "../core/credentials";
import { programConfigReader } from "./programConfig";
import { describeScope, VercelClientCertsError } from "../core/errors";
import { queryProjectCerts } from "../core/projectCertsQuery";
import { hideScope, isSecretScope } from "../core/secretScope";
import { programCerts, scopeIsSecret } from "./liveRead";
import { mockCertsSource, underMocks } from "./mockSeam";
import { isSecretConfig, programSharesProviderSettings } from "./programRuntime";
import type { ClientCert, ProjectScopeArgs, TeamSelector } from "../core/types";

/**
 * Arguments of {@link getProjectClientCerts}. Set `teamId` or `slug`, not both; with neither, stack config
 * `vercel:team` applies, else the token's personal account.
 */
export type GetProjectClientCertsArgs = {
    /** The project id (`prj_…`) or name, e.g. `"my-app"`. */
    idOrName: string;
    /** Origins that must each have a client certificate; the call fails naming any that has none. */
    requireOrigins?: string[];
} & TeamSelector<string>;

/** Arguments of {@link getProjectClientCertsOutput}: the same fields, each may be an `Input`. */
export type GetProjectClientCertsOutputArgs = {
    /** The project id (`prj_…`) or name, e.g. `"my-app"`. */
    idOrName: pulumi.Input<string>;
    /** Origins that must each have a client certificate; the call fails naming any that has none. */
    requireOrigins?: pulumi.Input<pulumi.Input<string>[]>;
} & TeamSelector<pulumi.Input<string>>;

/** What the functions return: the project and team used, and its certificates. */
export interface GetProjectClientCertsResult {
    /** The project id or name, as used for the request. */
    idOrName: string;
    /** The team id the request was scoped to, if any (the argument's, or `vercel:team`). */
    teamId?: string;
    /** The team slug the request was scoped to, if any. */
    slug?: string;
    /** Every certificate (`{ id, origin }`), sorted by origin and then id. */
    clientCerts: ClientCert[];
    /** The certificate ids, in the order of `clientCerts`. */
    certIds: string[];
    /** The origins, in the order of `clientCerts`. */
    origins: string[];
    /** Every certificate's origin, keyed by certificate id, as the resource's `certOriginsById`. */
    certOriginsById: Record<string, string>;
    /**
     * The certificate id for each origin, as the resource's `certIdByOrigin`: when one origin has two certificates
     * (a rotation), the smallest id wins, however Vercel orders its list.
     */
    certIdByOrigin: Record<string, string>;
}

/**
 * Reads a project's client certificates once per program run.
 *
 * @param args Which project, in which team, and which origins must have a certificate.
 * @param opts Accepted for the invoke-style signature; there is no provider plugin to route it to.
 * @returns The project and team used, and its certificates.
 *
 * @example
 * ```ts
 * export const certIds = getProjectClientCerts({ idOrName: "my-app", teamId: "team_123" }).then((r) => r.certIds);
 * ```
 */
export async function getProjectClientCerts(
    args: GetProjectClientCertsArgs,
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    opts?: pulumi.InvokeOptions,
): Promise<GetProjectClientCertsResult> {
    return (await readForFunction(args, false)).result;
}

/**
 * The functions' read: validates, applies `vercel:team`, reads (once per project per run) and checks
 * `requireOrigins`. Every error says `[secret]` for each scope value that is secret: all of them when `argsSecret`,
 * and a team that came from a secret `vercel:team`.
 *
 * @param args The resolved arguments.
 * @param argsSecret Whether any of `idOrName`, `teamId`, `slug` was given as a secret.
 * @returns The result, and whether it must be secret.
 */
async function readForFunction(args: GetProjectClientCertsArgs, argsSecret: boolean): Promise<{ result: GetProjectClientCertsResult; secret: boolean }> {
    const readConfig = programConfigReader();
    const hidden: string[] = [];
    const hide = (...values: unknown[]) => {
        for (const v of values) if (typeof v === "string" && v !== "") hidden.push(v);
        // Longest first, so a value that contains another is hidden whole (as secretScopeValues orders them).
        hidden.sort((a, b) => b.length - a.length);
    };
    if (argsSecret) hide(args?.idOrName, args?.teamId, args?.slug);
    // A malformed secret `vercel:team` is quoted by the error that reports it.
    const teamSecret = isSecretConfig("vercel:team");
    if (teamSecret) hide(readConfig("team"), readConfig("team")?.trim());
    let teamFromConfig = false;
    try {
        // The rule itself is core's (projectCertsQuery.ts); this side adds what only the program knows: which
        // values are secret, and where an inline program's token must be.
        const result = await queryProjectCerts(args, readConfig, (scope) => {
            teamFromConfig = args?.teamId === undefined && args?.slug === undefined && (scope.teamId ?? scope.slug) !== undefined;
            if (argsSecret && teamFromConfig) hide(scope.teamId, scope.slug);
            requireTokenHere(scope, readConfig);
            return programCerts(scope, readConfig);
        });
        return { result, secret: isSecretScope(argsSecret, teamFromConfig, teamSecret) };
    } catch (err) {
        if (hidden.length === 0) throw err;
        if (err instanceof VercelClientCertsError) throw new VercelClientCertsError(err.kind, hideScope(err.message, hidden), undefined, err.status);
        throw new Error(hideScope(String((err as Error)?.message ?? err), hidden));
    }
}

/**
 * In an inline program (programRuntime.ts), a read without a token of the program's own (stack config, or this
 * process's environment) fails here, saying where the token must be: `envVars` given to `LocalWorkspace` never
 * reach this process. Under the CLI the usual "no token" error (credentials.ts) is clear enough.
 */
function requireTokenHere(scope: ProjectScopeArgs, readConfig: VercelConfigReader): void {
    if (mockCertsSource() || underMocks() || programSharesProviderSettings()) return;
    if (readConfig("apiToken") || TOKEN_ENV_VARS.some((name) => process.env[name])) return;
    throw new VercelClientCertsError(
        "config",
        `No Vercel API token for getProjectClientCerts (${describeScope(scope)}) in this process. This program runs ` +
            "inline (Automation API), so the functions read in your own process, with its process.env; LocalWorkspace " +
            "envVars reach only the CLI and the provider. Set the token in stack config " +
            '(stack.setConfig("vercel:apiToken", { value, secret: true })), or VERCEL_API_TOKEN in process.env, together ' +
            "with VERCEL_API_URL and any proxy settings the stack needs.",
        undefined,
    );
}

/**
 * {@link getProjectClientCerts} for `Input` arguments. During a preview in which an argument is still unknown,
 * the result is unknown too.
 *
 * @param args Which project, in which team, and which origins must have a certificate; each may be an `Input`.
 * @param opts Accepted for the invoke-style signature.
 * @returns The project and team used, and its certificates, as an `Output`.
 *
 * @example
 * ```ts
 * const certs = getProjectClientCertsOutput({ idOrName: project.name, teamId: "team_123" });
 * export const ids = certs.certIds;
 * ```
 */
export function getProjectClientCertsOutput(
    args: GetProjectClientCertsOutputArgs,
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetProjectClientCertsResult> {
    // Secretness is known before the values (and during preview too).
    const argsSecret = pulumi.output(scopeIsSecret([args.idOrName, args.teamId, args.slug], false));
    const read = pulumi
        .all([pulumi.output(args), argsSecret])
        .apply(([resolved, secret]) => readForFunction(resolved as GetProjectClientCertsArgs, secret));
    // `pulumi.secret` of a plain object types as its unwrapped form, which is this same plain shape.
    return read.apply((r) => (r.secret ? pulumi.secret(r.result) : pulumi.output(r.result)) as pulumi.Output<GetProjectClientCertsResult>);
}
