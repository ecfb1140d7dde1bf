package mcbakery_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/mcbakery"
)

// TestTLCCounts pins TLC's figures for MCBakery.cfg from the tlaplus/Examples
// manifest: 655,200 distinct states, 3,403,584 generated, depth 1.
func TestTLCCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("655,200 states; skipped with -short")
	}
	res := check.Test(t, mcbakery.New(2), check.Options{})
	st := res.Stats
	if st.Distinct != 655200 || st.Generated != 3403584 || st.Depth != 1 {
		t.Errorf("%d distinct, %d generated, depth %d; TLC: 655,200, 3,403,584, 1", st.Distinct, st.Generated, st.Depth)
	}
}
