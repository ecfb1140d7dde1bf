package state_test

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/state"
)

type nativeMsg struct {
	Type  string
	Clock int
	To    []int
}

type nativeKey struct {
	A int
	B string
}

func init() {
	// Types as a model's generated code registers them: maps of maps of
	// slices of structs, maps of Sets, struct keys.
	state.RegisterMap[map[int]map[int][]nativeMsg]()
	state.RegisterMap[map[int][]nativeMsg]()
	state.RegisterSlice[[]nativeMsg]()
	state.RegisterMap[map[string]execspec.Set[int]]()
	state.RegisterMap[map[nativeKey][]int]()
}

// bothWays returns the operations of t built with its native operations
// and built with the reflective ones.
func bothWays(t testing.TB, typ reflect.Type) (nat, refl *state.Ops) {
	t.Helper()
	if !state.HasNative(typ) {
		t.Fatalf("%s has no native operations", typ)
	}
	var err error
	if nat, err = state.Of(typ); err != nil {
		t.Fatal(err)
	}
	state.WithoutNative(func() { refl, err = state.Of(typ) })
	if err != nil {
		t.Fatal(err)
	}
	if nat == refl {
		t.Fatalf("%s: the reflective operations are the native ones", typ)
	}
	return nat, refl
}

// at returns a pointer to a new variable holding v.
func at(v any) unsafe.Pointer {
	p := reflect.New(reflect.TypeOf(v))
	p.Elem().Set(reflect.ValueOf(v))
	return p.UnsafePointer()
}

func sortedRefs(c *state.Ops, p unsafe.Pointer) []uintptr {
	if c.Refs == nil {
		return nil
	}
	return sortedAddrs(c.Refs(p, nil))
}

func sortedAddrs(refs []unsafe.Pointer) []uintptr {
	var out []uintptr
	for _, r := range refs {
		out = append(out, uintptr(r))
	}
	slices.Sort(out)
	return out
}

// A registered type's native operations do what the reflective ones do:
// the same bytes, the same answers to equality (nil and empty told apart),
// copies that share nothing, the same references, equal decodings.
func TestNativeOperationsMatchReflective(t *testing.T) {
	groups := [][]any{
		{map[string]int(nil), map[string]int{}, map[string]int{"b": 2}, map[string]int{"b": 2, "a": 1, "zz": -5, "": 0}, map[string]int{"b": 3},
			map[string]int{strings.Repeat("a", 127): 1, strings.Repeat("a", 128): 2, strings.Repeat("b", 255): 3, strings.Repeat("c", 300): 5, "z": 6}},
		{map[int]int{3: 1, -1: 2, 1 << 40: 3}, map[int]int{-1: 1, 0: 2, 1: 3, 255: 4, 256: 5, -256: 6, 1 << 62: 7, -(1 << 62): 8}, map[int]int{}},
		// The same length, other keys: the remembered key order does not fit.
		{map[int]int{1: 1, 2: 2, 3: 3}, map[int]int{1: 1, 2: 2, 4: 3}, map[int]int{1: 1, 2: 2, 3: 4}, map[int]int{3: 3, 2: 2, 1: 1}},
		{map[int]map[int]int{1: {1: 0, 2: 0}, 2: {1: 0, 2: 0}}, map[int]map[int]int{1: {1: 0, 2: 0}, 2: {1: 0, 3: 0}}, map[int]map[int]int{1: {1: 0, 2: 0}, 3: {1: 0, 2: 0}}},
		{map[string]struct{}{"a": {}, "b": {}}, map[string]struct{}{"a": {}}},
		{map[int]map[string]int{1: {"a": 1}, 2: {"b": 2, "c": 3}, 3: {}}, map[int]map[string]int{1: {"a": 1}, 2: {"b": 2, "c": 3}, 3: nil},
			map[int]map[string]int{1: {"a": 1}, 2: {"b": 2, "c": 4}, 3: {}}, map[int]map[string]int{}},
		{map[int]map[int][]nativeMsg{
			0: {1: {{Type: "req", Clock: 1}}, 2: nil},
			1: {0: {{Type: "ack"}, {Type: "rel", To: []int{1, 2}}}, 2: {}},
		}, map[int]map[int][]nativeMsg{
			0: {1: {{Type: "req", Clock: 1}}, 2: {}},
			1: {0: {{Type: "ack"}, {Type: "rel", To: []int{1, 2}}}, 2: {}},
		}, map[int]map[int][]nativeMsg{
			0: {1: {{Type: "req", Clock: 1}}, 2: nil},
			1: {0: {{Type: "ack"}, {Type: "rel", To: []int{1, 3}}}, 2: {}},
		}, map[int]map[int][]nativeMsg(nil)},
		{[]nativeMsg{{Type: "a", To: []int{}}, {Type: "b"}}, []nativeMsg{{Type: "a"}, {Type: "b"}}, []nativeMsg{}, []nativeMsg(nil)},
		{map[string]execspec.Set[int]{"x": execspec.SetOf(1, 2), "y": {}}, map[string]execspec.Set[int]{"x": execspec.SetOf(1, 2), "y": execspec.SetOf[int]()}, map[string]execspec.Set[int]{"x": execspec.SetOf(2, 1)}},
		{map[nativeKey][]int{{1, "a"}: {1, 2}, {0, "b"}: nil, {1, ""}: {}}, map[nativeKey][]int{{1, "a"}: {1, 2}, {0, "b"}: {}, {1, ""}: {}}},
		{[][]int{{1}, nil, {}}, [][]int{{1}, {}, {}}, [][]int{{1}, nil}},
	}
	for _, group := range groups {
		typ := reflect.TypeOf(group[0])
		t.Run(typ.String(), func(t *testing.T) {
			nat, refl := bothWays(t, typ)
			for i, v := range group {
				p := at(v)
				for range 10 { // map iteration order varies
					if got, want := nat.Enc(nil, p), refl.Enc(nil, p); !bytes.Equal(got, want) {
						t.Fatalf("value %d: native encoding %x, reflective %x", i, got, want)
					}
				}
				for j, w := range group {
					q := at(w)
					want := refl.Eq(p, q)
					if got := nat.Eq(p, q); got != want {
						t.Errorf("eq(value %d, value %d): native %v, reflective %v", i, j, got, want)
					}
					if nat.EqRefs == nil {
						continue
					}
					refs, got := nat.EqRefs(p, q, nil)
					if got != want {
						t.Errorf("eqRefs(value %d, value %d): native %v, reflective eq %v", i, j, got, want)
					}
					if wantRefs := sortedRefs(refl, p); got && !slices.Equal(sortedAddrs(refs), wantRefs) {
						t.Errorf("eqRefs(value %d, value %d) lists %x, reflective refs %x", i, j, sortedAddrs(refs), wantRefs)
					}
				}
				if got, want := sortedRefs(nat, p), sortedRefs(refl, p); !slices.Equal(got, want) {
					t.Errorf("value %d: native refs %x, reflective %x", i, got, want)
				}
				// A copy: the value assigned, then fixed.
				cp := at(v)
				nat.Fix(cp)
				if !refl.Eq(cp, p) || !nat.Eq(cp, p) {
					t.Errorf("value %d: the native copy differs from the original", i)
				}
				if nat.FixRefs != nil {
					// The fused copy: an equal value, and the list of what
					// it refers to after, as refs lists it.
					fcp := at(v)
					listed := sortedAddrs(nat.FixRefs(fcp, nil))
					if !refl.Eq(fcp, p) {
						t.Errorf("value %d: fixRefs's copy differs from the original", i)
					}
					if want := sortedRefs(refl, fcp); !slices.Equal(listed, want) {
						t.Errorf("value %d: fixRefs lists %x, refs after it %x", i, listed, want)
					}
				}
				orig := sortedRefs(refl, p)
				for _, r := range sortedRefs(refl, cp) {
					if _, shared := slices.BinarySearch(orig, r); shared {
						t.Errorf("value %d: the native copy shares %x with the original", i, r)
					}
				}
				enc := refl.Enc(nil, p)
				dn, dr := reflect.New(typ), reflect.New(typ)
				nat.Dec(state.NewTestDecoder(enc), dn.UnsafePointer())
				refl.Dec(state.NewTestDecoder(enc), dr.UnsafePointer())
				if !reflect.DeepEqual(dn.Elem().Interface(), dr.Elem().Interface()) {
					t.Errorf("value %d: native decoding %v, reflective %v", i, dn.Elem(), dr.Elem())
				}
				if got := refl.Enc(nil, dn.UnsafePointer()); !bytes.Equal(got, enc) {
					t.Errorf("value %d: the native decoding encodes to %x, want %x", i, got, enc)
				}
			}
		})
	}
}

