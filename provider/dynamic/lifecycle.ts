/**
 * The provider lifecycle: what the engine's calls do, in the order the engine makes them.
 *
 *   pulumi up (new):       configure → check(olds={}, news) → create
 *   pulumi up / preview:   check(olds=old inputs, news) → diff(id, olds=old OUTPUTS, news=checked inputs) → update
 *   pulumi refresh:        read(id, props=old outputs) → diff(id, olds=FRESH outputs, news=STORED inputs), inverted
 *   pulumi destroy:        delete (no API call: this resource is read-only)
 *
 * Where the reads happen:
 * - preview / up: in the program (liveRead.ts), which hands the live set to `check` as `certOriginsById`. The engine
 *   calls Check and Diff one resource at a time, so a read there would run in sequence across the stack.
 * - refresh: in `read`, which the engine runs in parallel.
 * `check` validates, `diff` compares exactly what it is given, and create/update build outputs from the checked
 * inputs: none of them sends a request (but for inputs from an older program, which carry no live set).
 *
 * Why `diff` must never read: since Pulumi 3.1xx a refresh decides whether a resource changed by calling Diff with
 * the freshly read outputs as olds and the stored inputs as news, and inverting the answer
 * (`RefreshStep.Apply`, pkg/resource/deploy/step.go). A Diff that read Vercel again would compare fresh with
 * fresh and make every refresh report "unchanged" while it rewrote the certificates.
 *
 * What the CLI shows: the 3.248 host drops `detailedDiff`, so the engine displays its own diff of stored versus
 * checked inputs; `certOriginsById` (a map) makes that name exactly the added, removed or re-pointed certificate.
 *
 * This module is not serialized. The `__provider` stub in state requires it from the installed package at call
 * time, so `pulumi refresh` on old state runs this version (pulumi#6490), and upgrades reach existing stacks.
 */
import { assertOriginsServed, checkedInputs, missingOrigins, missingOriginsMessage, outputsFrom, sameCerts } from "../core/certSet";
import { withConfiguredTeam, type VercelConfigReader } from "../core/credentials";
import { describeScope, quoted, VercelClientCertsError, type ErrorKind } from "../core/errors";
import { issueText, LiveCertsInputSchema, LiveReadFailureSchema, ProjectScopeArgsSchema } from "../core/schemas";
import type { CheckedInputs, ClientCert, Outputs, ProjectScope, ProjectScopeArgs } from "../core/types";
import { PROCESS_OWNER, projectSnapshot } from "../core/snapshots";
import { sleep } from "../core/transport";
import { printedOnce } from "./hostEcho";
import { resourceId } from "../core/resourceIds";
import { hideScope, isSecretId, secretResourceId, secretScopeValues } from "../core/secretScope";

/** Pause before the second request that confirms a refresh's "project not found" (see `read`). */
export const NOT_FOUND_CONFIRM_DELAY_MS = 1_000;

/** Pulumi's wire sentinel for a value not known during preview (`runtime/rpc.ts` `unknownValue`). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Props = Record<string, unknown>;
/** A check failure as the host forwards it: which property, and why. */
type CheckFailure = { property: string; reason: string };
/** The host's config object (`cmd/dynamic-provider/config.ts`): `get("ns:key")`. */
type HostConfig = { get(key: string): unknown };

// Set by `configure`, which the host calls once per distinct `__provider` text before any other method.
let hostConfig: HostConfig | undefined;

const readConfig: VercelConfigReader = (key) => {
    const value = hostConfig?.get(`vercel:${key}`);
    return typeof value === "string" ? value : undefined;
};

function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

/** The user-facing arguments in `props`, dropping `__provider`, derived outputs and absent keys. */
function argsOf(props: Props): Props {
    const out: Props = {};
    for (const key of ["idOrName", "teamId", "slug", "requireOrigins"] as const) {
        if (props[key] !== undefined && props[key] !== null) out[key] = props[key];
    }
    return out;
}

