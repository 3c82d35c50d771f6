/**
 * `pulumi-vercel-client-certs/testing`: for users' own tests of their stacks.
 *
 * - {@link clientCertsMocks}: Pulumi mocks under which `ProjectClientCerts` and the data-source functions return
 *   realistic outputs from certificates you give, with no network. (Under plain `setMocks` a mock echoes inputs,
 *   so `certIds` would be `undefined` though typed as a list.)
 * - {@link FakeVercel} and {@link startSandbox}: the fake Vercel API this package is tested against, on
 *   127.0.0.1, so a test can run the stack's real provider code against it (set `VERCEL_API_URL` to its `url`).
 */
import * as pulumi from "@pulumi/pulumi";
import { outputsFrom } from "../core/certSet";
import { FakeVercel, type FakeOptions } from "./fakeVercel";
import { resourceId } from "../core/resourceIds";
import { secretResourceId } from "../core/secretScope";
import { MOCK_CERTS, type MockCertsSource } from "../dynamic/mockSeam";
import { unpackProgramRead } from "../dynamic/programRead";
import { sampleSeed } from "./sandboxSeed";
import type { ClientCert, ProjectScopeArgs } from "../core/types";

/** The fake Vercel API and its types: see {@link FakeVercel}. */
export { FakeVercel, type FakeCert, type FakeOptions, type FakeProject, type FakeSeed, type FakeTeam, type FakeTokenGrant, type Fault, type RecordedRequest } from "./fakeVercel";
/** The sample data the sandbox serves, and the tokens it accepts (not secrets: they only open the local fake). */
export { OUTSIDER_TOKEN, SANDBOX_TOKEN, sampleSeed } from "./sandboxSeed";

/** The resource type Pulumi registers for `ProjectClientCerts` (a dynamic resource). */
export const PROJECT_CLIENT_CERTS_TYPE = "pulumi-nodejs:dynamic/vercel:ProjectClientCerts";

/**
 * Certificates to serve, by project: a map from `idOrName` (or `"<teamId|slug>/<idOrName>"` to tell teams apart)
 * to its certificates, or a function of the project's scope.
 */
export type MockCerts = Record<string, ClientCert[]> | ((scope: { idOrName: string; teamId?: string; slug?: string }) => ClientCert[] | undefined);

/**
 * Pulumi mocks under which every `ProjectClientCerts` gets the outputs the real provider would produce from
 * `certs` (sorted, with `certIds`, `origins`, `certOriginsById` and `certIdByOrigin`, id `<team>/<idOrName>`), and `getProjectClientCerts(Output)`
 * returns the same without any request. A secret project or team (`pulumi.secret(...)`, or a secret `vercel:team`)
 * gets the same certificates, with what the real provider gives such a resource: the id `(secret)/<uuid>` and
 * secret outputs. Other resources and invokes go to `others` (default: inputs echoed).
 *
 * A project with no entry has no certificates.
 *
 * @param certs The certificates of each project.
 * @param others Mocks for every other resource and invoke in the program.
 * @returns Mocks for `pulumi.runtime.setMocks`.
 *
 * @example
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { clientCertsMocks } from "pulumi-vercel-client-certs/testing";
 *
 * pulumi.runtime.setMocks(
 *     clientCertsMocks({ "my-app": [{ id: "cert_1", origin: "https://payments.example.com" }] }),
 *     "my-project",
 *     "test",
 * );
 * ```
 */
export function clientCertsMocks(certs: MockCerts, others?: pulumi.runtime.Mocks): pulumi.runtime.Mocks {
    const lookup: MockCertsSource = (scope) => {
        if (typeof certs === "function") return certs(scope) ?? [];
        const team = scope.teamId ?? scope.slug;
        // Own keys only: a project named "constructor" or "toString" must not find Object's built-ins.
        const own = (key: string) => (Object.hasOwn(certs, key) ? certs[key] : undefined);
        return (team !== undefined ? own(`${team}/${scope.idOrName}`) : undefined) ?? own(scope.idOrName) ?? [];
    };
    const mocks: pulumi.runtime.Mocks & { [MOCK_CERTS]: MockCertsSource } = {
        [MOCK_CERTS]: lookup,
        newResource(args) {
            if (args.type !== PROJECT_CLIENT_CERTS_TYPE) {
                return others ? others.newResource(args) : { id: `${args.name}_id`, state: args.inputs };
            }
            const inputs = unpackProgramRead(args.inputs, plain);
            const scope = scopeOf(inputs);
            const state: Record<string, unknown> = outputsFrom(scope, lookup(scope));
            if (plain(inputs.secretScope) !== true) return { id: resourceId(scope), state };
            // As the engine stores them for a secret scope (secretScope.ts): the scope and the lists, secret.
            for (const key of ["idOrName", "teamId", "slug", "clientCerts", "certIds", "origins", "certIdByOrigin"]) {
                if (state[key] !== undefined) state[key] = asSecret(state[key]);
            }
            return { id: secretResourceId(), state };
        },
        call(args) {
            return others ? others.call(args) : args.inputs;
        },
    };
    return mocks;
}

/** A value as the mock monitor hands it over, a secret one unwrapped (`pulumi.runtime.isRpcSecret`). */
function plain(v: unknown): unknown {
    return pulumi.runtime.isRpcSecret(v) ? pulumi.runtime.unwrapRpcSecret(v) : v;
}

/** A value as the mock monitor hands a secret back to the program: wrapped, so its Output is secret. */
function asSecret(value: unknown): unknown {
    return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}

/**
 * The scope in a resource's inputs as the mock monitor hands them over: secret inputs arrive wrapped
 * (`pulumi.runtime.isRpcSecret`), and are read through the wrapper like any other.
 */
function scopeOf(inputs: Record<string, unknown>): ProjectScopeArgs {
    const text = (v: unknown) => {
        const value = plain(v);
        return typeof value === "string" ? value : undefined;
    };
    const origins = plain(inputs.requireOrigins);
    return {
        idOrName: text(inputs.idOrName) ?? "",
        ...(text(inputs.teamId) !== undefined ? { teamId: text(inputs.teamId) } : {}),
        ...(text(inputs.slug) !== undefined ? { slug: text(inputs.slug) } : {}),
        ...(Array.isArray(origins) ? { requireOrigins: origins.map(String) } : {}),
    };
}

/**
 * Starts the fake Vercel API on 127.0.0.1 with the sample teams, projects and certificates (port 0: any free
 * port). Point the provider at it with `VERCEL_API_URL = fake.url` and the token `SANDBOX_TOKEN`. Stop it with
 * `await fake.stop()`.
 *
 * @param port The port to listen on; 0 picks a free one.
 * @param options Awkward-but-legal behaviour, and `logRequest` for one line per request served.
 * @returns The running fake.
 */
export async function startSandbox(port = 0, options: FakeOptions = {}): Promise<FakeVercel> {
    const fake = new FakeVercel(sampleSeed(), options);
    await fake.start(port);
    return fake;
}
