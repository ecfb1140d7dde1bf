package idempotency_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"

	"github.com/execspec/execspec/cli/scaffold/idempotency"
)

// TestPlantedBug: on the small instance the checker finds the double
// charge, and its shortest trace is the one the package doc derives (a
// send and its delivery, the answer lost, a retry delayed for two ticks
// and its delivery: 7 steps); random simulation, the default strategy of
// execspec run, finds it too.
func TestPlantedBug(t *testing.T) {
	mc, err := machine.Compile(idempotency.New(idempotency.Small(false)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(t.Context(), mc, check.Options{NoTemporal: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Property != "charged_at_most_once" {
		t.Fatalf("want a violation of charged_at_most_once, got %d findings (%s)", len(res.Findings), res.Stopped)
	}
	if n := res.Findings[0].Trace.Len() - 1; n != 7 {
		t.Errorf("the shortest double charge has %d steps, want 7", n)
	}
	sim, err := simulate.Run(t.Context(), mc, simulate.Options{Seed: 1, Strategy: simulate.Swarm, MaxSamples: 2000, MaxSteps: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Findings) == 0 {
		t.Errorf("simulation found no violation in %d samples", sim.Stats.Samples)
	}
}

// TestFixed: refusing expired keys, every reachable state of the small
// instance keeps the invariants, and every client gets an answer under
// the fairness the model declares.
func TestFixed(t *testing.T) {
	check.Test(t, idempotency.New(idempotency.Small(true)), check.Options{})
}

// TestAllAnsweredReachable makes sure the model can do what it is for: a
// model whose guards block everything would pass TestFixed vacuously.
func TestAllAnsweredReachable(t *testing.T) {
	check.Test(t, idempotency.New(idempotency.Small(true)), check.Options{Property: "all_answered"})
}

// TestSimulate runs seeded random walks on more clients and a longer TTL
// than the checker explores (-execspec.seed, -execspec.traces,
// -execspec.steps and -short change the run).
func TestSimulate(t *testing.T) {
	p := idempotency.Small(true)
	p.Clients = append(p.Clients, "carol", "dave")
	p.TTL, p.MaxTime = 10, 30
	simulate.Test(t, idempotency.New(p), simulate.Options{Seed: 1, MaxSamples: 300, MaxSteps: 50})
}
