/**
 * pulumi-vercel-client-certs: read a Vercel project's mTLS egress client certificates in Pulumi programs.
 *
 * @packageDocumentation
 */
export { ProjectClientCerts, type ProjectClientCertsArgs } from "./dynamic/resource";
export {
    getProjectClientCerts,
    getProjectClientCertsOutput,
    type GetProjectClientCertsArgs,
    type GetProjectClientCertsOutputArgs,
    type GetProjectClientCertsResult,
} from "./dynamic/functions";
export { clearSnapshots } from "./core/snapshots";
export type { ClientCert, TeamSelector } from "./core/types";
export { VercelClientCertsError, type ErrorKind } from "./core/errors";
