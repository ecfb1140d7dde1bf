package findings

import (
	"fmt"
	"strings"

	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Kind says what a finding is.
type Kind int

const (
	// InvariantViolated: a reachable state violates an invariant.
	InvariantViolated Kind = iota + 1
	// ExampleFound: a reachable state satisfies the example searched for.
	ExampleFound
	// Deadlocked: a reachable state has no enabled action (when deadlocks
	// are reported).
	Deadlocked
	// Panicked: user code (init, an action, a property or a symmetry's
	// permute function) panicked.
	Panicked
	// Nondeterministic: an action executed twice from the same state with
	// the same choices gave different results. It is an error in the
	// model, not a behaviour of the system: the search stops.
	Nondeterministic
	// LivenessViolated: a behaviour allowed by the model's fairness
	// violates a temporal property. Its trace is a lasso (trace.Trace.Loop
	// is set): a prefix, then a loop repeated forever.
	LivenessViolated
	// RefinementViolated: an initial state or a step of the model maps to
	// no initial state or step of the high model of a refinement
	// (execspec.Refines). The trace ends at that state; Mapped holds the
	// high states beside it.
	RefinementViolated
	// StepViolated: a transition between reachable states violates a step
	// invariant (execspec.Model.StepInvariant). Its trace ends in the bad
	// step.
	StepViolated
)

func (k Kind) String() string {
	switch k {
	case InvariantViolated:
		return "invariant violated"
	case ExampleFound:
		return "example found"
	case Deadlocked:
		return "deadlock"
	case Panicked:
		return "panic"
	case Nondeterministic:
		return "nondeterministic model"
	case LivenessViolated:
		return "temporal property violated"
	case RefinementViolated:
		return "refinement violated"
	case StepViolated:
		return "step invariant violated"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Failure reports whether a finding of this kind fails a search for the
// target kind: every kind but ExampleFound does, and ExampleFound is what
// a search for an example wants.
func (k Kind) Failure() bool { return k != ExampleFound }

// Finding is one result worth reporting, with the trace that reaches it.
type Finding struct {
	Kind Kind
	// Property is the invariant, example, step invariant or temporal
	// property; for a
	// LivenessViolated finding, Formula is the index of the formula of the
	// temporal property that fails; for a panic, the property (or
	// symmetry, or constraint) that panicked, empty when init or an action
	// did.
	Property string
	// Err is the *machine.PanicError of a panic, or the error describing
	// a nondeterministic action.
	Err error
	// Trace leads from an initial state to the state found. For a panic in
	// an action its last step shows the action and the picks it made, on
	// top of the state it started from. It may be nil for a
	// Nondeterministic finding whose path does not replay.
	Trace *trace.Trace
	// Original is the length in steps of the trace as the search found
	// it, when it was shrunk to Trace; 0 when it was not.
	Original int
	// Formula is, for a LivenessViolated finding, the index of the
	// violated formula among the temporal property's formulas.
	Formula int
	// Mapped is, for a finding on a refinement (a RefinementViolated
	// finding, or a LivenessViolated one of a refinement's mapped
	// temporal property or fairness), the high model's states the trace
	// maps to, one step per step of Trace: each step's Action is the high
	// action that explains the step ("init" for the first, "(stutter)"
	// for a stuttering step), empty where the high model has none. Nil
	// otherwise.
	Mapped *trace.Trace
}

// Headline is the finding's first line, as a log shows it.
func (f Finding) Headline() string {
	switch f.Kind {
	case Panicked, Nondeterministic:
		return fmt.Sprintf("%s: %v", f.Kind, f.Err)
	case Deadlocked:
		return "deadlock: no action is enabled"
	case RefinementViolated:
		if f.Trace != nil && len(f.Trace.Steps) == 1 {
			return fmt.Sprintf("%s: %s (the initial state maps to no initial state of the high model)", f.Kind, f.Property)
		}
		return fmt.Sprintf("%s: %s (the last step maps to no step of the high model)", f.Kind, f.Property)
	case LivenessViolated:
		if f.Trace != nil && f.Trace.Loop != nil {
			return fmt.Sprintf("%s: %s (a lasso: loop back to step %d)", f.Kind, f.Property, *f.Trace.Loop)
		}
	}
	return fmt.Sprintf("%s: %s", f.Kind, f.Property)
}

// Describe renders a finding for a log: its headline, its trace with the
// last step highlighted, the panic stack if any, and how lines (for
// example the command that reproduces it), one per line.
func Describe(f Finding, how ...string) string {
	var b strings.Builder
	b.WriteString("execspec: ")
	b.WriteString(f.Headline())
	b.WriteByte('\n')
	if f.Trace != nil && len(f.Trace.Steps) > 0 {
		_ = f.Trace.Print(&b, trace.PrintOptions{Highlight: len(f.Trace.Steps) - 1})
	}
	if pe, ok := f.Err.(*machine.PanicError); ok && pe.Stack != "" {
		b.WriteString("panic stack:\n")
		b.WriteString(pe.Stack)
		if !strings.HasSuffix(pe.Stack, "\n") {
			b.WriteByte('\n')
		}
	}
	b.WriteString(strings.Join(how, "\n"))
	return strings.TrimRight(b.String(), "\n")
}

// Status is a finding's ITF "#meta" status, in Quint's terms: violation,
// example, deadlock or error.
func Status(k Kind) string {
	switch k {
	case ExampleFound:
		return "example"
	case Panicked, Nondeterministic:
		return "error"
	case Deadlocked:
		return "deadlock"
	}
	return "violation"
}
