/**
 * The public resource: `ProjectClientCerts`.
 */
import * as pulumi from "@pulumi/pulumi";
import { originsListed } from "../core/certSet";
import { describeScope, quoted } from "../core/errors";
import { outputLists, programReadInput, readLive, scopeIsSecret, teamFields, type LiveRead } from "./liveRead";
import { scopeFromId } from "../core/resourceIds";
import { isSecretId } from "../core/secretScope";
import { PROVIDER_STUB_TEXT } from "./stub";
import { failProgram } from "./programFailure";
import { refuseImportOption } from "./importOption";
import type { ClientCert, ProjectScope, TeamSelector } from "../core/types";

/**
 * Arguments of {@link ProjectClientCerts}. Each may be an `Input` (a plain value or another resource's output).
 * Set `teamId` or `slug`, not both; with neither, stack config `vercel:team` applies, else the token's personal
 * account.
 */
export type ProjectClientCertsArgs = {
    /** The project id (`prj_…`) or name, e.g. `"my-app"`. */
    idOrName: pulumi.Input<string>;
    /**
     * Origins that must each have a client certificate, e.g. `["https://payments.example.com"]`. If one has none,
     * `pulumi preview` fails its check naming the origin and the project.
     */
    requireOrigins?: pulumi.Input<pulumi.Input<string>[]>;
} & TeamSelector<pulumi.Input<string>>;

/** What the constructor's live read decided: the read, whether the scope is secret, and the scope to name. */
type ProgramLive = LiveRead & {
    /** The scope is secret (secretScope.ts). */
    secret: boolean;
    /** The output lists, sent as (secret) inputs for a secret scope only. */
    lists?: { clientCerts: ClientCert[]; certIds: string[]; origins: string[] };
    /** The scope as errors name it (`[secret]` for a secret one). */
    scope: ProjectScope;
};

/** The team fields sent to the provider. */
type TeamFields = { teamId?: string; slug?: string };

/** Parses a resource id, `<teamId|slug|(personal)>/<idOrName>`, into arguments. */
function argsFromId(id: string): ProjectClientCertsArgs {
    return scopeFromId(id, "ProjectClientCerts.get") as ProjectClientCertsArgs;
}

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
export class ProjectClientCerts extends pulumi.CustomResource {
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
    /** Every certificate (`{ id, origin }`), sorted by origin and then id, so the order never causes a spurious diff. */
    declare public readonly clientCerts: pulumi.Output<ClientCert[]>;
    /** The certificate ids, in the order of `clientCerts`. */
    declare public readonly certIds: pulumi.Output<string[]>;
    /** The origins, in the order of `clientCerts`. */
    declare public readonly origins: pulumi.Output<string[]>;
    /**
     * Every certificate's origin, keyed by certificate id (e.g. `{ cert_123: "https://payments.example.com" }`).
     * Keyed by id, so every drift view (`preview --diff`, `refresh --diff`, Pulumi Cloud's drift detection) names
     * the certificate that was added, removed or re-pointed on a line of its own: `+ cert_x: "…"`, `- cert_x: "…"`,
     * `~ cert_x: "…" => "…"`. Secret when the project or team is.
     */
    declare public readonly certOriginsById: pulumi.Output<Record<string, string>>;
    /** The program's own live read and scope, for `certIdFor` to fail at preview (no live set for `get`). */
    declare private readonly programLive: pulumi.Output<ProgramLive>;

