// Reads a Vercel project's mTLS egress client certificates with the provider plugin's Go SDK.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	vcc "github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs/sdk/go/vercelclientcerts"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		project := cfg.Require("project")
		var requireOrigins []string
		cfg.GetObject("requireOrigins", &requireOrigins)

		// A resource: its certificates are in state, so every preview and refresh reports drift.
		certs, err := vcc.NewProjectClientCerts(ctx, "certs", &vcc.ProjectClientCertsArgs{
			IdOrName:       pulumi.String(project),
			RequireOrigins: pulumi.ToStringArray(requireOrigins),
		})
		if err != nil {
			return err
		}
		ctx.Export("certIds", certs.CertIds)
		ctx.Export("clientCerts", certs.ClientCerts)

		// The function reads the same certificates without keeping them in state.
		found := vcc.LookupProjectClientCertsOutput(ctx, vcc.LookupProjectClientCertsOutputArgs{
			IdOrName: pulumi.String(project),
		})
		ctx.Export("lookedUpCertIds", found.CertIds())
		return nil
	})
}
