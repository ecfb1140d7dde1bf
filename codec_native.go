package execspec

import (
	"unsafe"

	"github.com/execspec/execspec/internal/native"
)

// Maps and slices of the types registered with package native (the common
// ones below, and those a model's generated code registers through
// machine.NativeMap and machine.NativeSlice) are copied, compared, encoded
// and decoded by code compiled for their type; others go through package
// reflect.

func init() {
	native.RegisterMap[map[string]int]()
	native.RegisterMap[map[int]int]()
	native.RegisterMap[map[string]string]()
	native.RegisterMap[map[string]bool]()
	native.RegisterMap[map[int]bool]()
	native.RegisterMap[map[int]string]()
	native.RegisterMap[map[string]struct{}]()
	native.RegisterMap[map[int]struct{}]()
	native.RegisterMap[map[string]int64]()
	native.RegisterMap[map[int64]int64]()
	native.RegisterMap[map[int]map[string]int]()
	native.RegisterMap[map[string]map[string]int]()
	native.RegisterMap[map[string]map[string]bool]()
	native.RegisterMap[map[int]map[int]int]()
	native.RegisterMap[map[string][]string]()
	native.RegisterMap[map[int][]int]()
	native.RegisterSlice[[]int]()
	native.RegisterSlice[[]string]()
	native.RegisterSlice[[]bool]()
	native.RegisterSlice[[]int64]()
	native.RegisterSlice[[][]int]()
}

// ops returns c's operations as package native takes them (without a
// decoder: codecs and decoders are built apart).
func (c *codec) ops() native.Ops {
	return native.Ops{Flat: c.flat, Enc: c.enc, Fix: c.fix, Eq: c.eq, Refs: c.refs, EqRefs: c.eqRefs, FixRefs: c.fixRefs}
}

// use takes, of o's operations, those o has in place of c's own.
func (c *codec) use(o native.Ops) {
	if o.Enc != nil {
		c.enc = o.Enc
	}
	if o.Fix != nil {
		c.fix = o.Fix
	}
	if o.Eq != nil {
		c.eq = o.Eq
	}
	if o.Refs != nil {
		c.refs = o.Refs
	}
	if o.EqRefs != nil {
		c.eqRefs = o.EqRefs
	}
	if o.FixRefs != nil {
		c.fixRefs = o.FixRefs
	}
}

// nativeDecoding is the decoder as package native's decoders reach it.
var nativeDecoding = native.Decoding{
	Count:  func(d unsafe.Pointer) int { return (*decoder)(d).count() },
	Failed: func(d unsafe.Pointer) bool { return (*decoder)(d).err != nil },
}

// toNative and fromNative convert decoders between the codec's type and
// package native's.
func toNative(f decFunc) func(d, p unsafe.Pointer) {
	return func(d, p unsafe.Pointer) { f((*decoder)(d), p) }
}

func fromNative(f func(d, p unsafe.Pointer)) decFunc {
	return func(d *decoder, p unsafe.Pointer) { f(unsafe.Pointer(d), p) }
}

// lookupMap and lookupSlice find a type's native operations (variables so
// that tests can compare them with the reflective ones).
var (
	lookupMap   = native.LookupMap
	lookupSlice = native.LookupSlice
)
