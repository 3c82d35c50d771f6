/**
 * Credentials, team scope and endpoint, read at call time and never when a resource is constructed.
 * Anything captured at construction would be serialized into `__provider` and stored, in plaintext, in state
 * (pulumi#8265). The keys are the ones `@pulumiverse/vercel` uses, so one `pulumi config` serves both providers.
 */
import { CONFIG_WORDS, describeScope, quoted, VercelClientCertsError } from "./errors";
import { quoteValue } from "./text";
import { MAX_ATTEMPTS, RETRY_BUDGET_MS, TIMEOUT_MS, type NumericSetting } from "./limits";
import { ProjectScopeArgsSchema, TokenSchema } from "./schemas";
import type { ProjectScope, ProjectScopeArgs } from "./types";

/** Reads `vercel:*` stack config. In the provider host it wraps `configure`'s config; in a program, `pulumi.Config`. */
export type VercelConfigReader = (key: "apiToken" | "team") => string | undefined;

/** Default API base URL; `VERCEL_API_URL` overrides it (proxies, the sandbox, tests). */
export const DEFAULT_API_URL = "https://api.vercel.com";

/** The environment variables read, in order of precedence after stack config. */
export const TOKEN_ENV_VARS = ["VERCEL_API_TOKEN", "VERCEL_TOKEN"] as const;

/**
 * The token: stack config `vercel:apiToken`, else `VERCEL_API_TOKEN`, else `VERCEL_TOKEN`.
 * Surrounding whitespace is trimmed (a pasted token often ends in a newline); anything else that could not be
 * sent in an HTTP header is an error before any request. Messages name the source, never the value.
 */
export function resolveToken(
    scope: ProjectScope,
    readConfig: VercelConfigReader,
    env: NodeJS.ProcessEnv = process.env,
): string {
    const sources: [string, string | undefined][] = [
        [CONFIG_WORDS.tokenSource, readConfig("apiToken")],
        ...TOKEN_ENV_VARS.map((name): [string, string | undefined] => [`environment variable ${name}`, env[name]]),
    ];
    const found = sources.find(([, value]) => value !== undefined && value !== "");
    if (!found) {
        throw new VercelClientCertsError(
            "config",
            `No Vercel API token to read client certificates of ${describeScope(scope)}. ` +
                `Set the token with ${CONFIG_WORDS.setToken}, or set VERCEL_API_TOKEN.`,
            undefined,
        );
    }
    const [source, raw] = found as [string, string];
    const token = raw.trim();
    const parsed = TokenSchema.safeParse(token);
    if (!parsed.success) {
        throw new VercelClientCertsError(
            "config",
            `The Vercel API token from ${source} ${parsed.error.issues[0]?.message ?? "is invalid"}, ` +
                `so no request was sent for ${describeScope(scope)}. Set it again with ${CONFIG_WORDS.setToken}.`,
            raw,
        );
    }
    return token;
}

/**
 * The team stack config `vercel:team` names, as request fields: a value starting with `team_` is an id, anything
 * else a slug; `{}` when it is unset. A malformed value is an error that says how to write a team (there is only
 * the one key, for an id or a slug) and quotes the value unless `quote` is false (for a caller that cannot tell
 * whether it is a secret), so it is reported, not sent.
 */
export function configuredTeam(readConfig: VercelConfigReader, quote = true): { teamId?: string; slug?: string } | { error: string } {
    const team = readConfig("team")?.trim();
    if (!team) return {};
    const fields = team.startsWith("team_") ? { teamId: team } : { slug: team };
    const parsed = ProjectScopeArgsSchema.safeParse({ idOrName: "x", ...fields });
    if (parsed.success) return fields;
    const issue = parsed.error.issues[0];
    const why = issue?.code === "too_big" || !fields.teamId ? issue?.message : 'starts with "team_" but is not a team id';
    return {
        error:
            `${CONFIG_WORDS.teamSource}${quote ? ` (${quoted(team)})` : ""} ${why}. Write the team as its id (team_ and then ` +
            'letters, digits, "_" or "-", e.g. team_1a2b3c) or as its slug (as in its dashboard URL, e.g. my-team; no ' +
            `whitespace, "/", "?", "#" or "%"): ${CONFIG_WORDS.setTeam}.`,
    };
}

/**
 * Arguments with their team: the resource's own `teamId`/`slug`, else stack config `vercel:team`
 * (see {@link configuredTeam}).
 *
 * The program applies it before the resource is registered (so preview decides on the resolved team, even while
 * `idOrName` is still unknown); `check` and the functions apply it again, a no-op on resolved arguments. Every
 * later call (diff, create, update, read) uses the scope stored in state as it is, so changing `vercel:team`
 * later cannot make a refresh look in another team and drop the resource.
 */
