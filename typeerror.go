package execspec

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/execspec/execspec/internal/state"
)

// TypeError reports a state type execspec cannot handle, naming the path of
// the offending field from the state's root.
type TypeError struct {
	Path   string       // e.g. "State.Zone.Trees[value].Handler"
	Type   reflect.Type // the offending type
	Reason string
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("state field %s (type %s): %s", e.Path, e.Type, e.Reason)
}

// TypeErrors is every problem found in a state type, in field order, so a
// model's author fixes them all in one go. machine.Compile returns it (wrapped)
// when the state type has more than one problem; errors.As finds both the
// list and each *TypeError in it.
type TypeErrors []*TypeError

// Error lists the problems, one per line.
func (e TypeErrors) Error() string {
	msgs := make([]string, len(e))
	for i, te := range e {
		msgs[i] = te.Error()
	}
	return fmt.Sprintf("%d problems with the state type:\n\t%s", len(e), strings.Join(msgs, "\n\t"))
}

// Unwrap returns the individual errors.
func (e TypeErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, te := range e {
		out[i] = te
	}
	return out
}

// typeErrorsOf converts the state runtime's errors about a state type into
// the model API's: a *TypeError for one problem, TypeErrors for more, or
// err itself.
func typeErrorsOf(err error) error {
	var ps state.Problems
	if !errors.As(err, &ps) {
		return err
	}
	out := make(TypeErrors, len(ps))
	for i, p := range ps {
		out[i] = &TypeError{Path: p.Path, Type: p.Type, Reason: p.Reason}
	}
	if len(out) == 1 {
		return out[0]
	}
	return out
}
