package bcastbyz_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/bcastbyz"
)

// TestTLCCounts pins TLC's figures from the tlaplus/Examples manifest:
// bcastByz.cfg 14,424 distinct states, depth 7; bcastByzNoBcast.cfg 45
// distinct states, depth 1.
func TestTLCCounts(t *testing.T) {
	cases := []struct {
		name     string
		cfg      bcastbyz.Config
		distinct int64
		depth    int
	}{
		{"bcastByz", bcastbyz.Config{N: 4, T: 1, F: 1}, 14424, 7},
		{"bcastByzNoBcast", bcastbyz.Config{N: 10, T: 3, F: 2, NoBcast: true}, 45, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := check.Test(t, bcastbyz.New(tc.cfg), check.Options{})
			if st := res.Stats; st.Distinct != tc.distinct || st.Depth != tc.depth {
				t.Errorf("%d distinct states, depth %d; want %d and %d", st.Distinct, st.Depth, tc.distinct, tc.depth)
			}
		})
	}
}
