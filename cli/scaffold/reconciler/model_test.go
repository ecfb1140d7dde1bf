package reconciler_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"

	"github.com/execspec/execspec/cli/scaffold/reconciler"
)

// TestPlantedBug: on the small instance the checker finds more pods than
// desired, and its shortest trace is the one the package doc derives
// (three creations on a cache that never caught up: 3 steps); random
// simulation, the default strategy of execspec run, finds it too.
func TestPlantedBug(t *testing.T) {
	mc, err := machine.Compile(reconciler.New(reconciler.Small(false)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(t.Context(), mc, check.Options{NoTemporal: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Property != "never_creates_above_desired" {
		t.Fatalf("want a violation of never_creates_above_desired, got %d findings (%s)", len(res.Findings), res.Stopped)
	}
	if n := res.Findings[0].Trace.Len() - 1; n != 3 {
		t.Errorf("the shortest overshoot has %d steps, want 3", n)
	}
	sim, err := simulate.Run(t.Context(), mc, simulate.Options{Seed: 1, Strategy: simulate.Swarm, MaxSamples: 2000, MaxSteps: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Findings) == 0 {
		t.Errorf("simulation found no violation in %d samples", sim.Stats.Samples)
	}
}

// TestFixed: with expectations every reachable state of the small
// instance keeps the invariants, and the pods converge to the desired
// count under the fairness the model declares.
func TestFixed(t *testing.T) {
	check.Test(t, reconciler.New(reconciler.Small(true)), check.Options{})
}

// TestRecoveredReachable makes sure the model can do what it is for: a
// model whose guards block everything would pass TestFixed vacuously.
func TestRecoveredReachable(t *testing.T) {
	check.Test(t, reconciler.New(reconciler.Small(true)), check.Options{Property: "recovered"})
}

// TestSimulate runs seeded random walks on more replicas and deaths than
// the checker explores (-execspec.seed, -execspec.traces, -execspec.steps
// and -short change the run).
func TestSimulate(t *testing.T) {
	p := reconciler.Small(true)
	p.MaxDesired, p.MaxScales, p.MaxDeaths, p.MaxCreates = 8, 5, 10, 40
	simulate.Test(t, reconciler.New(p), simulate.Options{Seed: 1, MaxSamples: 300, MaxSteps: 50})
}
