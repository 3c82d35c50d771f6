/**
 * The live read, made in the program's process: each project's certificates, read once per run and handed to
 * `check` as an input (`certOriginsById`).
 *
 * Why here and not in `check`: the engine calls Check (and Diff) one resource at a time, so reads made there run
 * in sequence across the whole stack (200 projects × ~100 ms ≈ 20 s on every preview). The program constructs
 * every resource at once, so these reads overlap, up to the transport's slot bound, and share the run-scoped,
 * credential-keyed cache with the data-source functions: one request per project per program run.
 *
 * Only where this process has the provider host's settings (a program the CLI started): an Automation API inline
 * program runs in the caller's process, whose environment is not the CLI's, so there the read is left to the
 * provider's `check` (programRuntime.ts), which reads with the provider's own settings, once per project per
 * command (its process's snapshot cache). One configuration per stack, whatever runs the program.
 *
 * A failed read is not thrown here (an exception in an `apply` ends the program with a stack trace); it is handed
 * to `check` as `liveReadFailure`, which reports it exactly as a read of its own would have: a "not found" as a
 * check failure on `idOrName`, anything else as the resource's error. Its message is already redacted.
 */
import * as pulumi from "@pulumi/pulumi";
import { configuredTeam, type VercelConfigReader } from "../core/credentials";
import { describeScope, VercelClientCertsError } from "../core/errors";
import { mockCertsSource, underMocks } from "./mockSeam";
import { programConfigReader } from "./programConfig";
import { isSecretConfig, programSharesProviderSettings } from "./programRuntime";
import { ProjectScopeArgsSchema } from "../core/schemas";
import { PROCESS_OWNER, projectSnapshot } from "../core/snapshots";
import { checkedInputs, outputsFrom } from "../core/certSet";
import { isSecretScope } from "../core/secretScope";
import type { ClientCert, ProjectScope } from "../core/types";

/** What the program hands to `check` besides the arguments. */
export type LiveRead = {
    /** The live certificates, id → origin (as `check` returns them). */
    certOriginsById?: Record<string, string>;
    /** Why there are none: the read failed. */
    liveReadFailure?: { kind: string; message: string; status?: number };
    /**
     * Why there are none: this process cannot read as the provider would, so `check` reads. Not sent. For a secret
     * scope the absent live set and lists still go in as secret (a secret Output of nothing reaches the engine as
     * a secret null), so the engine keeps what `check` puts under those names encrypted.
     */
    leftToProvider?: true;
};

/** The outputs derived from the live set, sent as (secret) inputs for a secret scope (resource.ts). */
export type OutputLists = { clientCerts: ClientCert[]; certIds: string[]; origins: string[]; certIdByOrigin: Record<string, string> };

/** The output lists and `certIdByOrigin` for a live set (id → origin), as the provider would derive them. */
export function outputLists(certOriginsById: Record<string, string>): OutputLists {
    const { clientCerts, certIds, origins, certIdByOrigin } = outputsFrom({ idOrName: "" }, Object.entries(certOriginsById).map(([id, origin]) => ({ id, origin })));
    return { clientCerts, certIds, origins, certIdByOrigin };
}

/**
 * Whether the resource's scope is secret: `idOrName`, `teamId` or `slug` is a secret Output, or the team comes
 * from a `vercel:team` set with `--secret`. Known during preview too (secretness does not wait for values).
 */
export async function scopeIsSecret(inputs: unknown[], usesConfiguredTeam: boolean): Promise<boolean> {
    // Only an Output can be secret, given directly or as what a promise resolves to; no Output is made for the others.
    const secret = await Promise.all(
        inputs.map(async (i) => {
            const value: unknown = pulumi.Output.isInstance(i) ? i : await i;
            return pulumi.Output.isInstance(value) ? pulumi.isSecret(value) : false;
        }),
    );
    return isSecretScope(secret.some(Boolean), usesConfiguredTeam, isSecretConfig("vercel:team"));
}

/**
 * A project's certificates as this program run sees them: from `clientCertsMocks` when the run is under them,
 * else this run's snapshot (one request per project per run, shared by resources and functions). The cache belongs
 * to the run: the runtime's engine connection is new for every run (and every setMocks), so an Automation API
 * process running many programs never reuses another run's answers.
 */
export async function programCerts(scope: ProjectScope, readConfig: VercelConfigReader): Promise<ClientCert[]> {
    const mocked = mockCertsSource();
    return mocked ? mocked(scope) : projectSnapshot(pulumi.runtime.getMonitor() ?? PROCESS_OWNER, scope, readConfig);
}

/** The team fields to send: the resource's own, else `vercel:team` (left to `check` to report if malformed). */
export async function teamFields(teamId: string | undefined, slug: string | undefined): Promise<{ teamId?: string; slug?: string }> {
    if (teamId !== undefined || slug !== undefined) return { teamId, slug };
    const team = configuredTeam(programConfigReader());
    return "error" in team ? {} : team;
}

/**
 * Reads the project's live certificates in this run (or takes them from `clientCertsMocks`). Arguments that do
 * not validate are left to `check`, which reports them by property, so no request is sent for them.
 */
export async function readLive(scope: ProjectScope): Promise<LiveRead> {
    const parsed = ProjectScopeArgsSchema.safeParse(scope);
    if (!parsed.success) return {};
    const valid: ProjectScope = parsed.data;
    let readConfig: VercelConfigReader | undefined;
    try {
        // Plain `setMocks`: a unit test of the user's program, which must never reach the network.
        if (!mockCertsSource() && underMocks()) return {};
        // An inline program (Automation API): the provider's check reads, where the settings are.
        if (!mockCertsSource() && !programSharesProviderSettings()) return { leftToProvider: true };
        readConfig = programConfigReader();
        const certs = await programCerts(valid, readConfig);
        return { certOriginsById: checkedInputs(valid, certs).certOriginsById };
    } catch (err) {
        const failure =
            err instanceof VercelClientCertsError
                ? err
                : new VercelClientCertsError(
                      "invalid-response",
                      `Reading the client certificates of ${describeScope(valid)} failed: ${String((err as Error)?.message ?? err).slice(0, 300)}`,
                      readConfig?.("apiToken"),
                  );
        return {
            liveReadFailure: {
                kind: failure.kind,
                message: failure.message,
                ...(failure.status !== undefined ? { status: failure.status } : {}),
            },
        };
    }
}
