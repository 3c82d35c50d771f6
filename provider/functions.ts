/**
 * Data-source functions in Pulumi's invoke style: `getProjectClientCerts` (a Promise) and
 * `getProjectClientCertsOutput` (an Output). They run in the program's own process, not in the provider host,
 * with the same credential rules as the resource: stack config `vercel:apiToken` (read as a secret), then the
 * environment. Calls for the same team and project within one program run share one request.
 */
import * as pulumi from "@pulumi/pulumi";
import { assertOriginsServed, outputsFrom } from "./certSet";
import { withConfiguredTeam, type VercelConfigReader } from "./credentials";
import { VercelClientCertsError } from "./errors";
import { ProjectScopeArgsSchema, type Outputs, type ProjectScopeArgs } from "./schemas";
import { PROCESS_OWNER, projectSnapshot } from "./snapshots";

/** Arguments of {@link getProjectClientCerts}: `idOrName`, optional `teamId` or `slug`, optional `requireOrigins`. */
export type GetProjectClientCertsArgs = ProjectScopeArgs;

/** Arguments of {@link getProjectClientCertsOutput}: the same fields, each an `Input`. */
export type GetProjectClientCertsOutputArgs = { [K in keyof ProjectScopeArgs]: pulumi.Input<ProjectScopeArgs[K]> };

/** What the functions return: the project and team used, and its certificates (sorted by origin, then id). */
export type GetProjectClientCertsResult = Omit<Outputs, "requireOrigins">;

/** Resolves a secret config Output to its plaintext, inside this process only. Config values are always known. */
function reveal(value: pulumi.Output<string> | undefined): Promise<string | undefined> {
    if (value === undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => value.apply((v) => resolve(v)));
}

/**
 * Reads a project's client certificates once per program run.
 *
 * `opts` is accepted for the invoke-style signature; there is no provider plugin to route it to.
 *
 * @example
 * ```ts
 * const { certIds } = await getProjectClientCerts({ idOrName: "my-app", teamId: "team_123" });
 * ```
 */
export async function getProjectClientCerts(
    args: GetProjectClientCertsArgs,
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    opts?: pulumi.InvokeOptions,
): Promise<GetProjectClientCertsResult> {
    const config = new pulumi.Config("vercel");
    const token = await reveal(config.getSecret("apiToken"));
    const readConfig: VercelConfigReader = (key) => (key === "apiToken" ? token : config.get("team"));

    const parsed = ProjectScopeArgsSchema.safeParse(args);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "args"} ${i.message}`).join("; ");
        throw new VercelClientCertsError("config", `getProjectClientCerts(${JSON.stringify(args?.idOrName)}): ${problems}`, token);
    }
    const resolved = withConfiguredTeam(parsed.data, readConfig);
    if ("error" in resolved) throw new VercelClientCertsError("config", `getProjectClientCerts: ${resolved.error}`, token);
    const { requireOrigins, ...scope } = resolved.args;
    // The cache belongs to this Pulumi run: the runtime's engine connection is new for every run (and every
    // setMocks), so an Automation API process running many programs never reuses another run's answers.
    const owner = pulumi.runtime.getMonitor() ?? PROCESS_OWNER;
    const certs = await projectSnapshot(owner, scope, readConfig);
    assertOriginsServed(requireOrigins, certs, scope, token);
    return outputsFrom(scope, certs);
}

/**
 * {@link getProjectClientCerts} for `Input` arguments. During a preview in which an argument is still unknown,
 * the result is unknown too.
 *
 * @example
 * ```ts
 * const certs = getProjectClientCertsOutput({ idOrName: project.name, teamId: "team_123" });
 * export const ids = certs.certIds;
 * ```
 */
export function getProjectClientCertsOutput(
    args: GetProjectClientCertsOutputArgs,
    opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetProjectClientCertsResult> {
    return pulumi.output(args).apply((resolved) => getProjectClientCerts(resolved as GetProjectClientCertsArgs, opts));
}
