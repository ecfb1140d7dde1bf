package native

import (
	"maps"
	"sync"
	"unsafe"
)

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
