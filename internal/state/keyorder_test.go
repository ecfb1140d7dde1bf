package state

import (
	"bytes"
	"encoding/binary"
	"maps"
	"math"
	"reflect"
	"slices"
	"testing"
	"unsafe"
)

func encInt(b []byte, p unsafe.Pointer) []byte { return binary.AppendVarint(b, int64(*(*int)(p))) }

func encString(b []byte, p unsafe.Pointer) []byte {
	s := *(*string)(p)
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// wantEncoding is a map's canonical encoding, computed without the
// package's encoder: its length, then its entries sorted by key encoding.
func wantEncoding[K comparable](m map[K]int, kenc func([]byte, unsafe.Pointer) []byte) []byte {
	type kv struct{ k, e []byte }
	var entries []kv
	for k, v := range m {
		key := kenc(nil, unsafe.Pointer(&k))
		entries = append(entries, kv{key, encInt(slices.Clone(key), unsafe.Pointer(&v))})
	}
	slices.SortFunc(entries, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	b := binary.AppendUvarint(nil, uint64(len(m)))
	for _, e := range entries {
		b = append(b, e.e...)
	}
	return b
}

// A sequence of maps in which the key set stays, changes at the same
// length, grows, shrinks and returns: every encoding is the canonical
// one, whether it came from the remembered order or not, and comparisons
// agree with the maps' own.
func TestKeyOrderEncodingsAndComparisons(t *testing.T) {
	ops := mapOps[map[int]int](&Ops{Enc: encInt}, &Ops{Enc: encInt, Eq: func(p, q unsafe.Pointer) bool { return *(*int)(p) == *(*int)(q) }})
	seq := []map[int]int{
		{1: 1, 2: 2, 3: 3}, {1: 1, 2: 2, 3: 3}, {1: 9, 2: 2, 3: 3}, {3: 3, 1: 1, 2: 2},
		{1: 1, 2: 2, 4: 3}, {1: 1, 2: 2, 3: 3}, {0: 1, 2: 2, 3: 3}, {-5: 1},
		{1: 1, 2: 2, 3: 3, 4: 4}, {}, {7: 7}, {7: 8}, {8: 7}, {1: 1, 2: 2, 3: 3},
	}
	for round := range 3 {
		for i, m := range seq {
			if got, want := ops.Enc(nil, unsafe.Pointer(&m)), wantEncoding(m, encInt); !bytes.Equal(got, want) {
				t.Fatalf("round %d, map %d %v: encoded %x, want %x", round, i, m, got, want)
			}
			for j, n := range seq {
				if got, want := ops.Eq(unsafe.Pointer(&m), unsafe.Pointer(&n)), reflect.DeepEqual(m, n); got != want {
					t.Errorf("round %d: eq(%v, %v) (maps %d, %d) = %v", round, m, n, i, j, got)
				}
			}
		}
	}
	sops := mapOps[map[string]int](&Ops{Enc: encString}, &Ops{Enc: encInt})
	for _, m := range []map[string]int{{"b": 1, "a": 2}, {"a": 3, "b": 4}, {"a": 1, "c": 2}, {"bb": 1, "a": 2}, {"a": 1, "b": 2}} {
		if got, want := sops.Enc(nil, unsafe.Pointer(&m)), wantEncoding(m, encString); !bytes.Equal(got, want) {
			t.Fatalf("%v: encoded %x, want %x", m, got, want)
		}
	}
}

// The in-order walks report when the map does not have the remembered
// keys, and leave what they appended as it was.
func TestInOrderWalksGiveUp(t *testing.T) {
	ord := &keyOrder[int]{keys: []int{1, 2}, enc: []byte{2, 4}, ends: []int{1, 2}}
	e := new(entry[int, int])
	b := []byte("x")
	if out, ok := encodeInOrder(ord, map[int]int{1: 5, 3: 6}, b, e, encInt); ok || !bytes.Equal(out, []byte("x")) {
		t.Errorf("encodeInOrder over other keys = %q, %v", out, ok)
	}
	if out, ok := encodeInOrder(ord, map[int]int{2: 6, 1: 5}, b, e, encInt); !ok || !bytes.Equal(out, []byte{'x', 2, 10, 4, 12}) {
		t.Errorf("encodeInOrder over its keys = %x, %v", out, ok)
	}
	eq := func(p, q unsafe.Pointer) bool { return *(*int)(p) == *(*int)(q) }
	for _, tt := range []struct {
		a, b         map[int]int
		equal, known bool
	}{
		{map[int]int{1: 1, 2: 2}, map[int]int{2: 2, 1: 1}, true, true},
		{map[int]int{1: 1, 2: 2}, map[int]int{1: 1, 2: 3}, false, true},
		{map[int]int{1: 1, 2: 2}, map[int]int{1: 1, 3: 2}, false, true},
		{map[int]int{1: 1, 3: 2}, map[int]int{1: 1, 3: 2}, false, false},
	} {
		// Comparing only, as a map of values without references does.
		onlyEq := func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) { return out, eq(p, q) }
		if _, equal, known := eqRefsInOrder(ord, tt.a, tt.b, e, onlyEq, nil); equal != tt.equal || known != tt.known {
			t.Errorf("eqRefsInOrder(%v, %v), comparing only = %v, %v; want %v, %v", tt.a, tt.b, equal, known, tt.equal, tt.known)
		}
		var x int
		refs := func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
			return append(out, unsafe.Pointer(&x)), eq(p, q)
		}
		start := []unsafe.Pointer{nil}
		out, equal, known := eqRefsInOrder(ord, tt.a, tt.b, e, refs, start)
		if equal != tt.equal || known != tt.known {
			t.Errorf("eqRefsInOrder(%v, %v) = %v, %v; want %v, %v", tt.a, tt.b, equal, known, tt.equal, tt.known)
		}
		if !known && len(out) != 1 {
			t.Errorf("eqRefsInOrder(%v, %v) gave up with %d references, want the 1 it was given", tt.a, tt.b, len(out))
		}
		if equal && len(out) != 3 {
			t.Errorf("eqRefsInOrder(%v, %v) listed %d references, want 3", tt.a, tt.b, len(out))
		}
	}
	if covers(nil, map[int]int{}) || covers(ord, map[int]int{1: 1}) || covers(ord, map[int]int{1: 1, 3: 3}) || !covers(ord, map[int]int{1: 0, 2: 0}) {
		t.Error("covers is wrong")
	}
}

