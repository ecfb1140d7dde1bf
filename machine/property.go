package machine

import (
	"fmt"

	"github.com/execspec/execspec/internal/core"
)

// PropertyKind says how an engine uses a property.
type PropertyKind int

// The kinds of property (the values are those of internal/core).
const (
	// Invariant properties must hold in every reachable state
	// (execspec.Model.Invariant).
	Invariant PropertyKind = iota + 1
	// Example properties describe states we want to see reached; a run
	// searching for one succeeds when it finds a witness
	// (execspec.Model.Example).
	Example
	// Constraint properties bound exploration: the checker does not expand a
	// state that fails one (TLC's CONSTRAINT; execspec.Model.Constraint).
	Constraint
	// Temporal properties speak about whole behaviours
	// (execspec.Model.Temporal); only the checker verifies them.
	Temporal
	// Refines properties say that the model implements a high model
	// under a mapping (execspec.Refines); only the checker verifies them,
	// on every transition, and their Formulas on the behaviour graph.
	Refines
	// StepInvariant properties must hold on every transition: Step(before,
	// after) (execspec.Model.StepInvariant; TLA+'s [][A]_vars).
	StepInvariant
	// ActionConstraint properties bound exploration by transitions: a step
	// failing one is not taken (TLC's ACTION_CONSTRAINT;
	// execspec.Model.ActionConstraint).
	ActionConstraint
)

// String returns "invariant", "example", "constraint", "temporal",
// "refinement", "step invariant" or "action constraint".
func (k PropertyKind) String() string { return core.PropertyKind(k).String() }

// Property is a named predicate over states or, for a Temporal property,
// a conjunction of temporal formulas (Pred is then nil), or, for a
// StepInvariant or an ActionConstraint, a predicate over transitions: Step
// (Pred is then nil). A Refines property has no Pred: Refinement checks
// its steps, and its Formulas are the high model's temporal properties and
// fairness mapped onto S.
type Property[S any] struct {
	Name       string
	Kind       PropertyKind
	Pred       func(*S) bool
	Formulas   []Formula[S]
	Step       func(before, after *S) bool
	Refinement *Refinement[S]
}

// where names the property in a panic's report: "invariant safe".
func (p Property[S]) where() string { return p.Kind.String() + " " + p.Name }

// IsStep reports whether p judges transitions (a StepInvariant or an
// ActionConstraint) rather than states.
func (p Property[S]) IsStep() bool { return p.Step != nil }

// TemporalForm is the shape of one temporal formula.
type TemporalForm int

// The forms of temporal formula (the values are those of internal/core).
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

// String renders the form with P and Q for its predicates, as TLA+ writes
// it ("[]<>P", "P ~> Q").
func (f TemporalForm) String() string { return core.TemporalForm(f).String() }

// Formula is one temporal formula of a temporal property, as built by
// execspec.Eventually, AlwaysEventually, EventuallyAlways, LeadsTo or
// LeadsToAlways.
type Formula[S any] struct {
	Form TemporalForm
	// P is the formula's predicate; Q is the second predicate of
	// FormLeadsTo and FormLeadsToAlways (nil otherwise).
	P, Q func(*S) bool
	// Name is the formula's name (execspec.Formula.Named), "" when it has
	// none.
	Name string
	// Taken, when set, marks the steps the formula is checked without: a
	// refinement's high fairness obligation is violated by a fair
	// behaviour that, from some point on, takes none of them (and stays
	// where P fails, as the form says).
	Taken func(from, to *S) bool
}

// String renders the formula's shape with P and Q for its predicates, as
// TLA+ writes it ("[]<>P", "P ~> Q"), after its name when it has one
// ("philosopher 2: []<>P").
func (f Formula[S]) String() string {
	if f.Name != "" {
		return f.Name + ": " + f.Form.String()
	}
	return f.Form.String()
}

// Label names formula i of a property of n formulas in a message:
// `formula "philosopher 2" (3 of 5)` when it is named, "formula 3 of 5"
// otherwise, "" when the property has one unnamed formula.
func (f Formula[S]) Label(i, n int) string {
	switch {
	case f.Name != "":
		return fmt.Sprintf("formula %q (%d of %d)", f.Name, i+1, n)
	case n > 1:
		return fmt.Sprintf("formula %d of %d", i+1, n)
	}
	return ""
}

// FairnessKind is weak or strong fairness.
type FairnessKind int

// The kinds of fairness (the values are those of internal/core).
const (
	// Weak fairness (TLA+'s WF; execspec.Model.WeakFair): an action
	// continuously enabled from some point on is eventually taken.
	Weak FairnessKind = iota + 1
	// Strong fairness (TLA+'s SF; execspec.Model.StrongFair): an action
	// enabled infinitely often is taken infinitely often.
	Strong
)

// String returns "WF" or "SF", as TLA+ writes them.
func (k FairnessKind) String() string { return core.FairnessKind(k).String() }

// Fairness is a fairness declaration (execspec.Model.WeakFair,
// execspec.Model.StrongFair): the disjunction of Actions is fair (TLA+'s
// WF_vars(A1 \/ A2) or SF_vars(...)); with PerPick, it is fair separately
// for each combination of values of the picks with those labels (TLA+'s
// \A self \in Procs : WF_vars(Proc(self))). With When, the name of a
// condition (execspec.Fairness.When), only the branches of the actions
// that satisfy the condition make up the fair action; Machine.FairWhen
// evaluates it.
type Fairness struct {
	Kind    FairnessKind
	Actions []string
	PerPick []string
	When    string
}

// String renders the declaration as in `execspec list`: "WF(deploy per
// deployer)", "SF(RcvMsg)", "WF(Return per c when returns_all)".
func (f Fairness) String() string {
	return core.Fairness{Kind: core.FairnessKind(f.Kind), Actions: f.Actions, PerPick: f.PerPick, When: f.When}.String()
}

// Symmetry is a set of N interchangeable values declared with
// execspec.Model.Symmetry: Permute rewrites a state in place so that every
// occurrence of value i becomes perm[i].
type Symmetry[S any] struct {
	Name    string
	N       int
	Permute func(s *S, perm []int)
}
