/**
 * The resource's lifecycle rules, once, for both front doors: the dynamic provider (dynamic/lifecycle.ts) and the
 * provider plugin (plugin/resourceCalls.ts). What `check` validates and when it reads, what `diff` counts as a
 * change or a replace, what create/update output, how `read` confirms "not found" before a resource is dropped,
 * and how a secret scope is hidden in every message. Nothing here knows an engine protocol: each front door
 * converts the engine's call into plain props, calls these, and converts the answer back.
 *
 * Props are plain objects: inputs or outputs as the engine stores them, with `UNKNOWN` for values not known yet
 * during a preview (the same sentinel string on the dynamic host's wire and in the plugin protocol's Struct).
 */
import { assertOriginsServed, checkedInputs, missingOrigins, missingOriginsMessage, outputsFrom, sameCerts } from "./certSet";
import { withConfiguredTeam, type VercelConfigReader } from "./credentials";
import { CONFIG_WORDS, describeScope, quoted, VercelClientCertsError } from "./errors";
import { resourceId } from "./resourceIds";
import { issueText, LiveCertsInputSchema, ProjectScopeArgsSchema } from "./schemas";
import { hideScope, isSecretId, secretResourceId, secretScopeValues } from "./secretScope";
import type { CheckedInputs, ClientCert, Outputs, ProjectScope, ProjectScopeArgs } from "./types";

/** Pause before the second request that confirms a refresh's "project not found" (see {@link readResource}). */
export const NOT_FOUND_CONFIRM_DELAY_MS = 1_000;

/** Pulumi's wire sentinel for a value not known during preview (`runtime/rpc.ts` `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A resource's inputs or outputs, as plain values. */
export type Props = Record<string, unknown>;
/** A check failure as the engine shows it: which property, and why. */
export type CheckFailure = { property: string; reason: string };
/** Reads one project's certificates (through the run's snapshot cache). */
export type LiveCerts = (scope: ProjectScope) => Promise<ClientCert[]>;

/** The keys a user sets; everything else in inputs is the provider's own. */
export const ARG_KEYS = ["idOrName", "teamId", "slug", "requireOrigins"] as const;
/** The keys that name the project and team (a secret one makes the resource a secret scope). */
export const SCOPE_KEYS = ["idOrName", "teamId", "slug"] as const;

/** True if `value` is, or holds, the unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

/** The user-facing arguments in `props`, dropping provider keys, derived outputs and absent keys. */
export function argsOf(props: Props): Props {
    const out: Props = {};
    for (const key of ARG_KEYS) {
        if (props[key] !== undefined && props[key] !== null) out[key] = props[key];
    }
    return out;
}

/** Validated arguments as they are in `props`, or the check failures (property + reason). */
export function parseArgs(props: Props): { args: ProjectScopeArgs } | { failures: CheckFailure[] } {
    const parsed = ProjectScopeArgsSchema.safeParse(argsOf(props));
    if (parsed.success) return { args: parsed.data };
    const name = typeof props.idOrName === "string" ? ` (project ${quoted(props.idOrName)})` : "";
    return {
        failures: parsed.error.issues.map((issue) => ({
            property: String(issue.path[0] ?? "idOrName"),
            reason: `${issueText(issue)}${name}`,
        })),
    };
}

/**
 * Arguments from checked (or stored) props; a failure here means corrupt state. `readConfig`, when given, applies
 * the configured team to props that name no team: a no-op on inputs `check` already resolved, and what keeps
 * create/update right if they are ever handed unchecked inputs. Read and diff pass none: a refresh must look
 * exactly where the resource was found, or a later team setting would make it drop a personal project.
 */
export function requireArgs(props: Props, during: string, readConfig?: VercelConfigReader): ProjectScopeArgs {
    const parsed = parseArgs(props);
    const resolved = "failures" in parsed || !readConfig ? parsed : withConfiguredTeam(parsed.args, readConfig);
    if ("args" in resolved) return resolved.args;
    const problem = "failures" in resolved ? resolved.failures.map((f) => `${f.property}: ${f.reason}`).join("; ") : resolved.error;
    throw new VercelClientCertsError("config", `Cannot ${during}: ${problem}`, undefined);
}

