/**
 * One snapshot per project, per credential, per run.
 *
 * Within one `pulumi` command, every resource and every function call for the same API URL, team, project and
 * token sees the same certificates, from one request; concurrent callers share the in-flight request. Failures
 * are not cached, so a later call may try again.
 *
 * - Per credential: the key holds a one-way digest of the token, so an answer fetched with one token is never
 *   served to a caller with another token, a revoked one, or none (then the read fails before any cache lookup).
 * - Per run (runOwner.ts): the provider host is one process per command, so its cache is the process's. A
 *   program's cache is tied to the current Pulumi run (the engine connection the runtime holds), so the Automation
 *   API running several inline programs in one process gets a fresh cache for each run with no `clearSnapshots()`
 *   call. The run's dead ends (deadEnds.ts) belong to the same owner, and end with it too.
 */
import { resolveApiUrl, resolveRequestPolicy, resolveToken, type VercelConfigReader } from "./credentials";
import type { ClientCert, ProjectScope } from "./types";
import { credentialDigest } from "./transport";
import { readClientCerts } from "./vercelApi";
import { clearDeadEnds } from "./deadEnds";
import { PROCESS_RUN, type RunOwner } from "./runOwner";

type Cache = Map<string, Promise<ClientCert[]>>;

/** What a cache belongs to: a run's engine connection, or this process (runOwner.ts). */
export type CacheOwner = RunOwner;

/** The owner for code running in the provider host: the process itself. */
export const PROCESS_OWNER: CacheOwner = PROCESS_RUN;

let caches = new WeakMap<CacheOwner, Cache>();

/** Counts what the caches did, for the benchmark and the dedupe tests. */
export const snapshotStats = { requests: 0, shared: 0 };

/** The cache key: endpoint, team scope, project and a digest of the credential. */
export function snapshotKey(apiUrl: string, scope: ProjectScope, token: string): string {
    return JSON.stringify([apiUrl, scope.teamId ?? null, scope.slug ?? null, scope.idOrName, credentialDigest(token)]);
}

function cacheOf(owner: CacheOwner): Cache {
    let cache = caches.get(owner);
    if (!cache) caches.set(owner, (cache = new Map()));
    return cache;
}

/** Returns `owner`'s snapshot for `key`, calling `read` only if there is none (or the last one failed). */
export function snapshot(owner: CacheOwner, key: string, read: () => Promise<ClientCert[]>): Promise<ClientCert[]> {
    const cache = cacheOf(owner);
    const existing = cache.get(key);
    if (existing) {
        snapshotStats.shared++;
        return existing;
    }
    snapshotStats.requests++;
    const pending = read();
    cache.set(key, pending);
    pending.catch(() => {
        if (cache.get(key) === pending) cache.delete(key);
    });
    return pending;
}

/**
 * The certificates for a team and project: endpoint, token and retry policy are resolved now (at call time), and
 * the request is made only if `owner` has no snapshot for them yet.
 */
export function projectSnapshot(owner: CacheOwner, scope: ProjectScope, readConfig: VercelConfigReader): Promise<ClientCert[]> {
    const apiUrl = resolveApiUrl(scope);
    const token = resolveToken(scope, readConfig);
    const policy = resolveRequestPolicy();
    return snapshot(owner, snapshotKey(apiUrl, scope, token), () => readClientCerts({ scope, apiUrl, token, policy, run: owner }));
}

/**
 * Forgets every snapshot in this process, and every remembered dead end (deadEnds.ts). Not needed between
 * Automation API runs (each run has its own cache and dead ends); useful in tests that simulate several commands
 * in one process.
 */
export function clearSnapshots(): void {
    clearDeadEnds();
    caches = new WeakMap();
    snapshotStats.requests = 0;
    snapshotStats.shared = 0;
}
