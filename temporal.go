package execspec

import (
	"fmt"
	"strings"
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

// TemporalForm is the shape of one temporal formula.
type TemporalForm int

const (
	// FormEventually is <>P: P holds at some point of every behaviour.
	FormEventually TemporalForm = iota + 1
	// FormAlwaysEventually is []<>P: P holds infinitely often (it never
	// stops coming back).
	FormAlwaysEventually
	// FormEventuallyAlways is <>[]P: from some point on, P holds forever.
	FormEventuallyAlways
	// FormLeadsTo is P ~> Q: whenever P holds, Q holds then or later.
	FormLeadsTo
	// FormLeadsToAlways is P ~> []Q: whenever P holds, Q holds forever
	// from then or some later point on.
	FormLeadsToAlways
)

// Formula is one temporal formula over state predicates; build it with
// Eventually, AlwaysEventually, EventuallyAlways, LeadsTo or
// LeadsToAlways.
type Formula[S any] struct {
	Form TemporalForm
	// P is the formula's predicate; Q is the second predicate of LeadsTo
	// and LeadsToAlways (nil otherwise).
	P, Q func(*S) bool
}

// String renders the formula's shape with P and Q for its predicates, as
// TLA+ writes it ("[]<>P", "P ~> Q").
func (f Formula[S]) String() string {
	switch f.Form {
	case FormEventually:
		return "<>P"
	case FormAlwaysEventually:
		return "[]<>P"
	case FormEventuallyAlways:
		return "<>[]P"
	case FormLeadsTo:
		return "P ~> Q"
	case FormLeadsToAlways:
		return "P ~> []Q"
	}
	return fmt.Sprintf("TemporalForm(%d)", int(f.Form))
}

// Eventually is <>p: every behaviour reaches a state satisfying p.
func Eventually[S any](p func(*S) bool) Formula[S] { return Formula[S]{Form: FormEventually, P: p} }

// AlwaysEventually is []<>p: p holds infinitely often on every behaviour
// (whatever happens, p comes back).
func AlwaysEventually[S any](p func(*S) bool) Formula[S] {
	return Formula[S]{Form: FormAlwaysEventually, P: p}
}

// EventuallyAlways is <>[]p: every behaviour reaches a point after which p
// holds forever.
func EventuallyAlways[S any](p func(*S) bool) Formula[S] {
	return Formula[S]{Form: FormEventuallyAlways, P: p}
}

// LeadsTo is p ~> q ([](p => <>q)): whenever p holds, q holds then or
// later.
func LeadsTo[S any](p, q func(*S) bool) Formula[S] { return Formula[S]{Form: FormLeadsTo, P: p, Q: q} }

// LeadsToAlways is p ~> []q ([](p => <>[]q)): whenever p holds, q holds
// forever from then or some later point on.
func LeadsToAlways[S any](p, q func(*S) bool) Formula[S] {
	return Formula[S]{Form: FormLeadsToAlways, P: p, Q: q}
}

// Temporal adds a temporal property: the conjunction of the formulas (TLA+'s
// \A d \in D : ... is one formula per d). The checker verifies it under the
// model's fairness declarations and reports a violation as a lasso: a
// behaviour that reaches a loop and repeats it forever.
func (m *Model[S]) Temporal(name string, formulas ...Formula[S]) {
	m.checkName(Temporal.String(), name)
	for _, p := range m.props {
		if p.Name == name {
			m.errs = append(m.errs, fmt.Errorf("property %q defined twice", name))
		}
	}
	if len(formulas) == 0 {
		m.errs = append(m.errs, fmt.Errorf("temporal property %q has no formula", name))
	}
	for i, f := range formulas {
		two := f.Form == FormLeadsTo || f.Form == FormLeadsToAlways
		if f.Form < FormEventually || f.Form > FormLeadsToAlways || f.P == nil || (two && f.Q == nil) {
			m.errs = append(m.errs, fmt.Errorf("temporal property %q: formula %d is incomplete (build it with Eventually, AlwaysEventually, EventuallyAlways, LeadsTo or LeadsToAlways)", name, i))
		}
	}
	m.props = append(m.props, Property[S]{Name: name, Kind: Temporal, Formulas: formulas})
}

// FairnessKind is weak or strong fairness.
type FairnessKind int

const (
	// Weak fairness (TLA+'s WF): an action continuously enabled from some
	// point on is eventually taken.
	Weak FairnessKind = iota + 1
	// Strong fairness (TLA+'s SF): an action enabled infinitely often is
	// taken infinitely often.
	Strong
)

// String returns "WF" or "SF", as TLA+ writes them.
func (k FairnessKind) String() string {
	switch k {
	case Weak:
		return "WF"
	case Strong:
		return "SF"
	}
	return fmt.Sprintf("FairnessKind(%d)", int(k))
}

// Fairness is a fairness declaration: the disjunction of Actions is fair
// (TLA+'s WF_vars(A1 \/ A2) or SF_vars(...)); with Per, it is fair
// separately for each combination of values of the picks with those
// labels (TLA+'s \A self \in Procs : WF_vars(Proc(self))).
type Fairness struct {
	Kind    FairnessKind
	Actions []string
	PerPick []string
}

// Per makes the fairness condition hold separately for each combination
// of values of the picks labelled labels: WeakFair("deploy").Per("deployer")
// is weak fairness of each deployer's deploy. A step that does not make
// one of these picks has the value "-" for it (its own combination). It
// returns f, to chain.
func (f *Fairness) Per(labels ...string) *Fairness {
	f.PerPick = append(f.PerPick, labels...)
	return f
}

// String renders the declaration as in `execspec list`: "WF(deploy per
// deployer)", "SF(RcvMsg)".
func (f *Fairness) String() string {
	s := f.Kind.String() + "(" + strings.Join(f.Actions, " \\/ ")
	if len(f.PerPick) > 0 {
		s += " per " + strings.Join(f.PerPick, ", ")
	}
	return s + ")"
}

// WeakFair declares weak fairness (TLA+'s WF) of the disjunction of the
// named actions: a behaviour in which one of them stays enabled forever
// from some point on, without any of them being taken, is not a behaviour
// of the model. Chain Per to make it per process. Only temporal
// properties depend on fairness.
func (m *Model[S]) WeakFair(actions ...string) *Fairness { return m.fair(Weak, actions) }

// StrongFair declares strong fairness (TLA+'s SF) of the disjunction of the
// named actions: a behaviour in which they are enabled infinitely often but
// taken only finitely often is not a behaviour of the model. Chain Per to
// make it per process.
func (m *Model[S]) StrongFair(actions ...string) *Fairness { return m.fair(Strong, actions) }

func (m *Model[S]) fair(kind FairnessKind, actions []string) *Fairness {
	f := &Fairness{Kind: kind, Actions: actions}
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
		for _, a := range f.Actions {
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

// Fairness returns the model's fairness declarations, in the order they
// were made.
func (mc *Machine[S]) Fairness() []Fairness {
	out := make([]Fairness, len(mc.model.fairness))
	for i, f := range mc.model.fairness {
		out[i] = Fairness{Kind: f.Kind, Actions: append([]string(nil), f.Actions...), PerPick: append([]string(nil), f.PerPick...)}
	}
	return out
}

// EvalFormula evaluates the predicates of formula i of the temporal
// property p on s: P, and Q (false when the formula has none). A panic in a
// predicate is returned as a *PanicError.
func (mc *Machine[S]) EvalFormula(p Property[S], i int, s *S) (pv, qv bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = newPanicError(p.Kind.String()+" "+p.Name, nil, r)
		}
	}()
	f := p.Formulas[i]
	pv = f.P(s)
	if f.Q != nil {
		qv = f.Q(s)
	}
	return pv, qv, nil
}
