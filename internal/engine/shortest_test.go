package engine_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
)

type detour struct{ N, M int }

// detourModel reaches N == 4 by four incs, or by a detour the passes
// cannot find (they only delete and short-cut steps of the trace): set M,
// then jump by 3, then inc.
func detourModel(t *testing.T) (*machine.Machine[detour], []machine.Property[detour]) {
	t.Helper()
	m := execspec.NewModel[detour]("detour")
	m.Init(func(c *execspec.Ctx[detour]) {})
	m.Action("inc", func(c *execspec.Ctx[detour]) {
		if c.Assume(c.S.N < 5) {
			c.S.N++
		}
	})
	m.Action("jump", func(c *execspec.Ctx[detour]) {
		if c.Assume(c.S.M == 1 && c.S.N < 2) {
			c.S.N += 3
		}
	})
	m.Action("set", func(c *execspec.Ctx[detour]) {
		if c.Assume(c.S.M == 0) {
			c.S.M = 1
		}
	})
	m.Invariant("not4", func(s *detour) bool { return s.N != 4 })
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc, mc.PropertiesOf(machine.Invariant)
}

// Shrinking ends with a breadth-first search: a shortest trace, also when
// it takes another way than the one found.
func TestShrinkFindsAShortestDetour(t *testing.T) {
	mc, props := detourModel(t)
	inc := engine.PlanStep{Action: 0, Enabled: true}
	found := engine.Plan{Steps: []engine.PlanStep{inc, inc, inc, inc}}
	p, _ := engine.ShrinkFinding(mc, props, found, engine.Verdict{Kind: findings.InvariantViolated, Property: "not4"}, engine.DefaultShrinkRuns)
	if len(p.Steps) != 3 {
		t.Fatalf("shrunk to %d steps (%v), want 3 (set, jump and an inc, in some order)", len(p.Steps), p.Steps)
	}
	tr, err := engine.TraceOf(mc, p)
	if err != nil || tr.Steps[len(tr.Steps)-1].State["N"].String() != "4" {
		t.Errorf("the shrunk plan does not reach N = 4: %v, %v", tr, err)
	}
}
