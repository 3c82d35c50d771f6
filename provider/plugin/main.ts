/**
 * The plugin executable's entry point (`pulumi-resource-vercel-client-certs`): starts the gRPC server. The
 * engine stops the process when it is done with it; if the engine dies first, the process exits on its own
 * (engineWatch.ts). A failure to bind exits non-zero with the reason on stderr.
 */
import { engineAddressFrom } from "./engineAddress";
import { useEngine } from "./engineLog";
import { watchEngine } from "./engineWatch";
import { serve } from "./server";

const engine = engineAddressFrom(process.argv.slice(2));
useEngine(engine);
serve()
    .then(() => watchEngine(engine))
    .catch((err) => {
        process.stderr.write(`pulumi-resource-vercel-client-certs: cannot start: ${(err as Error).message}\n`);
        process.exit(1);
    });
