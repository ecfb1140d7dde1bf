// Package nospec is a Go package without an execspec model.
package nospec

// Answer is not a model.
func Answer() int { return 42 }
