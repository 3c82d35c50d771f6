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
import { MAX_CERTS, MAX_CERT_ID_LENGTH, MAX_ID_OR_NAME_LENGTH, MAX_TEAM_LENGTH, MAX_ORIGIN_LENGTH, MAX_QUOTED_VALUE_CHARS, MAX_REQUIRED_ORIGINS } from "./limits";
import { hasUnsafeChars, quoteValue, SAFE_TEXT } from "./text";
import type { CheckedInputs, ClientCert, Outputs, ProjectScope, ProjectScopeArgs } from "./types";


// Control characters (C0, DEL, C1). Never valid in a name, a slug or a token; in a token they would allow
// header injection.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

// A lone UTF-16 surrogate cannot be percent-encoded (encodeURIComponent throws), so it is rejected up front.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Bidi overrides, zero-width and other invisible characters (text.ts): no project or team name has them, and a
// name with them would display as another in every message.
const INVISIBLE_PROBLEM = "must not contain invisible or direction-changing characters (such as U+200B or U+202E)";

// The same problem in an id or origin (text.ts `hasUnsafeChars`): worded for data, not for the user's input.
const UNSAFE_PROBLEM = "has control, invisible or direction-changing characters";

/**
 * What a Vercel id looks like (`cert_…`, `prj_…`, `team_…`): letters, digits, `_`, `-` and `.`, starting with a
 * letter or digit, at most `MAX_CERT_ID_LENGTH` long. Vercel documents no format for certificate ids; this admits
 * every id it has been seen to send and refuses what no id needs: terminal escapes, bidi overrides and other
 * invisible characters (ids key `certOriginsById`, whose keys the CLI prints unescaped), and `__proto__`, which a
 * JavaScript object cannot hold as a key, so a certificate with that id would silently vanish from the live set.
 */
export const CERT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

