/**
 * The public resource: `ProjectClientCerts`.
 */
import * as pulumi from "@pulumi/pulumi";
import { describeScope } from "./errors";
import type { ClientCert, ProjectScopeArgs } from "./schemas";
import { providerStub } from "./stub";

/**
 * Arguments of {@link ProjectClientCerts}: the validated argument schema (`ProjectScopeArgsSchema`), each field an
 * `Input`.
 *
 * - `idOrName`: the project id (`prj_…`) or name.
 * - `teamId`: the team id (`team_…`) that owns the project. Falls back to stack config `vercel:team`.
 * - `slug`: the team slug, as an alternative to `teamId` (set one, not both).
 * - `requireOrigins`: origins that must have a certificate; if one has none, `pulumi preview` fails its check.
 */
export type ProjectClientCertsArgs = { [K in keyof ProjectScopeArgs]: pulumi.Input<ProjectScopeArgs[K]> };

/**
 * The mTLS egress client certificates of one Vercel project, read from
 * `GET /v1/projects/{idOrName}/client-cert`. Read-only: it never creates, changes or deletes anything at Vercel.
 *
 * The token is read by the provider at run time from stack config `vercel:apiToken` (set it with
 * `pulumi config set --secret vercel:apiToken <token>`), else `VERCEL_API_TOKEN`, else `VERCEL_TOKEN`. It is
 * never part of the resource's inputs, outputs or state.
 *
 * A plain `pulumi preview` shows certificates added, removed or re-pointed in the Vercel dashboard since the last
 * `pulumi up`, by certificate id.
 *
 * @example
 * ```ts
 * import { ProjectClientCerts } from "pulumi-vercel-client-certs";
 *
 * const certs = new ProjectClientCerts("api-certs", {
 *     idOrName: "my-app",
 *     teamId: "team_123",
 *     requireOrigins: ["https://payments.example.com"],
 * });
 * export const certIds = certs.certIds;                                   // Output<string[]>
 * export const paymentsCert = certs.certIdFor("https://payments.example.com"); // Output<string>
 * ```
 */
export class ProjectClientCerts extends pulumi.dynamic.Resource {
    // `declare`, not `!`: with ES2022 class fields, an initialised field would overwrite, after `super()`, the
    // outputs the base constructor just registered.

    /** The project id or name, as used for the request. */
    declare public readonly idOrName: pulumi.Output<string>;
    /** The team id the request was scoped to, if any (the resource's own, or `vercel:team`). */
    declare public readonly teamId: pulumi.Output<string | undefined>;
    /** The team slug the request was scoped to, if any. */
    declare public readonly slug: pulumi.Output<string | undefined>;
    /** The origins this resource requires certificates for, if any. */
    declare public readonly requireOrigins: pulumi.Output<string[] | undefined>;
    /** Every certificate, sorted by origin and then id, so the order never causes a spurious diff. */
    declare public readonly clientCerts: pulumi.Output<ClientCert[]>;
    /** The certificate ids, in the order of `clientCerts`. */
    declare public readonly certIds: pulumi.Output<string[]>;
    /** The origins, in the order of `clientCerts`. */
    declare public readonly origins: pulumi.Output<string[]>;

    /**
     * @param name The unique name of the resource in the stack.
     * @param args Which project, and which team, to read.
     * @param opts Standard resource options.
     */
    constructor(name: string, args: ProjectClientCertsArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            providerStub,
            name,
            {
                idOrName: args.idOrName,
                teamId: args.teamId,
                slug: args.slug,
                requireOrigins: args.requireOrigins,
                // Declared as outputs: undefined inputs become output properties the provider fills in.
                clientCerts: undefined,
                certIds: undefined,
                origins: undefined,
            },
            opts,
            "vercel",
            "ProjectClientCerts",
        );
    }

    /**
     * The id of the certificate for `origin`. Fails the deployment, naming the project and the origins it does
     * have, if there is none. Pair it with `requireOrigins` to fail at preview instead.
     */
    certIdFor(origin: pulumi.Input<string>): pulumi.Output<string> {
        return pulumi
            .all([this.clientCerts, origin, this.idOrName, this.teamId, this.slug])
            .apply(([certs, wanted, idOrName, teamId, slug]) => {
                const cert = certs.find((c) => c.origin === wanted);
                if (!cert) {
                    const have = certs.map((c) => `"${c.origin}"`).join(", ") || "none";
                    throw new Error(
                        `${describeScope({ idOrName, teamId, slug })} has no client certificate for "${wanted}" ` +
                            `(it has: ${have}). Upload one in Vercel, or add the origin to requireOrigins to stop at preview.`,
                    );
                }
                return cert.id;
            });
    }
}
