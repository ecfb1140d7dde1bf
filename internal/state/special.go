package state

import "reflect"

// The model API's value types (execspec.Set, VSet and BigInt) live in the
// package that imports this one, so the runtime cannot name them: each
// describes itself with a method, StateRuntime, returning a Special built
// by the generic functions of this package (SetRuntime, VSetRuntime,
// BigIntRuntime), which are instantiated for the type and reach its
// representation through an accessor, not through its layout.

// Special describes one of the model API's value types to the runtime.
type Special interface {
	// Elem returns the element type, nil when there is none; key is true
	// when elements must be plain values usable as map keys (Set).
	Elem() (t reflect.Type, key bool)
	// Build returns the type's operations, given those of its element
	// type (nil when it has none).
	Build(elem *Ops) *Ops
}

// specialValue is implemented by the model API's value types.
type specialValue interface{ StateRuntime() Special }

var specialValueType = reflect.TypeFor[specialValue]()

// special returns the Special of t, or nil when t is not one of the
// model API's value types.
func special(t reflect.Type) Special {
	if t.Kind() != reflect.Struct || !t.Implements(specialValueType) {
		return nil
	}
	return reflect.Zero(t).Interface().(specialValue).StateRuntime()
}

// specialFunc adapts an element type and a builder to Special.
type specialFunc struct {
	elem  reflect.Type
	key   bool
	build func(elem *Ops) *Ops
}

func (s specialFunc) Elem() (reflect.Type, bool) { return s.elem, s.key }
func (s specialFunc) Build(elem *Ops) *Ops       { return s.build(elem) }
