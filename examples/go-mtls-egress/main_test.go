// A unit test of main.go with Pulumi's mocks, as a user tests a program on this SDK: no CLI, no plugin, no network.
// The mocks answer for vercel-client-certs:index:ProjectClientCerts what the provider would (its outputs from the
// certificates given), and record the inputs the program sent. Run: `go test ./...` in this folder.
package main

import (
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const certsType = "vercel-client-certs:index:ProjectClientCerts"

type cert struct{ id, origin string }

// certMocks serves each project's certificates and records the inputs of each ProjectClientCerts.
type certMocks struct {
	certs  map[string][]cert
	mu     sync.Mutex
	inputs []resource.PropertyMap
}

func (m *certMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if args.TypeToken != certsType {
		return args.Name + "_id", args.Inputs, nil
	}
	m.mu.Lock()
	m.inputs = append(m.inputs, args.Inputs)
	m.mu.Unlock()
	project := args.Inputs["idOrName"].StringValue()
	list := append([]cert(nil), m.certs[project]...)
	// As the provider: sorted by origin, then id; for an origin with two certificates, the smallest id.
	sort.Slice(list, func(i, j int) bool {
		if list[i].origin != list[j].origin {
			return list[i].origin < list[j].origin
		}
		return list[i].id < list[j].id
	})
	byOrigin := resource.PropertyMap{}
	ids := []resource.PropertyValue{}
	for _, c := range list {
		ids = append(ids, resource.NewStringProperty(c.id))
		if _, seen := byOrigin[resource.PropertyKey(c.origin)]; !seen {
			byOrigin[resource.PropertyKey(c.origin)] = resource.NewStringProperty(c.id)
		}
	}
	outs := args.Inputs.Copy()
	outs["certIds"] = resource.NewArrayProperty(ids)
	outs["certIdByOrigin"] = resource.NewObjectProperty(byOrigin)
	return "team_acme/" + project, outs, nil
}

func (m *certMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

// await returns an output's value once the program has resolved it.
func await(t *testing.T, o pulumi.StringOutput) string {
	t.Helper()
	got := make(chan string, 1)
	o.ApplyT(func(v string) string { got <- v; return v })
	return <-got
}

func TestWirePicksTheCertificateByOriginAndRequiresIt(t *testing.T) {
	mocks := &certMocks{certs: map[string][]cert{"web-app": {
		{"cert_payments01", "https://payments.example.com"},
		{"cert_ledger001", "https://ledger.example.com"},
	}}}
	var got string
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		id, err := Wire(ctx, Egress{Project: "web-app", Origin: "https://payments.example.com"})
		if err != nil {
			return err
		}
		got = await(t, id)
		return nil
	}, pulumi.WithMocks("egress", "test", mocks))
	if err != nil {
		t.Fatal(err)
	}
	if got != "cert_payments01" {
		t.Errorf("egress certificate id = %q, want cert_payments01 (by origin, not by position)", got)
	}
	if len(mocks.inputs) != 1 {
		t.Fatalf("ProjectClientCerts registered %d times, want 1", len(mocks.inputs))
	}
	required := mocks.inputs[0]["requireOrigins"]
	if !required.IsArray() || len(required.ArrayValue()) != 1 || required.ArrayValue()[0].StringValue() != "https://payments.example.com" {
		t.Errorf("requireOrigins = %v, want [https://payments.example.com]: without it a missing certificate fails only at up", required)
	}
}

func TestWireDuringARotationTakesTheSmallestId(t *testing.T) {
	mocks := &certMocks{certs: map[string][]cert{"web-app": {
		{"cert_payments02", "https://payments.example.com"},
		{"cert_ledger001", "https://ledger.example.com"},
		{"cert_payments01", "https://payments.example.com"},
	}}}
	var got string
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		id, err := Wire(ctx, Egress{Project: "web-app", Origin: "https://payments.example.com"})
		if err != nil {
			return err
		}
		got = await(t, id)
		return nil
	}, pulumi.WithMocks("egress", "test", mocks))
	if err != nil {
		t.Fatal(err)
	}
	if got != "cert_payments01" {
		t.Errorf("egress certificate id during a rotation = %q, want cert_payments01", got)
	}
}
