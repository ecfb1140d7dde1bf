package syncterm_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/syncterm"
)

// TestTLCCounts pins TLC's figures for SyncTerminationDetection.cfg (N = 7)
// from the tlaplus/Examples manifest: 129 distinct states, 3,722
// generated, depth 1; and that Liveness holds under WF(DetectTermination).
func TestTLCCounts(t *testing.T) {
	res := check.Test(t, syncterm.New(7), check.Options{})
	st := res.Stats
	if st.Distinct != 129 || st.Generated != 3722 || st.Depth != 1 {
		t.Errorf("%d distinct, %d generated, depth %d; TLC: 129, 3722, 1", st.Distinct, st.Generated, st.Depth)
	}
	if res.Liveness == nil {
		t.Errorf("Liveness not checked")
	}
}
