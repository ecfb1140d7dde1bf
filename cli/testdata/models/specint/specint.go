// Package specint declares a Spec that is not a model's: it returns an int.
package specint

// Spec is not func Spec() *execspec.Spec[S].
func Spec() int { return 1 }
