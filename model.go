package execspec

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/internal/state"
)

// Model is an executable specification over the state type S: an init
// action, named actions, and named properties. Build one with NewModel, add to
// it with its methods, and hand it to an engine (simulation, checker, replay,
// model-based testing), which compiles it (see package machine).
//
// S must be a struct; its exported fields are the state variables. Field
// values may be booleans, integers of any kind, strings, arrays, slices, maps,
// Sets, VSets, BigInts, pointers, structs of those, and interfaces whose
// variants are registered with Variants. Rename a variable in traces with an
// `itf:"name"` tag.
//
// Actions must be deterministic functions of the state and of the picks they
// make: the engines re-execute an action with the same picks to replay it.
type Model[S any] struct {
	name       string
	init       func(*Ctx[S])
	actions    []namedAction[S]
	props      []core.Property[S]
	symmetries []core.Symmetry[S]
	dataPicks  []string
	params     any // see Params
	fairness   []*Fairness[S]
	probes     []*core.Probe[S] // made by Enabled
	// refines builds the refinements declared with Refines, by name.
	refines map[string]func() (*core.Refinement[S], []core.Formula[S], error)
	errs    []error
}

type namedAction[S any] struct {
	name   string
	f      func(*Ctx[S])
	weight float64 // for random walks; 0 means 1 (see Weight)
	// environment: the system cannot refuse it (see Environment)
	environment bool
}

// NewModel returns an empty model named name.
func NewModel[S any](name string) *Model[S] {
	return &Model[S]{name: name}
}

// Name returns the model's name.
func (m *Model[S]) Name() string { return m.name }

// Init sets the init action. It starts from the zero state and may make
// picks; every outcome that passes its guards is an initial state.
func (m *Model[S]) Init(f func(*Ctx[S])) {
	if m.init != nil {
		m.errs = append(m.errs, errors.New("Init called twice"))
	}
	m.init = f
}

// Action adds a named action. Within it, c.S is a private copy of the
// current state that the action mutates; picks choose among nondeterministic
// alternatives; c.Assume drops the branches on which a guard fails. An action
// either completes, giving the next state, or has no effect.
func (m *Model[S]) Action(name string, f func(*Ctx[S])) {
	m.checkName("action", name)
	for _, a := range m.actions {
		if a.name == name {
			m.errs = append(m.errs, fmt.Errorf("action %q defined twice", name))
		}
	}
	m.actions = append(m.actions, namedAction[S]{name: name, f: f})
}

// Invariant adds a property that must hold in every reachable state.
func (m *Model[S]) Invariant(name string, pred func(*S) bool) { m.addProp(name, core.Invariant, pred) }

// Example adds a property describing a state we want to see reached.
func (m *Model[S]) Example(name string, pred func(*S) bool) { m.addProp(name, core.Example, pred) }

// Constraint adds a state constraint: the checker explores no further from a
// state that fails it (it still checks the state's invariants). Temporal
// properties are checked on the constrained graph, as in TLC: they speak of
// the behaviours that stay inside the constraints.
func (m *Model[S]) Constraint(name string, pred func(*S) bool) {
	m.addProp(name, core.Constraint, pred)
}

// StepInvariant adds a property of every transition: pred(before, after)
// must hold for each step of every behaviour, before being the state the
// step starts from and after the state it leads to (TLA+'s [][A]_vars,
// checked as TLC checks an action PROPERTY: "a term never decreases", "a
// committed value never changes"). Initial states are no transition and
// are not judged. A violation is a finding of its own kind whose trace
// ends in the bad step.
//
// The engines judge the steps actions take: a step that leaves the state
// unchanged is judged like any other (an action whose branch changes
// nothing is a step of the model), and the checker judges every
// transition of the states it expands, to states seen before or outside
// the constraints too. before and after must not be modified; under
// symmetry, like an invariant, pred must not tell renamed states apart.
func (m *Model[S]) StepInvariant(name string, pred func(before, after *S) bool) {
	m.addStepProp(name, core.StepInvariant, pred)
}

// ActionConstraint adds a constraint on transitions, with TLC's
// ACTION_CONSTRAINT semantics: a step for which pred(before, after) is
// false is not taken. The checker does not store, count or expand the
// state it leads to (unless another step reaches it), as for a state
// outside a state constraint: TLC still checks that state's invariants,
// and so does the checker. Random simulation and model-based testing
// choose among the other steps, as if the branch had failed a guard. A
// state whose every enabled step fails an action constraint is not a
// deadlock (TLC's deadlock is a state with no enabled step at all).
// Initial states are not constrained. before and after must not be
// modified.
func (m *Model[S]) ActionConstraint(name string, pred func(before, after *S) bool) {
	m.addStepProp(name, core.ActionConstraint, pred)
}

