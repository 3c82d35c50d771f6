/**
 * What a program can learn from Pulumi's Node.js runtime about the run it is part of, asked in one place because
 * the answers differ between a program started by the CLI and an Automation API inline program:
 *
 * - which stack config keys are secret (the runtime knows in both; the environment variable only under the CLI);
 * - whether this process has the settings the provider host has (its environment), so a read made here reads
 *   the same API, with the same token, through the same proxies, as the provider would.
 */
import * as pulumi from "@pulumi/pulumi";

/** The variable through which Pulumi's language host lists the secret config keys of a CLI run. */
const SECRET_KEYS_ENV = "PULUMI_CONFIG_SECRET_KEYS";

/**
 * True when stack config `key` (e.g. `"vercel:team"`) was set as a secret (`pulumi config set --secret`, or
 * `stack.setConfig(key, { value, secret: true })`).
 *
 * The runtime is asked first: it holds the run's secret keys wherever the run came from (an inline program gets
 * them in the Automation API's run request, never in the environment). `PULUMI_CONFIG_SECRET_KEYS` is the
 * fallback, for a runtime that cannot be asked.
 *
 * @param key The full config key, namespace included.
 */
export function isSecretConfig(key: string): boolean {
    const ask = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => unknown }).isConfigSecret;
    if (typeof ask === "function") {
        try {
            return ask(key) === true;
        } catch {
            // A malformed key list in the runtime: fall back to the environment below.
        }
    }
    try {
        const keys: unknown = JSON.parse(process.env[SECRET_KEYS_ENV] ?? "[]");
        return Array.isArray(keys) && keys.includes(key);
    } catch {
        return false;
    }
}

/**
 * True when this program was started by Pulumi's language host for a CLI command, and so runs with the
 * environment the CLI gave it, which is the provider host's too (the same `VERCEL_*`, proxy and CA settings).
 *
 * False for an Automation API inline program: it runs in the caller's own long-lived process, whose environment
 * is not the CLI's (`LocalWorkspace` `envVars` go to the CLI and from there to the provider host, never to this
 * process). Told apart by how the runtime was started, with two signals:
 * - `@pulumi/pulumi/cmd/run`, the entry point Pulumi's language host runs a program through, puts the monitor
 *   address into `PULUMI_NODEJS_MONITOR` before loading the program; an inline program's process never gets it;
 * - the Automation API's `LanguageServer.run` (automation/server.ts) gives each run its own `AsyncLocalStorage`
 *   store (runtime/state.ts `withLocalStorage`, on the `asyncLocalStorage` global every copy of the runtime
 *   shares), filled from its run request; a program run by the language host runs on the process-wide store.
 * Anything else (a component provider's `construct`, a test harness) counts as not sharing: that only moves a
 * read into the provider host, which is always right and at worst slower.
 */
export function programSharesProviderSettings(): boolean {
    return !!process.env.PULUMI_NODEJS_MONITOR && !runsInRunScopedStore();
}

/** The runtime's globals every copy of `@pulumi/pulumi` shares (runtime/state.ts). */
const runtimeGlobals = globalThis as { asyncLocalStorage?: { getStore?: () => unknown }; globalStore?: unknown };

/** The per-run store the runtime is serving from (the Automation API's language server), if any. */
function runScopedStore(): unknown {
    return runtimeGlobals.asyncLocalStorage?.getStore?.();
}

/** True when the runtime is serving a run from a per-run store (the Automation API's language server). */
function runsInRunScopedStore(): boolean {
    return runScopedStore() !== undefined;
}

/**
 * True when something may rewrite a resource's options where this package cannot see it: a transformation (its
 * own, a parent's, or the stack's, `registerStackTransformation`), or the engine-side transforms (a run that
 * registered any callback with the engine, `registerResourceTransform` or a resource's `transforms`, holds a
 * callback server in the runtime's store). Such a rewrite may add `additionalSecretOutputs` or `ignoreChanges`.
 *
 * @param opts The resource's options as given.
 */
export function optionsMayBeRewritten(opts: pulumi.CustomResourceOptions | undefined): boolean {
    type Transformed = { __transformations?: unknown[] };
    const parent = (opts?.parent ?? pulumi.runtime.getStackResource()) as Transformed | undefined;
    if (opts?.transformations?.length || opts?.transforms?.length || parent?.__transformations?.length) return true;
    // The run's store: the per-run one, else the process-wide one (runtime/state.ts getStore).
    const store = (runScopedStore() ?? runtimeGlobals.globalStore) as { callbacks?: unknown } | undefined;
    return store?.callbacks !== undefined;
}
