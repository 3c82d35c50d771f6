"""Read a Vercel project's mTLS egress client certificates, and wire one origin's certificate id, from Python.

The provider plugin's generated Python SDK (sdk/python, package ``pulumi_vercel_client_certs``): the basic read,
and the egress wiring, the certificate id for one upstream origin by origin (``cert_id_by_origin``), guarded by
``require_origins`` so a project without that certificate fails ``pulumi preview`` naming the origin.

Not run by this repository's tests: its machines have no ``pulumi`` Python package, so Python programs cannot run
there. tests/sdk.test.ts compiles this file (``python3 -m py_compile``) and checks every SDK name it uses (classes,
functions, arguments, outputs) against the generated SDK, so a renamed or missing name fails the tests.

Run it from this folder after installing the plugin (README, "Install" and "First program"):
    pulumi config set project web-app
    pulumi config set vercel-client-certs:team team_acme
    pulumi config set --secret vercel-client-certs:apiToken <token>
    pulumi up
"""
import pulumi
import pulumi_vercel_client_certs as vcc

PAYMENTS = "https://payments.example.com"

config = pulumi.Config()
project = config.require("project")

# The basic read: the project's certificates, kept in state, so every preview reports drift by certificate id.
# require_origins: without a certificate for the origin the egress needs, the preview fails naming it.
certs = vcc.ProjectClientCerts("certs", id_or_name=project, require_origins=[PAYMENTS])

# The same certificates through the function, without keeping them in state.
lookup = vcc.get_project_client_certs_output(id_or_name=project)

pulumi.export("certIds", certs.cert_ids)
pulumi.export("lookedUpCertIds", lookup.cert_ids)
# The egress wiring: the certificate id for the payments origin, by origin, not by position in cert_ids (which
# shifts when a certificate is added). Hand it to whatever configures the app's mTLS egress; here, an output.
# When the origin has two certificates (a rotation), the smallest id wins, whatever order Vercel lists them in.
pulumi.export("paymentsCertId", certs.cert_id_by_origin.apply(lambda by_origin: by_origin[PAYMENTS]))
pulumi.export("certIdByOrigin", certs.cert_id_by_origin)
