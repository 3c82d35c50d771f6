/**
 * Where the engine is: the CLI starts a provider plugin as `<plugin> [--logtostderr] [-v=N] [--tracing <endpoint>]
 * <engine address>` (`buildPluginArguments`, sdk/go/common/resource/plugin/plugin.go). The address is the first
 * argument that is not a flag; without one (the plugin started by hand, or attached to) there is no engine to
 * talk to. engineWatch.ts and engineLog.ts use it.
 */

/** Flags the engine passes that take a separate value. */
const FLAGS_WITH_VALUE = new Set(["--tracing", "-tracing"]);

/**
 * The engine's address among the plugin's arguments, or undefined.
 *
 * @param args The arguments after the script (`process.argv.slice(2)`).
 */
export function engineAddressFrom(args: readonly string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (FLAGS_WITH_VALUE.has(arg)) i++;
        else if (!arg.startsWith("-")) return arg;
    }
    return undefined;
}
