/**
 * examples/mtls-egress: make sure the project has a client certificate for the payments API, then hand its id to
 * the app through a Vercel environment variable, so the app presents the right certificate on egress.
 *
 * `requireOrigins` stops `pulumi preview` before anything deploys if the certificate is missing, instead of the
 * app failing its mTLS handshake in production. `certIdFor` resolves the id for that one origin.
 *
 * Self-contained: copy this folder anywhere, then run, in it (until the package is on npm, the packed build
 * from `npm pack` goes in first, so the plain `npm install` finds it):
 *
 *   npm install /path/to/pulumi-vercel-client-certs-0.1.0.tgz
 *   npm install
 *   pulumi stack init dev
 *   pulumi config set --secret vercel:apiToken <token>
 *   pulumi config set vercel:team team_123
 *   pulumi config set projectId prj_123                      # id: ProjectEnvironmentVariable needs the id
 *   pulumi config set paymentsOrigin https://payments.example.com
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import * as vercel from "@pulumiverse/vercel";
import { ProjectClientCerts } from "pulumi-vercel-client-certs";

const config = new pulumi.Config();
const projectId = config.get("projectId") ?? "prj_webapp0001";
const paymentsOrigin = config.get("paymentsOrigin") ?? "https://payments.example.com";

const certs = new ProjectClientCerts("app-client-certs", {
    idOrName: projectId,
    requireOrigins: [paymentsOrigin],
});

/** The certificate id the app will use for the payments origin. */
export const paymentsCertId = certs.certIdFor(paymentsOrigin);

// The app reads PAYMENTS_CLIENT_CERT_ID to pick the certificate Vercel presents to the payments API.
new vercel.ProjectEnvironmentVariable("payments-client-cert-id", {
    projectId, // team: @pulumiverse/vercel reads the same vercel:team
    key: "PAYMENTS_CLIENT_CERT_ID",
    value: paymentsCertId,
    targets: ["production", "preview"],
    sensitive: false,
});

/** Every origin the project has a certificate for. */
export const origins = certs.origins;
