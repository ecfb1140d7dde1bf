// Package nondet is a model whose action is not deterministic: it writes
// TLA+'s CHOOSE as the first key of a range over a Go map, which Go
// randomises. Simulation can find its violation; the checker must report
// the nondeterminism rather than a clean result.
package nondet

import "github.com/execspec/execspec"

// State is the model state.
type State struct {
	N    int
	Last string
}

var keys = map[string]bool{"a": true, "b": true, "c": true, "d": true, "e": true, "f": true, "g": true, "h": true}

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("nondet").Instance("default", func() *execspec.Model[State] {
		m := execspec.NewModel[State]("nondet")
		m.Init(func(c *execspec.Ctx[State]) {})
		m.Action("choose", func(c *execspec.Ctx[State]) {
			if !c.Assume(c.S.N < 30) {
				return
			}
			c.S.N++
			for k := range keys {
				c.S.Last = k
				break
			}
		})
		m.Invariant("never_h_first", func(s *State) bool { return !(s.N == 1 && s.Last == "h") })
		return m
	})
}
