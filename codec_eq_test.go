package execspec

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"unsafe"
)

type eqInner struct {
	N    int
	Tags map[string]bool
}

type eqFlat struct {
	N int
	S string
}

type eqState struct {
	A     int
	S     string
	Arr   [2]int8
	L     []int
	M     map[string]int
	MM    map[int]map[string]int
	MS    map[string]eqFlat  // a map type without a native fast path
	MD    map[string]eqInner // with values that are not flat
	P     *eqInner
	Set   Set[string]
	Inner []eqInner
	Flat  []eqFlat
}

func eqSample() eqState {
	return eqState{
		A: 1, S: "s", Arr: [2]int8{1, 2}, L: []int{1, 2},
		M:     map[string]int{"a": 1, "b": 2},
		MM:    map[int]map[string]int{1: {"x": 1}},
		MS:    map[string]eqFlat{"k": {N: 1}},
		MD:    map[string]eqInner{"d": {N: 1, Tags: map[string]bool{"t": true}}},
		P:     &eqInner{N: 3},
		Set:   SetOf("a", "b"),
		Inner: []eqInner{{N: 1, Tags: map[string]bool{"t": true}}},
		Flat:  []eqFlat{{N: 1, S: "one"}, {N: 2, S: "two"}},
	}
}

// The compiled equality agrees with the encoding, except that it tells a
// nil map or slice from an empty one, at any depth (user code can).
func TestCodecEq(t *testing.T) {
	c, err := codecOf(reflectTypeOf[eqState]())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(s *eqState)
		equal  bool
	}{
		{"deep copy", func(s *eqState) {}, true},
		{"int", func(s *eqState) { s.A = 2 }, false},
		{"string", func(s *eqState) { s.S = "t" }, false},
		{"array", func(s *eqState) { s.Arr[1] = 3 }, false},
		{"slice element", func(s *eqState) { s.L[0] = 9 }, false},
		{"slice length", func(s *eqState) { s.L = s.L[:1] }, false},
		{"nil slice", func(s *eqState) { s.L = nil }, false},
		{"map value", func(s *eqState) { s.M["a"] = 5 }, false},
		{"map key", func(s *eqState) { delete(s.M, "a"); s.M["c"] = 1 }, false},
		{"nested map", func(s *eqState) { s.MM[1]["x"] = 2 }, false},
		{"map of structs", func(s *eqState) { s.MS["k"] = eqFlat{N: 2} }, false},
		{"map of structs, same values", func(s *eqState) { s.MS["k"] = eqFlat{N: 1} }, true},
		{"map of deep values", func(s *eqState) { s.MD["d"].Tags["t"] = false }, false},
		{"map of deep values, missing key", func(s *eqState) { delete(s.MD, "d"); s.MD["e"] = eqInner{N: 1} }, false},
		{"map of deep values, nil against empty", func(s *eqState) { s.MD = nil }, false},
		{"pointer target", func(s *eqState) { s.P.N = 4 }, false},
		{"nil pointer", func(s *eqState) { s.P = nil }, false},
		{"set element", func(s *eqState) { s.Set.Add("c") }, false},
		{"set rebuilt equal", func(s *eqState) { s.Set = SetOf("b", "a") }, true},
		{"slice of structs with maps", func(s *eqState) { s.Inner[0].Tags["u"] = true }, false},
		{"slice of flat structs", func(s *eqState) { s.Flat[1].N = 3 }, false},
		{"slice of flat structs, a string", func(s *eqState) { s.Flat[0].S = "uno" }, false},
		// Equal, but not the same bytes: the string is another copy.
		{"slice of flat structs, an equal string", func(s *eqState) { s.Flat[1].S = string([]byte("two")) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := eqSample()
			var b eqState
			b = a
			c.fix(unsafe.Pointer(&b))
			tc.change(&b)
			if got := c.eq(unsafe.Pointer(&a), unsafe.Pointer(&b)); got != tc.equal {
				t.Errorf("eq = %v, want %v", got, tc.equal)
			}
			if got := c.eq(unsafe.Pointer(&b), unsafe.Pointer(&a)); got != tc.equal {
				t.Errorf("eq reversed = %v, want %v", got, tc.equal)
			}
			// The fused copy lists what refs lists after it.
			var d eqState
			d = a
			if listed, want := sortedAddrs(c.fixRefs(unsafe.Pointer(&d), nil)), sortedRefs(c, unsafe.Pointer(&d)); !slices.Equal(listed, want) || !c.eq(unsafe.Pointer(&d), unsafe.Pointer(&a)) {
				t.Errorf("fixRefs lists %x, refs after it %x", listed, want)
			}
			// The fused walk answers as eq does and, for equal values,
			// lists what refs lists.
			refs, equal := c.eqRefs(unsafe.Pointer(&b), unsafe.Pointer(&a), nil)
			if equal != tc.equal {
				t.Errorf("eqRefs = %v, want %v", equal, tc.equal)
			}
			if want := sortedRefs(c, unsafe.Pointer(&b)); equal && !slices.Equal(sortedAddrs(refs), want) {
				t.Errorf("eqRefs lists %x, refs %x", sortedAddrs(refs), want)
			}
			if tc.equal && string(c.enc(nil, unsafe.Pointer(&a))) != string(c.enc(nil, unsafe.Pointer(&b))) {
				t.Error("equal values encode differently")
			}
		})
	}
	// Nil against empty: equal encodings, different values.
	for _, tc := range []struct {
		name string
		a, b any
	}{
		{"map", map[string]int(nil), map[string]int{}},
		{"nested map", map[int]map[string]int{1: nil}, map[int]map[string]int{1: {}}},
		{"map without fast path", map[string]eqFlat(nil), map[string]eqFlat{}},
		{"inner map without fast path", map[string]eqInner{"a": {}}, map[string]eqInner{"a": {Tags: map[string]bool{}}}},
		{"slice", []int(nil), []int{}},
	} {
		t.Run("nil vs empty "+tc.name, func(t *testing.T) {
			if got := eqAny(t, tc.a, tc.b); got {
				t.Errorf("%#v and %#v are equal", tc.a, tc.b)
			}
			if !eqAny(t, tc.a, tc.a) || !eqAny(t, tc.b, tc.b) {
				t.Error("a value differs from itself")
			}
		})
	}
}

// eqAny compares two values of the same type with their codec's equality.
func eqAny(t *testing.T, a, b any) bool {
	t.Helper()
	ta := fmt.Sprintf("%T", a)
	if tb := fmt.Sprintf("%T", b); ta != tb {
		t.Fatalf("types %s and %s", ta, tb)
	}
	pointerTo := func(x any) reflect.Value {
		p := reflect.New(reflect.TypeOf(x))
		p.Elem().Set(reflect.ValueOf(x))
		return p
	}
	pa, pb := pointerTo(a), pointerTo(b)
	c, err := codecOf(pa.Type().Elem())
	if err != nil {
		t.Fatal(err)
	}
	return c.eq(pa.UnsafePointer(), pb.UnsafePointer())
}
