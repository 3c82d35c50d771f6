// An mTLS egress wiring on the provider plugin's Go SDK: the id of the certificate for one upstream origin, taken
// by origin from certIdByOrigin (never by position in certIds, which shifts when a certificate is added), and
// guarded by requireOrigins, so a project without a certificate for that origin fails `pulumi preview` naming it.
// main_test.go tests this program with Pulumi's mocks (pulumi.WithMocks), as you test your own: `go test ./...`.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	vcc "github.com/pulumi-vercel-client-certs/pulumi-vercel-client-certs/sdk/go/vercelclientcerts"
)

// DefaultOrigin is the upstream the app authenticates to when stack config `origin` is not set.
const DefaultOrigin = "https://payments.example.com"

// Egress is what the wiring needs: the Vercel project and the upstream origin its app calls with mTLS.
type Egress struct {
	Project string
	Origin  string
}

// Wire reads the project's certificates, requires one for the origin, and returns (and exports as
// `egressCertId`) that certificate's id: the value to hand to whatever configures the app's egress.
func Wire(ctx *pulumi.Context, e Egress) (pulumi.StringOutput, error) {
	certs, err := vcc.NewProjectClientCerts(ctx, "certs", &vcc.ProjectClientCertsArgs{
		IdOrName:       pulumi.String(e.Project),
		RequireOrigins: pulumi.StringArray{pulumi.String(e.Origin)},
	})
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	certID := certs.CertIdByOrigin.MapIndex(pulumi.String(e.Origin))
	ctx.Export("egressCertId", certID)
	ctx.Export("certIdByOrigin", certs.CertIdByOrigin)
	return certID, nil
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		origin := cfg.Get("origin")
		if origin == "" {
			origin = DefaultOrigin
		}
		_, err := Wire(ctx, Egress{Project: cfg.Require("project"), Origin: origin})
		return err
	})
}
