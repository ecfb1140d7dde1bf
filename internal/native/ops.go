package native

import (
	"reflect"
	"sync"
	"unsafe"
)

// Ops are the operations of one type's codec, on values at raw pointers. A
// nil field means that the type has no such operation (Fix and Refs for a
// value without references) or, in what a builder returns, that the
// codec keeps its own.
type Ops struct {
	// Flat is true when a plain assignment copies the value completely.
	Flat bool
	// Enc appends the canonical encoding of the value at p.
	Enc func(b []byte, p unsafe.Pointer) []byte
	// Fix replaces, in the value at p, every reference it shares with the
	// value it was assigned from by a deep copy.
	Fix func(p unsafe.Pointer)
	// Eq reports whether the values at p and q are equal, nil and empty
	// maps and slices told apart.
	Eq func(p, q unsafe.Pointer) bool
	// Refs appends the memory the value at p refers to and may write in
	// place.
	Refs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer
	// EqRefs is Eq(p, q) that also appends Refs(p) to out, walking both
	// values once; what it appended is incomplete when they differ. Nil
	// when Refs is.
	EqRefs func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool)
	// FixRefs is Fix(p) that also appends Refs(p) after it, in one walk.
	// Nil when Refs is.
	FixRefs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer
	// Dec decodes a value from the decoder d into the value at p.
	Dec func(d, p unsafe.Pointer)
}

// EqRefsOrEq returns o.EqRefs or, for a type without references, o.Eq in
// EqRefs's shape: it compares and lists nothing.
func (o Ops) EqRefsOrEq() func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
	if o.EqRefs != nil {
		return o.EqRefs
	}
	eq := o.Eq
	return func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) { return out, eq(p, q) }
}

// Decoding is what a native decoder needs from the codec's decoder, which
// it sees as an opaque pointer: the count that starts a map or slice, and
// whether decoding has failed (then it stops).
type Decoding struct {
	Count  func(d unsafe.Pointer) int
	Failed func(d unsafe.Pointer) bool
}

// MapBuilder makes the Ops of a registered map type from those of its key
// and value types.
type MapBuilder func(dec Decoding, k, v Ops) Ops

// SliceBuilder makes the Ops of a registered slice type from those of its
// element type.
type SliceBuilder func(dec Decoding, e Ops) Ops

var (
	mapBuilders   sync.Map // reflect.Type -> MapBuilder
	sliceBuilders sync.Map // reflect.Type -> SliceBuilder
)

// RegisterMap registers the native operations of the map type M. It must
// run before a state type holding M is first compiled (from an init
// function); registering a type twice is harmless.
func RegisterMap[M ~map[K]V, K comparable, V any]() {
	mapBuilders.LoadOrStore(reflect.TypeFor[M](), MapBuilder(mapOps[M]))
}

// RegisterSlice registers the native operations of the slice type S, as
// RegisterMap does for maps.
func RegisterSlice[S ~[]E, E any]() {
	sliceBuilders.LoadOrStore(reflect.TypeFor[S](), SliceBuilder(sliceOps[S]))
}

// LookupMap returns the builder registered for the map type t, or nil.
func LookupMap(t reflect.Type) MapBuilder {
	if b, ok := mapBuilders.Load(t); ok {
		return b.(MapBuilder)
	}
	return nil
}

// LookupSlice returns the builder registered for the slice type t, or nil.
func LookupSlice(t reflect.Type) SliceBuilder {
	if b, ok := sliceBuilders.Load(t); ok {
		return b.(SliceBuilder)
	}
	return nil
}
