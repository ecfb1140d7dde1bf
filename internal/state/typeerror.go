package state

import (
	"fmt"
	"reflect"
)

// Problem is a part of a type the runtime cannot handle: the path of its
// field from the type's root, its type, and why (with what to use
// instead).
type Problem struct {
	Path   string
	Type   reflect.Type
	Reason string
}

// Problems is the error Of and OfState return: every problem found in a
// type, in field order, so that a model's author fixes them all in one go.
// The model API turns it into its execspec.TypeError or TypeErrors.
type Problems []Problem

func (p Problems) Error() string {
	if len(p) == 0 {
		return "no problem"
	}
	s := fmt.Sprintf("state field %s (type %s): %s", p[0].Path, p[0].Type, p[0].Reason)
	if len(p) > 1 {
		s += fmt.Sprintf(" (and %d more problems)", len(p)-1)
	}
	return s
}

// problem returns the Problems of one problem.
func problem(path string, t reflect.Type, reason string) Problems {
	return Problems{{Path: path, Type: t, Reason: reason}}
}

// joinProblems flattens errs (nil or Problems) into nil or one Problems.
func joinProblems(errs ...error) error {
	var all Problems
	for _, err := range errs {
		switch e := err.(type) {
		case nil:
		case Problems:
			all = append(all, e...)
		default:
			all = append(all, Problem{Reason: err.Error()})
		}
	}
	if len(all) == 0 {
		return nil
	}
	return all
}
