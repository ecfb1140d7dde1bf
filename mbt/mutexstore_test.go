package mbt_test

import (
	"testing"

	"github.com/execspec/execspec/mbt"
)

// TestRunConcurrentMutexStore16Clients: 16 clients, 100 operations a run,
// against a store behind one mutex whose clients wait for it behind one
// another (so each operation overlaps most others'), with default options
// otherwise: every run is decided (none runs out of the default budget)
// and linearizable, on seeds 1 to 5.
func TestRunConcurrentMutexStore16Clients(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		rec := newRecTB(t, "TestMutexStore")
		rep := mbt.RunConcurrent(rec, kvModel(kvKeys), func(testing.TB) mbt.ConcurrentDriver[KV] {
			return &kvDriver{contend: true}
		}, mbt.ConcurrentOptions{Seed: seed, Clients: 16, Ops: 100, Outputs: kvOutputs, Dir: t.TempDir()})
		if rec.Failed() || rep == nil {
			t.Fatalf("seed %d: %s", seed, rec.errors())
		}
		if rep.Incomplete > 0 || rep.Failure != nil || rep.Ops == 0 {
			t.Fatalf("seed %d: %s", seed, rep)
		}
	}
}
