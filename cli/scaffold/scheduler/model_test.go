package scheduler_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"

	"github.com/execspec/execspec/cli/scaffold/scheduler"
)

// TestPlantedBug: on the small instance the checker finds the double
// commit, and its shortest trace is the one the package doc derives
// (lease, two ticks, expire, lease again, two commits: 7 steps); random
// simulation, the default strategy of execspec run, finds it too.
func TestPlantedBug(t *testing.T) {
	mc, err := machine.Compile(scheduler.New(scheduler.Small(false)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(t.Context(), mc, check.Options{NoTemporal: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Property != "committed_at_most_once" {
		t.Fatalf("want a violation of committed_at_most_once, got %d findings (%s)", len(res.Findings), res.Stopped)
	}
	if n := res.Findings[0].Trace.Len() - 1; n != 7 {
		t.Errorf("the shortest double commit has %d steps, want 7", n)
	}
	sim, err := simulate.Run(t.Context(), mc, simulate.Options{Seed: 1, Strategy: simulate.Swarm, MaxSamples: 2000, MaxSteps: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Findings) == 0 {
		t.Errorf("simulation found no violation in %d samples", sim.Stats.Samples)
	}
}

// TestFixed: with fenced commits every reachable state of the small
// instance keeps the invariants, and every job is eventually done under
// the fairness the model declares.
func TestFixed(t *testing.T) {
	check.Test(t, scheduler.New(scheduler.Small(true)), check.Options{})
}

// TestAllDoneReachable makes sure the model can do what it is for: a
// model whose guards block everything would pass TestFixed vacuously.
func TestAllDoneReachable(t *testing.T) {
	check.Test(t, scheduler.New(scheduler.Small(true)), check.Options{Property: "all_done"})
}

// TestSimulate runs seeded random walks on more jobs, workers and time
// than the checker explores (-execspec.seed, -execspec.traces,
// -execspec.steps and -short change the run).
func TestSimulate(t *testing.T) {
	p := scheduler.Small(true)
	p.Jobs = append(p.Jobs, "job-3", "job-4")
	p.Workers = append(p.Workers, "worker-c")
	p.TTL, p.MaxTime = 5, 40
	simulate.Test(t, scheduler.New(p), simulate.Options{Seed: 1, MaxSamples: 300, MaxSteps: 50})
}