export function withConfiguredTeam(
    args: ProjectScopeArgs,
    readConfig: VercelConfigReader,
): { args: ProjectScopeArgs } | { error: string } {
    if (args.teamId !== undefined || args.slug !== undefined) return { args };
    const team = configuredTeam(readConfig);
    if ("error" in team) return team;
    return { args: { ...args, ...team } };
}

/** Set to `true` to allow a plain-http VERCEL_API_URL that is not loopback (the token would cross the network in clear). */
export const ALLOW_INSECURE_HTTP_ENV = "VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP";

/**
 * Set to `true`, with {@link ALLOW_INSECURE_HTTP_ENV}, to let such a plain-http URL go through `HTTP_PROXY`
 * (the proxy then reads the token too). Without it a plain-http URL always goes direct (proxy.ts). Loopback never
 * goes through a proxy, whatever is set.
 */
export const ALLOW_INSECURE_HTTP_VIA_PROXY_ENV = "VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY";

/**
 * Addresses where plain http never leaves the machine, by construction: 127.0.0.0/8 (also IPv4-mapped), ::1,
 * 0.0.0.0 (which Linux connects to this host) and `localhost`. Not `*.localhost`: Node resolves those names
 * through the system resolver like any other, so they may point anywhere. The same addresses never go through a
 * proxy (proxy.ts).
 *
 * @param hostname A URL's hostname (IPv6 in brackets or not).
 */
export function isLoopback(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return (
        host === "localhost" ||
        host === "::1" ||
        host === "0.0.0.0" ||
        /^(::ffff:)?127(\.\d{1,3}){3}$/.test(host) ||
        /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)
    );
}

/**
 * API base URL from `VERCEL_API_URL`, validated so a typo fails clearly rather than as a network error. Refused:
 * userinfo (it would be sent along, and is never echoed), a query or fragment, non-http(s) schemes, and plain
 * http to anything but loopback unless `VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP=true`. Such an opted-in plain-http
 * URL still never goes through a proxy unless `VERCEL_CLIENT_CERTS_ALLOW_INSECURE_HTTP_VIA_PROXY=true` too.
 */
export function resolveApiUrl(scope: ProjectScope, env: NodeJS.ProcessEnv = process.env): string {
    const raw = env.VERCEL_API_URL?.trim() || DEFAULT_API_URL;
    const refuse = (why: string) =>
        new VercelClientCertsError("config", `VERCEL_API_URL ${why}; cannot read ${describeScope(scope)}. Unset it to use ${DEFAULT_API_URL}.`, undefined);
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        // Not parseable, so userinfo cannot be told apart: the value is not echoed.
        throw refuse("is not a valid URL");
    }
    if (url.username || url.password) throw refuse(`must not contain a user name or password (${url.protocol}//…@${url.host})`);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse(`must be an http(s) URL, got a ${url.protocol} URL`);
    if (url.search || url.hash) throw refuse(`must not have a query or fragment (${url.origin}${url.pathname})`);
    if (url.protocol === "http:" && !isLoopback(url.hostname) && env[ALLOW_INSECURE_HTTP_ENV] !== "true") {
        throw refuse(
            `is plain http to ${url.host}, which would send the token unencrypted. Use https, or set ` +
                `${ALLOW_INSECURE_HTTP_ENV}=true if that network is trusted`,
        );
    }
    return url.toString().replace(/\/+$/, "");
}

/** How patiently one read is retried. All three come from the environment so CI can tune them per run. */
export interface RequestPolicy {
    /** Per-attempt timeout, headers and body (`VERCEL_CLIENT_CERTS_TIMEOUT_MS`). */
    timeoutMs: number;
    /** Bound on the whole read, waits and attempts included (`VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS`). */
    retryBudgetMs: number;
    /** Bound on attempts (`VERCEL_CLIENT_CERTS_MAX_ATTEMPTS`). */
    maxAttempts: number;
}

/** Defaults documented in the README's configuration table. */
export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
    timeoutMs: TIMEOUT_MS.default,
    retryBudgetMs: RETRY_BUDGET_MS.default,
    maxAttempts: MAX_ATTEMPTS.default,
};

/** A whole number within the setting's range, or a config error that states the range. */
function bounded(env: NodeJS.ProcessEnv, setting: NumericSetting): number {
    const raw = env[setting.env]?.trim();
    if (!raw) return setting.default;
    const value = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
        throw new VercelClientCertsError(
            "config",
            `${setting.env} must be a whole number of ${setting.unit} from ${setting.min} to ${setting.max} ` +
                `(default ${setting.default}), got ${quoteValue(raw, 40)}.`,
            undefined,
        );
    }
    return value;
}

/** The retry and timeout policy, read from the environment at call time. */
export function resolveRequestPolicy(env: NodeJS.ProcessEnv = process.env): RequestPolicy {
    return {
        timeoutMs: bounded(env, TIMEOUT_MS),
        retryBudgetMs: bounded(env, RETRY_BUDGET_MS),
        maxAttempts: bounded(env, MAX_ATTEMPTS),
    };
}
