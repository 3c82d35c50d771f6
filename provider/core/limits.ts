/**
 * Every size, count and wait this package bounds, in one place. The README's configuration table lists them.
 * Settings read from the environment are validated against these ranges and rejected, with the range, when out
 * of it: Node's timers silently turn delays above 2^31-1 ms (24.8 days) into 1 ms, so no wait may reach that.
 */

/** At most this many requests are in flight per process, so a stack of hundreds of projects stays polite. */
export const MAX_CONCURRENT_REQUESTS = 8;

/** A 200 body larger than this is refused (by Content-Length before reading, else while streaming): 8 MiB. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Of an error body, only this much is read (the rest is dropped, not an error): 64 KiB. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** A project answering with more certificates than this is refused. */
export const MAX_CERTS = 10_000;

/** Vercel's documented limit for project names; project ids (`prj_…`) are far shorter. */
export const MAX_ID_OR_NAME_LENGTH = 100;

/** Bound on `teamId` and `slug` (and `vercel:team`): real team ids are `team_` plus 24 characters. */
export const MAX_TEAM_LENGTH = 100;

/**
 * Bound on a certificate id's length: far above real ids, far below what could bloat state. Ids must also look
 * like Vercel ids (schemas.ts `CERT_ID_PATTERN`).
 */
export const MAX_CERT_ID_LENGTH = 256;

/** Bound on an origin's length (also for `requireOrigins` entries). */
export const MAX_ORIGIN_LENGTH = 2048;

/** Bound on `requireOrigins`: far more upstreams than one project has certificates for. */
export const MAX_REQUIRED_ORIGINS = 100;

/** Vercel's own text quoted in an error message is cut to this many characters, after redaction. */
export const MAX_QUOTED_CHARS = 300;

/**
 * A single value quoted in a message (a project or team name, an id or origin Vercel sent that was refused, a
 * `requireOrigins` entry): at most this many characters of its escaped form, then "…". Above every valid
 * `idOrName`, team and certificate id the messages name, so those are never cut.
 */
export const MAX_QUOTED_VALUE_CHARS = 300;

/**
 * A message that lists origins (a `requireOrigins` failure, `certIdFor`) names at most this many, then
 * "… and N more": a project of 10 000 certificates must not print a 7 MB line.
 */
export const MAX_LISTED_ORIGINS = 20;

/** Each origin in such a list is cut to this many characters (escaped form), then "…". */
export const MAX_LISTED_ORIGIN_CHARS = 100;

/** A numeric setting: its environment variable, default and inclusive range. */
export interface NumericSetting {
    env: string;
    default: number;
    min: number;
    max: number;
    unit: "ms" | "attempts";
}

/** Per-attempt timeout, covering the headers and the whole body. */
export const TIMEOUT_MS: NumericSetting = { env: "VERCEL_CLIENT_CERTS_TIMEOUT_MS", default: 30_000, min: 100, max: 600_000, unit: "ms" };

/** Bound on one read: every attempt, backoff, Retry-After pause and wait for a request slot. */
export const RETRY_BUDGET_MS: NumericSetting = { env: "VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS", default: 60_000, min: 100, max: 3_600_000, unit: "ms" };

/** Bound on attempts per read. */
export const MAX_ATTEMPTS: NumericSetting = { env: "VERCEL_CLIENT_CERTS_MAX_ATTEMPTS", default: 5, min: 1, max: 20, unit: "attempts" };

/**
 * Bound on 429 waits per read whose Retry-After fits in the budget. They do not count toward `MAX_ATTEMPTS` (a
 * shared rate limit is not a failure), but they are capped, and every wait still counts toward the budget.
 */
export const MAX_RATE_LIMIT_WAITS = 50;

/**
 * No attempt starts with less than this much of the retry budget left (or its whole timeout, when that is
 * shorter): an attempt started with a few milliseconds left would "time out" at once, a failure Vercel never had.
 * A wait (Retry-After, backoff, a pause, a request slot) that would leave less ends the read instead, saying why.
 */
export const MIN_ATTEMPT_TIMEOUT_MS = 1_000;

/** Jitter added to a Retry-After wait: up to a quarter of it, at most this (and at least 250 ms of range). */
export const MAX_RETRY_AFTER_JITTER_MS = 2_000;

/** Bound on the failures remembered per run (deadEnds.ts); the oldest is forgotten first. */
export const MAX_DEAD_ENDS = 1_000;

