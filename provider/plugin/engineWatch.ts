/**
 * The plugin ends with its engine. The CLI starts the plugin with the engine's gRPC address as its first argument
 * and normally stops it when done; but when `pulumi` itself dies (`kill -9`, an OOM kill, a crashed CI runner),
 * nothing stops the plugin, and it would keep running with PPID 1, holding its port and its token in memory.
 *
 * Pulumi's own providers and language hosts watch the engine with `grpc.health.v1.Health/Check` against that
 * address (`sdk/go/common/util/rpcutil/health.go`: an UNIMPLEMENTED answer counts as alive, any other failure as
 * gone), every 5 minutes. This does the same, every `ENGINE_CHECK_INTERVAL_MS`, and exits after
 * `ENGINE_GONE_AFTER_FAILED_CHECKS` failures in a row, so an orphan lives a few seconds at most.
 */
import * as grpc from "@grpc/grpc-js";
import { ENGINE_CHECK_INTERVAL_MS, ENGINE_CALL_TIMEOUT_MS, ENGINE_GONE_AFTER_FAILED_CHECKS } from "../core/limits";

const HEALTH_CHECK = "/grpc.health.v1.Health/Check";

/** What one health check found. */
type Health = "alive" | "gone" | "unknown";

/**
 * One health check. Alive: the engine answered, or said it has no health service (UNIMPLEMENTED, as Pulumi's
 * own check counts it). Unknown: no answer within `ENGINE_CALL_TIMEOUT_MS`, which is also what this process sees
 * when its own event loop was busy past the deadline (decoding a large request), so it proves nothing. Gone: any
 * other failure, above all UNAVAILABLE, the refused connection a dead engine's closed port gives at once.
 */
function checkEngine(client: grpc.Client): Promise<Health> {
    return new Promise((resolve) => {
        client.makeUnaryRequest(
            HEALTH_CHECK,
            // An empty HealthCheckRequest (service "") encodes as zero bytes; the answer's content does not matter.
            () => Buffer.alloc(0),
            (bytes: Buffer) => bytes,
            {},
            { deadline: Date.now() + ENGINE_CALL_TIMEOUT_MS },
            (err) =>
                resolve(!err || err.code === grpc.status.UNIMPLEMENTED ? "alive" : err.code === grpc.status.DEADLINE_EXCEEDED ? "unknown" : "gone"),
        );
    });
}

/**
 * Watches the engine at `address` and calls `onGone` (by default, exits the process) once
 * `ENGINE_GONE_AFTER_FAILED_CHECKS` checks in a row found it gone (a check that timed out counts neither way). Without an address (the plugin started by hand, or attached
 * to), there is nothing to watch. The timer never keeps the process alive by itself.
 *
 * @param address The engine's gRPC address, `host:port`.
 * @param onGone What to do when the engine is gone.
 */
export function watchEngine(address: string | undefined, onGone: () => void = () => process.exit(0)): void {
    if (!address) return;
    const client = new grpc.Client(address, grpc.credentials.createInsecure());
    let failures = 0;
    const tick = async () => {
        const health = await checkEngine(client);
        if (health === "alive") failures = 0;
        if (health === "gone") failures++;
        if (failures >= ENGINE_GONE_AFTER_FAILED_CHECKS) {
            client.close();
            return onGone();
        }
        setTimeout(tick, ENGINE_CHECK_INTERVAL_MS).unref();
    };
    setTimeout(tick, ENGINE_CHECK_INTERVAL_MS).unref();
}
