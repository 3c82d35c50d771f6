/**
 * What a set of certificates means: canonical order, equality as a set, derived outputs, and which required
 * origins it lacks. Shared by the provider lifecycle and the data-source functions.
 */
import { describeScope, VercelClientCertsError } from "./errors";
import { MAX_LISTED_ORIGIN_CHARS, MAX_LISTED_ORIGINS } from "./limits";
import { quotedList } from "./text";
import type { CheckedInputs, ClientCert, Outputs, ProjectScope, ProjectScopeArgs } from "./types";

/** Sorted by origin, then id: two reads of the same set compare equal however Vercel orders them. */
export function sortCerts(certs: readonly ClientCert[]): ClientCert[] {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return certs.map(({ id, origin }) => ({ id, origin })).sort((a, b) => cmp(a.origin, b.origin) || cmp(a.id, b.id));
}

/** True when both are the same certificates, in any order. Tolerates anything stored by older versions. */
export function sameCerts(a: unknown, b: unknown): boolean {
    const canon = (v: unknown) =>
        Array.isArray(v) ? v.map((c) => JSON.stringify([c?.origin, c?.id])).sort() : (v ?? null);
    return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/** Origins in `required` that no certificate serves. */
export function missingOrigins(required: readonly string[] | undefined, certs: readonly ClientCert[]): string[] {
    const served = new Set(certs.map((c) => c.origin));
    return (required ?? []).filter((origin) => !served.has(origin));
}

/**
 * Origins for a message, the one way every message lists them: quoted and escaped, at most
 * `MAX_LISTED_ORIGINS`, each cut to `MAX_LISTED_ORIGIN_CHARS`, then "… and N more"; `none` for none.
 *
 * @param origins The origins, in the order to list them.
 */
export function listOrigins(origins: readonly string[]): string {
    return quotedList(origins, MAX_LISTED_ORIGINS, MAX_LISTED_ORIGIN_CHARS) || "none";
}

/**
 * The origins a set of certificates serves, for messages: sorted, each once, listed by {@link listOrigins}.
 *
 * @param certs The certificates.
 */
export function originsListed(certs: readonly ClientCert[]): string {
    return listOrigins([...new Set(sortCerts(certs).map((c) => c.origin))]);
}

/** The requireOrigins failure text: each missing origin, the project, the origins it has, and what to do. */
export function missingOriginsMessage(missing: readonly string[], scope: ProjectScope, certs: readonly ClientCert[]): string {
    return (
        `${describeScope(scope)} has no client certificate for ${listOrigins(missing)} ` +
        `(requireOrigins; it has: ${originsListed(certs)}). Upload one in the project's Vercel settings, or remove ` +
        "the origin from requireOrigins."
    );
}

/** Throws the requireOrigins error if a required origin has no certificate (create, update, the functions). */
export function assertOriginsServed(
    required: readonly string[] | undefined,
    certs: readonly ClientCert[],
    scope: ProjectScope,
    token: string | undefined,
): void {
    const missing = missingOrigins(required, certs);
    if (missing.length > 0) throw new VercelClientCertsError("config", missingOriginsMessage(missing, scope, certs), token);
}

/** The scope fields that are set. Absent ones are omitted: the host's protobuf conversion rejects `undefined`. */
export function scopeFields(scope: ProjectScope): ProjectScope {
    return {
        idOrName: scope.idOrName,
        ...(scope.teamId !== undefined ? { teamId: scope.teamId } : {}),
        ...(scope.slug !== undefined ? { slug: scope.slug } : {}),
    };
}

/** The argument fields that are set (scope and requireOrigins). */
function argFields(args: ProjectScopeArgs): ProjectScopeArgs {
    return {
        ...scopeFields(args),
        ...(args.requireOrigins !== undefined ? { requireOrigins: args.requireOrigins } : {}),
    };
}

/**
 * Arguments plus live certs as id → origin: what `check` returns and `read` reports as inputs. The map is built
 * with `Object.fromEntries`, which defines each id as an own property: an id such as `constructor` or `toString`
 * is kept like any other (and `__proto__` never gets here: schemas.ts refuses it).
 */
export function checkedInputs(args: ProjectScopeArgs, certs: readonly ClientCert[]): CheckedInputs {
    const byId = sortCerts(certs).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { ...argFields(args), certOriginsById: Object.fromEntries(byId.map((c) => [c.id, c.origin])) };
}

/**
 * Outputs: the arguments, the sorted certs, the two lists derived from them in the same order, and the certs as
 * id → origin (a map: the CLI diffs lists by position, maps by key, so only the map names one changed id).
 */
export function outputsFrom(args: ProjectScopeArgs, certs: readonly ClientCert[]): Outputs {
    const clientCerts = sortCerts(certs);
    return {
        ...argFields(args),
        clientCerts,
        certIds: clientCerts.map((c) => c.id),
        origins: clientCerts.map((c) => c.origin),
        certOriginsById: checkedInputs(args, certs).certOriginsById,
    };
}
