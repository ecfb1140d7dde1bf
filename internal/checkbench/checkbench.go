// Package checkbench holds what the exhaustive-search benchmarks of the
// examples share: one whole search that must be clean and complete, and
// the figures they report (distinct states per second and per CPU-second,
// and the fingerprint store's bytes per state).
package checkbench

import (
	"context"
	"fmt"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/internal/cputime"
	"github.com/execspec/execspec/machine"
)

// Search runs one exhaustive search of mc and returns its distinct states
// and its store's bytes. A search that stops early or finds anything is an
// error: a benchmark must time the whole state space.
func Search[S any](mc *machine.Machine[S], opts check.Options) (distinct, storeBytes int64, err error) {
	res, err := check.Run(context.Background(), mc, opts)
	if err != nil {
		return 0, 0, fmt.Errorf("search: %w", err)
	}
	if !res.Complete || len(res.Findings) > 0 {
		return 0, 0, fmt.Errorf("search not clean: complete %v (stopped: %v), %d findings", res.Complete, res.Stopped, len(res.Findings))
	}
	return res.Stats.Distinct, res.Stats.StoreBytes, nil
}

// Report reports, for distinct states found in all b.N searches over
// cpuSeconds of CPU time, states/s, states/cpu-s and, when storeBytes is
// the store's size for one search, B/state.
func Report(b *testing.B, distinct, storeBytes int64, cpuSeconds float64) {
	b.ReportMetric(float64(distinct)/b.Elapsed().Seconds(), "states/s")
	b.ReportMetric(float64(distinct)/cpuSeconds, "states/cpu-s")
	if storeBytes > 0 && distinct > 0 {
		b.ReportMetric(float64(storeBytes)/float64(distinct/int64(b.N)), "B/state")
	}
}

// Bench is a whole benchmark of searches of mc: b.N clean, complete
// searches with opts, timed, and reported as Report does. A search that
// fails, stops early or finds anything fails b.
func Bench[S any](b *testing.B, mc *machine.Machine[S], opts check.Options) {
	var distinct, bytes int64
	b.ResetTimer()
	cpu, _ := cputime.Now()
	for i := 0; i < b.N; i++ {
		n, sb, err := Search(mc, opts)
		if err != nil {
			b.Fatal(err)
		}
		distinct, bytes = distinct+n, sb
	}
	b.StopTimer()
	Report(b, distinct, bytes, cputime.Since(cpu).Seconds())
}
