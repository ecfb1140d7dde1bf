package crosscheck_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/crosscheck"
	"github.com/execspec/execspec/machine"
)

// pair is two processes' counters, interchangeable, that count up to 2
// and may be reset, for the comparison of step invariants and action
// constraints with the reference semantics.
type pair struct{ N [2]int }

func pairModel(step, action bool) *execspec.Model[pair] {
	m := execspec.NewModel[pair]("pair")
	m.Init(func(c *execspec.Ctx[pair]) {})
	m.Action("inc", func(c *execspec.Ctx[pair]) {
		p := execspec.IntRange(c, "p", 0, 1)
		if c.Assume(c.S.N[p] < 3) {
			c.S.N[p]++
		}
	})
	m.Action("reset", func(c *execspec.Ctx[pair]) {
		p := execspec.IntRange(c, "p", 0, 1)
		if c.Assume(c.S.N[p] >= 2) {
			c.S.N[p] = 0
		}
	})
	m.Action("stay", func(c *execspec.Ctx[pair]) {}) // stuttering steps
	if step {
		m.StepInvariant("monotonic", func(before, after *pair) bool {
			return after.N[0] >= before.N[0] && after.N[1] >= before.N[1]
		})
	}
	if action {
		// No reset from 3, and no counter to 3 while the other is 0.
		m.ActionConstraint("bounded", func(before, after *pair) bool {
			reset3 := (before.N[0] == 3 && after.N[0] == 0) || (before.N[1] == 3 && after.N[1] == 0)
			lopsided := (after.N[0] == 3 && after.N[1] == 0) || (after.N[1] == 3 && after.N[0] == 0)
			return !reset3 && !lopsided
		})
		m.Invariant("not_lopsided", func(s *pair) bool { return !(s.N[0] == 3 && s.N[1] == 0) })
	}
	m.Symmetry("procs", 2, func(s *pair, perm []int) {
		var n [2]int
		for i, v := range s.N {
			n[perm[i]] = v
		}
		s.N = n
	})
	return m
}

// TestStepProperties compares every configuration with the reference on
// models with a step invariant, an action constraint, and both.
func TestStepProperties(t *testing.T) {
	for _, tc := range []struct {
		name         string
		step, action bool
		property     string
	}{
		{"step invariant", true, false, ""},
		{"step invariant by name", true, false, "monotonic"},
		{"action constraint", false, true, ""},
		{"both", true, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mc, err := machine.Compile(pairModel(tc.step, tc.action))
			if err != nil {
				t.Fatal(err)
			}
			crosscheck.Check(t, mc, crosscheck.Options{Property: tc.property})
			if tc.action {
				// Without the invariant judged on excluded successors: the
				// states themselves.
				crosscheck.Check(t, mc, crosscheck.Options{Property: "not_lopsided"})
			}
		})
	}
}
