package simulate_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"
)

// ticket is a counter that goes up by one or two, and once at 4 or more
// may fall back to 0: the fall is the step invariant's violation, on the
// third step of the shortest behaviour (two, two, fall).
type ticket struct{ N int }

func ticketModel() *execspec.Model[ticket] {
	m := execspec.NewModel[ticket]("ticket")
	m.Init(func(c *execspec.Ctx[ticket]) {})
	m.Action("up", func(c *execspec.Ctx[ticket]) {
		d := execspec.IntRange(c, "by", 1, 2)
		if c.Assume(c.S.N < 6) {
			c.S.N += d
		}
	})
	m.Action("fall", func(c *execspec.Ctx[ticket]) {
		if c.Assume(c.S.N >= 4) {
			c.S.N = 0
		}
	})
	m.StepInvariant("never_decreases", func(before, after *ticket) bool { return after.N >= before.N })
	return m
}

func TestStepInvariant(t *testing.T) {
	mc, err := machine.Compile(ticketModel())
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		opts := simulate.Options{Seed: 5, Workers: workers, MaxSamples: 500, MaxSteps: 30}
		res, err := simulate.Run(context.Background(), mc, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) == 0 {
			t.Fatalf("workers %d: no finding", workers)
		}
		f := res.Findings[0]
		if f.Kind != findings.StepViolated || f.Property != "never_decreases" {
			t.Fatalf("workers %d: %s, want the step invariant violated", workers, f.Headline())
		}
		// Shrunk to the shortest: up 2, up 2, fall.
		if n := len(f.Trace.Steps) - 1; n != 3 || f.Trace.Steps[3].Action != "fall" {
			t.Errorf("workers %d: %d steps ending in %s, want 3 ending in fall", workers, n, f.Trace.Steps[n].Action)
		}
		// The sample replays to the same finding.
		_, rf, err := simulate.Replay(mc, opts, f.Sample)
		if err != nil || rf == nil || rf.Kind != findings.StepViolated {
			t.Errorf("workers %d: replay of sample %d: %v, %v", workers, f.Sample, rf, err)
		}
	}
}

// TestActionConstraintWalk checks that a walk never takes a step an
// action constraint excludes, and chooses among the others.
func TestActionConstraintWalk(t *testing.T) {
	m := ticketModel()
	m.ActionConstraint("no_fall", func(before, after *ticket) bool { return after.N >= before.N })
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 1, Workers: 1, MaxSamples: 300, MaxSteps: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Fatalf("a walk took an excluded step: %s", res.Findings[0].Headline())
	}
}