/**
 * Certificates from the `certOriginsById` in `props` (the observed set: checked or stored inputs), or undefined
 * when there is none (inputs that carry no observed set yet, or state from before it existed).
 */
export function liveSetIn(props: Props, during: string): ClientCert[] | undefined {
    if (props.certOriginsById === undefined || props.certOriginsById === null) return undefined;
    const parsed = LiveCertsInputSchema.safeParse(props.certOriginsById);
    if (!parsed.success) {
        throw new VercelClientCertsError(
            "config",
            `Cannot ${during}: certOriginsById ${parsed.error.issues[0] ? issueText(parsed.error.issues[0], "(the map)") : "is invalid"}. ` +
                "Run `pulumi refresh` if it came from state.",
            undefined,
        );
    }
    return Object.entries(parsed.data).map(([id, origin]) => ({ id, origin }));
}

/**
 * Checked inputs of a secret-scope resource also carry `secretScope` and the output lists, so the engine, which
 * marks each output secret whose same-named input is, keeps the certificates of a secret project encrypted.
 */
export function withSecretScope(secret: boolean, inputs: CheckedInputs, args: ProjectScopeArgs, certs: ClientCert[]): Props {
    if (!secret) return inputs;
    const { clientCerts, certIds, origins, certIdByOrigin } = outputsFrom(args, certs);
    return { ...inputs, secretScope: true, clientCerts, certIds, origins, certIdByOrigin };
}

