package dnsbalancer_test

import (
	"context"
	"testing"

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
