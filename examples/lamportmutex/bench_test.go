package lamportmutex_test

import (
	"fmt"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/lamportmutex"
	"github.com/execspec/execspec/examples/lamportmutex/handbfs"
	"github.com/execspec/execspec/internal/checkbench"
	"github.com/execspec/execspec/internal/cputime"
	"github.com/execspec/execspec/machine"
)

// BenchmarkCheckLamportMutex is issue 11's natural-model benchmark: an
// exhaustive breadth-first search of MCLamportMutex (cfg=mc: 3 processes,
// clocks up to 6; 724,274 distinct states, 2,729,079 generated) by
// execspec on the natural model of this package (maps, slices and Sets,
// no packing) against the hand-written plain-Go search of package handbfs
// (hand-packed states, its own hash set), which the issue asks execspec
// to stay within 3x of in CPU time. cfg=clock4 (maxClock = 4, 70,472
// states) is a quicker instance of the same shape. handbfs runs on one
// goroutine, execspec on 1 and 2 workers; compare states/cpu-s at
// workers=1. One op is one whole search; it reports distinct states per
// second, per CPU-second (steadier on a shared machine) and, for
// execspec, the store's bytes per state.
//
//	go test ./examples/lamportmutex/ -run '^$' -bench 'CheckLamportMutex/cfg=mc/.*/workers=1' -benchtime 1x -count 6 -timeout 2h | tee lamport.txt
//	benchstat -col /impl lamport.txt
func BenchmarkCheckLamportMutex(b *testing.B) {
	for _, cfg := range []struct {
		name   string
		params lamportmutex.Params
	}{
		{"clock4", lamportmutex.Params{N: 3, MaxClock: 4, MaxNat: 5}},
		{"mc", lamportmutex.MC()},
	} {
		b.Run(fmt.Sprintf("cfg=%s/impl=handbfs/workers=1", cfg.name), func(b *testing.B) {
			benchHand(b, handbfs.Params{N: cfg.params.N, MaxClock: cfg.params.MaxClock, MaxNat: cfg.params.MaxNat})
		})
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("cfg=%s/impl=execspec/workers=%d", cfg.name, workers), func(b *testing.B) {
				benchExecspec(b, cfg.params, workers)
			})
		}
	}
}

func benchHand(b *testing.B, p handbfs.Params) {
	var distinct int64
	cpu, _ := cputime.Now()
	for i := 0; i < b.N; i++ {
		res, err := handbfs.Check(p)
		if err != nil {
			b.Fatal(err)
		}
		distinct += res.Distinct
	}
	b.StopTimer()
	checkbench.Report(b, distinct, 0, cputime.Since(cpu).Seconds())
}

func benchExecspec(b *testing.B, p lamportmutex.Params, workers int) {
	mc, err := machine.Compile(lamportmutex.New(p))
	if err != nil {
		b.Fatal(err)
	}
	checkbench.Bench(b, mc, check.Options{Workers: workers})
}
