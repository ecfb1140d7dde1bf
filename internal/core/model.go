package core

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/execspec/execspec/internal/state"
)

// Model is the definition of a root package Model[S], compiled (its state
// type checked, its codec built), as the root package hands it to package
// machine. C is the root package's Ctx[S]: actions take a *C, and Bind
// attaches an Execution to a C once, so that running an action costs no
// more than calling it.
type Model[S, C any] struct {
	Name       string
	Init       func(*C)
	Actions    []Action[C]
	Bind       func(c *C, x *Execution)
	Props      []Property[S]
	Symmetries []Symmetry[S]
	DataPicks  []string
	Fairness   []Fairness
	// FairnessWhen holds, for each of Fairness, its condition (see
	// Fairness.When), nil when it has none.
	FairnessWhen []func(s *S, picks []Pick) bool
	// Probes are the predicates made by execspec.Enabled, their actions
	// resolved; the engines bind their evaluators (see Probe).
	Probes []*Probe[S]
	Params any
	// Type is the state type S; Vars the names of its variables in traces.
	Type reflect.Type
	Vars []string
	// Ops are the state runtime's operations on S: copy, encoding,
	// decoding, equality and references.
	Ops *state.Ops
}

// Action is one named action of a Model.
type Action[C any] struct {
	Name        string
	Run         func(*C)
	Weight      float64 // for random walks; 0 means 1
	Environment bool
}

// Compile compiles a root package *Model[S] given as m: it returns a
// *Model[S, Ctx[S]], or the model's errors. The root package sets it when
// it is initialised; package machine, which imports the root package,
// calls it.
var Compile = func(m any) (any, error) {
	return nil, errors.New("execspec: the model API is not initialised")
}

// PropertyKind says how an engine uses a property; package machine exports
// it, with the same values, as machine.PropertyKind.
type PropertyKind int

// The kinds of property.
const (
	Invariant PropertyKind = iota + 1
	Example
	Constraint
	Temporal
	Refines
	StepInvariant
	ActionConstraint
)

func (k PropertyKind) String() string {
	switch k {
	case Invariant:
		return "invariant"
	case Example:
		return "example"
	case Constraint:
		return "constraint"
	case Temporal:
		return "temporal"
	case Refines:
		return "refinement"
	case StepInvariant:
		return "step invariant"
	case ActionConstraint:
		return "action constraint"
	}
	return fmt.Sprintf("PropertyKind(%d)", int(k))
}

// Property is a named predicate over states or, for a Temporal property,
// a conjunction of temporal formulas (Pred is then nil), or, for a
// StepInvariant or an ActionConstraint, a predicate over transitions (Step;
// Pred is then nil). A Refinement property has its Refinement, and as
// Formulas the high model's temporal properties and fairness mapped onto S.
type Property[S any] struct {
	Name       string
	Kind       PropertyKind
	Pred       func(*S) bool
	Formulas   []Formula[S]
	Step       func(before, after *S) bool
	Refinement *Refinement[S]
}

// TemporalForm is the shape of one temporal formula; package machine
// exports it, with the same values, as machine.TemporalForm.
type TemporalForm int

// The forms of temporal formula.
const (
	FormEventually TemporalForm = iota + 1
	FormAlwaysEventually
	FormEventuallyAlways
	FormLeadsTo
	FormLeadsToAlways
)

// String renders the form with P and Q for its predicates, as TLA+ writes
// it ("[]<>P", "P ~> Q").
func (f TemporalForm) String() string {
	switch f {
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
	return fmt.Sprintf("TemporalForm(%d)", int(f))
}

// Formula is one temporal formula over state predicates: P, and Q for the
// two forms that have a second predicate.
type Formula[S any] struct {
	Form TemporalForm
	P, Q func(*S) bool
	Name string // set by Formula.Named; "" when unnamed
	// Taken, when set, marks the steps the formula is checked without: a
	// high model's fairness obligation (see Refinement) is violated by a
	// behaviour that, from some point on, takes none of them.
	Taken func(from, to *S) bool
}

// FairnessKind is weak or strong fairness; package machine exports it,
// with the same values, as machine.FairnessKind.
type FairnessKind int

// The kinds of fairness.
const (
	Weak FairnessKind = iota + 1
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

// Fairness is a fairness declaration: the disjunction of Actions is fair,
// separately for each combination of values of the picks labelled PerPick;
// with When, the name of a condition, only the branches of the actions
// that satisfy it make up the fair action (the condition itself is
// Model.FairnessWhen).
type Fairness struct {
	Kind    FairnessKind
	Actions []string
	PerPick []string
	When    string
}

// String renders the declaration as in `execspec list`: "WF(deploy per
// deployer)", "SF(RcvMsg)", "WF(Return per c when all_held)".
func (f Fairness) String() string {
	s := f.Kind.String() + "(" + strings.Join(f.Actions, " \\/ ")
	if len(f.PerPick) > 0 {
		s += " per " + strings.Join(f.PerPick, ", ")
	}
	if f.When != "" {
		s += " when " + f.When
	}
	return s + ")"
}

// Symmetry is a set of N interchangeable values declared with
// Model.Symmetry.
type Symmetry[S any] struct {
	Name    string
	N       int
	Permute func(s *S, perm []int)
}
