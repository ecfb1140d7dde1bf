package tcommit_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/tcommit"
	"github.com/execspec/execspec/machine"
)

// TestTLCCounts pins TLC's figures for TCommit.cfg (three RMs), from the
// tlaplus/Examples manifest: 34 distinct states, 94 generated, depth 7.
func TestTLCCounts(t *testing.T) {
	for _, workers := range []int{1, 2} {
		mc, err := machine.Compile(tcommit.New(3))
		if err != nil {
			t.Fatal(err)
		}
		res, err := check.Run(context.Background(), mc, check.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Complete || len(res.Findings) > 0 {
			t.Fatalf("workers=%d: complete=%v (%s), findings %v", workers, res.Complete, res.Stopped, res.Findings)
		}
		st := res.Stats
		if st.Distinct != 34 || st.Generated != 94 || st.Depth != 7 {
			t.Errorf("workers=%d: %d distinct, %d generated, depth %d; TLC: 34, 94, 7", workers, st.Distinct, st.Generated, st.Depth)
		}
	}
}
