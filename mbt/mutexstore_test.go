package mbt_test

import (
	"path/filepath"
	"testing"

	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/linearize"
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

// TestCheckLateAnswers checks a history recorded from the mutex store
// with 16 clients on which the search once spent its whole default budget
// (10,000,000 attempts) without a verdict: clients that lost the processor
// between the store's answer and their return stay candidates to the end
// of the history, and trying them in return order buried the right choice
// under every order of the operations after it. Linearizing fitting reads
// first, and what the due operation needs before the rest, decides it in
// a few hundred attempts.
func TestCheckLateAnswers(t *testing.T) {
	h, err := linearize.ReadHistory(filepath.Join("testdata", "mutexstore_late_answers.json"))
	if err != nil {
		t.Fatal(err)
	}
	chk, err := linearize.NewChecker(kvModel(kvKeys), linearize.CheckOptions{MaxNodes: 5000})
	if err != nil {
		t.Fatal(err)
	}
	lin, err := chk.Check(h)
	if err != nil || !lin.OK {
		t.Fatalf("Check = %v, %v; want linearizable", lin.OK, err)
	}
}
