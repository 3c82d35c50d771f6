/**
 * Credentials, team scope and endpoint, read at call time and never when a resource is constructed.
 * Anything captured at construction would be serialized into `__provider` and stored, in plaintext, in state
 * (pulumi#8265). The keys are the ones `@pulumiverse/vercel` uses, so one `pulumi config` serves both providers.
 */
import { describeScope, VercelClientCertsError } from "./errors";
import { ProjectScopeArgsSchema, TokenSchema, type ProjectScope, type ProjectScopeArgs } from "./schemas";

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
        ["stack config vercel:apiToken", readConfig("apiToken")],
        ...TOKEN_ENV_VARS.map((name): [string, string | undefined] => [`environment variable ${name}`, env[name]]),
    ];
    const found = sources.find(([, value]) => value !== undefined && value !== "");
    if (!found) {
        throw new VercelClientCertsError(
            "config",
            `No Vercel API token to read client certificates of ${describeScope(scope)}. ` +
                "Run `pulumi config set --secret vercel:apiToken <token>`, or set VERCEL_API_TOKEN.",
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
                `so no request was sent for ${describeScope(scope)}. Set it again, e.g. ` +
                "`pulumi config set --secret vercel:apiToken <token>`.",
            raw,
        );
    }
    return token;
}

/**
 * Arguments with their team: the resource's own `teamId`/`slug`, else stack config `vercel:team`. A `vercel:team`
 * value starting with `team_` is an id; anything else is a slug. The result is validated like a resource's own
 * arguments, so a malformed `vercel:team` is reported, not sent.
 *
 * Only `check` and the functions call this: they turn program arguments into a scope. Every later call (diff,
 * create, update, read) uses the scope stored in state as it is, so changing `vercel:team` later cannot make a
 * refresh look in another team and drop the resource.
 */
export function withConfiguredTeam(
    args: ProjectScopeArgs,
    readConfig: VercelConfigReader,
): { args: ProjectScopeArgs } | { error: string } {
    const team = readConfig("team")?.trim();
    if (args.teamId !== undefined || args.slug !== undefined || !team) return { args };
    const parsed = ProjectScopeArgsSchema.safeParse({ ...args, ...(team.startsWith("team_") ? { teamId: team } : { slug: team }) });
    if (!parsed.success) return { error: `stack config vercel:team ("${team}") ${parsed.error.issues[0]?.message}` };
    return { args: parsed.data };
}

/** API base URL from `VERCEL_API_URL`, validated so a typo fails clearly rather than as a network error. */
export function resolveApiUrl(scope: ProjectScope, env: NodeJS.ProcessEnv = process.env): string {
    const raw = env.VERCEL_API_URL?.trim() || DEFAULT_API_URL;
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new VercelClientCertsError(
            "config",
            `VERCEL_API_URL is not a valid URL ("${raw}"); cannot read ${describeScope(scope)}. ` +
                `Unset it to use ${DEFAULT_API_URL}.`,
            undefined,
        );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new VercelClientCertsError(
            "config",
            `VERCEL_API_URL must be an http(s) URL, got "${raw}"; cannot read ${describeScope(scope)}.`,
            undefined,
        );
    }
    return url.toString().replace(/\/+$/, "");
}

/** How patiently one read is retried. All three come from the environment so CI can tune them per run. */
export interface RequestPolicy {
    /** Per-attempt timeout (`VERCEL_CLIENT_CERTS_TIMEOUT_MS`, default 30 000). */
    timeoutMs: number;
    /** Bound on the whole read, waits and attempts included (`VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS`, default 60 000). */
    retryBudgetMs: number;
    /** Bound on attempts (`VERCEL_CLIENT_CERTS_MAX_ATTEMPTS`, default 5). */
    maxAttempts: number;
}

/** Defaults documented in the README's configuration table. */
export const DEFAULT_REQUEST_POLICY: RequestPolicy = { timeoutMs: 30_000, retryBudgetMs: 60_000, maxAttempts: 5 };

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
        throw new VercelClientCertsError("config", `${name} must be a positive integer, got "${raw}".`, undefined);
    }
    return value;
}

/** The retry and timeout policy, read from the environment at call time. */
export function resolveRequestPolicy(env: NodeJS.ProcessEnv = process.env): RequestPolicy {
    return {
        timeoutMs: positiveInt(env, "VERCEL_CLIENT_CERTS_TIMEOUT_MS", DEFAULT_REQUEST_POLICY.timeoutMs),
        retryBudgetMs: positiveInt(env, "VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS", DEFAULT_REQUEST_POLICY.retryBudgetMs),
        maxAttempts: positiveInt(env, "VERCEL_CLIENT_CERTS_MAX_ATTEMPTS", DEFAULT_REQUEST_POLICY.maxAttempts),
    };
}
