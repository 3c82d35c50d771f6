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
 * The certificate id for each origin: the one rule behind `certIdByOrigin` and `certIdFor` in every front door.
 *
 * One origin may have two certificates: that is what a rotation looks like (the new one uploaded before the old
 * one is removed). Vercel's answer gives each certificate only `id` and `origin` (no creation time, and its ids
 * are random, not ordered by age), and the order of its list is not stable, so "the newest" cannot be known and
 * "the first listed" would flip between reads. The rule is therefore: **the smallest id** (compared by UTF-16 code
 * units, as {@link sortCerts} does), i.e. the first certificate of that origin in `clientCerts`. The same set
 * always gives the same id however Vercel orders it, so a rotation shows as a change of that one origin's id only
 * when the winner changes, and never flaps; both ids stay in `certIds` and `certOriginsById`.
 *
 * The map is built with `Object.fromEntries`, which defines each origin as an own data property, so no origin
 * can reach `Object.prototype` (origins are `http(s)://…` anyway, schemas.ts); look it up with
 * {@link certIdForOrigin}, which reads own properties only.
 *
 * @param certs The certificates, in any order.
 * @returns origin → certificate id, with keys in origin order.
 */
export function certIdByOrigin(certs: readonly ClientCert[]): Record<string, string> {
    const winners = new Map<string, string>();
    // Sorted by origin, then id: the first id seen for an origin is its smallest.
    for (const c of sortCerts(certs)) if (!winners.has(c.origin)) winners.set(c.origin, c.id);
    return Object.fromEntries(winners);
}

/**
 * The certificate id for `origin` by the rule of {@link certIdByOrigin}, or undefined when no certificate serves
 * it. Compares origins exactly as written; an `origin` such as `constructor` or `__proto__` finds nothing.
 *
 * @param byOrigin A map made by {@link certIdByOrigin}.
 * @param origin The origin wanted.
 */
export function certIdForOrigin(byOrigin: Readonly<Record<string, string>>, origin: string): string | undefined {
    return Object.hasOwn(byOrigin, origin) ? byOrigin[origin] : undefined;
}

/**
 * Outputs: the arguments, the sorted certs, the two lists derived from them in the same order, the certs as
 * id → origin (a map: the CLI diffs lists by position, maps by key, so only the map names one changed id), and
 * each origin's certificate id ({@link certIdByOrigin}: what a program wires into another resource).
 */
export function outputsFrom(args: ProjectScopeArgs, certs: readonly ClientCert[]): Outputs {
    const clientCerts = sortCerts(certs);
    return {
        ...argFields(args),
        clientCerts,
        certIds: clientCerts.map((c) => c.id),
        origins: clientCerts.map((c) => c.origin),
        certOriginsById: checkedInputs(args, certs).certOriginsById,
        certIdByOrigin: certIdByOrigin(clientCerts),
    };
}
