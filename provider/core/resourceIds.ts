/**
 * Resource ids, one rule for both front doors: `<teamId | slug | (personal)>/<idOrName>`, so the dynamic resource,
 * the plugin, `get` and `pulumi import` all make and read the same ids. A secret scope's id, `(secret)/<uuid>`
 * (secretScope.ts), holds no scope and cannot be read back.
 */
import { quoted } from "./errors";
import { SECRET_ID_PREFIX } from "./secretScope";
import type { ProjectScope } from "./types";

/** The resource id: stable for a team and project, so a refresh or re-read never changes it. */
export function resourceId(scope: ProjectScope): string {
    return `${scope.teamId ?? scope.slug ?? "(personal)"}/${scope.idOrName}`;
}

/**
 * The scope an id names. `during` starts the error message (e.g. `ProjectClientCerts.get`), which says what ids
 * look like, or why a secret scope's id cannot be read back.
 */
export function scopeFromId(id: string, during: string): ProjectScope {
    const slash = id.indexOf("/");
    const team = slash > 0 ? id.slice(0, slash) : "";
    const idOrName = slash > 0 ? id.slice(slash + 1) : "";
    if (!team || !idOrName) {
        throw new Error(
            `${during}: ${quoted(id)} is not a ProjectClientCerts id. Ids look like "team_abc123/my-app", ` +
                '"my-team-slug/my-app" or "(personal)/my-app".',
        );
    }
    if (`${team}/` === SECRET_ID_PREFIX) {
        throw new Error(
            `${during}: ${quoted(id)} is the id of a resource whose project or team is secret; such an id holds ` +
                "neither, so it cannot be read by id. Construct a ProjectClientCerts with the (secret) arguments instead.",
        );
    }
    if (team === "(personal)") return { idOrName };
    return team.startsWith("team_") ? { idOrName, teamId: team } : { idOrName, slug: team };
}
