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
 * The rules themselves (what check validates, what diff counts as a change or replace, how read confirms "not
 * found", how a secret scope is hidden) are in core/clientCertsLifecycle.ts, shared with the provider plugin;
 * this file adapts the dynamic provider host's calls to them.
 *
 * This module is not serialized. The `__provider` stub in state requires it from the installed package at call
 * time, so `pulumi refresh` on old state runs this version (pulumi#6490), and upgrades reach existing stacks.
 */
import {
    checkInputs,
    createResource,
    diffResource,
    guardSecretScope,
    readResource,
    requireArgs,
    updateResource,
    type CheckFailure,
    type LifecycleContext,
    type Props,
} from "../core/clientCertsLifecycle";
import type { VercelConfigReader } from "../core/credentials";
import { describeScope, VercelClientCertsError, type ErrorKind } from "../core/errors";
import { LiveReadFailureSchema } from "../core/schemas";
import type { ClientCert, Outputs, ProjectScope } from "../core/types";
import type * as Snapshots from "../core/snapshots";
import { printedOnce } from "./hostEcho";
import { unpackProgramRead } from "./programRead";

export { NOT_FOUND_CONFIRM_DELAY_MS } from "../core/clientCertsLifecycle";

/** The host's config object (`cmd/dynamic-provider/config.ts`): `get("ns:key")`. */
type HostConfig = { get(key: string): unknown };

// Set by `configure`, which the host calls once per distinct `__provider` text before any other method.
let hostConfig: HostConfig | undefined;

const readConfig: VercelConfigReader = (key) => {
    const value = hostConfig?.get(`vercel:${key}`);
    return typeof value === "string" ? value : undefined;
};

// The read path (snapshots → vercelApi → transport → proxy, deadEnds) is loaded on the first read, not with this
// module: under the CLI the program reads, and the host's first Check and Create send nothing (cold start,
// docs/performance.md).
let snapshots: typeof Snapshots | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSnapshots = (): typeof Snapshots => (snapshots ??= require("../core/snapshots") as typeof Snapshots);

/** This command's snapshot of the project's certs: one request per project per provider process. */
const liveCerts = (scope: ProjectScope): Promise<ClientCert[]> => {
    const { PROCESS_OWNER, projectSnapshot } = loadSnapshots();
    return projectSnapshot(PROCESS_OWNER, scope, readConfig);
};

/** A failed program-side read (liveRead.ts), re-thrown as the error it was. */
function throwProgramFailure(news: Props, scope: ProjectScope): void {
    if (news.liveReadFailure === undefined || news.liveReadFailure === null) return;
    const failure = LiveReadFailureSchema.safeParse(news.liveReadFailure);
    if (!failure.success) throw new VercelClientCertsError("config", `Cannot check ${describeScope(scope)}: malformed liveReadFailure input.`, undefined);
    throw new VercelClientCertsError(failure.data.kind as ErrorKind, failure.data.message, undefined, failure.data.status);
}

/** The dynamic provider's side of the shared rules: `vercel:*` config, this process's snapshots. */
const context: LifecycleContext = { readConfig, liveCerts };

/** The calls, before each is wrapped so the host prints its errors once (hostEcho.ts). */
const calls = {
    async configure(req: { config: HostConfig }): Promise<void> {
        hostConfig = req.config;
    },

    async check(_olds: Props, news: Props): Promise<{ inputs: Props; failures?: CheckFailure[] }> {
        // Inputs without a live set come from a program that read nothing: check reads then.
        return checkInputs(news, { ...context, beforeCertsFor: (scope) => throwProgramFailure(news, scope) });
    },

    async diff(
        id: string,
        olds: Props,
        news: Props,
    ): Promise<{ changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }> {
        // Compares exactly what it is given, and reads nothing (see the top of this file for why).
        return diffResource(id, olds, news);
    },

    async create(inputs: Props): Promise<{ id: string; outs: Outputs }> {
        return createResource(inputs, context);
    },

    async read(id: string, props: Props): Promise<{ id: string; props?: Outputs; inputs?: Props }> {
        return readResource(id, requireArgs(props, `refresh resource ${id}`), context);
    },

    async update(_id: string, _olds: Props, news: Props): Promise<{ outs: Outputs }> {
        return updateResource(news, context);
    },

    async delete(): Promise<void> {
        // Read-only: there is nothing at Vercel to delete. Removing it from state is all destroy means.
    },
};

type Calls = typeof calls;

/** The implementation the `__provider` stub delegates to. Method names and arguments are the engine's. */
export const lifecycle: Calls = Object.fromEntries(
    Object.entries(calls).map(([name, fn]) => [
        name,
        // For a secret-scope resource, every error and check failure says `[secret]` (core guardSecretScope).
        (...args: unknown[]) => {
            const unpacked = args.map((arg) => unpackProgramRead(arg));
            return printedOnce(() => guardSecretScope(() => (fn as (...a: unknown[]) => Promise<unknown>)(...unpacked), unpacked));
        },
    ]),
) as Calls;
