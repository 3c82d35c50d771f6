/**
 * Builds the real `ProjectClientCerts` under `pulumi.runtime.setMocks` and returns the inputs Pulumi would send
 * to the engine, `__provider` included. Under mocks no provider method runs, so this only captures.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts, type ProjectClientCertsArgs } from "../../dist";

/** The registered inputs of one resource. */
export type Registered = { urn: string; inputs: Record<string, unknown> };

/**
 * Constructs one resource and resolves to its URN and registered inputs.
 * @param name The resource's name.
 * @param args Its arguments.
 * @param mocks Mocks that answer the registration (e.g. `clientCertsMocks`, whose live set then rides along in the
 *   inputs, as a real program's does); by default the inputs are echoed.
 */
export async function registerResource(name: string, args: ProjectClientCertsArgs, mocks?: pulumi.runtime.Mocks): Promise<Registered> {
    let inputs: Record<string, unknown> | undefined;
    await pulumi.runtime.setMocks(
        {
            ...mocks,
            newResource: (a) => {
                inputs = a.inputs;
                return mocks ? mocks.newResource(a) : { id: `${a.name}-id`, state: a.inputs };
            },
            call: (a) => (mocks ? mocks.call(a) : a.inputs),
        },
        "client-certs-test",
        "dev",
        false,
    );
    const resource = new ProjectClientCerts(name, args);
    const urn = await new Promise<string>((resolve) => resource.urn.apply(resolve));
    if (!inputs || typeof inputs.__provider !== "string") throw new Error("no __provider was registered");
    return { urn, inputs };
}
