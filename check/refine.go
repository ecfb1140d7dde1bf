package check

import (
	"fmt"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Refinements (execspec.Refines) are checked on every transition a search
// generates, duplicates included, by checkTransition, which the
// expander's judgeTransition calls beside the step invariants (see there).
// The mapped temporal properties and high fairness of a refinement are its
// property's Formulas, checked on the behaviour graph with the temporal
// properties.
//
// Symmetry is not used when a refinement is checked: the mapping need not
// treat the symmetric values alike, so the transitions of one member of an
// orbit say nothing of the others'.

// newRefiners returns one worker's checkers of the searched refinements,
// nil when there is none.
func (e *searcher[S]) newRefiners() []*machine.RefinementChecker[S] {
	if len(e.refine) == 0 {
		return nil
	}
	rs := make([]*machine.RefinementChecker[S], len(e.refine))
	for i, p := range e.refine {
		rs[i] = p.Refinement.NewChecker()
	}
	return rs
}

// checkTransition judges the transition from -> to against the searched
// refinements: to is an initial state when from is nil.
func (x *expander[S]) checkTransition(from, to *S) verdict {
	for i, rc := range x.refine {
		var st machine.RefinementStep
		var err error
		if from == nil {
			st, err = rc.Init(to)
		} else {
			st, err = rc.Step(from, to, false)
		}
		name := x.eng.refine[i].Name
		switch {
		case err != nil:
			return verdict{kind: findings.Panicked, property: name, err: err}
		case !st.OK:
			return verdict{kind: findings.RefinementViolated, property: name}
		}
	}
	return verdict{}
}

// unverified lists what the search leaves unverified of the refinements
// it checks: the high fairness it cannot check and, without temporal
// properties, every refinement's mapped temporal properties and fairness.
func (e *searcher[S]) unverified() []string {
	var out []string
	for _, p := range e.refine {
		for _, f := range p.Refinement.Unverified {
			out = append(out, fmt.Sprintf("refinement %s: the high model's fairness %s (declared per pick: not supported)", p.Name, f))
		}
		if len(p.Formulas) > 0 && !e.temporalOf(p.Name) {
			out = append(out, fmt.Sprintf("refinement %s: the high model's temporal properties and fairness (not checked: no temporal properties)", p.Name))
		}
	}
	return out
}

// temporalOf reports whether the named property's formulas are checked on
// the behaviour graph.
func (e *searcher[S]) temporalOf(name string) bool {
	for _, p := range e.temporal {
		if p.Name == name {
			return true
		}
	}
	return false
}

// mappedTrace returns the high model's states the trace through states
// maps to under the named refinement, with the high action that explains
// each step (see findings.Finding.Mapped); nil when name is not a
// refinement. It ends early at a state the mapping panics on.
func (e *searcher[S]) mappedTrace(name string, states []S) *trace.Trace {
	p, err := e.mc.Property(name)
	if err != nil || p.Kind != machine.Refines {
		return nil
	}
	ref := p.Refinement
	rc := ref.NewChecker()
	t := &trace.Trace{Vars: append([]string(nil), ref.HighVars...), Meta: map[string]any{trace.MetaModel: ref.High}}
	for i := range states {
		vals, err := rc.Mapped(&states[i])
		if err != nil {
			break
		}
		var st machine.RefinementStep
		if i == 0 {
			st, err = rc.Init(&states[0])
		} else {
			st, err = rc.Step(&states[i-1], &states[i], true)
		}
		step := trace.Step{State: vals}
		switch {
		case err != nil || !st.OK:
		case st.Stutter:
			step.Action = "(stutter)"
		default:
			step.Action = st.Action
			// The high model's picks are values of a compiled model: they
			// convert (a failure would leave the step without its picks).
			step.Picks, _ = machine.TracePicks(st.Picks)
		}
		t.Steps = append(t.Steps, step)
	}
	return t
}
