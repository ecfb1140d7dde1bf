package findings

import "fmt"

// Verdict is what a search's result amounts to: whether the model
// misbehaved, whether the example searched for was reached, and whether a
// silence can be trusted.
type Verdict int

const (
	// Clean: the search ran to its end and found nothing to report.
	Clean Verdict = iota
	// Violation: a finding of a failure (Kind.Failure): an invariant, a
	// step invariant, a temporal property or a refinement violated, a
	// deadlock, a panic.
	Violation
	// Example: the example searched for was reached.
	Example
	// NoExample: the search ran to its end without reaching the example
	// searched for.
	NoExample
	// Incomplete: the search stopped early (a bound, the timeout, the
	// memory cap) or left something unverified: its silence proves
	// nothing.
	Incomplete
	// Interrupted: the search was cancelled before its end.
	Interrupted
	// ModelError: the model is not deterministic, so nothing the search
	// found or missed means anything.
	ModelError
)

func (v Verdict) String() string {
	switch v {
	case Clean:
		return "clean"
	case Violation:
		return "violation"
	case Example:
		return "example"
	case NoExample:
		return "no example"
	case Incomplete:
		return "incomplete"
	case Interrupted:
		return "interrupted"
	case ModelError:
		return "model error"
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// Outcome is what a verdict is judged on, whichever engine searched.
type Outcome struct {
	// Findings are the search's findings.
	Findings []Finding
	// Complete is true when the search ran to its end and verified all it
	// was asked to: every reachable state (check), every planned sample
	// (simulate).
	Complete bool
	// Interrupted is true when the search was cancelled; it matters only
	// for a search that is not Complete.
	Interrupted bool
	// WantExample is true when the search looked for an example.
	WantExample bool
}

// Judge returns the outcome's verdict. A model error comes first, then a
// violation, then the example reached; a search that found none of those
// is Interrupted or Incomplete unless it is Complete, and then NoExample
// when it looked for an example, Clean otherwise.
func Judge(o Outcome) Verdict {
	example := false
	for _, f := range o.Findings {
		if f.Kind == Nondeterministic {
			return ModelError
		}
	}
	for _, f := range o.Findings {
		if f.Kind.Failure() {
			return Violation
		}
		example = true
	}
	switch {
	case example:
		return Example
	case !o.Complete && o.Interrupted:
		return Interrupted
	case !o.Complete:
		return Incomplete
	case o.WantExample:
		return NoExample
	}
	return Clean
}
