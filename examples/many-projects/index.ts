/**
 * examples/many-projects: 20 projects at once. Each is tracked as a `ProjectClientCerts` resource (so
 * `pulumi preview` shows drift per project), and looked up with `getProjectClientCertsOutput` (a data source, for
 * values needed elsewhere in the program). Within one run, a resource and a lookup of the same project share one
 * API request.
 *
 * Self-contained: copy this folder anywhere, then run, in it (until the package is on npm, the packed build
 * from `npm pack` goes in first, so the plain `npm install` finds it):
 *
 *   npm install /path/to/pulumi-vercel-client-certs-0.1.0.tgz
 *   npm install
 *   pulumi stack init dev
 *   pulumi config set --secret vercel:apiToken <token>
 *   pulumi config set vercel:team team_123
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { getProjectClientCertsOutput, ProjectClientCerts } from "pulumi-vercel-client-certs";

const config = new pulumi.Config();
const projects =
    config.getObject<string[]>("projects") ?? Array.from({ length: 20 }, (_, i) => `service-${String(i).padStart(2, "0")}`);

const tracked = projects.map((name) => new ProjectClientCerts(`certs-${name}`, { idOrName: name }));
const lookedUp = projects.map((name) => getProjectClientCertsOutput({ idOrName: name }));

/** project → certificate ids, from the tracked resources. */
export const certIdsByProject = pulumi.all(tracked.map((c) => c.certIds)).apply((ids) =>
    Object.fromEntries(projects.map((name, i) => [name, ids[i]])),
);

/** project → origins, from the data-source lookups. */
export const originsByProject = pulumi.all(lookedUp.map((r) => r.origins)).apply((origins) =>
    Object.fromEntries(projects.map((name, i) => [name, origins[i]])),
);
