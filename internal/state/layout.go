package state

import (
	"maps"
	"reflect"
	"sync"
	"unsafe"
)

// Every dependency of the state runtime on the Go runtime's memory layout
// is in this file, and layout_test.go fails on a toolchain where one no
// longer holds: a slice's header, an interface's two words and where it
// keeps its value, a reflect.Type's descriptor word, a map value being a
// pointer to its header, the runtime's lookup reached by linkname, and
// the layout of a small map's group of slots. The map-group shortcut also
// checks itself once per process and stays off where it fails.

// sliceHeader is the layout of every Go slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// viewAt returns the value at p, whose type has the runtime descriptor rt,
// as a reflect.Value that reads it in place (it is not addressable and must
// not be written through). direct says that the type is one pointer, which
// an interface holds itself (maps); otherwise the interface points at p.
// It costs no allocation and none of reflect.NewAt's lookup of the pointer
// type.
func viewAt(rt, p unsafe.Pointer, direct bool) reflect.Value {
	var x any
	e := (*[2]unsafe.Pointer)(unsafe.Pointer(&x))
	e[0] = rt
	if direct {
		e[1] = *(*unsafe.Pointer)(p)
	} else {
		e[1] = p
	}
	return reflect.ValueOf(x)
}

// sameMap reports whether a and b are the same map (a Go map value is a
// pointer to the map's header).
func sameMap[M ~map[K]V, K comparable, V any](a, b M) bool {
	return *(*unsafe.Pointer)(unsafe.Pointer(&a)) == *(*unsafe.Pointer)(unsafe.Pointer(&b))
}

// mapaccess is the runtime's lookup behind reflect.Value.MapIndex: a
// pointer to the element of map m (of map type t) at *key, nil when absent.
// Reached by linkname because reflect has no lookup that does not copy the
// element to a new allocation; the runtime keeps this entry point for
// packages outside the standard library, with its signature, per
// go.dev/issue/67401.
//
//go:linkname mapaccess reflect.mapaccess
func mapaccess(t, m, key unsafe.Pointer) unsafe.Pointer

// abiType returns the runtime type descriptor behind a reflect.Type (the
// data word of the interface, a *reflect.rtype, whose first field is it).
func abiType(t reflect.Type) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1] }

// ifaceLayout says where a value of a variant type lives inside an
// interface. An interface is two words, a type word and a data word; Go
// stores a pointer-shaped value (a pointer, a map, a chan, a func, or a
// struct or one-element array wrapping one) in the data word itself and any
// other value behind it, in an immutable copy. Knowing which lets the codec
// encode a variant in place instead of copying it out through reflection.
type ifaceLayout int

const (
	layoutCopy   ifaceLayout = iota // unknown: copy the value out (reflection)
	layoutInWord                    // the value is the data word
	layoutBehind                    // the data word points to the value
)

// layoutOf computes the layout by the compiler's rule and checks it against
// a boxed zero value (nil data word for pointer-shaped types, a non-nil
// pointer to a zero value otherwise); if they ever disagree, the codec
// falls back to copying, which is always right.
func layoutOf(t reflect.Type) ifaceLayout {
	box := reflect.New(reflect.TypeFor[any]()).Elem()
	box.Set(reflect.Zero(t))
	inWord := (*[2]unsafe.Pointer)(box.Addr().UnsafePointer())[1] == nil
	switch rule := pointerShaped(t); {
	case rule != inWord:
		return layoutCopy
	case rule:
		return layoutInWord
	}
	return layoutBehind
}

func pointerShaped(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() == 1 && pointerShaped(t.Elem())
	case reflect.Struct:
		return t.NumField() == 1 && pointerShaped(t.Field(0).Type)
	}
	return false
}

// The equality of two maps of plain values has a shortcut for the case the
// checker meets most: a map copied from another (maps.Clone) that nothing
// has written since. The runtime clones a small map (at most 8 entries, one
// group of slots) by copying its group byte for byte, with the same hash
// seed, so the two groups stay identical until one is written; identical
// groups, at the same seed and count, hold the same entries. Comparing
// them costs one memory comparison where comparing the maps costs a hash
// and a lookup per entry.
//
// This reads the runtime's own layout of a map (internal/runtime/maps),
// which the Go toolchain may change. layoutHolds checks it once, on maps
// whose entries it knows, and the shortcut is used only when every check
// passes: with another layout, equality takes the long way and nothing
// else changes.

