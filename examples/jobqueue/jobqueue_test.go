package jobqueue_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/execspec/execspec/examples/jobqueue"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/yield"
)

// recorder keeps the errors RunConcurrent reports instead of failing the
// test, and names the test so that saved histories land in one place.
type recorder struct {
	testing.TB
	name string
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Name() string { return r.name }
func (r *recorder) Helper()      {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errs) > 0
}
func (r *recorder) errors() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n")
}

func driver(racy bool) func(testing.TB) mbt.ConcurrentDriver[jobqueue.State] {
	return func(testing.TB) mbt.ConcurrentDriver[jobqueue.State] { return &jobqueue.Driver{Racy: racy} }
}

func options(seed uint64, sched mbt.Scheduler, runs int, dir string) mbt.ConcurrentOptions {
	return mbt.ConcurrentOptions{
		Seed: seed, Clients: len(jobqueue.Workers) + 1, ClientOf: jobqueue.ClientOf,
		Ops: 20, Runs: runs, Scheduler: sched, Dir: dir,
	}
}

// TestRecorder: the recorder keeps what it is given.
func TestRecorder(t *testing.T) {
	r := &recorder{TB: t, name: "TestX"}
	if r.Failed() || r.Name() != "TestX" {
		t.Fatal("a fresh recorder has failed")
	}
	r.Errorf("a %d", 1)
	r.Errorf("b")
	if !r.Failed() || r.errors() != "a 1\nb" {
		t.Errorf("recorded %q", r.errors())
	}
}

// TestFixedQueue: the fixed queue is linearizable under every scheduler,
// with or without yield points in the build.
func TestFixedQueue(t *testing.T) {
	for _, sched := range []mbt.Scheduler{mbt.GoScheduler, mbt.RandomScheduler, mbt.PCTScheduler} {
		t.Run(sched.String(), func(t *testing.T) {
			for seed := uint64(1); seed <= 3; seed++ {
				rep := mbt.RunConcurrent(t, jobqueue.New(), driver(false), options(seed, sched, 30, t.TempDir()))
				if rep == nil || rep.Failure != nil || rep.Ops == 0 {
					t.Fatalf("seed %d: %v", seed, rep)
				}
				if sched != mbt.GoScheduler && (rep.Points > 0) != yield.Enabled {
					t.Errorf("seed %d: %d yield points reached, in a build where yield.Enabled is %v", seed, rep.Points, yield.Enabled)
				}
			}
		})
	}
}

// TestNoPointsNoInterleaving: without yield points in the build, a
// controlled scheduler runs each operation whole, so the racy Complete
// cannot be interrupted: the scheduler degrades to interleaving whole
// operations, and says that it saw no points.
func TestNoPointsNoInterleaving(t *testing.T) {
	if yield.Enabled {
		t.Skip("this build has yield points")
	}
	r := &recorder{TB: t, name: "TestNoPoints"}
	rep := mbt.RunConcurrent(r, jobqueue.New(), driver(true), options(1, mbt.PCTScheduler, 50, t.TempDir()))
	if r.Failed() || rep == nil || rep.Points != 0 {
		t.Fatalf("report %v, errors %s", rep, r.errors())
	}
	if s := rep.String(); !strings.Contains(s, "execspec_yield") {
		t.Errorf("the report does not say how to get yield points: %s", s)
	}
}
