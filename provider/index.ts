/**
 * pulumi-vercel-client-certs: read a Vercel project's mTLS egress client certificates in Pulumi programs.
 *
 * @packageDocumentation
 */
export { ProjectClientCerts, type ProjectClientCertsArgs } from "./resource";
export {
    getProjectClientCerts,
    getProjectClientCertsOutput,
    type GetProjectClientCertsArgs,
    type GetProjectClientCertsOutputArgs,
    type GetProjectClientCertsResult,
} from "./functions";
export { clearSnapshots } from "./snapshots";
export type { ClientCert, TeamSelector } from "./types";
export { VercelClientCertsError, type ErrorKind } from "./errors";
