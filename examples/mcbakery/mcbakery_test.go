package mcbakery_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/mcbakery"
	"github.com/execspec/execspec/internal/longtest"
)

// TestTLCCounts pins TLC's figures for MCBakery.cfg from the tlaplus/Examples
// manifest: 655,200 distinct states, 3,403,584 generated, depth 1.
func TestTLCCounts(t *testing.T) {
	longtest.Skip(t) // 655,200 states
	res := check.Test(t, mcbakery.New(2), check.Options{})
	st := res.Stats
	if st.Distinct != 655200 || st.Generated != 3403584 || st.Depth != 1 {
		t.Errorf("%d distinct, %d generated, depth %d; TLC: 655,200, 3,403,584, 1", st.Distinct, st.Generated, st.Depth)
	}
}
