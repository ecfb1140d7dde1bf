package engine

import (
	"errors"
	"fmt"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
)

// ErrTemporal is wrapped by the error of an engine asked to check a
// temporal property it cannot check: only the model checker verifies
// temporal properties, which speak about infinite behaviours.
var ErrTemporal = errors.New("only the model checker (execspec check) verifies temporal properties")

// ErrRefinement is wrapped by the error of an engine asked to check a
// refinement it cannot check: only the model checker verifies refinements.
var ErrRefinement = errors.New("only the model checker (execspec check) verifies refinements")

// RefuseTemporal returns an error wrapping ErrTemporal when kind is
// machine.Temporal: engines that see finite samples (simulation, replay,
// model-based testing) call it so that a temporal property is never
// reported as passing when nothing checked it.
//
// A refinement (machine.Refines) is refused the same way, wrapping
// ErrRefinement: it is checked on every transition of a search.
func RefuseTemporal(engine string, kind machine.PropertyKind, name string) error {
	if kind == machine.Refines {
		return fmt.Errorf("%q is a refinement: %s cannot check it: %w", name, engine, ErrRefinement)
	}
	if kind != machine.Temporal {
		return nil
	}
	return fmt.Errorf("%s %q is a temporal property: %s cannot check it: %w", kind, name, engine, ErrTemporal)
}

// Targets resolves the property a search is asked for: every invariant
// and every step invariant when name is empty, else the named invariant,
// example, step invariant or temporal property (an
// *execspec.UnknownNameError lists the valid names). kind is what the
// search looks for: a violation of an invariant (machine.Invariant also
// for every invariant and step invariant), of a step invariant, or a
// state satisfying an example. Judge judges a state by the props, and
// JudgeStep a transition.
func Targets[S any](mc *machine.Machine[S], name string) (props []machine.Property[S], kind machine.PropertyKind, err error) {
	if name == "" {
		return append(mc.PropertiesOf(machine.Invariant), mc.StepInvariants()...), machine.Invariant, nil
	}
	p, err := mc.Property(name)
	if err != nil {
		return nil, 0, err
	}
	return []machine.Property[S]{p}, p.Kind, nil
}

// Verdict is what the target properties say of a state: Kind 0 when there
// is nothing to report.
type Verdict struct {
	Kind     findings.Kind
	Property string
	Err      error // the *machine.PanicError of a panicking property
}

// Judge evaluates props on s, in order, and returns the first finding: a
// violated invariant, a satisfied example or a panic. Temporal properties,
// refinements and step invariants are not judged on single states and are
// skipped.
func Judge[S any](mc *machine.Machine[S], props []machine.Property[S], s *S) Verdict {
	for _, p := range props {
		if p.Kind == machine.Temporal || p.Kind == machine.Refines || p.Pred == nil {
			continue
		}
		ok, err := mc.Eval(p, s)
		switch {
		case err != nil:
			return Verdict{Kind: findings.Panicked, Property: p.Name, Err: err}
		case p.Kind == machine.Invariant && !ok:
			return Verdict{Kind: findings.InvariantViolated, Property: p.Name}
		case p.Kind == machine.Example && ok:
			return Verdict{Kind: findings.ExampleFound, Property: p.Name}
		}
	}
	return Verdict{}
}

// JudgeStep evaluates the step invariants among props on the transition
// from before to after, in order, and returns the first finding: a
// violated step invariant or a panic. Other properties are skipped; a nil
// before (an initial state: no transition) has no verdict.
func JudgeStep[S any](mc *machine.Machine[S], props []machine.Property[S], before, after *S) Verdict {
	if before == nil {
		return Verdict{}
	}
	for _, p := range props {
		if p.Kind != machine.StepInvariant {
			continue
		}
		ok, err := mc.EvalStep(p, before, after)
		switch {
		case err != nil:
			return Verdict{Kind: findings.Panicked, Property: p.Name, Err: err}
		case !ok:
			return Verdict{Kind: findings.StepViolated, Property: p.Name}
		}
	}
	return Verdict{}
}

// JudgeTransition is the verdict on the step from before (nil for an
// initial state) to after: the step invariants' (JudgeStep) first, then
// the state's (Judge). Every engine orders a transition's verdicts so.
func JudgeTransition[S any](mc *machine.Machine[S], props []machine.Property[S], before, after *S) Verdict {
	if v := JudgeStep(mc, props, before, after); v.Kind != 0 {
		return v
	}
	return Judge(mc, props, after)
}

// HasSteps reports whether props hold a step invariant: an engine that
// judges transitions then keeps the state each step starts from.
func HasSteps[S any](props []machine.Property[S]) bool {
	for _, p := range props {
		if p.Kind == machine.StepInvariant {
			return true
		}
	}
	return false
}