    /**
     * @param name The unique name of the resource in the stack.
     * @param args Which project, and which team, to read.
     * @param opts Standard resource options.
     */
    constructor(name: string, args: ProjectClientCertsArgs, opts?: pulumi.CustomResourceOptions) {
        refuseImportOption(name, opts);
        // Every key given to `super` costs four promises, each with a captured (and, under ts-node, source-mapped)
        // stack trace, in Pulumi's runtime (`transferProperties`, runtime/rpc.js): the dominant per-resource cost of
        // a large preview. So the keys are only those the provider must receive, and the constructor builds as few
        // intermediate Outputs as it can: one for the team, one for everything the live read decides.
        // A secret scope (see secretScope.ts) is known on this side only: the provider gets secrets unwrapped.
        const secretScope = scopeIsSecret([args.idOrName, args.teamId, args.slug], !opts?.id && args.teamId === undefined && args.slug === undefined);
        // The team is resolved here, before the engine decides anything: with `vercel:team` set and `idOrName`
        // still unknown in a preview, the team is known, so the preview cannot mistake it for a change of team.
        // `get` (opts.id) takes its scope from the id as it is: "(personal)" must stay personal. A team from a
        // secret `vercel:team` is as secret as the config it came from.
        const team: pulumi.Output<TeamFields> = pulumi.all([args.teamId, args.slug]).apply(([teamId, slug]) => {
            const fields = (async (): Promise<TeamFields> =>
                opts?.id ? { teamId: teamId ?? undefined, slug: slug ?? undefined } : teamFields(teamId ?? undefined, slug ?? undefined))();
            return pulumi.output(secretScope).apply((secret) => (secret ? pulumi.secret(fields) : pulumi.output(fields)));
        }) as pulumi.Output<TeamFields>;
        // The live read happens in this process, where every resource is constructed at once, so reads overlap
        // (see liveRead.ts). `get` (opts.id) is a Read in the provider instead, so it reads nothing here.
        // For a secret scope the output lists go in as inputs too (secret, as they derive from the scope), so the
        // engine stores the outputs of the same names encrypted. Otherwise they are left to the provider (no copy
        // in state).
        const live: pulumi.Output<ProgramLive> = pulumi.all([args.idOrName, team]).apply(async ([idOrName, t]) => {
            const secret = await secretScope;
            const read: LiveRead = opts?.id ? {} : await readLive({ idOrName, ...t });
            return {
                ...read,
                secret,
                lists: secret && read.certOriginsById ? outputLists(read.certOriginsById) : undefined,
                scope: secret ? { idOrName: "[secret]", teamId: "[secret]" } : { idOrName, ...t },
            };
        });
        // A dynamic resource in all but name: the type is the one `pulumi.dynamic.Resource` would register (the
        // engine sends it to the Node.js dynamic-provider host), and `__provider` is the fixed stub text of stub.ts
        // rather than the closure serializer's 2.7 kB rendering of a provider object.
        super(
            "pulumi-nodejs:dynamic/vercel:ProjectClientCerts",
            name,
            {
                idOrName: args.idOrName,
                teamId: team.apply((t) => t.teamId),
                slug: team.apply((t) => t.slug),
                requireOrigins: args.requireOrigins,
                certOriginsById: live.apply((l) => l.certOriginsById),
                // One hidden input for what the program tells `check` (lifecycle.ts unpacks it): was the scope
                // secret, did the read fail. Absent (undefined) in the common case.
                programRead: live.apply((l) => programReadInput(l.secret, l.liveReadFailure)),
                clientCerts: live.apply((l) => l.lists?.clientCerts),
                certIds: live.apply((l) => l.lists?.certIds),
                origins: live.apply((l) => l.lists?.origins),
                __provider: PROVIDER_STUB_TEXT,
            },
            opts,
        );
        this.programLive = live;
    }

    /**
     * Reads an existing project's certificates by resource id, the Pulumi way (`Resource.get`): a read, not a
     * managed resource; `pulumi up` reads it, `pulumi destroy` only forgets it.
     *
     * @param name The unique name of the resource in the stack.
     * @param id `<teamId|slug|(personal)>/<idOrName>`, as shown in `pulumi stack` (e.g. `team_abc123/my-app`).
     *   A resource whose project or team is secret has the id `(secret)/<uuid>` instead, which names neither, so
     *   it cannot be read with `get`.
     * @param opts Standard resource options; `id` is set from the argument.
     *
     * @example
     * ```ts
     * const existing = ProjectClientCerts.get("existing-certs", "team_abc123/my-app");
     * export const existingIds = existing.certIds;
     * ```
     */
    static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ProjectClientCerts {
        // A plain id is checked now, so a typo fails at the line that has it.
        if (typeof id === "string") return new ProjectClientCerts(name, argsFromId(id), { ...opts, id });
        const args = pulumi.output(id).apply(argsFromId);
        return new ProjectClientCerts(
            name,
            // Team or slug is only known once the id resolves, so the exclusive union cannot be picked statically;
            // the provider validates the pair at run time like any other input.
            { idOrName: args.idOrName, teamId: args.teamId, slug: args.slug } as unknown as ProjectClientCertsArgs,
            { ...opts, id },
        );
    }

    /**
     * The id of the certificate for `origin`. Fails the deployment, naming the project and the origins it does
     * have, if there is none. Pair it with `requireOrigins` to fail at preview instead.
     *
     * @param origin The upstream origin, exactly as in the certificate, e.g. `"https://payments.example.com"`.
     * @returns The certificate id for that origin.
     */
    certIdFor(origin: pulumi.Input<string>): pulumi.Output<string> {
        const noCert = (scope: ProjectScope, wanted: string, certs: ClientCert[]) =>
            failProgram(
                `${describeScope(scope)} has no client certificate for ${quoted(String(wanted))} (it has: ${originsListed(certs)}). ` +
                    "Upload one in the project's Vercel settings, or use an origin it has.",
                this,
            );
        // The program's live read (preview and up) decides at once, before the resource's outputs exist, so a
        // missing origin fails the preview too. Without one (`get`, mocks, a failed read) the outputs decide.
        return pulumi.all([this.programLive, origin]).apply(([live, wanted]): pulumi.Output<string> => {
            const certs = live.certOriginsById ? Object.entries(live.certOriginsById).map(([id, o]) => ({ id, origin: o })) : undefined;
            if (certs && !certs.some((c) => c.origin === wanted)) return pulumi.output(noCert(live.scope, wanted, certs));
            return pulumi
                .all([this.clientCerts, this.idOrName, this.teamId, this.slug, this.id])
                .apply(([certs, idOrName, teamId, slug, id]): Promise<string> => {
                    const cert = certs.find((c) => c.origin === wanted);
                    if (cert) return Promise.resolve(cert.id);
                    // A secret scope is never named (secretScope.ts).
                    const scope = isSecretId(id) ? { idOrName: "[secret]", teamId: "[secret]" } : { idOrName, teamId, slug };
                    return noCert(scope, wanted, certs);
                });
        });
    }
}
