package conformance_test

import (
	"context"
	"os"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/dnscontrol/conformance"
	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/mbt"
)

// The tests of this file drive a running acme server, and are skipped
// unless EXECSPEC_DNS_URL gives its address:
//
//	go run ./examples/dnscontrol/cmd/acme -dir $(mktemp -d) &
//	EXECSPEC_DNS_URL=http://127.0.0.1:8053 go test ./examples/dnscontrol/conformance -run Remote -v
//
// EXECSPEC_DNS_INSTANCE names the model instance the server implements:
// n3_5_3 (the default) for a server started without -fixed, n3_5_3_fixed
// with -fixed; the server's -keep must be the instance's (3). The server must
// not run -auto: the tests reset it and drive it alone. TestConformanceRemote
// runs first, then TestOutageRemote leaves the server at the end of the
// outage trace: open http://127.0.0.1:8053/ to see it.

// remote returns the server's address and instance, or skips the test.
func remote(t *testing.T) (string, dnsbalancer.Params) {
	t.Helper()
	url := os.Getenv("EXECSPEC_DNS_URL")
	if url == "" {
		t.Skip("set EXECSPEC_DNS_URL to the address of a running acme server")
	}
	name := os.Getenv("EXECSPEC_DNS_INSTANCE")
	if name == "" {
		name = "n3_5_3"
	}
	p, err := conformance.Instance(name)
	if err != nil {
		t.Fatal(err)
	}
	return url, p
}

func remoteDriver(t *testing.T, url string, p dnsbalancer.Params) *conformance.Driver {
	t.Helper()
	d, err := conformance.NewDriver(conformance.NewRemote(url), p)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestConformanceRemote runs 100 random traces (-execspec.traces for more)
// against the server.
func TestConformanceRemote(t *testing.T) {
	url, p := remote(t)
	conform(t, p, 100, func(testing.TB, dnsbalancer.Params) *conformance.Driver { return remoteDriver(t, url, p) })
}

// TestOutageRemote replays the outage trace against the server: on a buggy
// server it ends in the outage, on a fixed one (the trace re-executed on the
// fixed model) the endpoint keeps resolving.
func TestOutageRemote(t *testing.T) {
	url, p := remote(t)
	if p.MaxPlans != buggy.MaxPlans || p.Keep != buggy.Keep {
		t.Skip("the outage trace is a trace of n3_5_3")
	}
	tr := outageTrace(t)
	it := tr.ToITF()
	if p.Fixed {
		_, it, _ = rebase(t, p, tr)
	}
	path := writeITF(t, t.TempDir(), "outage.itf.json", it)
	d := remoteDriver(t, url, p)
	mbt.Replay(t, dnsbalancer.New(p), driverOf(d), mbt.Options{}, path)
	h, err := d.Service.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if down := len(h.Root) == 0; down == p.Fixed || h.OK == down {
		t.Errorf("%s resolves to %v, healthy %v, on a server with fixed=%v", layout.Root, h.Root, h.OK, p.Fixed)
	}
	t.Logf("%s resolves to %v (healthy: %v): see %s/", layout.Root, h.Root, h.OK, url)
}
