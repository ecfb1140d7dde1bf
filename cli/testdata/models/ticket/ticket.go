// Package ticket is a tiny model with a step invariant and an action
// constraint, for the command's script tests: a ticket counter that goes
// up by one or two and, once at 4 or more, may fall back to 0, which
// breaks the step invariant "tickets never go down" on the third step of
// the shortest behaviour. The action constraint keeps searches below 8.
package ticket

import "github.com/execspec/execspec"

// State is the model state.
type State struct {
	N int `itf:"n"`
}

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("ticket").
		Instance("default", build)
}

func build() *execspec.Model[State] {
	m := execspec.NewModel[State]("ticket")
	m.Init(func(c *execspec.Ctx[State]) {})
	m.Action("up", func(c *execspec.Ctx[State]) {
		c.S.N += execspec.IntRange(c, "by", 1, 2)
	})
	m.Action("fall", func(c *execspec.Ctx[State]) {
		if c.Assume(c.S.N >= 4) {
			c.S.N = 0
		}
	})
	m.Invariant("below_9", func(s *State) bool { return s.N < 9 })
	m.StepInvariant("never_down", func(before, after *State) bool { return after.N >= before.N })
	m.ActionConstraint("below_8", func(_, after *State) bool { return after.N < 8 })
	return m
}
