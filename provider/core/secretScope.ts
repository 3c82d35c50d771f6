/**
 * A scope given as a secret (`pulumi.secret(...)` or `pulumi config set --secret`): what Pulumi's contract for
 * secrets asks of this package, on the provider's side.
 *
 * - The program marks such a resource with the plain input `secretScope: true` (the provider host receives
 *   secrets unwrapped, so it cannot tell on its own).
 * - Its id holds no part of the scope: `(secret)/<random uuid>`. Ids are never encrypted, and the usual
 *   `<team>/<project>` id shows in `stack export`, `stack --show-ids` and `preview --diff`.
 * - Its outputs are secret: the program passes `clientCerts`, `certIds` and `origins` as (secret) inputs too,
 *   `check` keeps them, and the engine marks each output secret whose same-named input is.
 * - Every message about it says `[secret]` where the project or team would be.
 */
import { randomUUID } from "node:crypto";
import { quoted } from "./errors";
import { escapeUnsafe } from "./text";

/** The prefix of every secret-scope resource id. */
export const SECRET_ID_PREFIX = "(secret)/";

/** A fresh id for a resource whose scope is secret. Read keeps the id it is given, so it never changes. */
export const secretResourceId = (): string => `${SECRET_ID_PREFIX}${randomUUID()}`;

/** True for an id made by {@link secretResourceId}. */
export const isSecretId = (id: unknown): boolean => typeof id === "string" && id.startsWith(SECRET_ID_PREFIX);

/** The scope values found in any of `props` (inputs or outputs) of a secret-scope resource. */
export function secretScopeValues(...props: unknown[]): string[] {
    const values = new Set<string>();
    for (const p of props) {
        if (!p || typeof p !== "object") continue;
        for (const key of ["idOrName", "teamId", "slug"]) {
            const v = (p as Record<string, unknown>)[key];
            if (typeof v === "string" && v !== "") values.add(v);
        }
    }
    // Longest first, so a name that contains another is hidden whole.
    return [...values].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every secret scope value replaced by `[secret]`: quoted (as messages name them), and bare or
 * percent-encoded (as URLs carry them) when at least 3 characters long, so a one-letter name cannot garble the
 * rest of the message.
 */
export function hideScope(text: string, values: readonly string[]): string {
    let out = text;
    for (const v of values) {
        // `quoted` is how messages name values (escaped, and cut when long): that form is hidden first.
        out = out.split(quoted(v)).join("[secret]").split(`"${v}"`).join("[secret]").split(JSON.stringify(v)).join("[secret]");
        if (v.length >= 3) out = out.split(encodeURIComponent(v)).join("[secret]").split(escapeUnsafe(v)).join("[secret]").split(v).join("[secret]");
    }
    return out;
}

/**
 * Whether a resource's or a function call's scope is secret, the one rule both front doors apply: one of
 * `idOrName`, `teamId`, `slug` was given as a secret, or the call names no team and takes the configured one
 * (`vercel:team`, the plugin's `vercel-client-certs:team`, or an explicit provider's `team`), which was set as a
 * secret (`pulumi config set --secret`, `fn::secret`, `pulumi.secret`).
 *
 * @param argsSecret Whether any of `idOrName`, `teamId`, `slug` arrived secret.
 * @param usesConfiguredTeam Whether the call names no team of its own (neither `teamId` nor `slug`).
 * @param configuredTeamSecret Whether the configured team is a secret.
 */
export function isSecretScope(argsSecret: boolean, usesConfiguredTeam: boolean, configuredTeamSecret: boolean): boolean {
    return argsSecret || (usesConfiguredTeam && configuredTeamSecret);
}

/** True when `args` names no team of its own, so the configured team applies (`null` is no team too). */
export const usesConfiguredTeam = (args: { teamId?: unknown; slug?: unknown }): boolean => args.teamId == null && args.slug == null;

/** What a call was given as secret, as a front door saw it on its wire. */
export interface SecretInputs {
    /** The scope is secret ({@link isSecretScope}): everything about the resource is. */
    scope: boolean;
    /** The input keys that held a secret anywhere inside. */
    keys: ReadonlySet<string>;
    /** Every string that arrived inside a secret (values, and keys of objects). */
    values: readonly string[];
}

/** True when `value` holds `secret` in any string or object key, in whole or in part. */
function holds(value: unknown, secrets: readonly string[]): boolean {
    if (typeof value === "string") return secrets.some((s) => value.includes(s));
    if (Array.isArray(value)) return value.some((v) => holds(v, secrets));
    if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => holds(k, secrets) || holds(v, secrets));
    return false;
}

/**
 * The keys of an answer (checked inputs, outputs, a function's result) that must go back secret, given what its
 * request had as secret. The rule is about data, not names, so an output added later follows it with no change here:
 * - every key, when the scope is secret (the `secretScope` marker itself stays plain: it holds no data);
 * - a key whose same-named input held a secret (an input that arrived secret goes back secret);
 * - a key whose value holds any secret input's string, in a value or an object key, whole or in part (an output
 *   derived from a secret input: a secret `requireOrigins` entry is also in `origins`, `clientCerts`,
 *   `certOriginsById` and any map keyed by origin).
 *
 * @param answer The answer's props.
 * @param given What the request had as secret.
 */
export function secretAnswerKeys(answer: Record<string, unknown>, given: SecretInputs): Set<string> {
    const out = new Set<string>();
    for (const [key, value] of Object.entries(answer)) {
        if (value === undefined || key === "secretScope") continue;
        if (given.scope || given.keys.has(key) || (given.values.length > 0 && holds(value, given.values))) out.add(key);
    }
    return out;
}
