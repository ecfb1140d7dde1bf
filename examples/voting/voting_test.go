package voting_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/voting"
)

// TestTLCCounts pins TLC's figures from the tlaplus/Examples manifests:
// MCVoting.cfg, 77 distinct states and depth 11 with MCSymmetry (acceptors
// and values interchangeable), as the configuration declares; and
// PaxosHowToWinATuringAward's MCVoting.cfg, whose Voting.tla differs from
// this one only in layout: ballots 0..2, no symmetry, 6,752 distinct
// states and depth 16.
func TestTLCCounts(t *testing.T) {
	wide := voting.MC()
	wide.MaxBallot = 2
	cases := []struct {
		name       string
		cfg        voting.Config
		noSymmetry bool
		distinct   int64
		depth      int
	}{
		{"MCVoting", voting.MC(), false, 77, 11},
		{"TuringAward/MCVoting", wide, true, 6752, 16},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := check.Test(t, voting.New(tc.cfg), check.Options{NoSymmetry: tc.noSymmetry})
			if st := res.Stats; st.Distinct != tc.distinct || st.Depth != tc.depth {
				t.Errorf("%d distinct states, depth %d; want %d and %d", st.Distinct, st.Depth, tc.distinct, tc.depth)
			}
		})
	}
}
