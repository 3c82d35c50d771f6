/**
 * Data-source functions in Pulumi's invoke style: `getProjectClientCerts` (a Promise) and
 * `getProjectClientCertsOutput` (an Output). They run in the program's own process, not in the provider host,
 * with the same credential rules as the resource: stack config `vercel:apiToken` (read as a secret), then the
 * environment. Calls for the same team and project within one program run share one request.
 */
import * as pulumi from "@pulumi/pulumi";
import { programConfigReader } from "./programConfig";
import { queryProjectCerts } from "../core/projectCertsQuery";
import { programCerts } from "./liveRead";
import type { ClientCert, TeamSelector } from "../core/types";

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
    const readConfig = programConfigReader();
    return queryProjectCerts(args, readConfig, (scope) => programCerts(scope, readConfig));
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
    opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetProjectClientCertsResult> {
    return pulumi.output(args).apply((resolved) => getProjectClientCerts(resolved as GetProjectClientCertsArgs, opts));
}
