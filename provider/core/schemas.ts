/**
 * zod schemas: the single source of truth for every shape this package reads or writes at run time.
 * The public types are plain interfaces in types.ts (so users need no zod); the checks at the end of this file
 * fail compilation if any of them stops matching its schema.
 *
 * Why `zod/v3` (the v3 API that zod 4 ships permanently): the provider host loads this module on the first call of
 * every `pulumi preview`, and zod 4's classic API costs ~60 ms more to load than its v3 API on a CI-sized machine
 * (`npm run bench`, cold start). @vercel/sdk validates with `zod/v3` too.
 */
import { z } from "zod/v3";
import { MAX_CERTS, MAX_CERT_ID_LENGTH, MAX_ID_OR_NAME_LENGTH, MAX_TEAM_LENGTH, MAX_ORIGIN_LENGTH, MAX_REQUIRED_ORIGINS } from "./limits";
import type { CheckedInputs, ClientCert, Outputs, ProjectScope, ProjectScopeArgs } from "./types";


// Control characters (C0, DEL, C1). Never valid in a name, a slug or a token; in a token they would allow
// header injection.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

// A lone UTF-16 surrogate cannot be percent-encoded (encodeURIComponent throws), so it is rejected up front.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;


/** One mTLS egress client certificate, as the endpoint returns it. Extra fields are dropped, not rejected. */
export const ClientCertSchema = z.object({
    id: z.string().min(1, "must be a non-empty string").max(MAX_CERT_ID_LENGTH, `must be at most ${MAX_CERT_ID_LENGTH} characters`),
    origin: z.string().max(MAX_ORIGIN_LENGTH, `must be at most ${MAX_ORIGIN_LENGTH} characters`),
});

/** The 200 body of `GET /v1/projects/{idOrName}/client-cert`. */
export const ClientCertsResponseSchema = z.object({
    clientCerts: z.array(ClientCertSchema),
});

const idOrName = z
    .string({ invalid_type_error: "must be a string (the project id or name)", required_error: "is required" })
    .refine((v) => v.trim().length > 0, "must not be empty or whitespace")
    .refine((v) => v === v.trim(), "must not start or end with whitespace")
    .refine((v) => v.length <= MAX_ID_OR_NAME_LENGTH, `must be at most ${MAX_ID_OR_NAME_LENGTH} characters`)
    .refine((v) => !CONTROL_CHARS.test(v), "must not contain control characters")
    .refine((v) => !LONE_SURROGATE.test(v), "must be well-formed Unicode (it has a lone surrogate)")
    // "." and ".." survive percent-encoding unchanged and URL normalisation would turn them into a different path.
    .refine((v) => v !== "." && v !== "..", "must not be '.' or '..'");

const teamId = z
    .string({ invalid_type_error: "must be a string" })
    .max(MAX_TEAM_LENGTH, `must be at most ${MAX_TEAM_LENGTH} characters`)
    .regex(/^team_[A-Za-z0-9_-]+$/, "must be a Vercel team id such as team_1a2b3c (for a team slug, set slug instead)");

const slug = z
    .string({ invalid_type_error: "must be a string" })
    .max(MAX_TEAM_LENGTH, `must be at most ${MAX_TEAM_LENGTH} characters`)
    .regex(/^[^\s/?#%\u0000-\u001f\u007f-\u009f]{1,100}$/, "must be a team slug: no whitespace, '/', '?', '#' or '%'")
    .refine((v) => !LONE_SURROGATE.test(v), "must be well-formed Unicode (it has a lone surrogate)");


const requireOrigins = z
    .array(z.string().min(1, "must be a non-empty origin").max(MAX_ORIGIN_LENGTH, `must be at most ${MAX_ORIGIN_LENGTH} characters`), {
        invalid_type_error: "must be a list of origins",
    })
    .max(MAX_REQUIRED_ORIGINS, `must list at most ${MAX_REQUIRED_ORIGINS} origins`);

/**
 * The user's arguments to `ProjectClientCerts`, once resolved. `check` validates program inputs with this.
 * `teamId` and `slug` are mutually exclusive, as only one scopes a request.
 */
export const ProjectScopeArgsSchema = z
    .object({
        idOrName,
        teamId: teamId.optional(),
        slug: slug.optional(),
        requireOrigins: requireOrigins.optional(),
    })
    .superRefine((v, ctx) => {
        if (v.teamId !== undefined && v.slug !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["slug"],
                message: "set either teamId or slug, not both",
            });
        }
    });

