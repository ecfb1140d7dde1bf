package tcp_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/tcp"
)

// TestTLCCounts pins TLC's figures for MCtcp.cfg from the tlaplus/Examples
// manifest (specifications/tcp/manifest.json): 1,182 distinct states,
// 6,322 generated, depth 14. The steps the action constraint
// SingleActiveOpen excludes are among the states generated, as TLC counts
// them; the states NoRetransmission excludes are neither.
func TestTLCCounts(t *testing.T) {
	for _, opts := range []check.Options{{NoTemporal: true}, {Strategy: check.DFS, NoTemporal: true}} {
		res := check.Test(t, tcp.New(), opts)
		st := res.Stats
		if st.Distinct != 1182 || st.Generated != 6322 {
			t.Errorf("%s: %d distinct, %d generated; want 1182, 6322", opts.Strategy, st.Distinct, st.Generated)
		}
		if opts.Strategy == check.BFS && st.Depth != 14 {
			t.Errorf("depth %d, want 14", st.Depth)
		}
	}
}

// TestProp checks the configuration's liveness property, which TLC
// reports holds.
func TestProp(t *testing.T) {
	if testing.Short() {
		t.Skip("the behaviour graph under -short")
	}
	res := check.Test(t, tcp.New(), check.Options{Property: "Prop"})
	if !res.Complete || len(res.Findings) != 0 {
		t.Errorf("Prop: complete %v, findings %v", res.Complete, res.Findings)
	}
}
