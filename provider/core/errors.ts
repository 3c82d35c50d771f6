/**
 * Errors a user can act on. Every message names the project and team it is about, and every message passes
 * through `redact`, so a token echoed back by a proxy, the SDK or Node never reaches the engine, logs or state,
 * then through `escapeUnsafe`, so no terminal escape or bidi override in it reaches a terminal raw.
 */
import { MAX_QUOTED_VALUE_CHARS } from "./limits";
import { redact } from "./redact";
import { escapeUnsafe, quoteValue } from "./text";
import type { ProjectScope } from "./types";

/**
 * A value a message names (a project, team, id or origin): quoted, JSON-escaped and bounded (`quoteValue`,
 * `MAX_QUOTED_VALUE_CHARS`). Every message quotes names this way, so secretScope.ts can find and hide them.
 *
 * @param value The value to name.
 */
export function quoted(value: string): string {
    return quoteValue(value, MAX_QUOTED_VALUE_CHARS);
}

/**
 * `project "x" in team "y"`, or `project "x" in the token's personal account` without a team; each name quoted
 * by {@link quoted}.
 *
 * @param scope The project and team.
 */
export function describeScope(scope: ProjectScope): string {
    const team =
        scope.teamId !== undefined
            ? `team ${quoted(String(scope.teamId))}`
            : scope.slug !== undefined
              ? `team ${quoted(String(scope.slug))}`
              : "the token's personal account (no teamId, slug or vercel:team set)";
    return `project ${quoted(String(scope.idOrName))} in ${team}`;
}

/** What kind of failure, so callers (read on 404, tests) can branch without parsing messages. */
export type ErrorKind =
    | "bad-request"
    | "unauthorized"
    | "not-found"
    | "endpoint-not-found"
    | "rate-limited"
    | "server-error"
    | "network"
    | "timeout"
    | "invalid-response"
    | "config";

/** The one error type this package throws for API and configuration failures. */
export class VercelClientCertsError extends Error {
    /** Failure category. */
    readonly kind: ErrorKind;
    /** HTTP status, when there was a response. */
    readonly status?: number;

    constructor(kind: ErrorKind, message: string, token: string | undefined, status?: number) {
        super(escapeUnsafe(redact(message, token)));
        this.name = "VercelClientCertsError";
        this.kind = kind;
        this.status = status;
        // Pulumi's provider host prints `${err}: ${err.stack}` to its stderr, which the CLI shows under the stack
        // resource: the message again, then a trace of this package's internals. The message is the whole story,
        // and a trace could carry text from elsewhere, so there is none.
        Object.defineProperty(this, "stack", { value: "", writable: true, configurable: true });
    }
}

/**
 * How messages name where the token and the team are configured, for the dynamic provider (stack config
 * `vercel:*`). Every message says it with these phrases, so a front door configured elsewhere can say it its own way
 * (the plugin: `vercel-client-certs:*`, or an explicit provider's `apiToken` and `team` properties; plugin/grpcErrors.ts).
 */
export const CONFIG_WORDS = {
    /** Where the token came from. */
    tokenSource: "stack config vercel:apiToken",
    /** How to set the token. */
    setToken: "`pulumi config set --secret vercel:apiToken <token>`",
    /** Where the team came from. */
    teamSource: "stack config vercel:team",
    /** How to set the team. */
    setTeam: "`pulumi config set vercel:team <team id or slug>`",
} as const;

/** Hint appended wherever the token may be the cause. */
export const TOKEN_HINT = `Check that ${CONFIG_WORDS.setToken} (or VERCEL_API_TOKEN) holds a valid Vercel token`;
