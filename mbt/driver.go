package mbt

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Driver connects the implementation under test to a model over the state
// type S. Run and Replay call Reset before every trace and Step for every
// step after the initial state; a driver is used by one goroutine at a time.
//
// A driver that also implements Observer[S] has the implementation's state
// compared with the model's after Reset and after every step.
type Driver[S any] interface {
	// Reset brings the implementation to its initial state; init is the
	// model's initial step (Action "init", with its picks when the model's
	// Init makes any). A driver may build a new implementation here.
	Reset(ctx context.Context, init Step) error
	// Step performs one step. When step.Enabled is false the model does not
	// allow the step and the implementation is expected to refuse it.
	//
	// Step returns nil when the implementation performed the step, an error
	// wrapping ErrRefused (see Refusef) when it refused it, one wrapping
	// ErrMismatch (see Mismatchf) when it performed it but answered what
	// the model does not allow, and any other error when the step could
	// not be tried at all (the service is down, an unknown action): that
	// error fails the test without counting as a divergence. A panic, a
	// refusal the model does not expect and a mismatch are divergences.
	Step(ctx context.Context, step Step) error
}

// Observer is implemented by drivers that can read the implementation's
// state, mapped to the model's state type. Fields the implementation cannot
// match (generated ids, timestamps, variables only the model has) are left
// out of the comparison with Options.Ignore.
type Observer[S any] interface {
	// Observe returns the implementation's current state. An error wrapping
	// ErrNotObserved turns comparisons off for the rest of the run.
	Observe(ctx context.Context) (S, error)
}

// OutputDriver is implemented by drivers whose implementation chooses some
// of a step's values: which job a claim hands out, whether a completion
// succeeded. The picks that make those values are declared outputs
// (Options.Outputs); the others are inputs. Run, Replay and Fuzz call
// StepOutputs instead of Step when the driver has it (Step is then never
// called).
//
// StepOutputs performs step, whose Picks and Values hold the inputs only,
// and returns the values the implementation chose, one Output per output
// pick the action makes (mbt.Output("job", "j2")); its errors mean what
// Step's do. The model then takes the branch of the action with those
// inputs and outputs: a value it does not allow there is a divergence
// (Mismatch), and the run goes on from the state that branch reaches, so
// the model never has to guess what the implementation will choose.
type OutputDriver interface {
	StepOutputs(ctx context.Context, step Step) ([]Labelled, error)
}

// ErrRefused is what a driver's Step returns (wrapped, see Refusef) when the
// implementation rejected the step: errors.Is(err, ErrRefused) tells a
// refusal from a failure to run the step.
var ErrRefused = errors.New("refused")

// ErrNoAnswer is what a ConcurrentDriver's Do returns (wrapped, see
// NoAnswerf) when the operation got no answer: the client timed out, the
// connection broke, the server crashed. Whether the operation took effect
// is unknown, so the history records it as pending (Operation.Pending):
// the checker lets it take effect at any point after its call, or never.
var ErrNoAnswer = errors.New("no answer")

// NoAnswerf returns an error wrapping ErrNoAnswer with a reason, for
// concurrent drivers to report an operation whose outcome is unknown.
func NoAnswerf(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrNoAnswer)
}

// ErrMismatch is what a driver's Step returns (wrapped, see Mismatchf)
// when the implementation performed the step but answered otherwise than
// the model says it must: the driver compared an answer itself. It is a
// divergence (Mismatch), shrunk, saved and reported with its trace like
// any other. Declaring the answer an output (Options.Outputs, OutputDriver)
// lets the model judge it instead.
var ErrMismatch = errors.New("mismatch")

// Mismatchf returns an error wrapping ErrMismatch with a description of
// what the implementation answered and what the model expects.
func Mismatchf(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrMismatch)
}

// ErrNotObserved is returned by an Observer that cannot observe after all
// (for example an HTTPDriver without a StatePath).
var ErrNotObserved = errors.New("mbt: the driver does not observe the implementation's state")

// Refusef returns an error wrapping ErrRefused with a reason, for drivers to
// report that the implementation rejected a step.
func Refusef(format string, args ...any) error {
	return &refusal{msg: fmt.Sprintf(format, args...)}
}

type refusal struct{ msg string }

func (r *refusal) Error() string { return "refused: " + r.msg }
func (r *refusal) Unwrap() error { return ErrRefused }

// Step is one step handed to a driver: the action, its picks and whether the
// model allows it.
type Step struct {
	// Index is the step's position in its trace: 0 for init, then 1, 2, ...
	Index int
	// Action is the name of the model action; "init" for Reset.
	Action string
	// Picks are the action's labelled picks as the model's Go values, in the
	// order it made them; with Options.Outputs, the inputs only (the
	// implementation chooses the outputs). Read one with Pick.
	Picks []Labelled
	// Values are the same picks as ITF values (what a trace file records).
	Values []trace.Pick
	// Enabled says whether the model performs the step. When false, the
	// action's guard fails for these picks and the implementation must
	// refuse the step; the picks are those made before the guard failed.
	// With outputs, false means that no value of the outputs enables the
	// step for these inputs.
	Enabled bool
	// Environment marks an action of the environment (a clock tick, a
	// crash; see execspec.Model.Environment): the driver must perform it,
	// and is never asked to refuse one.
	Environment bool
}

// String formats the step as `deposit(account="alice", amount=2)`, with
// " (expect refusal)" when the model does not allow it.
func (s Step) String() string {
	var b strings.Builder
	b.WriteString(s.Action)
	b.WriteByte('(')
	for i, p := range s.Picks {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Label)
		b.WriteByte('=')
		if i < len(s.Values) && s.Values[i].Value.IsValid() {
			b.WriteString(s.Values[i].Value.String())
		} else {
			b.WriteString(machine.FormatValue(p.Value))
		}
	}
	b.WriteByte(')')
	if !s.Enabled && s.Index > 0 {
		b.WriteString(" (expect refusal)")
	}
	return b.String()
}

// Pick returns the value the step picked under label as a T. The model's Go
// value is returned as is when it is a T; otherwise it is converted through
// its ITF form (so an int pick can be read as an int64, a SubsetOf pick as a
// []string). A missing label or a value that does not fit is an error
// naming the step.
func Pick[T any](s Step, label string) (T, error) {
	var zero T
	for i, p := range s.Picks {
		if p.Label != label {
			continue
		}
		if v, ok := p.Value.(T); ok {
			return v, nil
		}
		var out T
		var val itf.Value
		if i < len(s.Values) {
			val = s.Values[i].Value
		}
		if !val.IsValid() {
			var err error
			if val, err = itf.Marshal(p.Value); err != nil {
				return zero, fmt.Errorf("mbt: step %s: pick %q: %w", s.Action, label, err)
			}
		}
		if err := itf.Unmarshal(val, &out); err != nil {
			return zero, fmt.Errorf("mbt: step %s: pick %q: %w", s.Action, label, err)
		}
		return out, nil
	}
	labels := make([]string, len(s.Picks))
	for i, p := range s.Picks {
		labels[i] = p.Label
	}
	return zero, fmt.Errorf("mbt: step %s has no pick %q (it has: %s)", s.Action, label, strings.Join(labels, ", "))
}

// Labelled is one labelled value: a pick of a step (Label is the pick's
// label, Value the Go value picked; see machine.Pick), or an output of a
// concurrent operation. Drivers read a step's picks (Step.Picks) and a
// concurrent driver returns its outputs (ConcurrentDriver.Do, Output)
// without importing package machine.
type Labelled = machine.Pick
