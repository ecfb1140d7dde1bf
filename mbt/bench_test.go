package mbt_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/linearize"
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

// BenchmarkCheckLinearizableBank checks a linearizable history of 1,000
// operations over 8 clients of the bank with reads (see concBankModel).
func BenchmarkCheckLinearizableBank(b *testing.B) {
	h, err := linearize.WalkHistory(concBankModel(), 8, 1000, 1, bankOutputs)
	if err != nil {
		b.Fatal(err)
	}
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{})
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

// BenchmarkCheckRefuteBank checks the same history with its last read
// corrupted: the search must exhaust the linearizations to refute it.
func BenchmarkCheckRefuteBank(b *testing.B) {
	h, err := linearize.WalkHistory(concBankModel(), 8, 1000, 1, bankOutputs)
	if err != nil {
		b.Fatal(err)
	}
	for i := len(h.Ops) - 1; i >= 0; i-- {
		if h.Ops[i].Action == "balance" {
			h.Ops[i].Outputs[0].Value = itf.Int(maxBalance)
			break
		}
	}
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		lin, err := chk.Check(h)
		if err != nil || lin.OK {
			b.Fatalf("%v, %v", lin.OK, err)
		}
	}
}
