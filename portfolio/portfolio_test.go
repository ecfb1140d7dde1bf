package portfolio_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/portfolio"
	"github.com/execspec/execspec/simulate"
)

func compile[S any](t *testing.T, m *execspec.Model[S]) *machine.Machine[S] {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

func TestFindsAndReproduces(t *testing.T) {
	mc := compile(t, dnsbalancer.New(dnsbalancer.Instance(5, 3, false)))
	res, err := portfolio.Run(context.Background(), mc, portfolio.Options{Seed: 1, Workers: 4, Property: "no_inconsistent_root", Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 || res.Complete {
		t.Fatalf("no finding: %+v", res.Workers)
	}
	f := res.Findings[0]
	if f.Kind != findings.InvariantViolated || f.Property != "no_inconsistent_root" || f.Trace == nil {
		t.Fatalf("finding %+v", f)
	}
	// The winner's finding reproduces alone, with its strategy and seed.
	wk := res.Workers[f.Worker]
	if !wk.Strategy.Exhaustive() {
		_, again, err := simulate.Replay(mc, simulate.Options{Seed: wk.Seed, Strategy: wk.Strategy.Simulate, Property: "no_inconsistent_root"}, f.Sample)
		if err != nil || again == nil || again.Trace.Len() != f.Trace.Len() {
			t.Errorf("worker %d's sample %d does not replay: %v, %+v", f.Worker, f.Sample, err, again)
		}
	}
}

// Every strategy of the mix is one its package has registered, and the
// report names it by that name.
func TestMixIsRegistered(t *testing.T) {
	for _, st := range portfolio.Mix {
		switch {
		case st.Exhaustive() && (st.Simulate != "" || !slices.Contains(check.Strategies(), st.Check) || st.String() != string(st.Check)):
			t.Errorf("%+v: not a registered check strategy, or named %q", st, st)
		case !st.Exhaustive() && (!slices.Contains(simulate.Strategies(), st.Simulate) || st.String() != string(st.Simulate)+" simulation"):
			t.Errorf("%+v: not a registered simulation strategy, or named %q", st, st)
		}
	}
}

// An exhaustive worker that finishes proves the invariants and stops the
// others; with no exhaustive worker finishing, nothing is proved.
func TestCompleteAndIncomplete(t *testing.T) {
	mc := compile(t, dnsbalancer.New(dnsbalancer.Instance(5, 3, true)))
	res, err := portfolio.Run(context.Background(), mc, portfolio.Options{Seed: 2, Workers: 4, Timeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete || len(res.Findings) != 0 {
		t.Fatalf("fixed model: complete %v, findings %d, workers %+v", res.Complete, len(res.Findings), res.Workers)
	}
	res, err = portfolio.Run(context.Background(), mc, portfolio.Options{Seed: 2, Workers: 1, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Complete || res.Workers[0].Stopped == findings.Exhausted {
		t.Fatalf("a simulation stopped by the deadline proved something: %+v", res.Workers)
	}
}

func TestWorkerSeedsDiffer(t *testing.T) {
	seen := map[uint64]bool{}
	for seed := uint64(0); seed < 4; seed++ {
		for w := 0; w < 8; w++ {
			s := portfolio.WorkerSeed(seed, w)
			if seen[s] {
				t.Fatalf("seed %d worker %d repeats a worker seed", seed, w)
			}
			seen[s] = true
		}
	}
	if portfolio.WorkerSeed(7, 3) != portfolio.WorkerSeed(7, 3) {
		t.Fatal("WorkerSeed is not a function")
	}
}

func TestBadOptions(t *testing.T) {
	mc := compile(t, dnsbalancer.New(dnsbalancer.Instance(5, 3, true)))
	for _, o := range []portfolio.Options{{Workers: -1}, {Timeout: -time.Second}, {Property: "nope"}} {
		if _, err := portfolio.Run(context.Background(), mc, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}
