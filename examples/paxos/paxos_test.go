package paxos_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/paxos"
)

// TestTLCCounts pins TLC's figures for MCPaxos.cfg from the tlaplus/Examples
// manifest: 25 distinct states, depth 9, every invariant holding.
func TestTLCCounts(t *testing.T) {
	res := check.Test(t, paxos.New(paxos.MC()), check.Options{})
	if st := res.Stats; st.Distinct != 25 || st.Depth != 9 {
		t.Errorf("%d distinct states, depth %d; want 25 and 9", st.Distinct, st.Depth)
	}
}

// TestChosenTrace finds the shortest behaviour that chooses a value, and
// checks that the trace shows messages as the specification's variants.
func TestChosenTrace(t *testing.T) {
	res := check.Test(t, paxos.New(paxos.MC()), check.Options{Property: "chosen"})
	if len(res.Findings) != 1 || res.Findings[0].Trace == nil {
		t.Fatalf("findings = %v, want one with a trace", res.Findings)
	}
	tr := res.Findings[0].Trace
	var actions []string
	for _, st := range tr.Steps[1:] {
		actions = append(actions, st.Action)
	}
	if got := strings.Join(actions, " "); got != "Phase1a Phase1b Phase2a Phase2b" {
		t.Fatalf("actions = %s", got)
	}
	msgs := tr.Steps[len(tr.Steps)-1].State["msgs"].String()
	want := `{1a{bal: 0}, 1b{acc: "a1", bal: 0, mbal: -1, mval: "None"}, 2a{bal: 0, val: "v1"}, 2b{acc: "a1", bal: 0, val: "v1"}}`
	if msgs != want {
		t.Fatalf("msgs = %s\nwant %s", msgs, want)
	}
}
