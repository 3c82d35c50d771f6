/**
 * Resource ids, one rule for both front doors: `<teamId | slug | (personal)>/<idOrName>`, so the dynamic resource,
 * the plugin, `get` and `pulumi import` all make and read the same ids. A secret scope's id, `(secret)/<uuid>`
 * (secretScope.ts), holds no scope and cannot be read back.
 *
 * An id read back is user input like any other: `pulumi import` and `get` take it from the command line or the
 * program, and a refresh from state. So the scope it names passes the same checks as the `idOrName`, `teamId` and
 * `slug` arguments (schemas.ts `ProjectScopeArgsSchema`) before anything is requested: `team_a/..` would otherwise
 * send the token off the endpoint's path, and an id with escapes would reach the terminal in the engine's own
 * messages.
 */
import { quoted, VercelClientCertsError } from "./errors";
import { issueText, ProjectScopeArgsSchema } from "./schemas";
import { SECRET_ID_PREFIX } from "./secretScope";
import type { ProjectScope } from "./types";

/** The resource id: stable for a team and project, so a refresh or re-read never changes it. */
export function resourceId(scope: ProjectScope): string {
    return `${scope.teamId ?? scope.slug ?? "(personal)"}/${scope.idOrName}`;
}

/** What ids look like, for messages. */
const ID_SHAPES = 'Ids look like "team_abc123/my-app", "my-team-slug/my-app" or "(personal)/my-app".';

/**
 * The scope an id names, validated as the arguments are: a malformed id, a secret scope's id and an id whose
 * project or team would be refused as an argument all throw a `config` error that names the id quoted and escaped
 * (errors.ts `quoted`). `during` starts the message (e.g. `ProjectClientCerts.get`).
 */
export function scopeFromId(id: string, during: string): ProjectScope {
    const slash = id.indexOf("/");
    const team = slash > 0 ? id.slice(0, slash) : "";
    const idOrName = slash > 0 ? id.slice(slash + 1) : "";
    if (!team || !idOrName) {
        throw new VercelClientCertsError("config", `${during}: ${quoted(id)} is not a ProjectClientCerts id. ${ID_SHAPES}`, undefined);
    }
    if (`${team}/` === SECRET_ID_PREFIX) {
        throw new VercelClientCertsError(
            "config",
            `${during}: ${quoted(id)} is the id of a resource whose project or team is secret; such an id holds ` +
                "neither, so it cannot be read by id. Construct a ProjectClientCerts with the (secret) arguments instead.",
            undefined,
        );
    }
    const scope: ProjectScope =
        team === "(personal)" ? { idOrName } : team.startsWith("team_") ? { idOrName, teamId: team } : { idOrName, slug: team };
    const parsed = ProjectScopeArgsSchema.safeParse(scope);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => issueText(issue)).join("; ");
        throw new VercelClientCertsError(
            "config",
            `${during}: ${quoted(id)} is not a valid ProjectClientCerts id: ${problems}. ${ID_SHAPES} Nothing was requested.`,
            undefined,
        );
    }
    return scope;
}
