package execspec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/itf"
)

// ENABLED: properties that ask whether an action can be taken.
//
// Enabled returns a state predicate, TLA+'s ENABLED A, that the engine
// running the model evaluates by running the action's own code from the
// state: never a copy of its guard that could drift from it. Use it in
// invariants, examples, constraints and temporal formulas like any
// predicate:
//
//	grant := execspec.Enabled(m, "grant", execspec.Pick("c", c))
//	m.Invariant("pending_grantable", func(s *State) bool {
//		return !(s.Want[c] && s.Holder == none) || grant(s)
//	})
//
// The action is enabled in a state when one of its branches (every
// sequence of picks, in the order the checker enumerates them) completes
// without a failed Assume; with picks, only the branches that make each
// of those picks, with that value, count: Pick("c", "c1") is the action
// for client c1. A branch that leaves the state unchanged counts, as in
// TLA+'s ENABLED A (fairness, in contrast, speaks of <<A>>_vars). A
// branch that panics before an enabled one is found makes the predicate
// panic, and the engine reports the panic in the property that asked,
// naming the action and its picks: as everywhere, a panic is a finding,
// never a verdict.
//
// The predicate must be called by an engine, within a property, on the
// model's states (calling it before the model is compiled panics with a
// message saying so); an action's own code must not call it for itself.
// Enabled of an action with pick values is not preserved by symmetry
// (which renames those values), so the checker and the reference
// semantics ignore the symmetry declarations of a model that uses one,
// and say so.

// PickValue is a labelled pick and the value a branch must give it, for
// Enabled; make one with Pick.
type PickValue struct {
	label string
	value itf.Value
	err   error
}

// Pick returns the pick labelled label with value v, for Enabled. v may be
// of any type a pick may have (compared through its ITF form, as replay
// compares recorded picks).
func Pick[T any](label string, v T) PickValue {
	iv, err := itf.Marshal(v)
	return PickValue{label: label, value: iv, err: err}
}

// Enabled returns the predicate "action is enabled" (TLA+'s ENABLED), with
// picks restricted to the branches that make those picks with those
// values; see the comment above for its meaning and use. The action must
// be one of m's (declared before or after the call); an unknown name is
// an error of the model, listing the valid ones.
func Enabled[S any](m *Model[S], action string, picks ...PickValue) func(*S) bool {
	p := &core.Probe[S]{Action: action}
	shows := make([]string, 0, len(picks))
	for _, pv := range picks {
		if pv.err != nil {
			m.errs = append(m.errs, fmt.Errorf("Enabled(%s): pick %s: %w", action, pv.label, pv.err))
			continue
		}
		if p.Picks == nil {
			p.Picks = map[string]itf.Value{}
		}
		if _, dup := p.Picks[pv.label]; dup {
			m.errs = append(m.errs, fmt.Errorf("Enabled(%s): pick %s given twice", action, pv.label))
		}
		p.Picks[pv.label] = pv.value
		shows = append(shows, pv.label+"="+pv.value.String())
	}
	sort.Strings(shows)
	p.Show = action
	if len(shows) > 0 {
		p.Show += " with " + strings.Join(shows, ", ")
	}
	m.probes = append(m.probes, p)
	return func(s *S) bool {
		enabled, ok := p.Eval(s)
		if !ok {
			panic(fmt.Sprintf("execspec.Enabled(%s) evaluated outside an engine: compile the model first (machine.Compile, or any engine)", p.Show))
		}
		return enabled
	}
}

// resolveProbes gives each Enabled predicate its action's number.
func (m *Model[S]) resolveProbes() []error {
	var errs []error
	for _, p := range m.probes {
		p.Index = -1
		var valid []string
		for i, a := range m.actions {
			valid = append(valid, a.name)
			if a.name == p.Action {
				p.Index = i
			}
		}
		if p.Index < 0 {
			errs = append(errs, fmt.Errorf("Enabled: %w", &UnknownNameError{What: "action", Name: p.Action, Valid: valid}))
		}
	}
	return errs
}
