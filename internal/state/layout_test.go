package state

import (
	"maps"
	"reflect"
	"strconv"
	"testing"
	"unsafe"
)

// The shortcut is on with this toolchain. If this fails after a Go
// upgrade, the runtime's map layout changed: equality still works, the
// long way; update runtimeMap and groupSize to the new layout.
func TestMapLayoutHolds(t *testing.T) {
	if !layoutHolds() {
		t.Fatal("the runtime's map layout is not the one layout.go reads; the shortcut for unchanged maps is off")
	}
}

func header[M any](m M) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&m)) }

func TestSameGroup(t *testing.T) {
	size, ok := groupSize[string, int]()
	if !ok {
		t.Fatal("no group size for map[string]int")
	}
	base := map[string]int{"a": 1, "b": 2, "c": 3}
	rewritten := maps.Clone(base)
	rewritten["b"] = 7
	rewritten["b"] = 2 // the same entries again, written in place
	big := map[string]int{}
	for i := range 9 {
		big[strconv.Itoa(i)] = i
	}
	for _, tt := range []struct {
		name string
		a, b map[string]int
		same bool
	}{
		{"a clone", base, maps.Clone(base), true},
		{"a clone written in place back to the same value", base, rewritten, true},
		{"a clone with a value changed", base, func() map[string]int { c := maps.Clone(base); c["a"] = 9; return c }(), false},
		{"a clone with an entry added", base, func() map[string]int { c := maps.Clone(base); c["d"] = 4; return c }(), false},
		{"equal, built apart (another seed)", base, map[string]int{"a": 1, "b": 2, "c": 3}, false},
		{"a clone of a map of more than one group", big, maps.Clone(big), false},
		{"empty maps, no group yet", map[string]int{}, map[string]int{}, false},
	} {
		if got := sameGroup(header(tt.a), header(tt.b), size); got != tt.same {
			t.Errorf("%s: sameGroup = %v, want %v", tt.name, got, tt.same)
		}
	}
}

// Equality takes the shortcut or not; its answer is the maps' own.
func TestMapEqualityWithShortcut(t *testing.T) {
	ops := mapOps[map[string]int](&Ops{Enc: encString}, &Ops{Enc: encInt, Eq: func(p, q unsafe.Pointer) bool { return *(*int)(p) == *(*int)(q) }})
	base := map[string]int{"a": 1, "b": 2}
	changed := maps.Clone(base)
	changed["b"] = 3
	for _, tt := range []struct {
		b     map[string]int
		equal bool
	}{
		{maps.Clone(base), true},
		{map[string]int{"b": 2, "a": 1}, true},
		{changed, false},
		{map[string]int{"a": 1, "c": 2}, false},
	} {
		if got := ops.Eq(unsafe.Pointer(&base), unsafe.Pointer(&tt.b)); got != tt.equal {
			t.Errorf("Eq(%v, %v) = %v", base, tt.b, got)
		}
	}
}

// The layout check refuses what it cannot check.
func TestLayoutFitsRefuses(t *testing.T) {
	nine := map[int]int{}
	for i := range 9 {
		nine[i] = i
	}
	type huge struct{ A [200]byte }
	for name, fits := range map[string]bool{
		"no entries":            layoutFits(map[int]int{}, 1),
		"more than one group":   layoutFits(nine, -1),
		"no other value":        layoutFits(map[int]int{1: 5}, 5),
		"values kept elsewhere": layoutFits(map[int]huge{1: {}}, huge{A: [200]byte{1}}),
	} {
		if fits {
			t.Errorf("%s: layoutFits = true", name)
		}
	}
}

// Every assumption layout.go makes about the Go runtime, checked on this
// toolchain: if one fails after a Go upgrade, the runtime's layout
// changed and layout.go must follow it.
func TestRuntimeLayout(t *testing.T) {
	t.Run("slice header", func(t *testing.T) {
		s := make([]int, 2, 5)
		h := (*sliceHeader)(unsafe.Pointer(&s))
		if h.data != unsafe.Pointer(unsafe.SliceData(s)) || h.len != len(s) || h.cap != cap(s) {
			t.Errorf("slice header %+v, want data %p, len 2, cap 5", *h, unsafe.SliceData(s))
		}
	})
	t.Run("type descriptor and viewAt", func(t *testing.T) {
		m := map[string]int{"a": 1}
		v := viewAt(abiType(reflect.TypeOf(m)), unsafe.Pointer(&m), true)
		if v.Type() != reflect.TypeOf(m) || v.Len() != 1 || v.MapIndex(reflect.ValueOf("a")).Int() != 1 {
			t.Errorf("viewAt of a map gives %v", v)
		}
		s := []string{"x", "y"}
		w := viewAt(abiType(reflect.TypeOf(s)), unsafe.Pointer(&s), false)
		if w.Type() != reflect.TypeOf(s) || w.Len() != 2 || w.Index(1).String() != "y" {
			t.Errorf("viewAt of a slice gives %v", w)
		}
	})
	t.Run("mapaccess", func(t *testing.T) {
		m := map[string]int{"a": 1, "b": 2}
		rt := abiType(reflect.TypeOf(m))
		mp := *(*unsafe.Pointer)(unsafe.Pointer(&m))
		key := "b"
		if e := mapaccess(rt, mp, unsafe.Pointer(&key)); e == nil || *(*int)(e) != 2 {
			t.Errorf("mapaccess of b: %v", e)
		}
		key = "c"
		if e := mapaccess(rt, mp, unsafe.Pointer(&key)); e != nil {
			t.Errorf("mapaccess of an absent key: %v", e)
		}
	})
	t.Run("map identity", func(t *testing.T) {
		a := map[int]int{1: 1}
		b := a
		c := map[int]int{1: 1}
		if !sameMap(a, b) || sameMap(a, c) {
			t.Error("sameMap does not tell one map from an equal other")
		}
	})
	t.Run("interface words", func(t *testing.T) {
		type behind struct{ A, B int }
		type inWord struct{ M map[int]int }
		for _, tc := range []struct {
			v    any
			want ifaceLayout
		}{
			{behind{1, 2}, layoutBehind},
			{inWord{map[int]int{1: 2}}, layoutInWord},
			{"s", layoutBehind},
			{&struct{}{}, layoutInWord},
		} {
			if got := layoutOf(reflect.TypeOf(tc.v)); got != tc.want {
				t.Errorf("%T: layout %d, want %d (the compiler's rule no longer matches)", tc.v, got, tc.want)
			}
			words := (*[2]unsafe.Pointer)(unsafe.Pointer(&tc.v))
			if tc.want == layoutBehind {
				if b, ok := tc.v.(behind); ok && *(*behind)(words[1]) != b {
					t.Errorf("the data word of %v does not point at it", tc.v)
				}
			}
		}
	})
}
