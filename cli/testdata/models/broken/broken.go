// Package broken is a model package that does not compile.
package broken

import "github.com/execspec/execspec"

type State struct{ N int }

// Spec has a type error on purpose.
func Spec() *execspec.Spec[State] {
	var n int = "not a number"
	_ = n
	return nil
}
