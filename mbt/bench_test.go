package mbt_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/execspec/execspec/mbt"
)

// blindDriver is bankDriver without Observe: no state comparisons.
type blindDriver struct{ d bankDriver }

func (b *blindDriver) Reset(ctx context.Context, s mbt.Step) error { return b.d.Reset(ctx, s) }
func (b *blindDriver) Step(ctx context.Context, s mbt.Step) error  { return b.d.Step(ctx, s) }

// Throughput of Run on the correct bank in process: 100 traces of 50 steps
// per iteration, reported as traces/s and steps/s.
func BenchmarkRun(b *testing.B) {
	srv := httptest.NewServer(bankServer(correct))
	defer srv.Close()
	for _, bc := range []struct {
		name string
		drv  func(testing.TB) mbt.Driver[Bank]
	}{
		{"observed", newBankDriver(correct)},
		{"blind", func(testing.TB) mbt.Driver[Bank] { return &blindDriver{} }},
		{"http", httpDriver(srv.URL)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var traces, steps int
			var secs float64
			for i := 0; i < b.N; i++ {
				rep := mbt.Run(b, bankModel(), bc.drv, mbt.Options{Seed: uint64(i + 1), Traces: 100, Dir: b.TempDir()})
				traces += rep.Traces
				steps += rep.Steps
				secs += rep.Elapsed.Seconds()
			}
			b.ReportMetric(float64(traces)/secs, "traces/s")
			b.ReportMetric(float64(steps)/secs, "steps/s")
		})
	}
}
