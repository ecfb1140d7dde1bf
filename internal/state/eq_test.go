package state_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"unsafe"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/state"
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
	Set   execspec.Set[string]
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
		Set:   execspec.SetOf("a", "b"),
		Inner: []eqInner{{N: 1, Tags: map[string]bool{"t": true}}},
		Flat:  []eqFlat{{N: 1, S: "one"}, {N: 2, S: "two"}},
	}
}

// The compiled equality says whether a value is what a copy of another
// is: the same encoding, and the copy's form (maps made, empty slices nil)
// at any depth, which user code can tell apart from the others.
func TestCodecEq(t *testing.T) {
	c, err := state.Of(reflect.TypeFor[eqState]())
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
		{"set rebuilt equal", func(s *eqState) { s.Set = execspec.SetOf("b", "a") }, true},
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
			c.Fix(unsafe.Pointer(&b))
			tc.change(&b)
			if got := c.Eq(unsafe.Pointer(&b), unsafe.Pointer(&a)); got != tc.equal {
				t.Errorf("eq = %v, want %v", got, tc.equal)
			}
			// The fused copy lists what refs lists after it.
			var d eqState
			d = a
			if listed, want := sortedAddrs(c.FixRefs(unsafe.Pointer(&d), nil)), sortedRefs(c, unsafe.Pointer(&d)); !slices.Equal(listed, want) || !c.Eq(unsafe.Pointer(&d), unsafe.Pointer(&a)) {
				t.Errorf("fixRefs lists %x, refs after it %x", listed, want)
			}
			// The fused walk answers as eq does and, for equal values,
			// lists what refs lists.
			refs, equal := c.EqRefs(unsafe.Pointer(&b), unsafe.Pointer(&a), nil)
			if equal != tc.equal {
				t.Errorf("eqRefs = %v, want %v", equal, tc.equal)
			}
			if want := sortedRefs(c, unsafe.Pointer(&b)); equal && !slices.Equal(sortedAddrs(refs), want) {
				t.Errorf("eqRefs lists %x, refs %x", sortedAddrs(refs), want)
			}
			if tc.equal && string(c.Enc(nil, unsafe.Pointer(&a))) != string(c.Enc(nil, unsafe.Pointer(&b))) {
				t.Error("equal values encode differently")
			}
		})
	}
	// Nil against empty: equal encodings; the copy's form is a made map
	// and a nil slice, and only it is eq to a value of either form.
	for _, tc := range []struct {
		name          string
		copied, other any
	}{
		{"map", map[string]int{}, map[string]int(nil)},
		{"nested map", map[int]map[string]int{1: {}}, map[int]map[string]int{1: nil}},
		{"map without fast path", map[string]eqFlat{}, map[string]eqFlat(nil)},
		{"inner map without fast path", map[string]eqInner{"a": {Tags: map[string]bool{}}}, map[string]eqInner{"a": {}}},
		{"slice", []int(nil), []int{}},
		{"slice in a map", map[string][]int{"a": nil}, map[string][]int{"a": {}}},
	} {
		t.Run("nil vs empty "+tc.name, func(t *testing.T) {
			if !eqAny(t, tc.copied, tc.other) || !eqAny(t, tc.copied, tc.copied) {
				t.Errorf("%#v is not eq to %#v or itself", tc.copied, tc.other)
			}
			if eqAny(t, tc.other, tc.copied) || eqAny(t, tc.other, tc.other) {
				t.Errorf("%#v, not in a copy's form, is eq to a value", tc.other)
			}
		})
	}
}

// Whatever the form of a value, its copy is in the canonical form and eq
// to it.
func TestCodecCopyIsEq(t *testing.T) {
	values := []any{
		eqSample(),
		eqState{},
		map[int]map[string]int{1: nil, 2: {}},
		[]int{},
		map[string][]int{"a": {}, "b": nil, "c": make([]int, 0, 5)},
		map[string]execspec.Set[int]{"a": {}, "b": execspec.SetOf[int]()},
	}
	for _, v := range values {
		c, err := state.Of(reflect.TypeOf(v))
		if err != nil {
			t.Fatal(err)
		}
		src := reflect.New(reflect.TypeOf(v))
		src.Elem().Set(reflect.ValueOf(v))
		cp := reflect.New(reflect.TypeOf(v))
		cp.Elem().Set(src.Elem())
		if c.Fix != nil {
			c.Fix(cp.UnsafePointer())
		}
		if !c.Eq(cp.UnsafePointer(), src.UnsafePointer()) {
			t.Errorf("the copy of %#v is not eq to it", v)
		}
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
	c, err := state.Of(pa.Type().Elem())
	if err != nil {
		t.Fatal(err)
	}
	return c.Eq(pa.UnsafePointer(), pb.UnsafePointer())
}
