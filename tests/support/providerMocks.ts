/**
 * Pulumi mocks that run the real provider: for every dynamic resource, load its `__provider` text the way the
 * host does (a CommonJS module resolved from the program directory), configure it with the stack config, and run
 * check then create against the fake API. Other resources echo their inputs.
 *
 * This proves example programs work, not just that they compile.
 */
import Module from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

type Provider = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "create">> & pulumi.dynamic.ResourceProvider;

/** Loads `__provider` text as the host does (`requireFromString(text).handler()`), resolving from `programDir`. */
export function loadSerializedProvider(text: string, programDir: string): Provider {
    const m = new Module(path.join(programDir, "__provider.js"));
    m.filename = path.join(programDir, "__provider.js");
    m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(programDir);
    (m as unknown as { _compile(code: string, filename: string): void })._compile(text, m.filename);
    return (m.exports as { handler(): Provider }).handler();
}

/** Every resource registered, with the state the provider returned. */
export type MockedResource = { type: string; name: string; id: string; state: Record<string, unknown> };

/** Mocks running each dynamic resource's provider; `resources` fills as the program registers them. */
export function providerRunningMocks(stackConfig: Record<string, string>, programDir: string) {
    const providers = new Map<string, Provider>();
    const resources: MockedResource[] = [];
    const mocks: pulumi.runtime.Mocks = {
        async newResource(args) {
            const { __provider: text, ...news } = args.inputs as Record<string, unknown>;
            if (typeof text !== "string") {
                resources.push({ type: args.type, name: args.name, id: `${args.name}-id`, state: args.inputs });
                return { id: `${args.name}-id`, state: args.inputs };
            }
            let provider = providers.get(text);
            if (!provider) {
                provider = loadSerializedProvider(text, programDir);
                providers.set(text, provider);
                await provider.configure?.({ config: { get: (k: string) => stackConfig[k] } } as never);
            }
            const checked = await provider.check({}, news);
            if (checked.failures?.length) {
                throw new Error(`check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
            }
            const { id, outs } = await provider.create(checked.inputs);
            resources.push({ type: args.type, name: args.name, id, state: outs });
            return { id, state: outs };
        },
        call: (args) => args.inputs,
    };
    return { mocks, resources, providers };
}
