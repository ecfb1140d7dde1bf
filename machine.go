package execspec

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
	"github.com/zeebo/xxh3"
)

// Machine is a compiled Model: what the engines run. It is safe for
// concurrent use; per-goroutine work goes through an Executor.
type Machine[S any] struct {
	model       *Model[S]
	codec       *codec
	dec         decFunc
	vars        []string
	actionNames []string
}

// Name returns the model's name.
func (mc *Machine[S]) Name() string { return mc.model.name }

// Actions returns the action names in definition order; an action's index
// in this slice is its number in Executor calls.
func (mc *Machine[S]) Actions() []string { return mc.actionNames }

// ActionIndex returns the index of the named action, or an
// *UnknownNameError listing the valid names.
func (mc *Machine[S]) ActionIndex(name string) (int, error) {
	for i, a := range mc.actionNames {
		if a == name {
			return i, nil
		}
	}
	return -1, &UnknownNameError{What: "action", Name: name, Valid: mc.actionNames}
}

// ActionName returns the name of action i, "init" for InitAction.
func (mc *Machine[S]) ActionName(i int) string {
	if i == InitAction {
		return "init"
	}
	return mc.actionNames[i]
}

// Properties returns the model's invariants, examples and constraints in
// definition order.
func (mc *Machine[S]) Properties() []Property[S] { return mc.model.props }

// PropertiesOf returns the properties of one kind.
func (mc *Machine[S]) PropertiesOf(kind PropertyKind) []Property[S] {
	var out []Property[S]
	for _, p := range mc.model.props {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// Property returns the named invariant or example (constraints are not
// searched for), or an *UnknownNameError listing the valid names.
func (mc *Machine[S]) Property(name string) (Property[S], error) {
	var valid []string
	for _, p := range mc.model.props {
		if p.Kind == Constraint {
			continue
		}
		if p.Name == name {
			return p, nil
		}
		valid = append(valid, p.Name)
	}
	return Property[S]{}, &UnknownNameError{What: "property", Name: name, Valid: valid}
}

// DataPicks returns the labels the model declares as data picks (see
// Model.DataPicks).
func (mc *Machine[S]) DataPicks() []string { return mc.model.dataPicks }

// Symmetries returns the symmetry sets the model declares.
func (mc *Machine[S]) Symmetries() []Symmetry[S] { return mc.model.symmetries }

// Eval evaluates p on s. A panic in the predicate is returned as a
// *PanicError; a temporal property, which is not a predicate over one
// state, is an error.
func (mc *Machine[S]) Eval(p Property[S], s *S) (ok bool, err error) {
	if p.Pred == nil {
		return false, fmt.Errorf("%s %s is not a predicate over one state", p.Kind, p.Name)
	}
	defer func() {
		if r := recover(); r != nil {
			err = newPanicError(p.Kind.String()+" "+p.Name, nil, r)
		}
	}()
	return p.Pred(s), nil
}

// Copy makes dst a deep copy of src.
func (mc *Machine[S]) Copy(dst, src *S) {
	*dst = *src
	if mc.codec.fix != nil {
		mc.codec.fix(unsafe.Pointer(dst))
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
	return mc.codec.enc(b, unsafe.Pointer(s))
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
func (mc *Machine[S]) Vars() []string { return mc.vars }

// ToITF returns the state's variables as ITF values, by name.
func (mc *Machine[S]) ToITF(s *S) (map[string]itf.Value, error) {
	rec, err := itf.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("state to ITF: %w", err)
	}
	out := make(map[string]itf.Value, len(mc.vars))
	for _, f := range rec.Fields() {
		out[f.Name] = f.Value
	}
	return out, nil
}

// FromITF builds a state from ITF values by variable name. Every variable
// must be present.
func (mc *Machine[S]) FromITF(vals map[string]itf.Value) (S, error) {
	var s S
	fields := make([]itf.Field, 0, len(mc.vars))
	for _, name := range mc.vars {
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
func (mc *Machine[S]) StateType() reflect.Type { return mc.codec.t }

// PanicError reports a panic in user code: an action, init or a property.
type PanicError struct {
	Where string // "action deploy", "invariant no_inconsistent_root", "init"
	Picks []Pick // the picks made before the panic, for actions
	Value any    // what was passed to panic
	Stack string
}

func (e *PanicError) Error() string {
	s := fmt.Sprintf("panic in %s", e.Where)
	if len(e.Picks) > 0 {
		s += " with picks " + FormatPicks(e.Picks)
	}
	return fmt.Sprintf("%s: %v", s, e.Value)
}

// FormatPicks formats picks as label=value, comma-separated.
func FormatPicks(picks []Pick) string {
	var b []byte
	for i, p := range picks {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, p.Label...)
		b = append(b, '=')
		b = append(b, FormatValue(p.Value)...)
	}
	return string(b)
}

// FormatValue formats a Go value as its ITF form (e.g. {1, 2} for a set).
func FormatValue(v any) string {
	iv, err := itf.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return iv.String()
}

// TraceStep converts a state, and the action and picks that produced it,
// into a trace.Step.
func (mc *Machine[S]) TraceStep(action string, picks []Pick, s *S) (trace.Step, error) {
	vals, err := mc.ToITF(s)
	if err != nil {
		return trace.Step{}, err
	}
	st := trace.Step{Action: action, State: vals}
	for _, p := range picks {
		v, err := itf.Marshal(p.Value)
		if err != nil {
			return trace.Step{}, fmt.Errorf("pick %s: %w", p.Label, err)
		}
		st.Picks = append(st.Picks, trace.Pick{Label: p.Label, Value: v})
	}
	return st, nil
}

// NewTrace returns an empty trace over the machine's variables.
func (mc *Machine[S]) NewTrace() *trace.Trace {
	return &trace.Trace{Vars: append([]string(nil), mc.vars...), Meta: map[string]any{}}
}
