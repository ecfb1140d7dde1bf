package dnsbalancer_test

import (
	"context"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/internal/cputime"
	"github.com/execspec/execspec/machine"
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
			mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(bc.plans, bc.keep, true)))
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
			mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.LiveInstance(5, 3)))
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

// BenchmarkCheck measures an exhaustive breadth-first check of the
// invariants of n3_5_3_fixed on one worker, with the deployer symmetry
// (6,030 distinct states) and without (35,574). One op is one whole
// search; it reports distinct states per CPU-second (steadier than wall
// time on a shared machine) and, with -benchmem, the allocations of a
// search.
//
//	go test ./examples/dnsbalancer/ -run '^$' -bench '^BenchmarkCheck$' -benchmem -count 6
func BenchmarkCheck(b *testing.B) {
	for _, bc := range []struct {
		name     string
		noSym    bool
		distinct int64
	}{
		{"n3_5_3_fixed/symmetry=on", false, 6030},
		{"n3_5_3_fixed/symmetry=off", true, 35574},
	} {
		b.Run(bc.name, func(b *testing.B) {
			mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(5, 3, true)))
			if err != nil {
				b.Fatal(err)
			}
			var distinct int64
			cpu, _ := cputime.Now()
			for b.Loop() {
				res, err := check.Run(context.Background(), mc, check.Options{Workers: 1, NoSymmetry: bc.noSym, NoTemporal: true})
				if err != nil {
					b.Fatal(err)
				}
				if !res.Complete || len(res.Findings) > 0 || res.Stats.Distinct != bc.distinct {
					b.Fatalf("complete %v, findings %d, distinct %d (want %d)", res.Complete, len(res.Findings), res.Stats.Distinct, bc.distinct)
				}
				distinct += res.Stats.Distinct
			}
			b.ReportMetric(float64(distinct)/cputime.Since(cpu).Seconds(), "states/cpu-s")
		})
	}
}

// BenchmarkQueuedState measures the memory a state waiting in the BFS
// frontier costs, on n3_20_3_fixed without symmetry (its levels grow to
// tens of thousands of states) stopped at 60,000 distinct states. While
// the search runs, the progress callback collects garbage and reads the
// live heap; the metric is, at the sample with the largest frontier, the
// live heap above the heap before the search, less the store's bytes for
// the states found, divided by the states on the queue (the level being
// expanded and the candidates for the next one).
//
//	go test ./examples/dnsbalancer/ -run '^$' -bench QueuedState -benchtime 1x -count 6
func BenchmarkQueuedState(b *testing.B) {
	mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(20, 3, true)))
	if err != nil {
		b.Fatal(err)
	}
	live := func() int64 {
		runtime.GC()
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		return int64(s[0].Value.Uint64())
	}
	var perState float64
	for b.Loop() {
		base := live()
		var mu sync.Mutex
		var best check.Stats
		var bestHeap int64
		res, err := check.Run(context.Background(), mc, check.Options{
			Workers: 1, NoSymmetry: true, NoTemporal: true, MaxStates: 60_000,
			ProgressEvery: 20 * time.Millisecond,
			Progress: func(st check.Stats) {
				h := live()
				mu.Lock()
				defer mu.Unlock()
				if st.Frontier > best.Frontier {
					best, bestHeap = st, h
				}
			},
		})
		if err != nil {
			b.Fatal(err)
		}
		if best.Frontier == 0 {
			b.Fatal("no progress sample with a frontier")
		}
		store := float64(best.Distinct) * res.Stats.BytesPerState()
		perState = (float64(bestHeap-base) - store) / float64(best.Frontier)
	}
	b.ReportMetric(perState, "B/queued-state")
}
