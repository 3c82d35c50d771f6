/**
 * The public resource: `ProjectClientCerts`.
 */
import * as pulumi from "@pulumi/pulumi";
import { certIdByOrigin, certIdForOrigin, originsListed, outputsFrom } from "../core/certSet";
import { describeScope, quoted } from "../core/errors";
import { outputLists, readLive, scopeIsSecret, teamFields, type LiveRead, type OutputLists } from "./liveRead";
import { programReadInput } from "./programRead";
import { isSecretConfig, optionsMayBeRewritten } from "./programRuntime";
import { scopeFromId } from "../core/resourceIds";
import { isSecretId } from "../core/secretScope";
import { PROVIDER_STUB_TEXT } from "./stub";
import { failProgram } from "./programFailure";
import { refuseImportOption } from "./importOption";
import type { ClientCert, Outputs, ProjectScope, TeamSelector } from "../core/types";

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
    /** The output lists and `certIdByOrigin`, sent as (secret) inputs for a secret scope only. */
    lists?: OutputLists;
    /** The scope as errors name it (`[secret]` for a secret one). */
    scope: ProjectScope;
};

/** The team fields sent to the provider. */
type TeamFields = { teamId?: string; slug?: string };

/** Parses a resource id, `<teamId|slug|(personal)>/<idOrName>`, into arguments. */
function argsFromId(id: string): ProjectClientCertsArgs {
    return scopeFromId(id, "ProjectClientCerts.get") as ProjectClientCertsArgs;
}

/** What the constructor registers (`__provider` aside), and the live read `certIdFor` consults. */
type Registration = { props: pulumi.Inputs; live: pulumi.Input<ProgramLive> };

// Every key given to `super` costs four promises, each with a captured (and, under ts-node, source-mapped) stack
// trace, in Pulumi's runtime (`transferProperties`, runtime/rpc.js), and every Output a few promises more: the
// dominant per-resource cost of a large preview. Hence two layouts, the lean one wherever it is correct.

/**
 * The lean layout, for a scope known at construction to be plain: four keys, five with `requireOrigins` (`idOrName`,
 * `requireOrigins`, `programRead` carrying the resolved team and the live set, `clientCerts`, `__provider`), no Output
 * of its own. The provider unpacks `programRead` (programRead.ts), so state is the same as the full layout's.
 */
function leanRegistration(args: ProjectClientCertsArgs): Registration & { team: Promise<TeamFields> } {
    // Promises, not Outputs: nothing here can be secret or unknown (every argument is a string or absent).
    const { idOrName, teamId, slug } = args as { idOrName: string; teamId?: string | null; slug?: string | null };
    const team = teamFields(teamId ?? undefined, slug ?? undefined);
    const live = team.then(async (t): Promise<ProgramLive> => ({
        ...(await readLive({ idOrName, ...t })),
        secret: false,
        scope: { idOrName, ...t },
    }));
    const programRead = live.then((l) =>
        programReadInput({ liveReadFailure: l.liveReadFailure, teamId: l.scope.teamId, slug: l.scope.slug, certOriginsById: l.certOriginsById }),
    );
    return {
        props: {
            idOrName,
            ...(args.requireOrigins !== undefined ? { requireOrigins: args.requireOrigins } : {}),
            programRead,
            clientCerts: undefined,
        },
        live,
        team,
    };
}

/**
 * The full layout, for a scope that is or may be secret (an Output argument, a secret `vercel:team`) and for
 * `get`: every argument and output list under its own name, as the engine marks an output secret only when the
 * input of the same name was (secretScope.ts); the provider gets secrets unwrapped.
 */
function fullRegistration(args: ProjectClientCertsArgs, usesConfiguredTeam: boolean, opts: pulumi.CustomResourceOptions | undefined): Registration {
    const secretScope = scopeIsSecret([args.idOrName, args.teamId, args.slug], usesConfiguredTeam);
    // The team is resolved here, before the engine decides anything: with `vercel:team` set and `idOrName` still
    // unknown in a preview, the team is known, so the preview cannot mistake it for a change of team. `get`
    // (opts.id) takes its scope from the id as it is: "(personal)" must stay personal. A team from a secret
    // `vercel:team` is as secret as the config it came from.
    const team: pulumi.Output<TeamFields> = pulumi.all([args.teamId, args.slug]).apply(([teamId, slug]) => {
        const fields = (async (): Promise<TeamFields> =>
            opts?.id ? { teamId: teamId ?? undefined, slug: slug ?? undefined } : teamFields(teamId ?? undefined, slug ?? undefined))();
        return pulumi.output(secretScope).apply((secret) => (secret ? pulumi.secret(fields) : pulumi.output(fields)));
    }) as pulumi.Output<TeamFields>;
    // The live read happens in this process, where every resource is constructed at once, so reads overlap (see
    // liveRead.ts). `get` (opts.id) is a Read in the provider instead, so it reads nothing here. For a secret
    // scope the output lists go in as inputs too (secret, as they derive from the scope), so the engine stores the
    // outputs of the same names encrypted. Otherwise they are left to the provider (no copy in state).
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
    return {
        props: {
            idOrName: args.idOrName,
            teamId: team.apply((t) => t.teamId),
            slug: team.apply((t) => t.slug),
            requireOrigins: args.requireOrigins,
            certOriginsById: live.apply((l) => l.certOriginsById),
            // What the program tells `check` (programRead.ts): was the scope secret, did the read fail.
            programRead: live.apply((l) => programReadInput({ secretScope: l.secret ? true : undefined, liveReadFailure: l.liveReadFailure })),
            clientCerts: live.apply((l) => l.lists?.clientCerts),
            certIds: live.apply((l) => l.lists?.certIds),
            origins: live.apply((l) => l.lists?.origins),
            // The one key the full layout has that the lean one derives: a secret scope's map must be stored
            // encrypted like the lists (the engine encrypts an output only when the same-named input was secret).
            certIdByOrigin: live.apply((l) => l.lists?.certIdByOrigin),
        },
        live,
    };
}

