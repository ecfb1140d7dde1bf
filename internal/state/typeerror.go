package state

import (
	"fmt"
	"reflect"
	"strings"
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
// model's author fixes them all in one go; errors.As finds both the list
// and each *TypeError in it. The model API converts both to its own
// execspec.TypeError and execspec.TypeErrors.
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

// joinTypeErrors flattens errs (nil, *TypeError or TypeErrors) into nil,
// one *TypeError, or TypeErrors.
func joinTypeErrors(errs ...error) error {
	var all TypeErrors
	for _, err := range errs {
		switch e := err.(type) {
		case nil:
		case *TypeError:
			all = append(all, e)
		case TypeErrors:
			all = append(all, e...)
		default:
			all = append(all, &TypeError{Reason: err.Error()})
		}
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	return all
}
