package conformance_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/dnscontrol/conformance"
	"github.com/execspec/execspec/examples/dnscontrol/internal/plantedrace"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/yield"
)

// concurrentOptions runs the planner and the three deployers at once.
func concurrentOptions(p dnsbalancer.Params, seed uint64, dir string) mbt.ConcurrentOptions {
	return mbt.ConcurrentOptions{
		Seed: seed, Clients: len(p.Deployers) + 1, ClientOf: conformance.ClientOf(p),
		Ops: 40, Runs: 10, Dir: dir,
	}
}

// TestConcurrentConformance: the planner and the deployers sync, deploy and
// clean up at once over HTTP, and every history is linearizable with
// respect to the model, final state included.
func TestConcurrentConformance(t *testing.T) {
	if plantedrace.On {
		t.Skip("this build has the planted race (-tags dnsrace)")
	}
	for _, p := range []dnsbalancer.Params{buggy, fixed, live} {
		rep := mbt.RunConcurrent(t, dnsbalancer.New(p), func(tb testing.TB) mbt.ConcurrentDriver[State] {
			return conformance.ConcurrentOverHTTP(tb, p)
		}, concurrentOptions(p, 1, t.TempDir()))
		if rep == nil || rep.Ops == 0 {
			t.Fatalf("report %v", rep)
		}
	}
}

// TestConcurrentFindsTheDifference: the concurrent harness has teeth in
// every build. The model with both fixes against the buggy service is not
// linearizable: a deployer behind the root deploys its own next plan where
// the model skips to the newest one.
func TestConcurrentFindsTheDifference(t *testing.T) {
	rec := &errorRecorder{TB: t}
	rep := mbt.RunConcurrent(rec, dnsbalancer.New(live), func(tb testing.TB) mbt.ConcurrentDriver[State] {
		return conformance.ConcurrentOverHTTP(tb, buggy)
	}, mbt.ConcurrentOptions{Seed: 1, Clients: 4, Ops: 60, Runs: 20, Dir: t.TempDir()})
	if rep == nil || rep.Failure == nil || len(rec.errs) == 0 {
		t.Fatalf("no history was found non-linearizable; errors: %q", rec.errs)
	}
	if !strings.Contains(rec.errs[0], "not linearizable") {
		t.Errorf("message: %s", rec.errs[0])
	}
	t.Logf("%s", rec.errs[0])
}

// TestConcurrentFindsPlantedRace: with the race planted (-tags dnsrace),
// two deployers that synced the same lock both deploy: the store commits
// both batches, where the lock's compare-and-swap fence lets exactly one
// through in the model. The race's window lies inside one call to the
// store, between the batch's check and its commit, so the operating
// system's scheduler opens it in some runs on some machines only (on one
// core, never). With yield points (-tags execspec_yield), the PCT
// scheduler runs one client at a time and chooses who runs at the store's
// point "apply: batch checked": it finds the race from a fixed seed, on
// any machine, and the saved schedule replays it.
func TestConcurrentFindsPlantedRace(t *testing.T) {
	if !plantedrace.On || !yield.Enabled {
		t.Skip("the race is planted with -tags dnsrace, and found deterministically with execspec_yield as well")
	}
	p := buggy
	o := concurrentOptions(p, 1, t.TempDir())
	o.Scheduler, o.Runs = mbt.RandomScheduler, 50
	rec := &errorRecorder{TB: t}
	rep := mbt.RunConcurrent(rec, dnsbalancer.New(p), func(tb testing.TB) mbt.ConcurrentDriver[State] {
		return conformance.ConcurrentInProcess(tb, p)
	}, o)
	if rep == nil || rep.Failure == nil || len(rec.errs) == 0 {
		t.Fatalf("the planted race was not found in %d runs of seed %d: %v; errors %q", o.Runs, o.Seed, rep, rec.errs)
	}
	t.Logf("%s", rec.errs[0])
	if !strings.Contains(rec.errs[0], "not linearizable") {
		t.Errorf("message: %s", rec.errs[0])
	}
	if rep.Points == 0 {
		t.Error("no yield point was reached: the store's context did not carry the client's yielder")
	}
	if n := len(rep.Failure.Ops); n == 0 || n > 8 {
		t.Errorf("the shrunk history has %d operations, want at most 8", n)
	}
	// The saved history replays its schedule, even under the Go
	// scheduler: the service fails it again.
	again := &errorRecorder{TB: t}
	o.Scheduler, o.Runs = mbt.GoScheduler, 1
	rep = mbt.RunConcurrent(again, dnsbalancer.New(p), func(tb testing.TB) mbt.ConcurrentDriver[State] {
		return conformance.ConcurrentInProcess(tb, p)
	}, o)
	if rep == nil || rep.Saved != 1 || len(again.errs) == 0 || !strings.Contains(again.errs[0], "still not linearizable") {
		t.Fatalf("replaying the saved history: %v; errors %q", rep, again.errs)
	}
}
