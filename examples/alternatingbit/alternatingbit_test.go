package alternatingbit_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/alternatingbit"
	"github.com/execspec/execspec/machine"
)

// TestTLCCounts pins TLC's figures for MCAlternatingBit.cfg, from the
// tlaplus/Examples manifest: 240 distinct states, 1,392 generated, depth
// 10. They hold only with TLC's CONSTRAINT semantics (states that fail
// SeqConstraint are checked but neither stored nor expanded): storing them
// gives 428 distinct states.
func TestTLCCounts(t *testing.T) {
	for _, strategy := range check.Strategies() {
		for _, workers := range []int{1, 2} {
			mc, err := machine.Compile(alternatingbit.New(2, 2))
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Strategy: strategy, Workers: workers, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Complete || len(res.Findings) > 0 {
				t.Fatalf("%s workers=%d: complete=%v (%s), findings %v", strategy, workers, res.Complete, res.Stopped, res.Findings)
			}
			st := res.Stats
			if st.Distinct != 240 {
				t.Errorf("%s workers=%d: %d distinct; TLC: 240", strategy, workers, st.Distinct)
			}
			if strategy == check.BFS && (st.Generated != 1392 || st.Depth != 10) {
				t.Errorf("bfs workers=%d: %d generated, depth %d; TLC: 1392, 10", workers, st.Generated, st.Depth)
			}
		}
	}
}

// TestSentLeadsToRcvd pins TLC's verdict for MCAlternatingBit.cfg's
// PROPERTY SentLeadsToRcvd under ABFairness: it holds (the manifest's
// "success"), on the constrained graph of TLC's 240 states.
func TestSentLeadsToRcvd(t *testing.T) {
	res := check.Test(t, alternatingbit.New(2, 2), check.Options{Property: "SentLeadsToRcvd"})
	if lv := res.Liveness; lv == nil || lv.States != 240 || len(res.Findings) > 0 {
		t.Errorf("liveness %+v, findings %v", lv, res.Findings)
	}
}
