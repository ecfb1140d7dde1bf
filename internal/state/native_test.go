package state

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

func TestRegistry(t *testing.T) {
	type local map[uint16][]uint16
	if lookupMap(reflect.TypeFor[local]()) != nil || lookupSlice(reflect.TypeFor[[]uint16]()) != nil {
		t.Fatal("found before registration")
	}
	RegisterMap[local]()
	RegisterMap[local]() // twice: harmless
	RegisterSlice[[]uint16]()
	if lookupMap(reflect.TypeFor[local]()) == nil || lookupSlice(reflect.TypeFor[[]uint16]()) == nil {
		t.Fatal("not found after registration")
	}
	if lookupMap(reflect.TypeFor[map[uint16][]uint16]()) != nil {
		t.Error("a named type's registration covers its underlying type")
	}
}

// Entries come out in the order of their keys' bytes, whatever the order
// they went in, each with its value.
func TestScratchAppendSorted(t *testing.T) {
	for _, tt := range []struct {
		entries [][2]string // key, value
		want    string
	}{
		{nil, ""},
		{[][2]string{{"b", "2"}, {"a", "1"}}, "a1b2"},
		{[][2]string{{"ab", "x"}, {"a", "yy"}, {"", "z"}, {"b", ""}}, "zayyabxb"},
	} {
		sc := getScratch()
		for _, e := range tt.entries {
			sc.buf = append(sc.buf, e[0]...)
			k := len(sc.buf)
			sc.buf = append(sc.buf, e[1]...)
			sc.endEntry(k)
		}
		var order []int
		for _, i := range sc.order() {
			order = append(order, i)
		}
		got := sc.appendSorted([]byte("<"))
		if want := sortedOrder(tt.entries); !slices.Equal(order, want) {
			t.Errorf("%q: Order %v, want %v", tt.entries, order, want)
		}
		putScratch(sc)
		if want := "<" + tt.want; !bytes.Equal(got, []byte(want)) {
			t.Errorf("%q: got %q, want %q", tt.entries, got, want)
		}
	}
	if sc := getScratch(); len(sc.buf) != 0 || len(sc.ends) != 0 {
		t.Error("a scratch from the pool is not empty")
	}
}

// sortedOrder is the order of entries by key, by the standard library.
func sortedOrder(entries [][2]string) []int {
	var idx []int
	for i := range entries {
		idx = append(idx, i)
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(entries[a][0], entries[b][0]) })
	return idx
}

// EqRefsOrEq gives a type's own EqRefs, or its equality listing nothing.
func TestEqRefsOrEq(t *testing.T) {
	var x int
	eq := func(p, q unsafe.Pointer) bool { return *(*int)(p) == *(*int)(q) }
	withRefs := Ops{Eq: eq, EqRefs: func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
		return append(out, unsafe.Pointer(&x)), eq(p, q)
	}}
	a, b, c := 1, 1, 2
	for _, tt := range []struct {
		name   string
		ops    Ops
		q      *int
		equal  bool
		listed int
	}{
		{"own EqRefs, equal", withRefs, &b, true, 1},
		{"own EqRefs, unequal", withRefs, &c, false, 1},
		{"equality only, equal", Ops{Eq: eq}, &b, true, 0},
		{"equality only, unequal", Ops{Eq: eq}, &c, false, 0},
	} {
		out, equal := tt.ops.EqRefsOrEq()(unsafe.Pointer(&a), unsafe.Pointer(tt.q), nil)
		if equal != tt.equal || len(out) != tt.listed {
			t.Errorf("%s: %v with %d listed, want %v with %d", tt.name, equal, len(out), tt.equal, tt.listed)
		}
	}
}
