// Package specpanic is a model whose own definition panics: Spec itself, or
// (with SPECPANIC=ctor) the constructor of its instance "boom".
package specpanic

import (
	"os"

	"github.com/execspec/execspec"
)

// State is the model state.
type State struct{ N int }

// Spec returns the model, or panics unless SPECPANIC=ctor.
func Spec() *execspec.Spec[State] {
	if os.Getenv("SPECPANIC") != "ctor" {
		panic("spec table not loaded")
	}
	return execspec.NewSpec[State]("specpanic").Instance("boom", func() *execspec.Model[State] {
		var limits map[string]int
		limits["n"] = 3 // assignment to a nil map
		return execspec.NewModel[State]("specpanic")
	})
}
