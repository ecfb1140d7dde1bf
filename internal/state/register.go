package state

import (
	"reflect"
	"sync"
)

// Maps and slices of registered types (the common ones below, and those a
// model package's generated code registers through machine.NativeMap and
// machine.NativeSlice) are copied, compared, encoded and decoded by code
// compiled for their type by generics (nativemaps.go, nativeslices.go);
// others go through package reflect. A registered type changes speed,
// never a result: the operations produce the same bytes, copies and
// answers as the reflective ones.

// mapBuilder makes the operations of a registered map type from those of
// its key and value types; a nil field of what it returns leaves the
// reflective operation in place.
type mapBuilder func(k, v *Ops) Ops

// sliceBuilder makes the operations of a registered slice type from those
// of its element type.
type sliceBuilder func(e *Ops) Ops

var (
	mapBuilders   sync.Map // reflect.Type -> mapBuilder
	sliceBuilders sync.Map // reflect.Type -> sliceBuilder
)

// RegisterMap registers the native operations of the map type M. It must
// run before a state type holding M is first compiled (from an init
// function); registering a type twice is harmless.
func RegisterMap[M ~map[K]V, K comparable, V any]() {
	mapBuilders.LoadOrStore(reflect.TypeFor[M](), mapBuilder(mapOps[M]))
}

// RegisterSlice registers the native operations of the slice type S, as
// RegisterMap does for maps.
func RegisterSlice[S ~[]E, E any]() {
	sliceBuilders.LoadOrStore(reflect.TypeFor[S](), sliceBuilder(sliceOps[S]))
}

// lookupMap and lookupSlice return the builder registered for the type t,
// or nil (variables, so that tests can compare the native operations with
// the reflective ones).
var (
	lookupMap = func(t reflect.Type) mapBuilder {
		if b, ok := mapBuilders.Load(t); ok {
			return b.(mapBuilder)
		}
		return nil
	}
	lookupSlice = func(t reflect.Type) sliceBuilder {
		if b, ok := sliceBuilders.Load(t); ok {
			return b.(sliceBuilder)
		}
		return nil
	}
)

func init() {
	RegisterMap[map[string]int]()
	RegisterMap[map[int]int]()
	RegisterMap[map[string]string]()
	RegisterMap[map[string]bool]()
	RegisterMap[map[int]bool]()
	RegisterMap[map[int]string]()
	RegisterMap[map[string]struct{}]()
	RegisterMap[map[int]struct{}]()
	RegisterMap[map[string]int64]()
	RegisterMap[map[int64]int64]()
	RegisterMap[map[int]map[string]int]()
	RegisterMap[map[string]map[string]int]()
	RegisterMap[map[string]map[string]bool]()
	RegisterMap[map[int]map[int]int]()
	RegisterMap[map[string][]string]()
	RegisterMap[map[int][]int]()
	RegisterSlice[[]int]()
	RegisterSlice[[]string]()
	RegisterSlice[[]bool]()
	RegisterSlice[[]int64]()
	RegisterSlice[[][]int]()
}
