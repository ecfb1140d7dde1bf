package execspec

import (
	"fmt"
	"reflect"
	"strings"

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
	m.checkNewName(core.Temporal.String(), name)
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
// Model.StrongFair; chain Per to make it per process, When to restrict it
// to the branches that satisfy a condition.
type Fairness[S any] struct {
	f    core.Fairness
	when func(s *S, picks Picks) bool
}

// Per makes the fairness condition hold separately for each combination
// of values of the picks labelled labels: WeakFair("deploy").Per("deployer")
// is weak fairness of each deployer's deploy. A step that does not make
// one of these picks has the value "-" for it (its own combination). It
// returns f, to chain.
func (f *Fairness[S]) Per(labels ...string) *Fairness[S] {
	f.f.PerPick = append(f.f.PerPick, labels...)
	return f
}

// When restricts the fair action to the branches of the declared actions
// that satisfy cond, a predicate of the state the step starts from and of
// the branch's picks: TLA+'s WF_vars(A_p) for the action A_p that is A
// where p holds. SimpleAllocator's \A c : WF_vars(Return(c, alloc[c])),
// weak fairness of each client's returning everything it holds, is
//
//	m.WeakFair("Return").Per("c").When("returns_all", func(s *State, p execspec.Picks) bool {
//		c, _ := execspec.Picked[string](p, "c")
//		back, _ := execspec.Picked[execspec.Set[string]](p, "S")
//		return back.Equal(s.Alloc[c])
//	})
//
// The restricted action is enabled in a state when one of its branches
// there satisfies cond and changes the state, and taken by a step made by
// such a branch: weak fairness rules out the behaviours in which, from
// some point on, it is enabled in every state and never taken; strong
// fairness those in which it is enabled infinitely often and taken
// finitely often. name says what cond asks, in `execspec list` and in the
// checker's header ("WF(Return per c when returns_all)"). cond must be a
// deterministic function of its arguments; a panic in it is reported as a
// finding of the temporal property being checked. It returns f, to
// chain; a second When replaces the first.
func (f *Fairness[S]) When(name string, cond func(s *S, picks Picks) bool) *Fairness[S] {
	f.f.When, f.when = name, cond
	return f
}

// String renders the declaration as in `execspec list`: "WF(deploy per
// deployer)", "SF(RcvMsg)", "WF(Return per c when returns_all)".
func (f *Fairness[S]) String() string { return f.f.String() }

// WeakFair declares weak fairness (TLA+'s WF) of the disjunction of the
// named actions: a behaviour in which one of them stays enabled forever
// from some point on, without any of them being taken, is not a behaviour
// of the model. Chain Per to make it per process, When to restrict it to
// some branches. Only temporal properties depend on fairness.
func (m *Model[S]) WeakFair(actions ...string) *Fairness[S] { return m.fair(core.Weak, actions) }

// StrongFair declares strong fairness (TLA+'s SF) of the disjunction of the
// named actions: a behaviour in which they are enabled infinitely often but
// taken only finitely often is not a behaviour of the model. Chain Per to
// make it per process, When to restrict it to some branches.
func (m *Model[S]) StrongFair(actions ...string) *Fairness[S] { return m.fair(core.Strong, actions) }

func (m *Model[S]) fair(kind core.FairnessKind, actions []string) *Fairness[S] {
	f := &Fairness[S]{f: core.Fairness{Kind: kind, Actions: actions}}
	if len(actions) == 0 {
		m.errs = append(m.errs, fmt.Errorf("%s declared without actions", kind))
	}
	m.fairness = append(m.fairness, f)
	return f
}

// Picks are the labelled picks one branch of an action made, as a
// fairness condition (Fairness.When) sees them. Read them with Picked.
type Picks struct{ ps []core.Pick }

// Picked returns the value the branch picked under label (a label used
// twice in one branch is "label#2" the second time) as a T, and whether
// the branch made that pick with a value of type T. A subset (SubsetOf,
// SubsetOfSet) reads as a Set or a slice of its elements. The value is
// the branch's own: a condition must not modify it.
func Picked[T any](p Picks, label string) (T, bool) {
	var out T
	for _, pk := range p.ps {
		if pk.Label != label {
			continue
		}
		if v, ok := pk.Value.(T); ok {
			return v, true
		}
		sub, ok := pk.Value.(anySet)
		if !ok {
			return out, false
		}
		if t, ok := any(&out).(interface{ fromAnySet(anySet) bool }); ok {
			return out, t.fromAnySet(sub)
		}
		rv := reflect.ValueOf(&out).Elem()
		if rv.Kind() != reflect.Slice {
			return out, false
		}
		elems := reflect.MakeSlice(rv.Type(), len(sub), len(sub))
		for i, e := range sub {
			ev := reflect.ValueOf(e)
			if !ev.IsValid() || !ev.Type().AssignableTo(rv.Type().Elem()) {
				return out, false
			}
			elems.Index(i).Set(ev)
		}
		rv.Set(elems)
		return out, true
	}
	return out, false
}

// fromAnySet makes s the set of the elements of a subset pick, when they
// are all of type T.
func (s *Set[T]) fromAnySet(sub anySet) bool {
	n := SetOf[T]()
	for _, e := range sub {
		x, ok := e.(T)
		if !ok {
			return false
		}
		n.Add(x)
	}
	*s = n
	return true
}

// Has reports whether the branch made a pick labelled label.
func (p Picks) Has(label string) bool {
	for _, pk := range p.ps {
		if pk.Label == label {
			return true
		}
	}
	return false
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
		if f.when != nil || f.f.When != "" {
			if f.when == nil || f.f.When == "" || strings.ContainsAny(f.f.When, " \t\n,()") {
				errs = append(errs, fmt.Errorf("fairness %s: When needs a condition and a name without spaces, commas or parentheses (got %q)", f, f.f.When))
			}
		}
	}
	return errs
}
