/**
 * Ending a program run from inside an `apply`, fast and once. Why: Pulumi's runtime reports an uncaught error
 * (`cmd/run/run.js` `uncaughtHandler`) by logging it and then, for its trace span, rendering it with
 * `util.inspect` (`cmd/run/error.js` `defaultErrorMessage`), whatever the error's `hideStack`. A `ResourceError`
 * carries its resource as an enumerable property, so that rendering walks the resource's whole object graph (its
 * Outputs, their promises, the runtime state they reach): measured with a CPU profile of the program under the CLI
 * 3.248, 80 s of one preview's 84 s went to that `inspect` and its garbage collection. That, not the engine, was
 * "Pulumi's slow path" (about 55 s, minutes on a busy machine) for a `certIdFor` that failed.
 *
 * So the error raised here keeps its resource out of sight of `inspect` (non-enumerable: the runtime still reads it
 * to log the message on the resource's line), and is raised as an uncaught exception on the next turn rather than
 * as a rejected Output (which would be reported once unhandled and then, when the runtime's own awaits catch up,
 * draw a `PromiseRejectionHandledWarning`). The runtime logs it once, without a stack, and fails the run.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROGRAM_FAILURE_SETTLE_MS } from "../core/limits";
import { underMocks } from "./mockSeam";

/**
 * Reports `message` as this run's failure on `resource`, and returns a promise that never resolves with a value.
 * Under `pulumi.runtime.setMocks` (unit tests) it simply rejects, as tests expect an Output to. Under the CLI it
 * stays pending (the program's process then exits when its work is done), in a preview as in an update. In any other process (an Automation API
 * inline program) it rejects after `PROGRAM_FAILURE_SETTLE_MS`, so the run still ends there.
 *
 * @param message What failed and what to do; already free of secrets.
 * @param resource The resource the failure is about (the CLI shows the message on its line).
 * @returns A promise for no value, only ever rejected.
 */
export function failProgram(message: string, resource: pulumi.Resource): Promise<never> {
    const error = new pulumi.ResourceError(message, resource, /* hideStack */ true);
    // Still read by the runtime's handler (`err.resource`), but never rendered by `util.inspect` (see the top).
    Object.defineProperty(error, "resource", { value: resource, enumerable: false, writable: true, configurable: true });
    // No stack either: the runtime never shows it (hideStack), and with one `defaultErrorMessage` renders the error
    // with `util.inspect`, which under the CLI's ts-node (source-mapped frames) took the program a minute and more.
    error.stack = "";
    if (underMocks()) return Promise.reject(error);
    setImmediate(() => {
        throw error;
    });
    // Under the CLI the program's process ends when its work is done (a pending promise does not keep it alive),
    // so the Output may stay pending, in a preview as in an update. Only a process that outlives the run (an
    // Automation API inline program) needs it settled, and gets it, later.
    if (runByCli()) return new Promise<never>(() => undefined);
    return new Promise<never>((_, reject) => {
        setTimeout(() => reject(error), PROGRAM_FAILURE_SETTLE_MS).unref();
    });
}

/** True when this process is the program run by the CLI's Node.js language host (`@pulumi/pulumi/cmd/run`). */
function runByCli(): boolean {
    return /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run[\\/]index\.js$/.test(require.main?.filename ?? "");
}
