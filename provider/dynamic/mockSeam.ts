/**
 * The one seam between `pulumi-vercel-client-certs/testing` and the data-source functions: mocks made by
 * `clientCertsMocks` carry a certificate source under a well-known symbol, and the functions use it, instead of
 * the network, when the current run's mocks have one. Outside such mocks this finds nothing and costs a lookup.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClientCert, ProjectScope } from "../core/types";

/** Where `clientCertsMocks` puts its certificate source. `Symbol.for`, so two copies of the package agree. */
export const MOCK_CERTS: unique symbol = Symbol.for("pulumi-vercel-client-certs.mockCerts") as never;

/** Certificates of a project, under mocks. */
export type MockCertsSource = (scope: ProjectScope) => ClientCert[];

/** True when the program runs under `pulumi.runtime.setMocks` (any mocks): then nothing may touch the network. */
export function underMocks(): boolean {
    const monitor = pulumi.runtime.getMonitor() as { mocks?: unknown } | undefined;
    return !!monitor && typeof monitor.mocks === "object" && monitor.mocks !== null;
}

/** The current run's mock certificate source, if the program runs under `clientCertsMocks`. */
export function mockCertsSource(): MockCertsSource | undefined {
    // Under `setMocks` the runtime's monitor is a MockMonitor that keeps the user's mocks as `mocks`.
    const monitor = pulumi.runtime.getMonitor() as { mocks?: { [MOCK_CERTS]?: unknown } } | undefined;
    const source = monitor?.mocks?.[MOCK_CERTS];
    return typeof source === "function" ? (source as MockCertsSource) : undefined;
}
