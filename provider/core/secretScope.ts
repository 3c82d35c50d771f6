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
