package cli

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Model code runs in the runner in three places outside actions: Spec
// itself, an instance's constructor and the compilation of the model (which
// evaluates what the model declares). A panic there is not a finding: there
// is no trace to show. It is reported as an input error (exit 4) naming
// what panicked and the panic value; the goroutine stack is printed only
// when EnvTraceback is set. Panics inside actions and properties evaluated
// during a search are findings, reported by the engines with their trace.

// EnvTraceback, set to any non-empty value, makes the runner print the
// goroutine stack of a panic in model code outside actions.
const EnvTraceback = "EXECSPEC_TRACEBACK"

// userPanicError is a panic in model code outside an action.
type userPanicError struct {
	what  string // "Spec()", "the constructor of instance \"n3\"", ...
	value any
	stack []byte
}

func (e *userPanicError) Error() string {
	return fmt.Sprintf("model code panicked in %s: %v", e.what, e.value)
}

// recoverUser runs f, turning a panic into a *userPanicError naming what.
func recoverUser[T any](what string, f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &userPanicError{what: what, value: r, stack: debug.Stack()}
		}
	}()
	return f()
}

// tracebackWanted reports whether the environment asks for panic stacks.
func tracebackWanted(environ []string) bool {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, EnvTraceback+"="); ok && v != "" {
			return true
		}
	}
	return false
}