// runtimeMap is the start of the runtime's map header.
type runtimeMap struct {
	used   uint64         // entries
	seed   uintptr        // hash seed
	dirPtr unsafe.Pointer // a small map's one group (dirLen 0); nil before the first entry
	dirLen int
}

const (
	groupSlots   = 8   // slots of a group
	maxSlotBytes = 128 // larger keys or values are kept out of line
)

// group is a group of map[K]V slots: a word of control bytes (one per
// slot: its high bit is set when the slot is empty or deleted), then the
// slots, each a key and its value.
type group[K comparable, V any] struct {
	ctrl  uint64
	slots [groupSlots]struct {
		k K
		v V
	}
}

// groupSize returns the size of a group of map[K]V slots; ok is false for
// keys or values the runtime keeps out of line.
func groupSize[K comparable, V any]() (size uintptr, ok bool) {
	var k K
	var v V
	if unsafe.Sizeof(k) > maxSlotBytes || unsafe.Sizeof(v) > maxSlotBytes {
		return 0, false
	}
	return unsafe.Sizeof(group[K, V]{}), true
}

// sameGroup reports whether the maps at a and b (map headers, not nil)
// are small maps with the same seed, count and group bytes: then they are
// equal. False says nothing.
func sameGroup(a, b unsafe.Pointer, size uintptr) bool {
	ha, hb := (*runtimeMap)(a), (*runtimeMap)(b)
	if ha.dirLen != 0 || hb.dirLen != 0 || ha.dirPtr == nil || hb.dirPtr == nil || ha.used != hb.used || ha.seed != hb.seed {
		return false
	}
	return string(unsafe.Slice((*byte)(ha.dirPtr), size)) == string(unsafe.Slice((*byte)(hb.dirPtr), size))
}

// layoutHolds reports whether maps are laid out as runtimeMap and
// groupSize say, checked once on maps of several shapes.
var layoutHolds = sync.OnceValue(func() bool {
	type padded struct {
		A int8
		B int64
	}
	return layoutFits(map[int]int{1: 10, 2: 20, 3: 30, 4: 40, 5: 50, 6: 60, 7: 70, 8: 80}, 99) &&
		layoutFits(map[string]string{"a": "x", "bb": "yy", "": "zzz"}, "other") &&
		layoutFits(map[int8]padded{1: {1, 2}, -3: {4, -5}}, padded{7, 7}) &&
		layoutFits(map[[3]int16]bool{{1, 2, 3}: true, {4, 5, 6}: false}, true)
})

// layoutFits checks the layout on a map made of entries (1 to 8 of them):
// reading its group as groupSize lays it out finds exactly its entries, a
// clone has the same group, and writing a value (as other) in the clone
// makes the groups differ.
func layoutFits[K, V comparable](entries map[K]V, other V) bool {
	size, ok := groupSize[K, V]()
	if !ok || len(entries) == 0 || len(entries) > groupSlots {
		return false
	}
	m := make(map[K]V)
	for k, v := range entries {
		m[k] = v
	}
	h := *(*unsafe.Pointer)(unsafe.Pointer(&m))
	rm := (*runtimeMap)(h)
	if rm.used != uint64(len(m)) || rm.dirLen != 0 || rm.dirPtr == nil {
		return false
	}
	g := (*group[K, V])(rm.dirPtr)
	found := 0
	for i, s := range g.slots {
		if byte(g.ctrl>>(8*i))&0x80 != 0 {
			continue // empty or deleted
		}
		if v, ok := entries[s.k]; !ok || v != s.v {
			return false
		}
		found++
	}
	if found != len(entries) || unsafe.Sizeof(*g) != size {
		return false
	}
	c := maps.Clone(m)
	hc := *(*unsafe.Pointer)(unsafe.Pointer(&c))
	if !sameGroup(h, hc, size) {
		return false
	}
	for k, v := range c {
		if v != other {
			c[k] = other
			return !sameGroup(h, hc, size)
		}
	}
	return false
}
