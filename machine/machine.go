package machine

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unsafe"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/internal/state"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
	"github.com/zeebo/xxh3"
)

// Machine is a compiled execspec.Model: what the engines run. It is safe
// for concurrent use; per-goroutine work goes through an Executor.
type Machine[S any] struct {
	def         *core.Model[S, execspec.Ctx[S]]
	actionNames []string
	props       []Property[S]
	// steps and actionConstraints are the step invariants and the action
	// constraints, for the engines' per-transition hooks (nil when the
	// model has none: the hooks then cost a length test).
	steps             []Property[S]
	actionConstraints []Property[S]
	symmetries        []Symmetry[S]
	fairness          []Fairness
	// ops are the state runtime's operations on S (copy, encoding,
	// decoding, equality, references), at hand for the hot paths.
	ops *state.Ops
	// activity and onGoexit are the hooks of SetActivity and OnGoexit.
	activity *Activity
	onGoexit func(*PanicError)
}

// Compile validates the model and its state type and returns the Machine
// the engines run. Errors name what is wrong: a missing init, a duplicate
// name, or the state fields whose types cannot be handled, all of them at
// once (an execspec.TypeErrors, each *execspec.TypeError with its path and
// what to use instead).
//
// The Machine is a snapshot: what is added to m after Compile does not
// change it.
func Compile[S any](m *execspec.Model[S]) (*Machine[S], error) {
	if m == nil {
		return nil, errors.New("machine.Compile: nil model")
	}
	d, err := core.Compile(m)
	if err != nil {
		return nil, err
	}
	def, ok := d.(*core.Model[S, execspec.Ctx[S]])
	if !ok {
		return nil, fmt.Errorf("machine.Compile: unexpected model definition %T", d)
	}
	mc := &Machine[S]{def: def, ops: def.Ops}
	for _, a := range def.Actions {
		mc.actionNames = append(mc.actionNames, a.Name)
	}
	for _, p := range def.Props {
		q := Property[S]{Name: p.Name, Kind: PropertyKind(p.Kind), Pred: p.Pred, Step: p.Step}
		for _, f := range p.Formulas {
			q.Formulas = append(q.Formulas, Formula[S]{Form: TemporalForm(f.Form), P: f.P, Q: f.Q, Name: f.Name, Taken: f.Taken})
		}
		if p.Refinement != nil {
			q.Refinement = newRefinement(p.Name, p.Refinement)
		}
		mc.props = append(mc.props, q)
		switch q.Kind {
		case StepInvariant:
			mc.steps = append(mc.steps, q)
		case ActionConstraint:
			mc.actionConstraints = append(mc.actionConstraints, q)
		}
	}
	for _, s := range def.Symmetries {
		mc.symmetries = append(mc.symmetries, Symmetry[S](s))
	}
	for _, f := range def.Fairness {
		mc.fairness = append(mc.fairness, Fairness{Kind: FairnessKind(f.Kind), Actions: f.Actions, PerPick: f.PerPick, When: f.When})
	}
	mc.bindEnabled()
	return mc, nil
}

// Name returns the model's name.
func (mc *Machine[S]) Name() string { return mc.def.Name }

// Actions returns the action names in definition order; an action's index
// in this slice is its number in Executor calls.
func (mc *Machine[S]) Actions() []string { return mc.actionNames }

// ActionIndex returns the index of the named action, or an
// *execspec.UnknownNameError listing the valid names.
func (mc *Machine[S]) ActionIndex(name string) (int, error) {
	for i, a := range mc.actionNames {
		if a == name {
			return i, nil
		}
	}
	return -1, &execspec.UnknownNameError{What: "action", Name: name, Valid: mc.actionNames}
}

// ActionName returns the name of action i, "init" for InitAction.
func (mc *Machine[S]) ActionName(i int) string {
	if i == InitAction {
		return "init"
	}
	return mc.actionNames[i]
}

// ActionWeights returns each action's weight for random walks, in action
// order (see execspec.Model.Weight), or nil when every action weighs the
// same.
func (mc *Machine[S]) ActionWeights() []float64 {
	var ws []float64
	uniform := true
	for _, a := range mc.def.Actions {
		w := a.Weight
		if w == 0 {
			w = 1
		}
		ws = append(ws, w)
		uniform = uniform && w == ws[0]
	}
	if uniform {
		return nil
	}
	return ws
}

// IsEnvironment reports whether action number a is an environment action
// (see execspec.Model.Environment).
func (mc *Machine[S]) IsEnvironment(a int) bool {
	return a >= 0 && a < len(mc.def.Actions) && mc.def.Actions[a].Environment
}

