package reference

import (
	"reflect"
	"strconv"
	"sync"
	"testing"

	"github.com/execspec/execspec"
)

type keyInner struct {
	N    int
	Tags map[string]bool
}

type msgA struct{ X int }
type msgB struct{ S execspec.Set[int] }

type keyMsg interface{ isKeyMsg() }

func (msgA) isKeyMsg() {}
func (msgB) isKeyMsg() {}

func keyOf(v any) string { return Key(reflect.ValueOf(v)) }

// Key agrees on equal values, whatever their form, and only on them.
func TestKey(t *testing.T) {
	setAB := execspec.SetOf("a", "b")
	grown := execspec.SetOf("b")
	grown.Add("a")
	shrunk := execspec.SetOf("a", "b", "c")
	shrunk.Remove("c")
	var zero execspec.Set[string]
	equal := []struct {
		name string
		a, b any
	}{
		{"nil and empty map", map[string]int(nil), map[string]int{}},
		{"nil and empty slice", []int(nil), []int{}},
		{"zero and made Set", zero, execspec.SetOf[string]()},
		{"Set built in another order", setAB, execspec.SetOf("b", "a")},
		{"Set grown", setAB, grown},
		{"Set shrunk", setAB, shrunk},
		{"map built in another order", map[int]string{1: "a", 2: "b"}, map[int]string{2: "b", 1: "a"}},
		{"BigInt zero and Big(0)", execspec.BigInt{}, execspec.Big(0)},
		{"BigInt", execspec.Big(-12345678901234), execspec.Big(-12345678901234).Add(execspec.Big(0))},
		{"pointers to equal values", &keyInner{N: 1}, &keyInner{N: 1, Tags: map[string]bool{}}},
		{"VSet", execspec.VSetOf(execspec.SetOf(1), execspec.SetOf(2)), execspec.VSetOf(execspec.SetOf(2), execspec.SetOf(1))},
		{"variant", []keyMsg{msgA{1}, msgB{execspec.SetOf(1)}}, []keyMsg{msgA{1}, msgB{execspec.SetOf(1)}}},
	}
	for _, tc := range equal {
		if ka, kb := keyOf(tc.a), keyOf(tc.b); ka != kb {
			t.Errorf("%s: keys %s and %s differ", tc.name, ka, kb)
		}
	}
	differ := []struct {
		name string
		a, b any
	}{
		{"ints", 1, 2},
		{"strings", "a", "b"},
		{"strings that print alike", []string{"a,b"}, []string{"a", "b"}},
		{"map values", map[string]int{"a": 1}, map[string]int{"a": 2}},
		{"map keys", map[string]int{"a": 1}, map[string]int{"b": 1}},
		{"Set elements", setAB, execspec.SetOf("a")},
		{"nil and non-nil pointer", (*keyInner)(nil), &keyInner{}},
		{"pointer targets", &keyInner{N: 1}, &keyInner{N: 2}},
		{"slice order", []int{1, 2}, []int{2, 1}},
		{"BigInt", execspec.Big(1), execspec.Big(-1)},
		{"VSet", execspec.VSetOf(execspec.SetOf(1)), execspec.VSetOf(execspec.SetOf(1, 2))},
		{"variant cases", []keyMsg{msgA{0}}, []keyMsg{msgB{}}},
		{"nil variant", []keyMsg{nil}, []keyMsg{msgA{0}}},
		{"struct fields", keyInner{N: 1}, keyInner{N: 1, Tags: map[string]bool{"t": true}}},
	}
	for _, tc := range differ {
		if ka, kb := keyOf(tc.a), keyOf(tc.b); ka == kb {
			t.Errorf("%s: both have the key %s", tc.name, ka)
		}
	}
}

type freshState struct {
	M     map[string]int
	Nil   map[string]int
	Empty []int
	L     []int
	Set   execspec.Set[int]
	Zero  execspec.Set[int]
	Deep  map[int]map[int][]int
	P     *keyInner
	Msg   keyMsg
	Arr   [2][]int
}

// fresh copies deeply, shares nothing, and gives every map and Set a body
// of its own and every empty slice the form nil.
func TestFresh(t *testing.T) {
	src := freshState{
		M:     map[string]int{"a": 1},
		Empty: make([]int, 0, 4),
		L:     append(make([]int, 0, 8), 1, 2),
		Set:   execspec.SetOf(1),
		Deep:  map[int]map[int][]int{1: {1: {1}}, 2: nil},
		P:     &keyInner{N: 1, Tags: map[string]bool{"x": true}},
		Msg:   msgB{execspec.SetOf(1)},
	}
	src.Arr[0] = src.L
	cp := fresh(reflect.ValueOf(src)).Interface().(freshState)
	if keyOf(cp) != keyOf(src) {
		t.Fatalf("the copy's key %s, the source's %s", keyOf(cp), keyOf(src))
	}
	if cp.Nil == nil || cp.Deep[2] == nil {
		t.Error("a nil map was not made")
	}
	if cp.Empty != nil {
		t.Error("an empty slice is not nil")
	}
	if cap(cp.L) != len(cp.L) {
		t.Errorf("capacity %d for length %d", cap(cp.L), len(cp.L))
	}
	// Writes through the copy, and through aliases taken of it, reach
	// nothing of the source, and the copy's parts share nothing.
	zero := cp.Zero
	zero.Add(7) // an alias of a made Set shares it
	if cp.Zero.Len() != 1 {
		t.Error("writing through an alias of the copy's empty Set did not change it")
	}
	cp.M["a"] = 2
	cp.L[0] = 9
	cp.Set.Add(2)
	cp.Deep[1][1][0] = 9
	cp.P.Tags["y"] = true
	inMsg := cp.Msg.(msgB).S
	inMsg.Add(5)
	if src.M["a"] != 1 || src.L[0] != 1 || src.Set.Len() != 1 || src.Deep[1][1][0] != 1 || len(src.P.Tags) != 1 || src.Msg.(msgB).S.Len() != 1 || src.Zero.Len() != 0 {
		t.Errorf("a write to the copy reached the source: %+v", src)
	}
	if cp.Arr[0][0] != 1 {
		t.Error("two places of the copy share one array")
	}
}

func valueOf[T any](v T) reflect.Value { return reflect.ValueOf(&v).Elem() }

// TestKeyOfANewTypeAtOnce: goroutines asking for the key of a type never
// seen, all at once, get the same key; none sees its plan before it is
// complete (the cross-check compares searches in parallel; under -race
// this also finds a plan read while it is written).
func TestKeyOfANewTypeAtOnce(t *testing.T) {
	for i := range 50 {
		typ := reflect.StructOf([]reflect.StructField{
			{Name: "M" + strconv.Itoa(i), Type: reflect.TypeOf(map[string][]int{})},
			{Name: "S", Type: reflect.TypeOf([]keyInner{})},
		})
		v := reflect.New(typ).Elem()
		v.Field(0).Set(reflect.ValueOf(map[string][]int{"a": {1, 2}}))
		v.Field(1).Set(reflect.ValueOf([]keyInner{{N: 3}}))
		keys := make([]string, 8)
		var wg sync.WaitGroup
		for g := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				keys[g] = Key(v)
			}()
		}
		wg.Wait()
		for _, k := range keys {
			if k == "" || k != keys[0] {
				t.Fatalf("type %d: keys %q", i, keys)
			}
		}
	}
}
