// Package counter is a tiny model whose behaviour depends on the
// environment variable COUNTER_STEP, so tests can change the model between a
// run and its replay.
package counter

import (
	"os"
	"strconv"

	"github.com/execspec/execspec"
)

// State is the model state.
type State struct {
	N     int `itf:"n"`
	Moves int `itf:"moves"`
}

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	step := 1
	if v, err := strconv.Atoi(os.Getenv("COUNTER_STEP")); err == nil {
		step = v
	}
	return execspec.NewSpec[State]("counter").
		Instance("small", func() *execspec.Model[State] { return build(step, 6) }).
		Instance("large", func() *execspec.Model[State] { return build(step, 1000) })
}

func build(step, limit int) *execspec.Model[State] {
	m := execspec.NewModel[State]("counter")
	m.Init(func(c *execspec.Ctx[State]) {})
	m.Action("up", func(c *execspec.Ctx[State]) {
		c.S.N += step * execspec.IntRange(c, "by", 1, 2)
		c.S.Moves++
	})
	m.Action("down", func(c *execspec.Ctx[State]) {
		c.Assume(c.S.N > 0)
		c.S.N--
		c.S.Moves++
	})
	m.Invariant("below_limit", func(s *State) bool { return s.N < limit })
	m.Invariant("always", func(s *State) bool { return true })
	m.Example("reach3", func(s *State) bool { return s.N == 3 })
	m.Example("negative", func(s *State) bool { return s.N < 0 })
	return m
}