// Properties returns the model's invariants, examples, constraints,
// temporal properties, refinements, step invariants and action
// constraints in definition order.
func (mc *Machine[S]) Properties() []Property[S] { return mc.props }

// PropertiesOf returns the properties of one kind.
func (mc *Machine[S]) PropertiesOf(kind PropertyKind) []Property[S] {
	var out []Property[S]
	for _, p := range mc.props {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// StepInvariants returns the model's step invariants, in definition order
// (nil when it has none).
func (mc *Machine[S]) StepInvariants() []Property[S] { return mc.steps }

// ActionConstraints returns the model's action constraints, in definition
// order (nil when it has none).
func (mc *Machine[S]) ActionConstraints() []Property[S] { return mc.actionConstraints }

// Property returns the named invariant, example, step invariant, temporal
// property or refinement (constraints are not searched for), or an
// *execspec.UnknownNameError listing the valid names.
func (mc *Machine[S]) Property(name string) (Property[S], error) {
	var valid []string
	for _, p := range mc.props {
		if p.Kind == Constraint || p.Kind == ActionConstraint {
			continue
		}
		if p.Name == name {
			return p, nil
		}
		valid = append(valid, p.Name)
	}
	return Property[S]{}, &execspec.UnknownNameError{What: "property", Name: name, Valid: valid}
}

// EvalStep evaluates the step invariant or action constraint p on the
// transition from before to after. A panic in the predicate is returned as
// a *PanicError; a property that is not a predicate over transitions is an
// error.
func (mc *Machine[S]) EvalStep(p Property[S], before, after *S) (ok bool, err error) {
	if p.Step == nil {
		return false, fmt.Errorf("%s %s is not a predicate over transitions", p.Kind, p.Name)
	}
	return mc.guard(p.where, nil, func() bool { return p.Step(before, after) })
}

// Allowed reports whether the transition from before to after satisfies
// every action constraint. A panicking constraint disallows the step and
// is returned, with its name, as a *PanicError.
func (mc *Machine[S]) Allowed(before, after *S) (ok bool, name string, err error) {
	for _, c := range mc.actionConstraints {
		ok, err := mc.EvalStep(c, before, after)
		if err != nil {
			return false, c.Name, err
		}
		if !ok {
			return false, c.Name, nil
		}
	}
	return true, "", nil
}

// Eval evaluates p on s. A panic in the predicate is returned as a
// *PanicError; a temporal property, which is not a predicate over one
// state, is an error.
func (mc *Machine[S]) Eval(p Property[S], s *S) (ok bool, err error) {
	if p.Pred == nil {
		return false, fmt.Errorf("%s %s is not a predicate over one state", p.Kind, p.Name)
	}
	return mc.guard(p.where, nil, func() bool { return p.Pred(s) })
}

// EvalFormula evaluates the predicates of formula i of the temporal
// property p on s: P, and Q (false when the formula has none). A panic in a
// predicate is returned as a *PanicError.
func (mc *Machine[S]) EvalFormula(p Property[S], i int, s *S) (pv, qv bool, err error) {
	f := p.Formulas[i]
	pv, err = mc.guard(p.where, nil, func() bool {
		pv := f.P(s)
		if f.Q != nil {
			qv = f.Q(s)
		}
		return pv
	})
	return pv, qv, err
}

// Fairness returns the model's fairness declarations, in the order they
// were made.
func (mc *Machine[S]) Fairness() []Fairness {
	out := make([]Fairness, len(mc.fairness))
	for i, f := range mc.fairness {
		out[i] = Fairness{Kind: f.Kind, Actions: append([]string(nil), f.Actions...), PerPick: append([]string(nil), f.PerPick...), When: f.When}
	}
	return out
}

// FairWhen evaluates the condition of fairness declaration i (in the
// order of Fairness) on a branch that starts from s and made picks
// (recorded: see Executor.Record). A declaration without a condition
// holds of every branch. A panic in the condition is returned as a
// *PanicError.
func (mc *Machine[S]) FairWhen(i int, s *S, picks []Pick) (ok bool, err error) {
	cond := mc.def.FairnessWhen[i]
	if cond == nil {
		return true, nil
	}
	where := func() string { return "fairness " + mc.fairness[i].String() }
	return mc.guard(where, picks, func() bool { return cond(s, picks) })
}

// guard runs f, a predicate of the model's, and returns what it returns. A
// panic in f is returned as a *PanicError naming where (built only then)
// with a copy of picks; a runtime.Goexit, which no recover stops, goes to
// the machine's Goexit handler.
func (mc *Machine[S]) guard(where func() string, picks []Pick, f func() bool) (ok bool, err error) {
	returned := false
	defer func() {
		if r := recover(); r != nil {
			err = newPanicError(where(), append([]Pick(nil), picks...), r)
		} else if !returned {
			mc.goexitIn(where()) // runtime.Goexit
		}
	}()
	ok = f()
	returned = true
	return ok, nil
}

// DataPicks returns the labels the model declares as data picks (see
// execspec.Model.DataPicks).
func (mc *Machine[S]) DataPicks() []string { return mc.def.DataPicks }

// Symmetries returns the symmetry sets the model declares.
func (mc *Machine[S]) Symmetries() []Symmetry[S] { return mc.symmetries }

// Params returns the value recorded with execspec.Model.Params, rendered
// as ITF would show it ("{deployers: 3, keep: 3}"), or "" when there is
// none.
func (mc *Machine[S]) Params() string {
	switch p := mc.def.Params.(type) {
	case nil:
		return ""
	case map[string]any:
		// A map of named parameters reads as a record.
		keys := make([]string, 0, len(p))
		for k := range p {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + FormatValue(p[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return FormatValue(mc.def.Params)
}

// Copy makes dst a deep copy of src.
func (mc *Machine[S]) Copy(dst, src *S) {
	*dst = *src
	if mc.ops.Fix != nil {
		mc.ops.Fix(unsafe.Pointer(dst))
	}
}

// Clone returns a deep copy of s.
func (mc *Machine[S]) Clone(s *S) *S {
	n := new(S)
	mc.Copy(n, s)
	return n
}

// AppendEncoding appends the canonical binary encoding of s to b: equal
// states have equal encodings, and the encoding does not depend on the
// machine or on map iteration order.
func (mc *Machine[S]) AppendEncoding(b []byte, s *S) []byte {
	return mc.ops.Enc(b, unsafe.Pointer(s))
}

// Fingerprint returns the 64-bit fingerprint (xxh3, fixed seed) of a
// canonical encoding.
func Fingerprint(encoding []byte) uint64 { return xxh3.Hash(encoding) }

// Fingerprint128 returns the 128-bit fingerprint of a canonical encoding, as
// (high, low).
func Fingerprint128(encoding []byte) (hi, lo uint64) {
	h := xxh3.Hash128(encoding)
	return h.Hi, h.Lo
}

// Vars returns the names of the state variables as they appear in traces.
func (mc *Machine[S]) Vars() []string { return mc.def.Vars }

// ToITF returns the state's variables as ITF values, by name.
func (mc *Machine[S]) ToITF(s *S) (map[string]itf.Value, error) {
	rec, err := itf.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("state to ITF: %w", err)
	}
	out := make(map[string]itf.Value, len(mc.def.Vars))
	for _, f := range rec.Fields() {
		out[f.Name] = f.Value
	}
	return out, nil
}

// FromITF builds a state from ITF values by variable name. Every variable
// must be present.
func (mc *Machine[S]) FromITF(vals map[string]itf.Value) (S, error) {
	var s S
	fields := make([]itf.Field, 0, len(mc.def.Vars))
	for _, name := range mc.def.Vars {
		v, ok := vals[name]
		if !ok {
			return s, fmt.Errorf("state from ITF: variable %q missing", name)
		}
		fields = append(fields, itf.Field{Name: name, Value: v})
	}
	if err := itf.Unmarshal(itf.Record(fields...), &s); err != nil {
		return s, fmt.Errorf("state from ITF: %w", err)
	}
	return s, nil
}

// StateType returns the Go type of the state.
func (mc *Machine[S]) StateType() reflect.Type { return mc.def.Type }

// TraceStep converts a state, and the action and picks that produced it,
// into a trace.Step.
func (mc *Machine[S]) TraceStep(action string, picks []Pick, s *S) (trace.Step, error) {
	vals, err := mc.ToITF(s)
	if err != nil {
		return trace.Step{}, err
	}
	tp, err := TracePicks(picks)
	if err != nil {
		return trace.Step{}, err
	}
	return trace.Step{Action: action, State: vals, Picks: tp}, nil
}

// TracePicks converts picks (Go values) to a trace's (ITF values); nil for
// none.
func TracePicks(picks []Pick) ([]trace.Pick, error) {
	if len(picks) == 0 {
		return nil, nil
	}
	out := make([]trace.Pick, len(picks))
	for i, p := range picks {
		v, err := itf.Marshal(p.Value)
		if err != nil {
			return nil, fmt.Errorf("pick %s: %w", p.Label, err)
		}
		out[i] = trace.Pick{Label: p.Label, Value: v}
	}
	return out, nil
}

// NewTrace returns an empty trace over the machine's variables.
func (mc *Machine[S]) NewTrace() *trace.Trace {
	return &trace.Trace{Vars: append([]string(nil), mc.def.Vars...), Meta: map[string]any{}}
}
