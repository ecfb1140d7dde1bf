package controlplane_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"

	"github.com/execspec/execspec/cli/scaffold/controlplane"
)

// TestPlantedBug: on the small instance the checker finds the data plane
// serving a deleted version, and its shortest trace is the one the
// package doc derives (three versions, applier-a applies them, applier-b
// applies version 1, applier-a cleans up: 8 steps); random simulation,
// the default strategy of execspec run, finds it too.
func TestPlantedBug(t *testing.T) {
	mc, err := machine.Compile(controlplane.New(controlplane.Small(false)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(t.Context(), mc, check.Options{NoTemporal: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Property != "active_version_exists" {
		t.Fatalf("want a violation of active_version_exists, got %d findings (%s)", len(res.Findings), res.Stopped)
	}
	if n := res.Findings[0].Trace.Len() - 1; n != 8 {
		t.Errorf("the shortest outage has %d steps, want 8", n)
	}
	sim, err := simulate.Run(t.Context(), mc, simulate.Options{Seed: 1, Strategy: simulate.Swarm, MaxSamples: 2000, MaxSteps: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Findings) == 0 {
		t.Errorf("simulation found no violation in %d samples", sim.Stats.Samples)
	}
}

// TestFixed: with the fix every reachable state of the small instance
// keeps the invariants, and every applier catches up under the fairness
// the model declares.
func TestFixed(t *testing.T) {
	check.Test(t, controlplane.New(controlplane.Small(true)), check.Options{})
}

// TestRolledOutReachable makes sure the model can do what it is for: a
// model whose guards block everything would pass TestFixed vacuously.
func TestRolledOutReachable(t *testing.T) {
	check.Test(t, controlplane.New(controlplane.Small(true)), check.Options{Property: "rolled_out"})
}

// TestSimulate runs seeded random walks on more appliers and versions
// than the checker explores (-execspec.seed, -execspec.traces,
// -execspec.steps and -short change the run).
func TestSimulate(t *testing.T) {
	p := controlplane.Small(true)
	p.Appliers = append(p.Appliers, "applier-c")
	p.MaxVersions, p.Keep = 30, 5
	simulate.Test(t, controlplane.New(p), simulate.Options{Seed: 1, MaxSamples: 1000})
}
