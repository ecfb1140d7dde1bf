package election_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"

	"github.com/execspec/execspec/cli/scaffold/election"
)

// TestPlantedBug: on the small instance the checker finds two leaders in
// one term, and its shortest trace is the one the package doc derives
// (two timeouts, a vote, a leader, a crash and restart, a second vote, a
// second leader: 8 steps); random simulation, the default strategy of
// execspec run, finds it too.
func TestPlantedBug(t *testing.T) {
	mc, err := machine.Compile(election.New(election.Small(false)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(t.Context(), mc, check.Options{NoTemporal: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Property != "election_safety" {
		t.Fatalf("want a violation of election_safety, got %d findings (%s)", len(res.Findings), res.Stopped)
	}
	if n := res.Findings[0].Trace.Len() - 1; n != 8 {
		t.Errorf("the shortest double election has %d steps, want 8", n)
	}
	sim, err := simulate.Run(t.Context(), mc, simulate.Options{Seed: 1, Strategy: simulate.Swarm, MaxSamples: 2000, MaxSteps: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Findings) == 0 {
		t.Errorf("simulation found no violation in %d samples", sim.Stats.Samples)
	}
}

// TestFixed: with the vote on disk every reachable state of the small
// instance keeps the invariants, and every live server learns the
// leader's term under the fairness the model declares.
func TestFixed(t *testing.T) {
	check.Test(t, election.New(election.Small(true)), check.Options{})
}

// TestLeaderElectedReachable makes sure the model can do what it is for:
// a model whose guards block everything would pass TestFixed vacuously.
func TestLeaderElectedReachable(t *testing.T) {
	check.Test(t, election.New(election.Small(true)), check.Options{Property: "leader_elected"})
}

// TestSimulate runs seeded random walks on more servers, terms and
// crashes than the checker explores (-execspec.seed, -execspec.traces,
// -execspec.steps and -short change the run).
func TestSimulate(t *testing.T) {
	p := election.Small(true)
	p.Servers = append(p.Servers, "s4")
	p.MaxTerm, p.MaxCrashes = 4, 2
	simulate.Test(t, election.New(p), simulate.Options{Seed: 1, MaxSamples: 300, MaxSteps: 50})
}
