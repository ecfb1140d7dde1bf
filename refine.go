package execspec

import (
	"fmt"
	"sync"

	"github.com/execspec/execspec/internal/core"
)

// Refinement: a model implements another.
//
// Refines states TLA+'s central claim, Spec => High!Spec under a
// refinement mapping: every behaviour of the low model, mapped state by
// state, is a behaviour of the high model. The checker verifies it like an
// invariant, by default, on every transition it explores:
//
//   - every initial state of the low model maps to an initial state of the
//     high model;
//   - every step s -> t of the low model maps either to a step of the high
//     model (mapping(t) is one of the successors of mapping(s) that the
//     high model's own actions produce) or to a stuttering step
//     (mapping(t) equals mapping(s));
//   - the high model's temporal properties, their predicates composed with
//     the mapping, hold on the low model under the low model's fairness;
//   - the high model's weak and strong fairness (without Per or When)
//     hold of the mapped behaviours: a behaviour of the low model, fair to
//     the low model's fairness, in which a high action stays enabled
//     (infinitely often enabled, for strong fairness) after the mapping
//     but no step maps to a step of it, violates the refinement. High
//     fairness declared Per or When is not verified, and the checker says
//     so.
//
// A violation is a shortest trace of the low model with the mapped high
// states beside it, ending at the first initial state or step the high
// model cannot take. The high model's invariants, examples and
// constraints play no part (TLC checks High!Spec as a PROPERTY the same
// way).

// Refines declares that low implements high under mapping, as the
// property name of low: `execspec list` shows it, `execspec check` and
// check.Run verify it by default (see the comment above for what is
// checked). mapping must be a deterministic function of the low state
// that does not modify it; a panic in it is reported like a panic in an
// invariant. high is compiled when low is; an error in it is low's.
//
//	execspec.Refines(m, "TCSpec", tcommit.New(n), func(s *State) tcommit.State {
//		return tcommit.State{RMState: rmState(s)}
//	})
//
// Symmetry does not mix with refinement (a mapping need not treat
// symmetric values alike): a search that checks a refinement ignores the
// low model's symmetry declarations. Random simulation, replay and
// model-based testing do not check refinements.
func Refines[L, H any](low *Model[L], name string, high *Model[H], mapping func(*L) H) {
	low.checkNewName("refinement", name)
	if high == nil || mapping == nil {
		low.errs = append(low.errs, fmt.Errorf("refinement %q needs a high model and a mapping", name))
		return
	}
	if low.refines == nil {
		low.refines = map[string]func() (*core.Refinement[L], []core.Formula[L], error){}
	}
	low.refines[name] = func() (*core.Refinement[L], []core.Formula[L], error) {
		return buildRefinement(name, high, mapping)
	}
	low.props = append(low.props, core.Property[L]{Name: name, Kind: core.Refines})
}

// buildRefinement compiles high and returns the refinement's definition
// with its formulas: the high temporal properties and fairness, mapped.
func buildRefinement[L, H any](name string, high *Model[H], mapping func(*L) H) (*core.Refinement[L], []core.Formula[L], error) {
	hdef, err := high.compile()
	if err != nil {
		return nil, nil, fmt.Errorf("refinement %s: high %w", name, err)
	}
	setS := func(c *Ctx[H], s *H) { c.S = s }
	ref := &core.Refinement[L]{High: hdef.Name, HighVars: hdef.Vars, HighFairness: hdef.Fairness}
	ref.New = func() core.RefinementChecker[L] { return core.NewRefinementChecker(name, hdef, setS, mapping) }
	var fs []core.Formula[L]
	for _, p := range hdef.Props {
		if p.Kind != core.Temporal {
			continue
		}
		for i, f := range p.Formulas {
			label := p.Name
			switch {
			case f.Name != "":
				label += ": " + f.Name
			case len(p.Formulas) > 1:
				label += fmt.Sprintf(" #%d", i+1)
			}
			fs = append(fs, core.Formula[L]{Form: f.Form, P: mapPred(f.P, mapping), Q: mapPred(f.Q, mapping), Name: label})
		}
	}
	pool := &sync.Pool{New: func() any { return ref.New() }}
	for _, f := range hdef.Fairness {
		var actions []int
		for _, a := range f.Actions {
			for i, ha := range hdef.Actions {
				if ha.Name == a {
					actions = append(actions, i)
				}
			}
		}
		enabled, taken, ok := core.FairnessObligation[L](pool, actions)
		if !ok || len(f.PerPick) > 0 || f.When != "" {
			ref.Unverified = append(ref.Unverified, f.String())
			continue
		}
		form := core.FormAlwaysEventually // WF: not forever enabled and never taken
		if f.Kind == core.Strong {
			form = core.FormEventuallyAlways // SF: not enabled infinitely often and never taken
		}
		fs = append(fs, core.Formula[L]{Form: form, P: func(s *L) bool { return !enabled(s) }, Taken: taken, Name: "high fairness " + f.String()})
	}
	return ref, fs, nil
}

// mapPred composes a high model's state predicate with the mapping.
func mapPred[L, H any](p func(*H) bool, mapping func(*L) H) func(*L) bool {
	if p == nil {
		return nil
	}
	return func(s *L) bool {
		h := mapping(s)
		return p(&h)
	}
}
