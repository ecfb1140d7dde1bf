package dnsbalancer_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/simulate"
)

// BenchmarkSimulate measures random simulation throughput: b.N steps of
// 50-step samples checking every invariant (on the fixed instances, so no
// violation cuts samples short).
func BenchmarkSimulate(b *testing.B) {
	for _, bc := range []struct {
		name        string
		plans, keep int
		workers     int
	}{
		{"n3_5_3/workers=1", 5, 3, 1},
		{"n3_5_3/workers=2", 5, 3, 2},
		{"n3_30_20/workers=1", 30, 20, 1},
		{"n3_30_20/workers=2", 30, 20, 2},
	} {
		b.Run(bc.name, func(b *testing.B) {
			mc, err := dnsbalancer.New(dnsbalancer.Instance(bc.plans, bc.keep, true)).Compile()
			if err != nil {
				b.Fatal(err)
			}
			samples := max(1, b.N/50)
			b.ResetTimer()
			res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 1, MaxSteps: 50, MaxSamples: samples, Workers: bc.workers})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if len(res.Findings) > 0 {
				b.Fatalf("unexpected finding on the fixed model: %v", res.Findings[0].Property)
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(res.Stats.Steps)/sec, "steps/s")
			b.ReportMetric(float64(res.Stats.Samples)/sec, "samples/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkCheckLiveness measures the temporal check of no_stuck_deployer
// on n3_5_3_live (it holds, so the whole behaviour graph is built and
// analysed), against the safety search alone on the same instance: the
// graph is built only when a temporal property is checked.
func BenchmarkCheckLiveness(b *testing.B) {
	for _, bc := range []struct {
		name     string
		property string
	}{
		{"safety", "no_inconsistent_root"},
		{"temporal", "no_stuck_deployer"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			mc, err := dnsbalancer.New(dnsbalancer.LiveInstance(5, 3)).Compile()
			if err != nil {
				b.Fatal(err)
			}
			var res *check.Result
			for b.Loop() {
				res, err = check.Run(context.Background(), mc, check.Options{Workers: 1, Property: bc.property, NoSymmetry: true})
				if err != nil {
					b.Fatal(err)
				}
			}
			if !res.Complete || len(res.Findings) > 0 {
				b.Fatalf("complete %v, findings %v", res.Complete, res.Findings)
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(res.Stats.Distinct)/sec, "states/s")
			if lv := res.Liveness; lv != nil {
				b.ReportMetric(float64(lv.Bytes)/float64(lv.States), "graph-bytes/state")
			}
		})
	}
}
