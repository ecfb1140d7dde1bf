// Package setofsets is a model package that does not compile: it holds a
// Set of a struct that holds a Set, and a map keyed by a Set, as a
// newcomer to execspec's state types writes at first.
package setofsets

import "github.com/execspec/execspec"

// Vote holds a Set, so it is not comparable.
type Vote struct{ Voters execspec.Set[int] }

// State holds a Set of Votes and a map keyed by a Set: neither compiles.
type State struct {
	Votes  execspec.Set[Vote]
	Quorum map[execspec.Set[int]]bool
}

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("setofsets").Instance("small", func() *execspec.Model[State] {
		m := execspec.NewModel[State]("setofsets")
		m.Init(func(c *execspec.Ctx[State]) {})
		return m
	})
}