/** Outputs for a create or update; a required origin without a cert fails the operation. */
export function outputsOf(args: ProjectScopeArgs, certs: ClientCert[]): Outputs {
    assertOriginsServed(args.requireOrigins, certs, args, undefined);
    return outputsFrom(args, certs);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What a front door supplies to the rules: its config and its way to read a project. */
export interface LifecycleContext {
    /** The front door's config (`vercel:*` for the dynamic provider, `vercel-client-certs:*` for the plugin). */
    readConfig: VercelConfigReader;
    /** Reads a project through the run's snapshot cache. */
    liveCerts: LiveCerts;
    /** Runs before the check takes the observed set (the dynamic provider re-throws a failed program read here). */
    beforeCertsFor?: (scope: ProjectScope) => void;
}

/**
 * Check: validates the arguments, resolves the team, takes the observed set from `news.certOriginsById` or reads
 * it when absent, and returns the checked inputs with it. A missing required origin, a project not found and a
 * bad argument are check failures (the preview fails naming them); other read failures throw.
 */
export async function checkInputs(news: Props, ctx: LifecycleContext): Promise<{ inputs: Props; failures?: CheckFailure[] }> {
    const args = argsOf(news);
    // During preview an input may come from another resource and still be unknown: nothing to validate. The
    // observed set is unknown then too, and is passed on as such.
    if (containsUnknown(args) || containsUnknown(news.certOriginsById)) {
        const passed: Props = { ...args };
        for (const key of ["certOriginsById", "secretScope", "clientCerts", "certIds", "origins", "certIdByOrigin"]) {
            if (news[key] !== undefined) passed[key] = news[key];
        }
        return { inputs: passed };
    }
    const parsed = parseArgs(args);
    if ("failures" in parsed) return { inputs: args, failures: parsed.failures };
    const resolved = withConfiguredTeam(parsed.args, ctx.readConfig);
    if ("error" in resolved) return { inputs: args, failures: [{ property: "teamId", reason: resolved.error }] };
    let certs: ClientCert[];
    try {
        ctx.beforeCertsFor?.(resolved.args);
        certs = liveSetIn(news, `check ${describeScope(resolved.args)}`) ?? (await ctx.liveCerts(resolved.args));
    } catch (err) {
        if (err instanceof VercelClientCertsError && err.kind === "not-found") {
            return { inputs: args, failures: [{ property: "idOrName", reason: err.message }] };
        }
        throw err;
    }
    const missing = missingOrigins(resolved.args.requireOrigins, certs);
    const inputs = withSecretScope(news.secretScope === true, checkedInputs(resolved.args, certs), resolved.args, certs);
    if (missing.length > 0) {
        return { inputs, failures: [{ property: "requireOrigins", reason: missingOriginsMessage(missing, resolved.args, certs) }] };
    }
    return { inputs };
}

/** What a diff decided. */
export interface DiffDecision {
    changes: boolean;
    replaces?: string[];
}

/**
 * Diff: compares exactly what it is given and reads nothing. A refresh calls Diff with the freshly read outputs
 * as olds and the stored inputs as news and inverts the answer (`RefreshStep.Apply`, pkg/resource/deploy/step.go),
 * so a Diff that read again would compare fresh with fresh and hide every drift.
 */
export function diffResource(id: string, olds: Props, news: Props): DiffDecision {
    // Preview with an input that is still unknown: an update at most. Only a scope field known to differ is a
    // replace; an unknown one may well be the same project, and a replace would fail a `protect`ed resource in
    // preview for nothing. `pulumi up` diffs again with known values and replaces if the project did change.
    if (containsUnknown(argsOf(news)) || containsUnknown(news.certOriginsById)) {
        const replaces = SCOPE_KEYS.filter((k) => !containsUnknown(news[k]) && !sameJson(olds[k], news[k]));
        return { changes: true, ...(replaces.length ? { replaces } : {}) };
    }
    const args = requireArgs(news, "compare with Vercel");
    // A different project or team is a different resource: its id would change, and update cannot change ids.
    // So is a scope that became secret, or stopped being one: its id holds the scope, or must not.
    const replaces: string[] = SCOPE_KEYS.filter((k) => !sameJson(olds[k], args[k]));
    if (id && isSecretId(id) !== (news.secretScope === true)) replaces.push("secretScope");
    if (replaces.length > 0) return { changes: true, replaces };
    // No observed set in `news` only happens in a refresh of state whose stored inputs predate it. Nothing proves
    // there is no drift then, so it counts as a change: loud once, and settled by the next refresh or up.
    const live = liveSetIn(news, "compare with the stored certificates");
    const changes = live === undefined || !sameCerts(olds.clientCerts, live) || !sameJson(olds.requireOrigins, news.requireOrigins);
    return { changes };
}

/** Create: the id (`<team>/<project>`, or an opaque one for a secret scope) and outputs from the checked inputs. */
export async function createResource(inputs: Props, ctx: LifecycleContext): Promise<{ id: string; outs: Outputs }> {
    const args = requireArgs(inputs, "create", ctx.readConfig);
    const id = inputs.secretScope === true ? secretResourceId() : resourceId(args);
    return { id, outs: outputsOf(args, liveSetIn(inputs, "create") ?? (await ctx.liveCerts(args))) };
}

/** Update: outputs from the checked inputs (the observed set `check` took); reads only if they carry none. */
export async function updateResource(news: Props, ctx: LifecycleContext): Promise<{ outs: Outputs }> {
    const args = requireArgs(news, "update", ctx.readConfig);
    return { outs: outputsOf(args, liveSetIn(news, "update") ?? (await ctx.liveCerts(args))) };
}

/**
 * Read (refresh, and the plugin's import): the fresh outputs and inputs, or `{ id: "" }` when the project is gone
 * from its team. "Not found" is said twice before that (a removal is final); in a personal account it never
 * drops the resource, as it also means "a token of another user".
 */
export async function readResource(
    id: string,
    args: ProjectScopeArgs,
    ctx: Pick<LifecycleContext, "liveCerts" | "readConfig">,
): Promise<{ id: string; props?: Outputs; inputs?: Props }> {
    const teamScoped = args.teamId !== undefined || args.slug !== undefined;
    const notFound = (err: unknown) => err instanceof VercelClientCertsError && err.kind === "not-found";
    let certs: ClientCert[];
    try {
        certs = await ctx.liveCerts(args).catch(async (err) => {
            // A removal is final, so "not found" must be said twice: once more after a pause, as a fresh
            // request (failures are never cached), so one transient 404 cannot drop the resource.
            if (!(teamScoped && notFound(err))) throw err;
            await new Promise<void>((resolve) => setTimeout(resolve, NOT_FOUND_CONFIRM_DELAY_MS));
            return ctx.liveCerts(args);
        });
    } catch (err) {
        if (notFound(err)) {
            // Vercel's own JSON "project not found", twice, for a team-scoped read: the team was visible to the
            // token (else 403), so the project is gone from it, and so is the resource.
            if (teamScoped) return { id: "" };
            // In a personal account the same answer also means "this token belongs to another user" (a
            // rotated or swapped token), which must not cost the user their state.
            throw new VercelClientCertsError(
                "not-found",
                `${(err as Error).message} For a project in a personal account this answer also comes from a token of ` +
                    "another user, so the resource is kept. If the project was deleted, remove the resource from " +
                    `the program, or remove it from state: \`pulumi stack --show-urns --show-ids\` lists the URN of the resource ` +
                    `with id ${id}; then run \`pulumi state delete '<that URN>'\`. (The engine gives a provider's read ` +
                    "no URN, so it cannot be named here.)",
                undefined,
                (err as VercelClientCertsError).status,
            );
        }
        if (err instanceof VercelClientCertsError && err.kind === "unauthorized") throw refreshAuthFailure(err, ctx);
        // Every other failure leaves state as it was.
        throw err;
    }
    // Refresh reports what is, even if a required origin went missing; the next preview's check will fail.
    const inputs = withSecretScope(isSecretId(id), checkedInputs(args, certs), args, certs);
    return { id, props: outputsFrom(args, certs), inputs };
}

/**
 * A 401/403 during a refresh, with what a refresh uses for a token. `pulumi refresh` does not run the program:
 * the provider gets the stack config Pulumi stored with its default provider at the last `pulumi up`, so a token
 * rotated in config since then is not the one sent. Which token it was is said from where it came, never from its
 * value.
 */
function refreshAuthFailure(err: VercelClientCertsError, ctx: Pick<LifecycleContext, "readConfig">): VercelClientCertsError {
    // Said with CONFIG_WORDS, so the plugin names its own config key, or an explicit provider's property.
    const source =
        ctx.readConfig("apiToken") !== undefined
            ? `A refresh uses the token from ${CONFIG_WORDS.tokenSource} as stored in the stack's state at the last ` +
              `\`pulumi up\` (refresh does not run the program, so a token set since with ${CONFIG_WORDS.setToken} is not ` +
              "used yet): run `pulumi refresh --run-program`, or `pulumi up`, to use the current one."
            : "This refresh used the token from VERCEL_API_TOKEN (or VERCEL_TOKEN) in its environment, as the stack's " +
              `state holds no token from ${CONFIG_WORDS.tokenSource} from the last \`pulumi up\`.`;
    return new VercelClientCertsError(err.kind, `${err.message} ${source}`, undefined, err.status);
}

/**
 * Runs a call; for a secret-scope resource (a prop says `secretScope`, or an argument is a secret id, or the
 * caller knows it is secret), every error and check failure says `[secret]` where the project or team would be.
 * `alsoHide` are other values that arrived secret (a `requireOrigins` entry, a secret configured team): they are
 * said as `[secret]` too, whether or not the scope is secret.
 */
export async function guardSecretScope<T>(fn: () => Promise<T>, args: unknown[], knownSecret = false, alsoHide: readonly string[] = []): Promise<T> {
    const secret =
        knownSecret || args.some((a) => isSecretId(a) || (!!a && typeof a === "object" && (a as Props).secretScope === true));
    if (!secret && alsoHide.length === 0) return fn();
    // Longest first, so a value that contains another is hidden whole.
    const values = [...new Set([...(secret ? secretScopeValues(...args) : []), ...alsoHide.filter((v) => v !== "")])].sort((a, b) => b.length - a.length);
    let result: T;
    try {
        result = await fn();
    } catch (err) {
        if (err instanceof VercelClientCertsError) throw new VercelClientCertsError(err.kind, hideScope(err.message, values), undefined, err.status);
        throw new Error(hideScope(String((err as Error)?.message ?? err), values));
    }
    const failures = (result as { failures?: CheckFailure[] } | undefined)?.failures;
    if (failures) for (const f of failures) f.reason = hideScope(f.reason, values);
    return result;
}
