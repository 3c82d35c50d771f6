/**
 * examples/basic: read one Vercel project's mTLS egress client certificates and export their ids.
 *
 * Self-contained: copy this folder anywhere, then run, in it (until the package is on npm, the packed build
 * from `npm pack` goes in first, so the plain `npm install` finds it):
 *
 *   npm install /path/to/pulumi-vercel-client-certs-0.1.0.tgz
 *   npm install
 *   pulumi stack init dev
 *   pulumi config set --secret vercel:apiToken <token>   # or export VERCEL_API_TOKEN
 *   pulumi config set vercel:team team_123               # optional: the team that owns the project
 *   pulumi config set project my-app                     # the project id or name
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";

const config = new pulumi.Config();

const certs = new ProjectClientCerts("project-certs", {
    idOrName: config.get("project") ?? "web-app",
});

/** Every certificate id, sorted by origin. */
export const certIds = certs.certIds;
/** `{ id, origin }` for every certificate. */
export const clientCerts = certs.clientCerts;
