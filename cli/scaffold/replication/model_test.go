package replication_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"

	"github.com/execspec/execspec/cli/scaffold/replication"
)

// TestPlantedBug: on the small instance the checker finds the lost
// acknowledged commit, and its shortest trace is the one the package doc
// derives (a commit, two ticks, the fallback, the crash, the failover: 6
// steps); random simulation, the default strategy of execspec run, finds
// it too.
func TestPlantedBug(t *testing.T) {
	mc, err := machine.Compile(replication.New(replication.Small(false)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(t.Context(), mc, check.Options{NoTemporal: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Property != "no_acked_commit_lost" {
		t.Fatalf("want a violation of no_acked_commit_lost, got %d findings (%s)", len(res.Findings), res.Stopped)
	}
	if n := res.Findings[0].Trace.Len() - 1; n != 6 {
		t.Errorf("the shortest lost commit has %d steps, want 6", n)
	}
	sim, err := simulate.Run(t.Context(), mc, simulate.Options{Seed: 1, Strategy: simulate.Swarm, MaxSamples: 2000, MaxSteps: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Findings) == 0 {
		t.Errorf("simulation found no violation in %d samples", sim.Stats.Samples)
	}
}

// TestFixed: without the fallback every reachable state of the small
// instance keeps the invariants, and no client waits forever under the
// fairness the model declares.
func TestFixed(t *testing.T) {
	check.Test(t, replication.New(replication.Small(true)), check.Options{})
}

// TestFailoverReachable makes sure the model can do what it is for: a
// model whose guards block everything would pass TestFixed vacuously.
func TestFailoverReachable(t *testing.T) {
	check.Test(t, replication.New(replication.Small(true)), check.Options{Property: "failed_over"})
}

// TestSimulate runs seeded random walks on more replicas, transactions
// and time than the checker explores (-execspec.seed, -execspec.traces,
// -execspec.steps and -short change the run).
func TestSimulate(t *testing.T) {
	p := replication.Small(true)
	p.Nodes = append(p.Nodes, "db-4")
	p.Timeout, p.MaxTxns = 10, 10
	simulate.Test(t, replication.New(p), simulate.Options{Seed: 1, MaxSamples: 500})
}