// entries visits a map with the order's keys in that order, any other
// map in its own order, and stops when asked to.
func TestEntries(t *testing.T) {
	ord := &keyOrder[int]{keys: []int{3, 1, 2}}
	for _, tt := range []struct {
		ord  *keyOrder[int]
		m    map[int]int
		want []int // keys in order; nil: any order
	}{
		{ord, map[int]int{1: 10, 2: 20, 3: 30}, []int{3, 1, 2}},
		{ord, map[int]int{1: 10, 2: 20, 4: 40}, nil},
		{ord, map[int]int{1: 10}, nil},
		{nil, map[int]int{5: 50, 6: 60}, nil},
	} {
		var keys []int
		for k, v := range entries(tt.ord, tt.m) {
			if v != tt.m[k] {
				t.Errorf("%v: key %d with value %d", tt.m, k, v)
			}
			keys = append(keys, k)
		}
		if tt.want != nil && !slices.Equal(keys, tt.want) {
			t.Errorf("%v: keys %v, want %v", tt.m, keys, tt.want)
		}
		if got := slices.Sorted(slices.Values(keys)); !slices.Equal(got, slices.Sorted(maps.Keys(tt.m))) {
			t.Errorf("%v: visited %v", tt.m, keys)
		}
		n := 0
		for range entries(tt.ord, tt.m) {
			n++
			break
		}
		if n != 1 {
			t.Errorf("%v: %d entries after a break", tt.m, n)
		}
	}
}

// A run of misses stops replacing the order, and then replaces it on
// every replaceEvery'th miss; hits restore the credit.
func TestMemoReplacementPolicy(t *testing.T) {
	var m memo[int]
	replaced := 0
	for range creditCap + 10*replaceEvery {
		if m.miss() {
			replaced++
		}
	}
	if replaced < 10 || replaced > 12 {
		t.Errorf("%d misses replaced the order %d times, want about 11", creditCap+10*replaceEvery, replaced)
	}
	for range 2 * creditCap {
		m.hit()
	}
	if !m.miss() {
		t.Error("after a run of hits, a miss does not replace the order")
	}
}

func TestOrderable(t *testing.T) {
	type pair struct {
		A int
		B string
	}
	type withFloat struct {
		A int
		F float64
	}
	for _, tt := range []struct {
		t         reflect.Type
		orderable bool
		cheap     bool
	}{
		{reflect.TypeFor[int](), true, true},
		{reflect.TypeFor[uint8](), true, true},
		{reflect.TypeFor[bool](), true, true},
		{reflect.TypeFor[string](), true, false},
		{reflect.TypeFor[pair](), true, false},
		{reflect.TypeFor[[2]int](), true, false},
		{reflect.TypeFor[float64](), false, false},
		{reflect.TypeFor[withFloat](), false, false},
		{reflect.TypeFor[[2]float32](), false, false},
		{reflect.TypeFor[any](), false, false},
		{reflect.TypeFor[*int](), false, false},
	} {
		if got := orderable(tt.t); got != tt.orderable {
			t.Errorf("orderable(%s) = %v", tt.t, got)
		}
		if got := cheapLookup(tt.t); got != tt.cheap {
			t.Errorf("cheapLookup(%s) = %v", tt.t, got)
		}
	}
}

// Keys that Go finds equal but that encode differently are never
// remembered: a map keyed by -0 after one keyed by +0 encodes its own key.
func TestFloatKeysNotRemembered(t *testing.T) {
	encFloat := func(b []byte, p unsafe.Pointer) []byte {
		return binary.BigEndian.AppendUint64(b, math.Float64bits(*(*float64)(p)))
	}
	ops := mapOps[map[float64]int](&Ops{Enc: encFloat}, &Ops{Enc: encInt})
	negZero := math.Copysign(0, -1)
	for range 3 {
		for _, m := range []map[float64]int{{0: 1, 1: 2}, {negZero: 1, 1: 2}} {
			if got, want := ops.Enc(nil, unsafe.Pointer(&m)), wantEncoding(m, encFloat); !bytes.Equal(got, want) {
				t.Fatalf("%v: encoded %x, want %x", m, got, want)
			}
		}
	}
}