/**
 * Pause before the one request that confirms a run's first 401 (deadEnds.ts): a new token may be refused for a
 * moment while it propagates. Within the retry budget; a read makes at most one such confirmation.
 */
export const UNAUTHORIZED_CONFIRM_DELAY_MS = 1_000;

/** Backoff between attempts without a Retry-After: 0.25 s doubling, capped at this, with jitter. */
export const MAX_BACKOFF_MS = 8_000;

/**
 * Of a proxy's answer to CONNECT, at most this much is read before it is refused as not a proxy: 16 KiB. One
 * attempt opens at most one connection to the proxy, so the connections a proxy sees per read are bounded by
 * `MAX_ATTEMPTS` (proxy.ts).
 */
export const MAX_PROXY_ANSWER_BYTES = 16 * 1024;

/** Of what a proxy (or whatever is at its address) answered, an error quotes at most this many printable characters. */
export const MAX_PROXY_QUOTED_CHARS = 200;

/**
 * A program-side failure found in an `apply` (e.g. `certIdFor` for an origin the project lacks) is reported at
 * once; under the CLI the program then ends as soon as its work is done, its Output left pending. In a process
 * that outlives the run (an Automation API inline program) the Output is rejected after this long, so the run
 * ends there too instead of waiting forever on it.
 */
export const PROGRAM_FAILURE_SETTLE_MS = 2_000;

/** Bound on the projects one `ProjectClientCertsSet` (the plugin's large-stack component) may list. */
export const MAX_SET_PROJECTS = 10_000;

/**
 * Bound on a `ProjectClientCertsSet`'s projects in progress at once: each is read (the reads further bounded by
 * `MAX_CONCURRENT_REQUESTS`), then its child is registered with the engine.
 */
export const MAX_CHILD_REGISTRATIONS_IN_FLIGHT = 64;

/**
 * The largest gRPC request the provider plugin accepts: 128 MiB (sixteen times `MAX_BODY_BYTES`); a larger one is
 * refused from its 5-byte length prefix, before any of it is buffered or parsed, and the process goes on serving.
 * Sized to the largest request the engine legitimately sends this package:
 * - a Diff or Update of a project whose certificates fill a `MAX_BODY_BYTES` response carries that set up to
 *   eleven times (old outputs: `clientCerts`, `certIds` + `origins`, `certOriginsById`, `certIdByOrigin`; new and old
 *   inputs: the observed set, and for a secret scope the output lists and map as well): 96 MiB at most (tests/pluginRound5.test.ts measures it);
 * - a `ProjectClientCertsSet` of `MAX_SET_PROJECTS` projects with 100-character names and teams: 2.3 MiB, 5.5 MiB
 *   with three 100-character `requireOrigins` each.
 * Every other call is far smaller. Without it the bound was 400 MB, and one 143 MB Check took 4.2 GB and minutes
 * of CPU, during which no other call was served.
 */
export const MAX_PLUGIN_REQUEST_BYTES = 16 * MAX_BODY_BYTES;

/**
 * The plugin asks its engine (the address it was started with) whether it is still there this often, and exits
 * after `ENGINE_GONE_AFTER_FAILED_CHECKS` answers in a row saying it is gone (a refused connection: a dead
 * engine's port is closed): a `kill -9` of `pulumi` leaves no plugin running (PPID 1) for more than about
 * `ENGINE_CHECK_INTERVAL_MS * ENGINE_GONE_AFTER_FAILED_CHECKS` (2 s). A check that times out counts neither way:
 * the plugin's own event loop may have been busy past its deadline (plugin/engineWatch.ts).
 */
export const ENGINE_CHECK_INTERVAL_MS = 1_000;

/** Bound on one call to the engine's own services: a health check (`grpc.health.v1.Health/Check`), a diagnostic (`Engine/Log`). */
export const ENGINE_CALL_TIMEOUT_MS = 3_000;

/** Engine health checks in a row finding it gone after which the plugin exits (one may be a moment's hiccup). */
export const ENGINE_GONE_AFTER_FAILED_CHECKS = 2;

/**
 * A `ProjectClientCertsSet` whose projects fail reports each failing project's error on that project's resource,
 * for at most this many projects, then names how many more failed (a set of 10 000 projects behind a revoked
 * token must not print 10 000 errors).
 */
export const MAX_SET_FAILURES_SHOWN = 20;
