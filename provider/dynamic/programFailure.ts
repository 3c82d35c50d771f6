/**
 * Ending a program run from inside an `apply`, fast and once. Why: an exception thrown in an `apply` rejects the
 * Output, and Pulumi's runtime only reports such a rejection at the end of a slow path (about 55 s with the CLI
 * 3.248, longer on a busy machine, plus a `PromiseRejectionHandledWarning`). Raised as an uncaught
 * `ResourceError` on the next turn instead, the runtime's own handler reports it at once, on the resource's line,
 * without a stack trace, and fails the run; the Output meanwhile stays pending, so nothing that depends on it is
 * registered with a made-up value. The CLI's program then exits as soon as its other work is done.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROGRAM_FAILURE_SETTLE_MS } from "../core/limits";
import { underMocks } from "./mockSeam";

/**
 * Reports `message` as this run's failure on `resource`, and returns a promise that never resolves with a value.
 * Under `pulumi.runtime.setMocks` (unit tests) it simply rejects, as tests expect an Output to. Under the CLI it
 * stays pending (the program's process then exits when its work is done). In any other process (an Automation API
 * inline program) it rejects after `PROGRAM_FAILURE_SETTLE_MS`, so the run still ends there.
 *
 * @param message What failed and what to do; already free of secrets.
 * @param resource The resource the failure is about (the CLI shows the message on its line).
 * @returns A promise for no value, only ever rejected.
 */
export function failProgram(message: string, resource: pulumi.Resource): Promise<never> {
    const error = new pulumi.ResourceError(message, resource, /* hideStack */ true);
    if (underMocks()) return Promise.reject(error);
    setImmediate(() => {
        throw error;
    });
    // Under the CLI the program's process ends when its work is done, so the Output may stay pending: a rejection
    // would take the slow path above. Only a process that outlives the run needs it settled, and gets it, later.
    // In a preview under the CLI a pending Output kept the program's process busy for minutes (seen with the CLI
    // 3.248 on a loaded machine; not yet understood), so a preview settles it as below.
    if (runByCli() && !pulumi.runtime.isDryRun()) return new Promise<never>(() => undefined);
    return new Promise<never>((_, reject) => {
        setTimeout(() => reject(error), PROGRAM_FAILURE_SETTLE_MS).unref();
    });
}

/** True when this process is the program run by the CLI's Node.js language host (`@pulumi/pulumi/cmd/run`). */
function runByCli(): boolean {
    return /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run[\\/]index\.js$/.test(require.main?.filename ?? "");
}
