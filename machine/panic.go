package machine

import (
	"fmt"
	"runtime/debug"

	"github.com/execspec/execspec/itf"
)

// PanicError reports a panic in model code: an action, init or a property;
// or, with Value ErrGoexit, a call to runtime.Goexit there (see OnGoexit).
type PanicError struct {
	Where string // "action deploy", "invariant no_inconsistent_root", "init"
	Picks []Pick // the picks made before the panic, for actions
	Value any    // what was passed to panic
	Stack string
}

func (e *PanicError) Error() string {
	what := "panic"
	if e.Value == ErrGoexit {
		what = ErrGoexit.Error()
	}
	s := fmt.Sprintf("%s in %s", what, e.Where)
	if len(e.Picks) > 0 {
		s += " with picks " + FormatPicks(e.Picks)
	}
	if e.Value == ErrGoexit {
		return s + ": " + goexitAdvice
	}
	return fmt.Sprintf("%s: %v", s, e.Value)
}

func newPanicError(where string, picks []Pick, v any) *PanicError {
	return &PanicError{Where: where, Picks: picks, Value: v, Stack: string(debug.Stack())}
}

// FormatPicks formats picks as label=value, comma-separated.
func FormatPicks(picks []Pick) string {
	var b []byte
	for i, p := range picks {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, p.Label...)
		b = append(b, '=')
		b = append(b, FormatValue(p.Value)...)
	}
	return string(b)
}

// FormatValue formats a Go value as its ITF form (e.g. {1, 2} for a set).
func FormatValue(v any) string {
	iv, err := itf.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return iv.String()
}
