package mbt_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/linearize"
)

// TestRunConcurrentIncompleteIsNotAFailure: a check that runs out of
// MaxNodes neither fails the test nor passes silently: the report counts
// it, the log says how to raise the bound, and the history is saved apart
// from the failures that later runs replay.
func TestRunConcurrentIncompleteIsNotAFailure(t *testing.T) {
	dir := t.TempDir()
	rec := newRecTB(t, "TestUndecided")
	rep := mbt.RunConcurrent(rec, concBankModel(), newConcBank(correct), mbt.ConcurrentOptions{
		Seed: 1, Clients: 4, Ops: 40, Runs: 3, Outputs: bankOutputs, MaxNodes: 3, Dir: dir,
	})
	if rec.Failed() {
		t.Fatalf("an incomplete check failed the test: %s", rec.errors())
	}
	if rep == nil || rep.Incomplete == 0 || len(rep.Undecided) != rep.Incomplete {
		t.Fatalf("report %v", rep)
	}
	if !strings.Contains(rep.String(), "INCOMPLETE") {
		t.Errorf("the summary does not say incomplete: %s", rep)
	}
	logs := strings.Join(rec.logs, "\n")
	for _, want := range []string{"undecided", "MaxNodes", "Partition", ".incomplete.json"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	if _, err := linearize.ReadHistory(rep.Undecided[0]); err != nil {
		t.Fatalf("the undecided history does not read back: %v", err)
	}
	if saved, err := linearize.SavedHistories(filepath.Join(dir, "TestUndecided")); err != nil || len(saved) != 0 {
		t.Errorf("undecided histories are replayed as failures: %v, %v", saved, err)
	}
	if _, err := os.Stat(strings.TrimSuffix(rep.Undecided[0], ".json") + ".html"); err != nil {
		t.Errorf("no page beside the undecided history: %v", err)
	}
}
