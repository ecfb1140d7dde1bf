package ewd840_test

import (
	"reflect"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/ewd840"
	"github.com/execspec/execspec/machine"
)

// TestTLCCounts pins TLC's figures for EWD840.cfg (N = 3) from the
// tlaplus/Examples manifest: 302 distinct states and 2,001 generated. The
// manifest's depth, 10, is one more than the true one: TLC's reported depth
// overshoots with several workers (tlaplus/tlaplus#883), which is why the
// repository's own CI does not check it. TestDepthIndependently computes 9.
func TestTLCCounts(t *testing.T) {
	res := check.Test(t, ewd840.New(3), check.Options{})
	st := res.Stats
	if st.Distinct != 302 || st.Generated != 2001 || st.Depth != 9 {
		t.Errorf("%d distinct, %d generated, depth %d; want 302, 2001, 9", st.Distinct, st.Generated, st.Depth)
	}
	if res := check.Test(t, ewd840.New(3), check.Options{Strategy: check.DFS}); res.Stats.Distinct != 302 {
		t.Errorf("DFS: %d distinct", res.Stats.Distinct)
	}
}

// TestDepthIndependently computes the state graph's depth with a plain
// breadth-first search over encodings, without the checker.
func TestDepthIndependently(t *testing.T) {
	mc, err := machine.Compile(ewd840.New(3))
	if err != nil {
		t.Fatal(err)
	}
	ex := mc.NewExecutor()
	seen := map[string]bool{}
	var level []ewd840.State
	var to ewd840.State
	ex.Enumerate(machine.InitAction, nil, &to, func(machine.Result) bool {
		if k := string(mc.AppendEncoding(nil, &to)); !seen[k] {
			seen[k] = true
			level = append(level, *mc.Clone(&to))
		}
		return true
	})
	depth := 0
	for len(level) > 0 {
		depth++
		var next []ewd840.State
		for i := range level {
			for a := range mc.Actions() {
				ex.Enumerate(a, &level[i], &to, func(machine.Result) bool {
					if k := string(mc.AppendEncoding(nil, &to)); !seen[k] {
						seen[k] = true
						next = append(next, *mc.Clone(&to))
					}
					return true
				})
			}
		}
		level = next
	}
	if len(seen) != 302 || depth != 9 {
		t.Errorf("%d states, depth %d; want 302, 9", len(seen), depth)
	}
}

// TestLiveness pins TLC's verdict for EWD840.cfg's PROPERTY Liveness: it
// holds, on a behaviour graph of TLC's 302 states.
func TestLiveness(t *testing.T) {
	res := check.Test(t, ewd840.New(3), check.Options{Property: "Liveness"})
	if lv := res.Liveness; lv == nil || lv.States != 302 || len(res.Findings) > 0 {
		t.Errorf("liveness %+v, findings %v", lv, res.Findings)
	}
}

// TestRefinesSyncTermination pins EWD840.cfg's PROPERTY TDSpec, which TLC
// reports as holding: every step maps to a step of
// SyncTerminationDetection or stutters, and the mapped behaviours satisfy
// its Liveness and its WF(DetectTermination), under this model's fairness.
func TestRefinesSyncTermination(t *testing.T) {
	for _, opts := range []check.Options{{Workers: 2}, {Strategy: check.DFS}} {
		res := check.Test(t, ewd840.New(3), opts)
		if len(res.Refinements) != 1 || res.Refinements[0] != "TDSpec" || len(res.Unverified) > 0 || res.Liveness == nil {
			t.Errorf("%s: refinements %v, unverified %v, liveness %v", opts.Strategy, res.Refinements, res.Unverified, res.Liveness)
		}
	}
	mc, err := machine.Compile(ewd840.New(3))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mc.Property("TDSpec")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range p.Formulas {
		names = append(names, f.Name)
	}
	if want := []string{"Liveness", "high fairness WF(DetectTermination)"}; !reflect.DeepEqual(names, want) {
		t.Errorf("formulas %q, want %q", names, want)
	}
}
