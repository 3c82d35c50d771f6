/**
 * Runs the provider lifecycle in the test process (no gRPC hop), for the many error-path cases. The HTTP is
 * still real: every call goes to the fake Vercel API on 127.0.0.1.
 */
import { lifecycle } from "../../dist/dynamic/lifecycle";
import { clearSnapshots } from "../../dist/core/snapshots";

const ENV_KEYS = [
    "VERCEL_API_URL",
    "VERCEL_API_TOKEN",
    "VERCEL_TOKEN",
    "VERCEL_CLIENT_CERTS_TIMEOUT_MS",
    "VERCEL_CLIENT_CERTS_RETRY_BUDGET_MS",
    "VERCEL_CLIENT_CERTS_MAX_ATTEMPTS",
] as const;

/**
 * Starts a simulated command: forgets snapshots (a new host process would have none), sets the environment
 * the host would inherit, and configures the lifecycle with the stack config.
 */
export async function newCommand(env: Partial<Record<(typeof ENV_KEYS)[number], string>>, config: Record<string, string> = {}) {
    clearSnapshots();
    for (const key of ENV_KEYS) {
        if (env[key] === undefined) delete process.env[key];
        else process.env[key] = env[key];
    }
    await lifecycle.configure({ config: { get: (k: string) => config[k] } });
    return lifecycle;
}

/** Resolves to the error a promise rejects with; fails if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
    try {
        await p;
    } catch (err) {
        return err as Error;
    }
    throw new Error("expected a rejection, but the call succeeded");
}
