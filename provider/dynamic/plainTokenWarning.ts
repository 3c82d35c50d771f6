/**
 * A warning, once per program run, when `vercel:apiToken` was set without `--secret`. Why: such a token sits in
 * plain text in `Pulumi.<stack>.yaml`, usually committed to the repository, and nothing else would ever say so
 * (Pulumi's own "use getSecret" hint is not printed for the raw config read this package makes). The program's
 * process is where this is known: the runtime tells it which config keys are secret. The token is never printed.
 */
import * as pulumi from "@pulumi/pulumi";
import { isSecretConfig } from "./programRuntime";

/** Runs already warned, by their engine connection (new for every run), so an Automation API process warns per run. */
const warnedRuns = new WeakSet<object>();
const NO_MONITOR = {};

/**
 * Logs the warning through the engine, once per run, if `vercel:apiToken` is set in stack config but not as a
 * secret.
 *
 * @param tokenInConfig Whether stack config `vercel:apiToken` is set in this run.
 */
export function warnIfTokenInPlainText(tokenInConfig: boolean): void {
    if (!tokenInConfig || isSecretConfig("vercel:apiToken")) return;
    const run = (pulumi.runtime.getMonitor() as object | undefined) ?? NO_MONITOR;
    if (warnedRuns.has(run)) return;
    warnedRuns.add(run);
    void pulumi.log.warn(
        `vercel:apiToken is stored in plain text in Pulumi.${pulumi.getStack()}.yaml (it was set without --secret). ` +
            "Encrypt it: pulumi config set --secret vercel:apiToken <token> (or remove it and set VERCEL_API_TOKEN in the environment).",
    );
}