// Symmetry declares a named set of interchangeable values (for example process
// ids) of which there are n. permute must rewrite the state in place so that
// every occurrence of value i becomes perm[i]; the checker then stores one
// state per orbit. Counts under symmetry differ from a search without it.
//
// Declare several independent symmetry sets with several calls.
func (m *Model[S]) Symmetry(name string, n int, permute func(s *S, perm []int)) {
	m.checkName("symmetry", name)
	if n < 2 || permute == nil {
		m.errs = append(m.errs, fmt.Errorf("symmetry %q needs at least 2 values and a permute function (got %d)", name, n))
		return
	}
	m.symmetries = append(m.symmetries, core.Symmetry[S]{Name: name, N: n, Permute: permute})
}

// DataPicks declares the labels of picks whose values are data: no branch,
// property or later pick ever depends on which value was picked; the values
// are only stored and copied around (payloads, weights, addresses). Such a
// model is data independent in those values (Wolper 1986): every behaviour
// with one value has a twin with any other, so a checker needs to explore
// one representative value, not all of them. A guard may still reject some
// values (a non-empty subset, say): the first value it accepts stands for
// the others.
//
// The checker uses the declaration when enumerating an action's branches:
// once a branch is enabled, the other values of the data picks made after
// its last non-data choice are skipped, so those picks behave as "there exists
// a value". Data picks should therefore come after the action's control picks.
// Random simulation and replay ignore the declaration. The declaration is a
// claim the checker cannot verify: if a guard or a property does inspect a
// data value, reduced searches can miss behaviours (turn the reduction off
// with the checker's AllData option, `--all-data`, to compare).
func (m *Model[S]) DataPicks(labels ...string) {
	for _, l := range labels {
		m.checkName("data pick", l)
	}
	m.dataPicks = append(m.dataPicks, labels...)
}

func (m *Model[S]) addProp(name string, kind core.PropertyKind, pred func(*S) bool) {
	m.add(core.Property[S]{Name: name, Kind: kind, Pred: pred}, pred == nil)
}

func (m *Model[S]) addStepProp(name string, kind core.PropertyKind, pred func(before, after *S) bool) {
	m.add(core.Property[S]{Name: name, Kind: kind, Step: pred}, pred == nil)
}

// add adds the property p, whose predicate is missing when none, and
// records what is wrong with its name or its predicate.
func (m *Model[S]) add(p core.Property[S], none bool) {
	m.checkNewName(p.Kind.String(), p.Name)
	if none {
		m.errs = append(m.errs, fmt.Errorf("%s %q has no predicate", p.Kind, p.Name))
	}
	m.props = append(m.props, p)
}

// checkNewName records what is wrong with name as the name of a new
// property of kind what: its form, or another property's having it.
func (m *Model[S]) checkNewName(what, name string) {
	m.checkName(what, name)
	for _, q := range m.props {
		if q.Name == name {
			m.errs = append(m.errs, fmt.Errorf("property %q defined twice", name))
		}
	}
}

func (m *Model[S]) checkName(what, name string) {
	if name == "" || strings.ContainsAny(name, " \t\n,") {
		m.errs = append(m.errs, fmt.Errorf("%s name %q must be non-empty and contain no spaces or commas", what, name))
	}
}

