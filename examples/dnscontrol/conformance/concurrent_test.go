package conformance_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/dnscontrol/conformance"
	"github.com/execspec/execspec/examples/dnscontrol/internal/plantedrace"
	"github.com/execspec/execspec/mbt"
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
// through in the model. RunConcurrent finds it within a few seeds.
func TestConcurrentFindsPlantedRace(t *testing.T) {
	if !plantedrace.On {
		t.Skip("the race is planted only with -tags dnsrace")
	}
	p := buggy
	for seed := uint64(1); seed <= 10; seed++ {
		rec := &errorRecorder{TB: t}
		rep := mbt.RunConcurrent(rec, dnsbalancer.New(p), func(tb testing.TB) mbt.ConcurrentDriver[State] {
			return conformance.ConcurrentOverHTTP(tb, p)
		}, withAttempts(concurrentOptions(p, seed, t.TempDir()), 5))
		if rep != nil && rep.Failure != nil {
			t.Logf("seed %d:\n%s", seed, rec.errs[0])
			// Shrinking re-runs the service and a race shows in some
			// runs only, so how far it gets varies; it never grows.
			if n := len(rep.Failure.Ops); n == 0 || n > 40 {
				t.Errorf("the failing history has %d operations", n)
			}
			return
		}
		if len(rec.errs) > 0 {
			t.Fatalf("seed %d: %q", seed, rec.errs)
		}
	}
	t.Fatal("the planted race was not found with seeds 1 to 10")
}

// withAttempts sets how many times shrinking tries each smaller script: a
// race shows in some runs only.
func withAttempts(o mbt.ConcurrentOptions, n int) mbt.ConcurrentOptions {
	o.Attempts = n
	return o
}
