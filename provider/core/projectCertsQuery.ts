/**
 * The data-source function's rule, once, for both front doors (dynamic/functions.ts in a program, the plugin's
 * Invoke of `getProjectClientCerts`): validate the arguments, apply the configured team, read the project through
 * the run's snapshot, fail naming any required origin without a certificate, and return the project, team and
 * certificates.
 */
import { assertOriginsServed, outputsFrom } from "./certSet";
import { withConfiguredTeam, type VercelConfigReader } from "./credentials";
import { VercelClientCertsError } from "./errors";
import { ProjectScopeArgsSchema } from "./schemas";
import type { ClientCert, Outputs, ProjectScope, ProjectScopeArgs } from "./types";

/** What the function returns: the outputs without `requireOrigins`. */
export type ProjectCertsResult = Omit<Outputs, "requireOrigins">;

/**
 * Runs the function for `args` (untrusted: validated here).
 *
 * @param args The function's arguments as the caller passed them.
 * @param readConfig The front door's config (for the team and the token).
 * @param liveCerts Reads a project through the run's snapshot cache.
 * @param name The function's name, which starts every message.
 */
export async function queryProjectCerts(
    args: unknown,
    readConfig: VercelConfigReader,
    liveCerts: (scope: ProjectScope) => Promise<ClientCert[]>,
    name = "getProjectClientCerts",
): Promise<ProjectCertsResult> {
    const token = readConfig("apiToken");
    const parsed = ProjectScopeArgsSchema.safeParse(args);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "args"} ${i.message}`).join("; ");
        const idOrName = (args as { idOrName?: unknown } | undefined)?.idOrName;
        throw new VercelClientCertsError("config", `${name}(${JSON.stringify(idOrName)}): ${problems}`, token);
    }
    const resolved = withConfiguredTeam(parsed.data, readConfig);
    if ("error" in resolved) throw new VercelClientCertsError("config", `${name}: ${resolved.error}`, token);
    const { requireOrigins, ...scope } = resolved.args as ProjectScopeArgs;
    const certs = await liveCerts(scope);
    assertOriginsServed(requireOrigins, certs, scope, token);
    return outputsFrom(scope, certs);
}
