// Package specptr declares a Spec that looks like a model's to the eye,
// and to a syntax check, but is not: it returns a pointer to an int.
package specptr

// Spec is not func Spec() *execspec.Spec[S].
func Spec() *int { return new(int) }
