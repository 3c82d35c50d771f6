/**
 * The plugin executable's entry point (`pulumi-resource-vercel-client-certs`): starts the gRPC server. The
 * engine stops the process when it is done with it; a failure to bind exits non-zero with the reason on stderr.
 */
import { serve } from "./server";

serve().catch((err) => {
    process.stderr.write(`pulumi-resource-vercel-client-certs: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
});
