/**
 * One snapshot per project per process.
 *
 * The engine starts a fresh provider host for each `pulumi` command, and a program runs once per command, so a
 * process-wide cache means: every resource and every function call for the same API, team and project in one
 * command sees the same certificates, from one request. Concurrent callers share the in-flight request.
 * Failures are not cached, so a later call in the same process may try again.
 */
import { resolveApiUrl, resolveRequestPolicy, resolveToken, type VercelConfigReader } from "./credentials";
import type { ClientCert, ProjectScope } from "./schemas";
import { readClientCerts } from "./vercelApi";

const snapshots = new Map<string, Promise<ClientCert[]>>();

/** Counts what the cache did, for the benchmark and the dedupe tests. */
export const snapshotStats = { requests: 0, shared: 0 };

/** The cache key: endpoint, team scope and project. The token is deliberately not part of it. */
export function snapshotKey(apiUrl: string, scope: ProjectScope): string {
    return JSON.stringify([apiUrl, scope.teamId ?? null, scope.slug ?? null, scope.idOrName]);
}

/** Returns this process's snapshot for `key`, calling `read` only if there is none (or the last one failed). */
export function snapshot(key: string, read: () => Promise<ClientCert[]>): Promise<ClientCert[]> {
    const existing = snapshots.get(key);
    if (existing) {
        snapshotStats.shared++;
        return existing;
    }
    snapshotStats.requests++;
    const pending = read();
    snapshots.set(key, pending);
    pending.catch(() => {
        if (snapshots.get(key) === pending) snapshots.delete(key);
    });
    return pending;
}

/**
 * This process's certificates for a team and project: endpoint, token and retry policy are resolved now (at call
 * time), and the request is made only if no snapshot exists yet.
 */
export function projectSnapshot(scope: ProjectScope, readConfig: VercelConfigReader): Promise<ClientCert[]> {
    const apiUrl = resolveApiUrl(scope);
    return snapshot(snapshotKey(apiUrl, scope), () =>
        readClientCerts({ scope, apiUrl, token: resolveToken(scope, readConfig), policy: resolveRequestPolicy() }),
    );
}

/**
 * Forgets every snapshot. A long-lived process that runs several Pulumi operations (the Automation API with an
 * inline program) calls this between them; tests call it between simulated commands.
 */
export function clearSnapshots(): void {
    snapshots.clear();
    snapshotStats.requests = 0;
    snapshotStats.shared = 0;
}
