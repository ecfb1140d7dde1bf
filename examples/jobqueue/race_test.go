//go:build execspec_yield

package jobqueue_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/jobqueue"
	"github.com/execspec/execspec/mbt"
)

// TestSchedulerFindsTheRace: with yield points, the PCT scheduler finds
// the check-then-write race of the racy Complete (no sleep widens its
// window) on every seed from 1 to 5 within 1,000 runs, shrinks it to at
// most 6 operations with no refused one, saves it with its schedule, and the saved history replays the failure, while
// the fixed queue passes it.
func TestSchedulerFindsTheRace(t *testing.T) {
	if testing.Short() {
		t.Skip("-short runs a tenth of the 1,000 runs a seed may need")
	}
	for seed := uint64(1); seed <= 5; seed++ {
		dir := t.TempDir()
		r := &recorder{TB: t, name: "TestRace"}
		rep := mbt.RunConcurrent(r, jobqueue.New(), driver(true), options(seed, mbt.PCTScheduler, 1000, dir))
		if rep == nil || rep.Failure == nil {
			t.Fatalf("seed %d: the race was not found in 1,000 runs: %v %s", seed, rep, r.errors())
		}
		t.Logf("seed %d: found in run %d of 1,000; shrunk to %d operations", seed, rep.Runs, len(rep.Failure.Ops))
		// The race needs an enqueue, a lease, a completion and an
		// expiry; shrinking keeps the interleaving while it drops the
		// others, refused operations (which change nothing) first.
		if n := len(rep.Failure.Ops); n < 4 || n > 6 {
			t.Errorf("seed %d: shrunk to %d operations, want 4 to 6", seed, n)
		}
		for _, op := range rep.Failure.Ops {
			if op.Refused {
				t.Errorf("seed %d: the shrunk history keeps a refused %s", seed, op.Action)
			}
		}
		if rep.Failure.Schedule == nil || len(rep.Failure.Schedule.Steps) == 0 {
			t.Fatalf("seed %d: the failure has no schedule", seed)
		}
		msg := r.errors()
		for _, want := range []string{"not linearizable", "complete", "interleaving: chosen by the pct scheduler"} {
			if !strings.Contains(msg, want) {
				t.Errorf("seed %d: the message lacks %q:\n%s", seed, want, msg)
			}
		}
		if seed == 1 {
			t.Logf("the failure as reported:\n%s", msg)
		}
		// The saved history replays its schedule: the racy queue fails it
		// again even under the Go scheduler, which alone never finds it.
		again := &recorder{TB: t, name: "TestRace"}
		rep2 := mbt.RunConcurrent(again, jobqueue.New(), driver(true), options(seed, mbt.GoScheduler, 1, dir))
		if rep2 == nil || rep2.Saved != 1 || !strings.Contains(again.errors(), "still not linearizable") {
			t.Fatalf("seed %d: replaying the saved history: %v\n%s", seed, rep2, again.errors())
		}
		fixed := &recorder{TB: t, name: "TestRace"}
		rep3 := mbt.RunConcurrent(fixed, jobqueue.New(), driver(false), options(seed, mbt.GoScheduler, 1, dir))
		if fixed.Failed() || rep3 == nil || rep3.Saved != 1 {
			t.Fatalf("seed %d: the fixed queue on the saved history: %v\n%s", seed, rep3, fixed.errors())
		}
	}
}
