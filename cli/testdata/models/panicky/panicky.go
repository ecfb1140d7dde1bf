// Package panicky is a model whose action panics on some branch.
package panicky

import "github.com/execspec/execspec"

// State is the model state.
type State struct{ Items []int }

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("panicky").Instance("default", func() *execspec.Model[State] {
		m := execspec.NewModel[State]("panicky")
		m.Init(func(c *execspec.Ctx[State]) {})
		m.Action("push", func(c *execspec.Ctx[State]) {
			c.S.Items = append(c.S.Items, execspec.IntRange(c, "item", 1, 3))
		})
		m.Action("pop_at", func(c *execspec.Ctx[State]) {
			i := execspec.IntRange(c, "index", 0, 3)
			// Bug: no bounds check.
			c.S.Items = append(c.S.Items[:i], c.S.Items[i+1:]...)
		})
		return m
	})
}
