package voting_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/voting"
)

// TestTLCCounts pins TLC's figures for MCVoting.cfg from the tlaplus/Examples
// manifest: 77 distinct states, depth 11, with MCSymmetry (acceptors and
// values interchangeable), as the configuration declares.
func TestTLCCounts(t *testing.T) {
	res := check.Test(t, voting.New(voting.MC()), check.Options{})
	if st := res.Stats; st.Distinct != 77 || st.Depth != 11 {
		t.Errorf("%d distinct states, depth %d; want 77 and 11", st.Distinct, st.Depth)
	}
}
