package paxoscommit_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/paxoscommit"
	"github.com/execspec/execspec/internal/longtest"
)

// TestTLCCounts pins TLC's figures for PaxosCommit.cfg from the
// tlaplus/Examples manifest: 1,321,761 distinct states, 16,959,159
// generated, depth 28.
func TestTLCCounts(t *testing.T) {
	longtest.Skip(t) // 1.3 million states
	res := check.Test(t, paxoscommit.New(), check.Options{})
	st := res.Stats
	if st.Distinct != 1321761 || st.Generated != 16959159 || st.Depth != 28 {
		t.Errorf("%d distinct, %d generated, depth %d; TLC: 1,321,761, 16,959,159, 28", st.Distinct, st.Generated, st.Depth)
	}
}
