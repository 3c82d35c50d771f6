/**
 * One error, printed once. Pulumi's dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) answers a failed
 * call with the error, which the CLI shows on the resource's own line, and also prints `${err}: ${err.stack}` to
 * its stderr, which the CLI shows a second time under the stack resource (with a stray trailing colon, as our
 * errors carry no stack). The message is the whole story, so that exact echo of an error this package threw is
 * dropped; every other line on the host's stderr (other providers' errors included) passes through untouched.
 */
import { VercelClientCertsError } from "../core/errors";

/** Echo lines the host is about to print for errors we threw; each is dropped once. Bounded: see `remember`. */
const pending = new Map<string, number>();
const MAX_PENDING = 100;
let installed = false;

function install(): void {
    if (installed) return;
    installed = true;
    const original = console.error.bind(console);
    console.error = (...args: unknown[]) => {
        if (args.length === 1 && typeof args[0] === "string") {
            const left = pending.get(args[0]);
            if (left !== undefined) {
                if (left <= 1) pending.delete(args[0]);
                else pending.set(args[0], left - 1);
                return;
            }
        }
        original(...args);
    };
}

function remember(err: VercelClientCertsError): void {
    install();
    const line = `${err}: ${err.stack}`;
    // Bounded, so errors thrown outside the host (where nothing prints them) cannot pile up.
    if (!pending.has(line) && pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
    pending.set(line, (pending.get(line) ?? 0) + 1);
}

/** `fn`, with the host's echo of any VercelClientCertsError it throws suppressed. */
export async function printedOnce<T>(fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (err) {
        if (err instanceof VercelClientCertsError) remember(err);
        throw err;
    }
}
