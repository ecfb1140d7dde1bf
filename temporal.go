package execspec

import (
	"fmt"

	"github.com/execspec/execspec/internal/core"
)

// Temporal properties and fairness.
//
// A temporal property speaks about whole behaviours (infinite sequences of
// states), not single states: "every deployer eventually applies every
// plan" fails on a behaviour in which some deployer never does, although
// every state of it is fine. The checker verifies them over the full state
// graph (see package check); random simulation does not check them.
//
// Behaviours follow TLA+'s semantics: a behaviour may stutter (repeat its
// state) at any point, forever unless fairness rules it out, and a state in
// which no action is enabled (a deadlock) stutters forever. Fairness, as
// TLA+'s WF and SF, rules out behaviours that neglect an action:
//
//   - weak fairness (WeakFair): an action that stays enabled from some point
//     on is eventually taken;
//   - strong fairness (StrongFair): an action that is enabled infinitely
//     often is taken infinitely often.
//
// A step that leaves the state unchanged is a stuttering step: it neither
// takes an action nor makes it enabled, for fairness (TLA+'s <<A>>_vars).

// Formula is one temporal formula over state predicates, for
// Model.Temporal; build it with Eventually, AlwaysEventually,
// EventuallyAlways, LeadsTo or LeadsToAlways.
type Formula[S any] struct{ f core.Formula[S] }

// Eventually is <>p: every behaviour reaches a state satisfying p.
func Eventually[S any](p func(*S) bool) Formula[S] { return formula(core.FormEventually, p, nil) }

// AlwaysEventually is []<>p: p holds infinitely often on every behaviour
// (whatever happens, p comes back).
func AlwaysEventually[S any](p func(*S) bool) Formula[S] {
	return formula(core.FormAlwaysEventually, p, nil)
}

// EventuallyAlways is <>[]p: every behaviour reaches a point after which p
// holds forever.
func EventuallyAlways[S any](p func(*S) bool) Formula[S] {
	return formula(core.FormEventuallyAlways, p, nil)
}

// LeadsTo is p ~> q ([](p => <>q)): whenever p holds, q holds then or
// later.
func LeadsTo[S any](p, q func(*S) bool) Formula[S] { return formula(core.FormLeadsTo, p, q) }

// LeadsToAlways is p ~> []q ([](p => <>[]q)): whenever p holds, q holds
// forever from then or some later point on.
func LeadsToAlways[S any](p, q func(*S) bool) Formula[S] {
	return formula(core.FormLeadsToAlways, p, q)
}

// Named returns the formula with a name, which findings, `execspec list`
// and pages show instead of its number: with one formula per process (TLA+'s
// \A p \in Procs : []<>Eating(p)), name each after its process, so that a
// finding says which one starved.
//
//	fs = append(fs, execspec.AlwaysEventually(eating(p)).Named("philosopher "+p))
func (f Formula[S]) Named(name string) Formula[S] {
	f.f.Name = name
	return f
}

func formula[S any](form core.TemporalForm, p, q func(*S) bool) Formula[S] {
	return Formula[S]{core.Formula[S]{Form: form, P: p, Q: q}}
}

// Temporal adds a temporal property: the conjunction of the formulas (TLA+'s
// \A d \in D : ... is one formula per d). The checker verifies it under the
// model's fairness declarations and reports a violation as a lasso: a
// behaviour that reaches a loop and repeats it forever.
func (m *Model[S]) Temporal(name string, formulas ...Formula[S]) {
	m.checkName(core.Temporal.String(), name)
	for _, p := range m.props {
		if p.Name == name {
			m.errs = append(m.errs, fmt.Errorf("property %q defined twice", name))
		}
	}
	if len(formulas) == 0 {
		m.errs = append(m.errs, fmt.Errorf("temporal property %q has no formula", name))
	}
	fs := make([]core.Formula[S], len(formulas))
	names := map[string]int{}
	for i, f := range formulas {
		fs[i] = f.f
		if n := f.f.Name; n != "" {
			if j, dup := names[n]; dup {
				m.errs = append(m.errs, fmt.Errorf("temporal property %q: formulas %d and %d are both named %q", name, j, i, n))
			}
			names[n] = i
		}
		two := f.f.Form == core.FormLeadsTo || f.f.Form == core.FormLeadsToAlways
		if f.f.Form < core.FormEventually || f.f.Form > core.FormLeadsToAlways || f.f.P == nil || (two && f.f.Q == nil) {
			m.errs = append(m.errs, fmt.Errorf("temporal property %q: formula %d is incomplete (build it with Eventually, AlwaysEventually, EventuallyAlways, LeadsTo or LeadsToAlways)", name, i))
		}
	}
	m.props = append(m.props, core.Property[S]{Name: name, Kind: core.Temporal, Formulas: fs})
}

// Fairness is a fairness declaration made with Model.WeakFair or
// Model.StrongFair; chain Per to make it per process.
type Fairness struct{ f core.Fairness }

// Per makes the fairness condition hold separately for each combination
// of values of the picks labelled labels: WeakFair("deploy").Per("deployer")
// is weak fairness of each deployer's deploy. A step that does not make
// one of these picks has the value "-" for it (its own combination). It
// returns f, to chain.
func (f *Fairness) Per(labels ...string) *Fairness {
	f.f.PerPick = append(f.f.PerPick, labels...)
	return f
}

// String renders the declaration as in `execspec list`: "WF(deploy per
// deployer)", "SF(RcvMsg)".
func (f *Fairness) String() string { return f.f.String() }

// WeakFair declares weak fairness (TLA+'s WF) of the disjunction of the
// named actions: a behaviour in which one of them stays enabled forever
// from some point on, without any of them being taken, is not a behaviour
// of the model. Chain Per to make it per process. Only temporal
// properties depend on fairness.
func (m *Model[S]) WeakFair(actions ...string) *Fairness { return m.fair(core.Weak, actions) }

// StrongFair declares strong fairness (TLA+'s SF) of the disjunction of the
// named actions: a behaviour in which they are enabled infinitely often but
// taken only finitely often is not a behaviour of the model. Chain Per to
// make it per process.
func (m *Model[S]) StrongFair(actions ...string) *Fairness { return m.fair(core.Strong, actions) }

func (m *Model[S]) fair(kind core.FairnessKind, actions []string) *Fairness {
	f := &Fairness{core.Fairness{Kind: kind, Actions: actions}}
	if len(actions) == 0 {
		m.errs = append(m.errs, fmt.Errorf("%s declared without actions", kind))
	}
	m.fairness = append(m.fairness, f)
	return f
}

// checkFairness reports fairness declarations naming unknown actions.
func (m *Model[S]) checkFairness() []error {
	var errs []error
	for _, f := range m.fairness {
		for _, a := range f.f.Actions {
			found := false
			for _, na := range m.actions {
				found = found || na.name == a
			}
			if !found {
				var valid []string
				for _, na := range m.actions {
					valid = append(valid, na.name)
				}
				errs = append(errs, fmt.Errorf("fairness %s: %w", f, &UnknownNameError{What: "action", Name: a, Valid: valid}))
			}
		}
	}
	return errs
}