// compile validates the model and its state type and returns its
// definition for package machine, which exports it as machine.Compile.
// Errors name what is wrong: a missing init, a duplicate name, or the
// state fields whose types cannot be handled, all of them at once (a
// TypeErrors, each *TypeError with its path and what to use instead).
func (m *Model[S]) compile() (*core.Model[S, Ctx[S]], error) {
	errs := append(append([]error(nil), m.errs...), variantMisuse()...)
	errs = append(errs, m.checkFairness()...)
	errs = append(errs, m.resolveProbes()...)
	if m.init == nil {
		errs = append(errs, errors.New("no Init action"))
	}
	if len(m.actions) == 0 {
		errs = append(errs, errors.New("no actions"))
	}
	props := slices.Clone(m.props)
	for i, p := range props {
		if p.Kind != core.Refines {
			continue
		}
		ref, fs, err := m.refines[p.Name]()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		props[i].Refinement, props[i].Formulas = ref, fs
	}
	t := reflect.TypeFor[S]()
	var ops *state.Ops
	if t.Kind() != reflect.Struct {
		errs = append(errs, fmt.Errorf("state type %s must be a struct whose fields are the state variables", t))
	} else {
		var err error
		if ops, err = state.OfState(t); err != nil {
			errs = append(errs, typeErrorsOf(err))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("model %s: %w", m.name, errors.Join(errs...))
	}
	def := &core.Model[S, Ctx[S]]{
		Name:       m.name,
		Init:       m.init,
		Bind:       func(c *Ctx[S], x *core.Execution) { c.x = x },
		Props:      props,
		Symmetries: slices.Clone(m.symmetries),
		DataPicks:  slices.Clone(m.dataPicks),
		Params:     m.params,
		Probes:     slices.Clone(m.probes),
		Type:       t,
		Vars:       stateVars(t),
		Ops:        ops,
	}
	for _, a := range m.actions {
		def.Actions = append(def.Actions, core.Action[Ctx[S]]{Name: a.name, Run: a.f, Weight: a.weight, Environment: a.environment})
	}
	for _, f := range m.fairness {
		def.Fairness = append(def.Fairness, core.Fairness{Kind: f.f.Kind, Actions: slices.Clone(f.f.Actions), PerPick: slices.Clone(f.f.PerPick), When: f.f.When})
		var when func(*S, []core.Pick) bool
		if cond := f.when; cond != nil {
			when = func(s *S, picks []core.Pick) bool { return cond(s, Picks{picks}) }
		}
		def.FairnessWhen = append(def.FairnessWhen, when)
	}
	return def, nil
}

// stateVars lists the ITF names of the state's variables, in field order.
func stateVars(t reflect.Type) []string {
	var vars []string
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Name
		if tag, ok := t.Field(i).Tag.Lookup("itf"); ok {
			tn, _, _ := strings.Cut(tag, ",")
			if tn == "-" {
				continue
			}
			if tn != "" {
				name = tn
			}
		}
		vars = append(vars, name)
	}
	return vars
}

// Spec is a model family with named instances (parameter sets). A package
// that holds a model exposes it to the execspec command with an exported
// function `func Spec() *execspec.Spec[S]`.
type Spec[S any] struct {
	name      string
	doc       string
	instances []instance[S]
}

type instance[S any] struct {
	name  string
	build func() *Model[S]
}

// NewSpec returns an empty spec named name.
func NewSpec[S any](name string) *Spec[S] { return &Spec[S]{name: name} }

// Name returns the spec's name.
func (s *Spec[S]) Name() string { return s.name }

// Doc sets a one-paragraph description shown by `execspec list`.
func (s *Spec[S]) Doc(text string) *Spec[S] { s.doc = text; return s }

// Description returns the text set by Doc.
func (s *Spec[S]) Description() string { return s.doc }

// Instance adds a named instance whose model build returns. The first
// instance added is the default.
func (s *Spec[S]) Instance(name string, build func() *Model[S]) *Spec[S] {
	s.instances = append(s.instances, instance[S]{name, build})
	return s
}

// Instances returns the instance names in the order they were added.
func (s *Spec[S]) Instances() []string {
	names := make([]string, len(s.instances))
	for i, in := range s.instances {
		names[i] = in.name
	}
	return names
}

// Model builds the named instance's model. An empty name selects the first
// instance. An unknown name is an error that lists the valid ones.
func (s *Spec[S]) Model(name string) (*Model[S], error) {
	if len(s.instances) == 0 {
		return nil, fmt.Errorf("spec %s has no instances", s.name)
	}
	if name == "" {
		return s.instances[0].build(), nil
	}
	for _, in := range s.instances {
		if in.name == name {
			return in.build(), nil
		}
	}
	return nil, &UnknownNameError{What: "instance", Name: name, Valid: s.Instances()}
}

// UnknownNameError reports a name that is not defined, with the valid ones.
type UnknownNameError struct {
	What  string // "instance", "action", "property", ...
	Name  string
	Valid []string
}

func (e *UnknownNameError) Error() string {
	valid := append([]string(nil), e.Valid...)
	sort.Strings(valid)
	if len(valid) == 0 {
		return fmt.Sprintf("unknown %s %q (there are none)", e.What, e.Name)
	}
	return fmt.Sprintf("unknown %s %q; valid: %s", e.What, e.Name, strings.Join(valid, ", "))
}
