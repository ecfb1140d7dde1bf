package conformance_test

import (
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/mbt/linearize"

	"github.com/execspec/execspec/mbt"
)

// BenchmarkMBT measures model-based testing of the fixed service against
// n3_5_3_fixed: one op is one random trace of 50 steps, with the state
// compared and the health checked after every step. It reports steps/s and
// traces/s.
//
//	go test ./examples/dnscontrol/conformance -run '^$' -bench MBT -benchtime 2000x
func BenchmarkMBT(b *testing.B) {
	for _, bc := range []struct {
		name string
		drv  func(testing.TB) mbt.Driver[State]
	}{
		{"in-process", func(tb testing.TB) mbt.Driver[State] { return inProcess(tb, fixed) }},
		{"http", func(tb testing.TB) mbt.Driver[State] { return overHTTP(tb, fixed) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rep := mbt.Run(b, dnsbalancer.New(fixed), bc.drv, mbt.Options{Seed: 1, Traces: b.N, Steps: 50, Dir: b.TempDir()})
			if rep == nil || rep.Divergence != nil {
				b.Fatal("mbt.Run failed")
			}
			secs := rep.Elapsed.Seconds()
			b.ReportMetric(float64(rep.Steps)/secs, "steps/s")
			b.ReportMetric(float64(rep.Traces)/secs, "traces/s")
		})
	}
}

// BenchmarkCheckLinearizableDNS checks a linearizable history of 1,000
// operations over 8 clients of the DNS control plane's model (n3_20_3),
// final state included.
func BenchmarkCheckLinearizableDNS(b *testing.B) {
	m := dnsbalancer.New(dnsbalancer.Instance(20, 3, false))
	h, err := linearize.WalkHistory(m, 8, 1000, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	chk, err := linearize.NewChecker(m, linearize.CheckOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		lin, err := chk.Check(h)
		if err != nil || !lin.OK {
			b.Fatalf("%v, %v", lin.OK, err)
		}
	}
}
