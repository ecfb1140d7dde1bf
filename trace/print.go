package trace

import (
	"fmt"
	"io"
	"strings"
)

// PrintOptions controls Print.
type PrintOptions struct {
	// FullStates prints every variable of every state instead of only what
	// changed.
	FullStates bool
	// Highlight, when >= 0, marks that step (for example the violating one).
	Highlight int
	_         struct{}
}

// Print writes the trace readably: per step its number, action and picks,
// then the whole initial state and, for later steps, only what changed (or
// everything with FullStates). It returns the first write error.
func (t *Trace) Print(w io.Writer, opts PrintOptions) error {
	pw := &errWriter{w: w}
	for i, s := range t.Steps {
		marker := ""
		if opts.Highlight == i {
			marker = "  <--"
		}
		if t.Loop != nil && *t.Loop == i {
			pw.printf("-- loop starts here --\n")
		}
		action := s.Action
		if action == "" {
			action = "(action not recorded)"
		}
		pw.printf("step %d: %s%s%s\n", i, action, formatPicks(s.Picks), marker)
		if i == 0 || opts.FullStates {
			for _, v := range t.Vars {
				pw.printf("    %s = %s\n", v, s.State[v])
			}
			continue
		}
		changes := DiffStates(t.Vars, t.Steps[i-1].State, s.State)
		if len(changes) == 0 {
			pw.printf("    (no change)\n")
		}
		for _, c := range changes {
			pw.printf("    %s\n", FormatChange(c))
		}
	}
	switch {
	case t.Loop != nil && *t.Loop == len(t.Steps)-1:
		pw.printf("-- stays in step %d forever (stuttering) --\n", *t.Loop)
	case t.Loop != nil:
		pw.printf("-- back to step %d --\n", *t.Loop)
	}
	return pw.err
}

// FormatChange renders a change as "path: old -> new", "path: + new" or
// "path: - old".
func FormatChange(c Change) string {
	switch {
	case !c.Old.IsValid():
		return fmt.Sprintf("%s: + %s", c.Path, c.New)
	case !c.New.IsValid():
		return fmt.Sprintf("%s: - %s", c.Path, c.Old)
	}
	return fmt.Sprintf("%s: %s -> %s", c.Path, c.Old, c.New)
}

func formatPicks(picks []Pick) string {
	if len(picks) == 0 {
		return ""
	}
	return "  [" + FormatPicks(picks) + "]"
}

// FormatPicks formats picks as label=value, comma-separated, the values in
// their ITF form: `job="j1", ok=true`.
func FormatPicks(picks []Pick) string {
	parts := make([]string, len(picks))
	for i, p := range picks {
		parts[i] = p.Label + "=" + p.Value.String()
	}
	return strings.Join(parts, ", ")
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