/** Defines output `key` of `resource`, made by `make` on first read and kept. */
function derivedOutput(resource: object, key: string, make: () => pulumi.Output<unknown>): void {
    let made: pulumi.Output<unknown> | undefined;
    Object.defineProperty(resource, key, { enumerable: true, configurable: true, get: () => (made ??= make()) });
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
 * export const byOrigin = certs.certIdByOrigin;                          // Output<Record<string, string>>
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
    /**
     * The certificate id for each origin (e.g. `{ "https://payments.example.com": "cert_123" }`), to wire into
     * another resource by origin rather than by position. When one origin has two certificates (a rotation), the
     * smallest id wins, however Vercel orders its list; both stay in `certIds`. The same rule as {@link certIdFor}.
     * Secret when the project or team is.
     */
    declare public readonly certIdByOrigin: pulumi.Output<Record<string, string>>;
    /** The program's own live read and scope, for `certIdFor` to fail at preview (no live set for `get`). */
    declare private readonly programLive: pulumi.Input<ProgramLive>;

    /**
     * @param name The unique name of the resource in the stack.
     * @param args Which project, and which team, to read.
     * @param opts Standard resource options.
     */
    constructor(name: string, args: ProjectClientCertsArgs, opts?: pulumi.CustomResourceOptions) {
        refuseImportOption(name, opts);
        // `null` is no team too (check drops it), so a secret `vercel:team` then applies.
        const usesConfiguredTeam = !opts?.id && args.teamId == null && args.slug == null;
        // The lean layout only where it is known now to store and show exactly what the full one would:
        // - the scope is plain: each argument a string or absent (an Output may be secret, and so may whatever a
        //   promise resolves to), and the team is not a secret `vercel:team`;
        // - no option names an output the lean layout derives rather than registers: `additionalSecretOutputs`
        //   (a derived output would not be secret in the program) and `ignoreChanges` (its paths apply to the
        //   registered inputs, before check unpacks `programRead`), and nothing may add them unseen (optionsMayBeRewritten);
        // - not `get`, which reads in the provider.
        const lean =
            !opts?.id &&
            [args.idOrName, args.teamId, args.slug].every((a) => a == null || typeof a === "string") &&
            !(usesConfiguredTeam && isSecretConfig("vercel:team")) &&
            !opts?.additionalSecretOutputs?.length &&
            !opts?.ignoreChanges?.length &&
            !optionsMayBeRewritten(opts);
        const leanOne = lean ? leanRegistration(args) : undefined;
        const registration = leanOne ?? fullRegistration(args, usesConfiguredTeam, opts);
        // A dynamic resource in all but name: the type is the one `pulumi.dynamic.Resource` would register (the
        // engine sends it to the Node.js dynamic-provider host), and `__provider` is the fixed stub text of stub.ts
        // rather than the closure serializer's 2.7 kB rendering of a provider object.
        super("pulumi-nodejs:dynamic/vercel:ProjectClientCerts", name, { ...registration.props, __provider: PROVIDER_STUB_TEXT }, opts);
        this.programLive = registration.live;
        if (leanOne) {
            // The outputs the lean layout does not register: the values the provider stores, derived from the
            // registered `clientCerts` and the resolved team, depending on this resource (through `urn`) as a
            // registered output would. Made on first use: most programs read one or two outputs of a resource.
            const team = leanOne.team;
            const fromCerts = <T>(pick: (o: Outputs) => T) => () => this.clientCerts.apply((certs) => (certs === undefined ? undefined : pick(outputsFrom({ idOrName: "" }, certs))));
            derivedOutput(this, "teamId", () => this.urn.apply(async () => (await team).teamId));
            derivedOutput(this, "slug", () => this.urn.apply(async () => (await team).slug));
            if (args.requireOrigins === undefined) derivedOutput(this, "requireOrigins", () => this.urn.apply(() => undefined));
            derivedOutput(this, "certIds", fromCerts((o) => o.certIds));
            derivedOutput(this, "origins", fromCerts((o) => o.origins));
            derivedOutput(this, "certOriginsById", fromCerts((o) => o.certOriginsById));
            derivedOutput(this, "certIdByOrigin", fromCerts((o) => o.certIdByOrigin));
        }
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
     * The id of the certificate for `origin`, by the rule of {@link certIdByOrigin} (the smallest id when the origin
     * has two certificates, as during a rotation). Fails the deployment, naming the project and the origins it does
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
            if (certs && certIdForOrigin(certIdByOrigin(certs), wanted) === undefined) return pulumi.output(noCert(live.scope, wanted, certs));
            return pulumi
                .all([this.clientCerts, this.idOrName, this.teamId, this.slug, this.id])
                .apply(([certs, idOrName, teamId, slug, id]): Promise<string> => {
                    const found = certIdForOrigin(certIdByOrigin(certs), wanted);
                    if (found !== undefined) return Promise.resolve(found);
                    // A secret scope is never named (secretScope.ts).
                    const scope = isSecretId(id) ? { idOrName: "[secret]", teamId: "[secret]" } : { idOrName, teamId, slug };
                    return noCert(scope, wanted, certs);
                });
        });
    }
}
