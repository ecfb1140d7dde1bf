package paxos_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/paxos"
	"github.com/execspec/execspec/examples/voting"
)

// TestTLCCounts pins TLC's figures from the tlaplus/Examples manifests,
// every invariant holding: MCPaxos.cfg, 25 distinct states and depth 9;
// and, for three acceptors, two values and the majority quorums,
// PaxosHowToWinATuringAward's MCPaxosTiny.cfg, whose Paxos.tla differs
// from this one only in layout: 3,921 distinct states, depth 17.
func TestTLCCounts(t *testing.T) {
	cases := []struct {
		name     string
		cfg      voting.Config
		distinct int64
		depth    int
	}{
		{"MCPaxos", paxos.MC(), 25, 9},
		{"MCPaxosTiny", voting.MC(), 3921, 17},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := check.Test(t, paxos.New(tc.cfg), check.Options{})
			if st := res.Stats; st.Distinct != tc.distinct || st.Depth != tc.depth {
				t.Errorf("%d distinct states, depth %d; want %d and %d", st.Distinct, st.Depth, tc.distinct, tc.depth)
			}
		})
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
