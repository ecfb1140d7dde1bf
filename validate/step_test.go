package validate_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/validate"
)

type ticket struct {
	N int `itf:"n"`
}

func ticketModel() *execspec.Model[ticket] {
	m := execspec.NewModel[ticket]("ticket")
	m.Init(func(c *execspec.Ctx[ticket]) {})
	m.Action("up", func(c *execspec.Ctx[ticket]) {
		d := execspec.IntRange(c, "by", 1, 2)
		c.S.N += d
	})
	m.Action("fall", func(c *execspec.Ctx[ticket]) {
		if c.Assume(c.S.N >= 4) {
			c.S.N = 0
		}
	})
	m.StepInvariant("never_decreases", func(before, after *ticket) bool { return after.N >= before.N })
	// Action constraints bound searches; validation does not judge them.
	m.ActionConstraint("small_steps", func(before, after *ticket) bool { return after.N-before.N < 2 })
	return m
}

// TestStepInvariant validates logs (no picks recorded, one with no actions
// either) whose third transition breaks the step invariant.
func TestStepInvariant(t *testing.T) {
	mc, err := machine.Compile(ticketModel())
	if err != nil {
		t.Fatal(err)
	}
	log := func(actions []string, ns ...int) *validateInput {
		return &validateInput{actions: actions, ns: ns}
	}
	for _, tc := range []struct {
		name string
		in   *validateInput
		want validate.Reason
		at   int
	}{
		{"kept", log([]string{"init", "up", "up", "up"}, 0, 2, 4, 5), 0, 0},
		{"broken", log([]string{"init", "up", "up", "fall", "up"}, 0, 2, 4, 0, 1), validate.StepViolated, 3},
		{"broken, actions not recorded", log([]string{"", "", "", "", ""}, 0, 2, 4, 0, 1), validate.StepViolated, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := mc.NewTrace()
			for i, n := range tc.in.ns {
				st, err := mc.TraceStep(tc.in.actions[i], nil, &ticket{N: n})
				if err != nil {
					t.Fatal(err)
				}
				tr.Steps = append(tr.Steps, st)
			}
			rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == 0 {
				if !rep.Valid() {
					t.Fatalf("invalid: %v", rep.Failure)
				}
				return
			}
			f := rep.Failure
			if f == nil || f.Reason != tc.want || f.Step != tc.at || f.Property != "never_decreases" {
				t.Fatalf("failure %v, want %s at state %d", f, tc.want, tc.at)
			}
			if len(rep.Steps) != tc.at+1 {
				t.Errorf("%d steps reported, want %d (the bad step is reached)", len(rep.Steps), tc.at+1)
			}
		})
	}
}

type validateInput struct {
	actions []string
	ns      []int
}
