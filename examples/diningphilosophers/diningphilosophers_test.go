package diningphilosophers_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/diningphilosophers"
)

// TestTLCCounts pins TLC's figures for DiningPhilosophers.cfg (NP = 5) from
// the tlaplus/Examples manifest: 67 distinct states, 336 generated, depth 29.
func TestTLCCounts(t *testing.T) {
	for _, strategy := range check.Strategies() {
		res := check.Test(t, diningphilosophers.New(5), check.Options{Strategy: strategy, Deadlock: true})
		st := res.Stats
		if st.Distinct != 67 || st.Generated != 336 {
			t.Errorf("%s: %d distinct, %d generated; TLC: 67, 336", strategy, st.Distinct, st.Generated)
		}
		if strategy == check.BFS && st.Depth != 29 {
			t.Errorf("depth %d; TLC: 29", st.Depth)
		}
	}
}

// TestNobodyStarves pins TLC's verdict for DiningPhilosophers.cfg's
// PROPERTY NobodyStarves: it holds, on a graph of TLC's 67 states.
func TestNobodyStarves(t *testing.T) {
	res := check.Test(t, diningphilosophers.New(5), check.Options{Property: "NobodyStarves"})
	if lv := res.Liveness; lv == nil || lv.States != 67 || len(res.Findings) > 0 {
		t.Errorf("liveness %+v, findings %v", lv, res.Findings)
	}
}
