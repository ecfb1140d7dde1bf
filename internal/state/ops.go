package state

import (
	"reflect"
	"unsafe"
)

// Ops are the state runtime's operations on one Go type, on values at raw
// pointers: the one declaration of what the engines do with a state,
// compiled once per type (see Of) and held by pointer wherever it is used.
type Ops struct {
	// Type is the Go type the operations work on.
	Type reflect.Type
	// Flat is true when a plain assignment copies a value completely: it
	// holds no slice, map or pointer (strings are immutable, so they
	// count as flat; so do immutable values that hold pointers, VSet and
	// BigInt).
	Flat bool
	// Enc appends the canonical encoding of the value at p: equal values,
	// and only equal values, have equal encodings (maps and sets in the
	// order of their keys' encodings).
	Enc func(b []byte, p unsafe.Pointer) []byte
	// Fix replaces, in the value at p, every reference it shares with the
	// value it was assigned from by a deep copy, in the canonical form of
	// a state's values: every map and Set made, empty or not (so that an
	// action may write into it, also through an alias), every slice with
	// its length as capacity and nil when empty. Nil when Flat.
	Fix func(p unsafe.Pointer)
	// Eq reports whether the value at p is what Fix makes of a copy of
	// the value at q, memory aside: the same encoding, and p in the form
	// a copy has (maps and Sets made, empty slices nil), which user code
	// can tell apart from the others. A copy is therefore Eq to its
	// source.
	Eq func(p, q unsafe.Pointer) bool
	// Refs appends to out the memory the value at p refers to and may
	// write in place: the data of its slices, its maps, the targets of
	// its pointers, the bodies of its Sets, at any depth. Nil when there
	// is none (flat values; sum types, which Fix copies whole).
	Refs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer
	// EqRefs is Eq(p, q) that also appends Refs(p) to out, in one walk of
	// both values where it pays (structs, slices, native maps); when the
	// values differ, what it appended is incomplete. Nil when Refs is.
	EqRefs func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool)
	// FixRefs is Fix(p) that also appends Refs(p) after it (the memory
	// the copy made), in one walk where it pays. Nil when Refs is.
	FixRefs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer
	// Dec decodes a value from d into the value at p, overwriting it
	// completely, in the canonical form Fix gives.
	Dec func(d *Decoder, p unsafe.Pointer)
}

// EqRefsOrEq returns o.EqRefs or, for a type without references, o.Eq in
// EqRefs's shape: it compares and lists nothing.
func (o *Ops) EqRefsOrEq() func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
	if o.EqRefs != nil {
		return o.EqRefs
	}
	eq := o.Eq
	return func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) { return out, eq(p, q) }
}

// use takes, of o's operations, those o has in place of c's own (a native
// builder returns the ones it compiles).
func (c *Ops) use(o Ops) {
	if o.Enc != nil {
		c.Enc = o.Enc
	}
	if o.Fix != nil {
		c.Fix = o.Fix
	}
	if o.Eq != nil {
		c.Eq = o.Eq
	}
	if o.Refs != nil {
		c.Refs = o.Refs
	}
	if o.EqRefs != nil {
		c.EqRefs = o.EqRefs
	}
	if o.FixRefs != nil {
		c.FixRefs = o.FixRefs
	}
	if o.Dec != nil {
		c.Dec = o.Dec
	}
}

// fixRefsOf returns the fused FixRefs of a type that has none of its own:
// the copy, then the references.
func fixRefsOf(fix func(p unsafe.Pointer), refs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer) func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
	return func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
		if fix != nil {
			fix(p)
		}
		return refs(p, out)
	}
}

// eqRefsOf returns the fused EqRefs of a type that has none of its own:
// the equality, then the references.
func eqRefsOf(eq func(p, q unsafe.Pointer) bool, refs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer) func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
	return func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
		if !eq(p, q) {
			return out, false
		}
		return refs(p, out), true
	}
}
