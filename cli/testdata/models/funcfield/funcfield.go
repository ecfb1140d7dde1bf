// Package funcfield is a model whose state holds a function.
package funcfield

import "github.com/execspec/execspec"

// Zone holds a callback, which state cannot.
type Zone struct {
	Records  map[string]string
	OnChange func()
}

// State is the model state.
type State struct{ Zone Zone }

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("funcfield").Instance("default", func() *execspec.Model[State] {
		m := execspec.NewModel[State]("funcfield")
		m.Init(func(c *execspec.Ctx[State]) {})
		m.Action("noop", func(c *execspec.Ctx[State]) {})
		return m
	})
}