/**
 * What `check` returns and what `read` returns as `inputs`: the arguments plus the live certificates as a map of
 * certificate id → origin.
 *
 * Why live data in the inputs: the 3.248 host drops `detailedDiff`, so what `pulumi preview` displays is the
 * engine's own diff of stored versus checked inputs. Why a map keyed by id rather than the sorted list: the engine
 * diffs lists by index, so one added certificate would show as every later entry changing; a map shows exactly
 * `+ cert_id: "origin"`, `- cert_id: …`, or `~ cert_id: "old origin" => "new origin"`.
 */
export const CheckedInputsSchema = z.object({
    idOrName: z.string(),
    teamId: z.string().optional(),
    slug: z.string().optional(),
    requireOrigins: z.array(z.string()).optional(),
    certOriginsById: z.record(z.string(), z.string()),
});

/**
 * The live set as the program hands it to `check`: certificate id → origin, bounded like Vercel's answers
 * (the program read them through the same validation, but inputs can also come from hand-edited state).
 */
export const LiveCertsInputSchema = z
    .record(ClientCertSchema.shape.id, ClientCertSchema.shape.origin)
    .refine((v) => Object.keys(v).length <= MAX_CERTS, `must hold at most ${MAX_CERTS} certificates`);

/**
 * A failed program-side read, handed to `check` so the failure is reported exactly as a check's own read would
 * report it (a "not found" as a check failure on `idOrName`). The message was redacted when it was made.
 */
export const LiveReadFailureSchema = z.object({
    kind: z.string().max(40),
    message: z.string().max(4_000),
    status: z.number().int().optional(),
});

/**
 * The resource's outputs, as stored in state: the checked inputs (`certOriginsById` included, so a refresh's diff
 * of outputs names the changed certificate by id) plus the sorted lists.
 */
export const OutputsSchema = CheckedInputsSchema.extend({
    clientCerts: z.array(ClientCertSchema),
    certIds: z.array(z.string()),
    origins: z.array(z.string()),
});

/** The token, once trimmed: a run of printable, non-space characters. */
export const TokenSchema = z
    .string()
    .min(1, "is empty")
    .refine((v) => !CONTROL_CHARS.test(v), "contains control characters (a pasted newline?)")
    .refine((v) => !/\s/.test(v), "contains whitespace")
    // An HTTP header carries visible ASCII only. Smart quotes and zero-width characters come from copy and paste
    // out of documents and chat; the message names the problem, never the characters.
    .refine((v) => /^[\x21-\x7e]+$/.test(v), "has characters an HTTP header cannot carry (a smart quote or an invisible character from copy and paste?)");

// --- compile-time agreement between types.ts and these schemas ------------------------------------------------

/** `true` only when A and B are mutually assignable. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Each entry must be `true`; a drift between a schema and its public type turns one into `false`. */
export const TYPES_MATCH_SCHEMAS: [
    Same<z.infer<typeof ClientCertSchema>, ClientCert>,
    Same<z.infer<typeof ProjectScopeArgsSchema>, ProjectScopeArgs>,
    Same<z.infer<typeof CheckedInputsSchema>, CheckedInputs>,
    Same<z.infer<typeof OutputsSchema>, Outputs>,
] = [true, true, true, true];

/** The shapes these schemas validate, re-exported for modules that work with both. */
export type { CheckedInputs, ClientCert, Outputs, ProjectScope, ProjectScopeArgs };