/** Validated arguments as they are in `props`, or the check failures (property + reason). */
function parseArgs(props: Props): { args: ProjectScopeArgs } | { failures: CheckFailure[] } {
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
 * Arguments from checked (or stored) props; a failure here means corrupt state. `configuredTeam` applies
 * `vercel:team` to props that name no team: a no-op on inputs `check` already resolved, and what keeps
 * diff/create/update right if they are ever handed unchecked inputs. Read never applies it: a refresh must look
 * exactly where the resource was found, or a later `vercel:team` would make it drop a personal project.
 */
function requireArgs(props: Props, during: string, configuredTeam: boolean): ProjectScopeArgs {
    const parsed = parseArgs(props);
    const resolved = "failures" in parsed || !configuredTeam ? parsed : withConfiguredTeam(parsed.args, readConfig);
    if ("args" in resolved) return resolved.args;
    const problem = "failures" in resolved ? resolved.failures.map((f) => `${f.property}: ${f.reason}`).join("; ") : resolved.error;
    throw new VercelClientCertsError("config", `Cannot ${during}: ${problem}`, undefined);
}

/** This command's snapshot of the project's certs: one request per project per provider process. */
const liveCerts = (scope: ProjectScope): Promise<ClientCert[]> => projectSnapshot(PROCESS_OWNER, scope, readConfig);

/**
 * Certificates from the `certOriginsById` in `props` (the live set the program read, checked or stored inputs),
 * or undefined when there is none (inputs from a program that read nothing, or state from before it existed).
 */
function liveSetIn(props: Props, during: string): ClientCert[] | undefined {
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
 * A 401/403 during a refresh, with what a refresh uses for a token. `pulumi refresh` does not run the program:
 * the provider gets the stack config Pulumi stored with its default provider at the last `pulumi up`, so a
 * `vercel:apiToken` rotated since then is not the one sent. Which token it was is said from where it came, never
 * from its value.
 */
function refreshAuthFailure(err: VercelClientCertsError): VercelClientCertsError {
    const source =
        readConfig("apiToken") !== undefined
            ? "A refresh uses the vercel:apiToken stored in the stack's state at the last `pulumi up` (refresh does not " +
              "run the program, so a token set since with `pulumi config set --secret vercel:apiToken` is not used yet): " +
              "run `pulumi refresh --run-program`, or `pulumi up`, to use the current one."
            : "This refresh used the token from VERCEL_API_TOKEN (or VERCEL_TOKEN) in its environment, as no " +
              "vercel:apiToken was stored in the stack's state at the last `pulumi up`.";
    return new VercelClientCertsError(err.kind, `${err.message} ${source}`, undefined, err.status);
}

/** A failed program-side read (liveRead.ts), re-thrown as the error it was. */
function throwProgramFailure(news: Props, scope: ProjectScope): void {
    if (news.liveReadFailure === undefined || news.liveReadFailure === null) return;
    const failure = LiveReadFailureSchema.safeParse(news.liveReadFailure);
    if (!failure.success) throw new VercelClientCertsError("config", `Cannot check ${describeScope(scope)}: malformed liveReadFailure input.`, undefined);
    throw new VercelClientCertsError(failure.data.kind as ErrorKind, failure.data.message, undefined, failure.data.status);
}

/**
 * Checked inputs of a secret-scope resource also carry `secretScope` and the output lists, so the engine, which
 * marks each output secret whose same-named input is, keeps the certificates of a secret project encrypted.
 */
function withSecretScope(secret: boolean, inputs: CheckedInputs, args: ProjectScopeArgs, certs: ClientCert[]): Props {
    if (!secret) return inputs;
    const { clientCerts, certIds, origins } = outputsFrom(args, certs);
    return { ...inputs, secretScope: true, clientCerts, certIds, origins };
}

/** Outputs for a create or update; a required origin without a cert fails the operation. */
function outputsOf(args: ProjectScopeArgs, certs: ClientCert[]): Outputs {
    assertOriginsServed(args.requireOrigins, certs, args, undefined);
    return outputsFrom(args, certs);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The calls, before each is wrapped so the host prints its errors once (hostEcho.ts). */
const calls = {
    async configure(req: { config: HostConfig }): Promise<void> {
        hostConfig = req.config;
    },

    async check(_olds: Props, news: Props): Promise<{ inputs: Props; failures?: CheckFailure[] }> {
        const args = argsOf(news);
        // During preview an input may come from another resource and still be unknown: nothing to validate. The
        // live set is unknown then too (the program could not read), and is passed on as such.
        if (containsUnknown(args) || containsUnknown(news.certOriginsById)) {
            const passed: Props = { ...args };
            for (const key of ["certOriginsById", "secretScope", "clientCerts", "certIds", "origins"]) {
                if (news[key] !== undefined) passed[key] = news[key];
            }
            return { inputs: passed };
        }
        const parsed = parseArgs(args);
        if ("failures" in parsed) return { inputs: args, failures: parsed.failures };
        const resolved = withConfiguredTeam(parsed.args, readConfig);
        if ("error" in resolved) return { inputs: args, failures: [{ property: "teamId", reason: resolved.error }] };
        let certs: ClientCert[];
        try {
            throwProgramFailure(news, resolved.args);
            // Inputs without a live set come from a program that read nothing: read here then.
            certs = liveSetIn(news, `check ${describeScope(resolved.args)}`) ?? (await liveCerts(resolved.args));
        } catch (err) {
            if (err instanceof VercelClientCertsError && err.kind === "not-found") {
                return { inputs: args, failures: [{ property: "idOrName", reason: err.message }] };
            }
            throw err;
        }
        const missing = missingOrigins(resolved.args.requireOrigins, certs);
        const inputs = withSecretScope(news.secretScope === true, checkedInputs(resolved.args, certs), resolved.args, certs);
        if (missing.length > 0) {
            return {
                inputs,
                failures: [{ property: "requireOrigins", reason: missingOriginsMessage(missing, resolved.args, certs) }],
            };
        }
        return { inputs };
    },

    async diff(
        id: string,
        olds: Props,
        news: Props,
    ): Promise<{ changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }> {
        // Compares exactly what it is given, and reads nothing (see the top of this file for why).
        const scopeKeys = ["idOrName", "teamId", "slug"] as const;
        // Preview with an input that is still unknown: an update at most. Only a scope field known to differ is a
        // replace; an unknown one may well be the same project, and a replace would fail a `protect`ed resource in
        // preview for nothing. `pulumi up` diffs again with known values and replaces if the project did change.
        if (containsUnknown(argsOf(news)) || containsUnknown(news.certOriginsById)) {
            const replaces = scopeKeys.filter((k) => !containsUnknown(news[k]) && !sameJson(olds[k], news[k]));
            return { changes: true, ...(replaces.length ? { replaces } : {}) };
        }
        const args = requireArgs(news, "compare with Vercel", false);
        // A different project or team is a different resource: its id would change, and update cannot change ids.
        // So is a scope that became secret, or stopped being one: its id holds the scope, or must not.
        const replaces: string[] = scopeKeys.filter((k) => !sameJson(olds[k], args[k]));
        if (id && isSecretId(id) !== (news.secretScope === true)) replaces.push("secretScope");
        if (replaces.length > 0) return { changes: true, replaces };
        // No live set in `news` only happens in a refresh of state whose stored inputs predate it (0.1.0 before
        // certOriginsById). Nothing proves there is no drift then, so it counts as a change: loud once, and
        // settled by the next `pulumi refresh` or `pulumi up`, where silence would hide drift until then.
        const live = liveSetIn(news, "compare with the stored certificates");
        const changes =
            live === undefined || !sameCerts(olds.clientCerts, live) || !sameJson(olds.requireOrigins, news.requireOrigins);
        return { changes };
    },

    async create(inputs: Props): Promise<{ id: string; outs: Outputs }> {
        const args = requireArgs(inputs, "create", true);
        const id = inputs.secretScope === true ? secretResourceId() : resourceId(args);
        return { id, outs: outputsOf(args, liveSetIn(inputs, "create") ?? (await liveCerts(args))) };
    },

    async read(id: string, props: Props): Promise<{ id: string; props?: Outputs; inputs?: Props }> {
        const args = requireArgs(props, `refresh resource ${id}`, false);
        const teamScoped = args.teamId !== undefined || args.slug !== undefined;
        const notFound = (err: unknown) => err instanceof VercelClientCertsError && err.kind === "not-found";
        let certs: ClientCert[];
        try {
            certs = await liveCerts(args).catch(async (err) => {
                // A removal is final, so "not found" must be said twice: once more after a pause, as a fresh
                // request (failures are never cached), so one transient 404 cannot drop the resource.
                if (!(teamScoped && notFound(err))) throw err;
                await sleep(NOT_FOUND_CONFIRM_DELAY_MS);
                return liveCerts(args);
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
            if (err instanceof VercelClientCertsError && err.kind === "unauthorized") throw refreshAuthFailure(err);
            // Every other failure leaves state as it was.
            throw err;
        }
        // Refresh reports what is, even if a required origin went missing; the next preview's check will fail.
        const inputs = withSecretScope(isSecretId(id), checkedInputs(args, certs), args, certs);
        return { id, props: outputsFrom(args, certs), inputs };
    },

    async update(_id: string, _olds: Props, news: Props): Promise<{ outs: Outputs }> {
        const args = requireArgs(news, "update", true);
        return { outs: outputsOf(args, liveSetIn(news, "update") ?? (await liveCerts(args))) };
    },

    async delete(): Promise<void> {
        // Read-only: there is nothing at Vercel to delete. Removing it from state is all destroy means.
    },
};

type Calls = typeof calls;

/**
 * Runs a call; for a secret-scope resource (its props say `secretScope`, or its id is a secret one), every error
 * and check failure says `[secret]` where the project or team would be.
 */
async function guarded(fn: (...a: unknown[]) => Promise<unknown>, args: unknown[]): Promise<unknown> {
    const secret = args.some((a) => isSecretId(a) || (!!a && typeof a === "object" && (a as Props).secretScope === true));
    if (!secret) return fn(...args);
    const values = secretScopeValues(...args);
    let result: unknown;
    try {
        result = await fn(...args);
    } catch (err) {
        if (err instanceof VercelClientCertsError) throw new VercelClientCertsError(err.kind, hideScope(err.message, values), undefined, err.status);
        throw new Error(hideScope(String((err as Error)?.message ?? err), values));
    }
    const failures = (result as { failures?: CheckFailure[] } | undefined)?.failures;
    if (failures) for (const f of failures) f.reason = hideScope(f.reason, values);
    return result;
}

/**
 * Props with the program's one hidden input, `programRead` (liveRead.ts `programReadInput`), unpacked into the
 * `secretScope` and `liveReadFailure` inputs every call reads (older programs and state send those directly).
 */
function unpackProgramRead(arg: unknown): unknown {
    if (!arg || typeof arg !== "object" || !("programRead" in arg)) return arg;
    const { programRead, ...rest } = arg as Props;
    const read = (programRead && typeof programRead === "object" ? programRead : {}) as Props;
    return {
        ...rest,
        ...(read.secretScope === true ? { secretScope: true } : {}),
        ...(read.liveReadFailure !== undefined ? { liveReadFailure: read.liveReadFailure } : {}),
    };
}

/** The implementation the `__provider` stub delegates to. Method names and arguments are the engine's. */
export const lifecycle: Calls = Object.fromEntries(
    Object.entries(calls).map(([name, fn]) => [
        name,
        (...args: unknown[]) => printedOnce(() => guarded(fn as (...a: unknown[]) => Promise<unknown>, args.map(unpackProgramRead))),
    ]),
) as Calls;