// A native decoder stops at the first error and leaves a value of its
// type, as the reflective one does.
func TestNativeDecoderStopsOnShortInput(t *testing.T) {
	typ := reflect.TypeFor[map[int]map[int][]nativeMsg]()
	nat, refl := bothWays(t, typ)
	full := refl.Enc(nil, at(map[int]map[int][]nativeMsg{0: {1: {{Type: "req", Clock: 1}}}}))
	for n := range len(full) {
		d := state.NewTestDecoder(full[:n])
		nat.Dec(d, reflect.New(typ).UnsafePointer())
		if d.Err() == nil {
			t.Errorf("%d of %d bytes: no error", n, len(full))
		}
	}
}

// fatalRecorder records a helper's Fatal instead of failing the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *fatalRecorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

func TestBothWaysFailsOnUnregisteredType(t *testing.T) {
	r := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		bothWays(r, reflect.TypeFor[map[bool]int]())
	}()
	<-done
	if want := "map[bool]int has no native operations"; r.msg != want {
		t.Errorf("bothWays failed with %q, want %q", r.msg, want)
	}
}

// Sets of strings and integers encode through the same native key order:
// byte for byte what the reflective encoder writes for their maps (whose
// struct{} values encode to nothing).
func TestSetEncodingMatchesReflective(t *testing.T) {
	check := func(t *testing.T, typ reflect.Type, set any, m reflect.Value) {
		t.Helper()
		c, err := state.Of(typ)
		if err != nil {
			t.Fatal(err)
		}
		kc, err := state.Of(m.Type().Key())
		if err != nil {
			t.Fatal(err)
		}
		p := reflect.New(typ)
		p.Elem().Set(reflect.ValueOf(set))
		got := c.Enc(nil, p.UnsafePointer())
		vc, err := state.Of(m.Type().Elem())
		if err != nil {
			t.Fatal(err)
		}
		if want := state.EncodeMap(nil, m, kc, vc); !bytes.Equal(got, want) {
			t.Fatalf("set %x, reflective %x", got, want)
		}
	}
	strs := execspec.SetOf(strings.Repeat("a", 128), strings.Repeat("b", 127), "", "z", strings.Repeat("c", 256))
	check(t, reflect.TypeOf(strs), strs, state.SetItems(strs))
	ints := execspec.SetOf(-1, 0, 1, 255, 256, -256, 1<<62)
	check(t, reflect.TypeOf(ints), ints, state.SetItems(ints))
}