// A host: an IPv6 literal, or a name without whitespace and the URL standard's forbidden host code points.
const HOST = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[^\s#/:<>?@[\\\]^|%\u0000-\u001f\u007f]+)`;
// An optional port from 0 to 65535.
const PORT = String.raw`(?::(?:6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|\d{1,4}))?`;

/**
 * What an origin looks like: `http(s)://host[:port]`, with no path, query, fragment or user name. One trailing `/`
 * is tolerated, and so are an upper-case scheme or host and a non-ASCII host; the value is kept exactly as
 * written (origins are compared as written). A non-ASCII host must also pass the URL parser's IDNA mapping.
 */
export const ORIGIN_PATTERN = new RegExp(`^https?://${HOST}${PORT}/?$`, "i");

const NON_ASCII = /[^\u0000-\u007f]/;

/** True when `value` is an http(s) origin (see {@link ORIGIN_PATTERN}). */
function isHttpOrigin(value: string): boolean {
    if (!SAFE_TEXT.test(value) || !ORIGIN_PATTERN.test(value)) return false;
    return !NON_ASCII.test(value) || parsesAsUrl(value);
}

/** True when the URL parser accepts `value` (for a non-ASCII host: its IDNA mapping succeeds). */
function parsesAsUrl(value: string): boolean {
    try {
        return new URL(value).hostname.length > 0;
    } catch {
        return false;
    }
}

const ORIGIN_SHAPE_PROBLEM = "is not an http(s) origin: scheme://host[:port], with no path, query or user name";

/**
 * Why `value` is not an http(s) origin, and the origin it most likely meant (for a `requireOrigins` entry), or
 * undefined when it is one (see {@link ORIGIN_PATTERN}). Invisible and control characters are named first.
 */
export function originProblem(value: string): { problem: string; suggestion?: string } | undefined {
    if (!SAFE_TEXT.test(value)) return { problem: UNSAFE_PROBLEM };
    if (isHttpOrigin(value)) return undefined;
    const schemeAt = value.indexOf("://");
    // The origin the value most likely meant: its scheme (https when it has none) and host, without the rest.
    const [, scheme = "https", authority = ""] =
        (schemeAt >= 0 ? /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^/?#@]*@)?([^/?#]*)/.exec(value) : /^()([^/?#@]*)/.exec(value)) ?? [];
    // Another scheme (ftp://, wss://) is not guessed at: only the user knows which http(s) origin was meant.
    const guess = /^(https?)?$/i.test(scheme) ? `${scheme || "https"}://${authority}` : undefined;
    const suggestion = guess !== undefined && guess !== value && isHttpOrigin(guess) ? guess : undefined;
    if (schemeAt < 0) return { problem: "has no scheme (an origin is https://host[:port])", suggestion };
    return { problem: ORIGIN_SHAPE_PROBLEM, suggestion };
}

// Ids and origins arrive by the ten thousand in one answer, so their rules are plain pattern checks: a zod
// refinement per field made parsing 10 000 certificates many times slower. Each rule is its own check, in order,
// so the first issue names the most telling problem.
const ID_RULE = 'letters, digits, "_", "-" and ".", starting with a letter or digit';

/** A certificate id, as Vercel sends it (see {@link CERT_ID_PATTERN}); also the keys of `certOriginsById`. */
const certId = z
    .string()
    .min(1, "must be a non-empty string")
    .max(MAX_CERT_ID_LENGTH, `must be at most ${MAX_CERT_ID_LENGTH} characters`)
    .regex(SAFE_TEXT, `${UNSAFE_PROBLEM} (a certificate id is ${ID_RULE})`)
    .regex(/^(?!_)/, `is not a Vercel id: ${ID_RULE} (a leading "_" is refused: "__proto__" cannot be a key of the live set)`)
    .regex(CERT_ID_PATTERN, `is not a Vercel id: ${ID_RULE}`);

/** An origin, as Vercel sends it (see {@link ORIGIN_PATTERN}). */
const certOrigin = z
    .string()
    .max(MAX_ORIGIN_LENGTH, `must be at most ${MAX_ORIGIN_LENGTH} characters`)
    .regex(SAFE_TEXT, UNSAFE_PROBLEM)
    .regex(ORIGIN_PATTERN, ORIGIN_SHAPE_PROBLEM);

/** One issue for the first origin of `origins` with a non-ASCII host that the URL parser refuses (IDNA). */
function refuseUnparsedHosts(origins: Iterable<[PropertyKey[], string]>, ctx: z.RefinementCtx): void {
    for (const [path, origin] of origins) {
        if (NON_ASCII.test(origin) && SAFE_TEXT.test(origin) && ORIGIN_PATTERN.test(origin) && !parsesAsUrl(origin)) {
            ctx.addIssue({ code: "custom", path: path as (string | number)[], message: `${ORIGIN_SHAPE_PROBLEM} (its host is not a valid name)` });
            return;
        }
    }
}

/**
 * One mTLS egress client certificate, as the endpoint returns it. Extra fields are dropped, not rejected. An id
 * that is not shaped like a Vercel id, or an origin that is not an http(s) origin, is refused: the whole answer
 * is, as for duplicate ids, since a set with a certificate left out would be a wrong set.
 */
export const ClientCertSchema = z.object({
    id: certId,
    origin: certOrigin,
});

/** The 200 body of `GET /v1/projects/{idOrName}/client-cert`. */
export const ClientCertsResponseSchema = z.object({
    clientCerts: z
        .array(ClientCertSchema)
        .superRefine((certs, ctx) => refuseUnparsedHosts(certs.map((c, i): [PropertyKey[], string] => [[i, "origin"], c.origin]), ctx)),
});

const idOrName = z
    .string({ invalid_type_error: "must be a string (the project id or name)", required_error: "is required" })
    .refine((v) => v.trim().length > 0, "must not be empty or whitespace")
    .refine((v) => v === v.trim(), "must not start or end with whitespace")
    .refine((v) => v.length <= MAX_ID_OR_NAME_LENGTH, `must be at most ${MAX_ID_OR_NAME_LENGTH} characters`)
    .refine((v) => !CONTROL_CHARS.test(v), "must not contain control characters")
    .refine((v) => !LONE_SURROGATE.test(v), "must be well-formed Unicode (it has a lone surrogate)")
    .refine((v) => CONTROL_CHARS.test(v) || LONE_SURROGATE.test(v) || !hasUnsafeChars(v), INVISIBLE_PROBLEM)
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
    .refine((v) => !LONE_SURROGATE.test(v), "must be well-formed Unicode (it has a lone surrogate)")
    .refine((v) => CONTROL_CHARS.test(v) || LONE_SURROGATE.test(v) || !hasUnsafeChars(v), INVISIBLE_PROBLEM);


/** A `requireOrigins` entry: an http(s) origin, with a suggestion when it is close to one. */
const requiredOrigin = z
    .string()
    .min(1, "must be a non-empty origin")
    .max(MAX_ORIGIN_LENGTH, `must be at most ${MAX_ORIGIN_LENGTH} characters`)
    .superRefine((v, ctx) => {
        const found = v.length > 0 && v.length <= MAX_ORIGIN_LENGTH ? originProblem(v) : undefined;
        if (!found) return;
        const hint = found.suggestion ? `: did you mean ${quoteValue(found.suggestion, MAX_QUOTED_VALUE_CHARS)}?` : "";
        ctx.addIssue({ code: "custom", message: `${found.problem}${hint}` });
    });

const requireOrigins = z
    .array(requiredOrigin, {
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
                message:
                    `Set either teamId or slug, not both (got teamId ${quoteValue(v.teamId, MAX_QUOTED_VALUE_CHARS)} ` +
                    `and slug ${quoteValue(v.slug, MAX_QUOTED_VALUE_CHARS)}).`,
                // A whole sentence: `issueText` does not put the path in front of it.
                params: { sentence: true },
            });
        }
    });

/**
 * One validation problem as message text: `requireOrigins.0 has no scheme…`, or the message alone when it is a
 * whole sentence of its own. The path is escaped (record keys come from data), the message is this file's.
 *
 * @param issue A zod issue from one of these schemas.
 * @param whole What to call the input itself when the problem has no path (`input`, `args`).
 */
export function issueText(issue: z.ZodIssue, whole = "input"): string {
    if (issue.code === "custom" && issue.params?.sentence === true) return issue.message;
    const path = issue.path.map((p) => (typeof p === "number" ? String(p) : quoteKey(p))).join(".");
    return `${path || whole} ${issue.message}`;
}

/** A path element as it reads in a message: a plain name as is, anything else quoted (a record key from data). */
function quoteKey(key: string | number): string {
    const name = String(key);
    return /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name) ? name : quoteValue(name, MAX_QUOTED_VALUE_CHARS);
}

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
    .superRefine((byId, ctx) => refuseUnparsedHosts(Object.entries(byId).map(([id, o]): [PropertyKey[], string] => [[id], o]), ctx))
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
 * of outputs names the changed certificate by id) plus the sorted lists and each origin's certificate id.
 */
export const OutputsSchema = CheckedInputsSchema.extend({
    clientCerts: z.array(ClientCertSchema),
    certIds: z.array(z.string()),
    origins: z.array(z.string()),
    /** origin → certificate id, by certSet.ts's rule (the smallest id when an origin has two: a rotation). */
    certIdByOrigin: z.record(z.string(), z.string()),
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
