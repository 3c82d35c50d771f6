/**
 * The package's public shapes, as plain TypeScript types (aliases, so they fit `Record<string, unknown>`): no zod types, so a program type-checks with any tsconfig
 * (Pulumi's template has no `esModuleInterop` or `skipLibCheck`). schemas.ts checks at compile time that each
 * matches the zod schema that validates it at run time, so the two cannot drift apart.
 */

/** One mTLS egress client certificate of a Vercel project. Vercel returns only these two fields. */
export type ClientCert = {
    /** The certificate's id at Vercel (e.g. `cert_…`): the value other resources reference. */
    id: string;
    /** The upstream origin this certificate authenticates to (e.g. `https://payments.example.com`). */
    origin: string;
};

/** Which project, in which team. At most one of `teamId` and `slug` is set; neither means a personal account. */
export type ProjectScope = {
    /** The project id (`prj_…`) or name. */
    idOrName: string;
    /** The team id (`team_…`) that owns the project. */
    teamId?: string;
    /** The team slug that owns the project, as an alternative to `teamId`. */
    slug?: string;
};

/** A scope plus the origins that must have a certificate. */
export type ProjectScopeArgs = ProjectScope & {
    /** Origins that must each have a certificate, else `pulumi preview` fails naming them. */
    requireOrigins?: string[];
};

/** What `check` returns and `read` reports as inputs: the arguments plus the live certificates, id → origin. */
export type CheckedInputs = ProjectScopeArgs & {
    /** Every certificate's origin by certificate id: a map, so a preview's diff names exactly one changed id. */
    certOriginsById: Record<string, string>;
};

/** A resource's outputs as stored in state. */
export type Outputs = ProjectScopeArgs & {
    /** Every certificate, sorted by origin and then id. */
    clientCerts: ClientCert[];
    /** The certificate ids, in the order of `clientCerts`. */
    certIds: string[];
    /** The origins, in the order of `clientCerts`. */
    origins: string[];
    /**
     * Every certificate's origin by certificate id: the outputs' own copy of the live set, so a refresh's diff
     * (which compares outputs) names exactly the added, removed or re-pointed certificate, as a preview's does.
     */
    certOriginsById: Record<string, string>;
    /**
     * The certificate id for each origin (e.g. `{ "https://payments.example.com": "cert_123" }`): what a program
     * wires into another resource, by origin rather than by position. When one origin has two certificates (a
     * rotation), the smallest id wins, whatever order Vercel lists them in; both stay in `certIds`.
     */
    certIdByOrigin: Record<string, string>;
};

/**
 * The team that owns a project: `teamId` or `slug`, never both (the type rejects both). Neither set means stack
 * config `vercel:team`, and without that the token's personal account. `T` is `string` or `Input<string>`.
 */
export type TeamSelector<T> =
    | {
          /** The team id (`team_…`) that owns the project. Falls back to stack config `vercel:team`. */
          teamId?: T;
          /** Set `teamId` or `slug`, not both. */
          slug?: never;
      }
    | {
          /** The team slug that owns the project, as an alternative to `teamId`. */
          slug?: T;
          /** Set `teamId` or `slug`, not both. */
          teamId?: never;
      };
