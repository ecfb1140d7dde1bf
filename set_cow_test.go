package execspec

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
	"testing"
	"unsafe"
)

type cowState struct {
	S Set[string]
	M map[int]Set[int]
}

// The engines' copy of a state shares each Set's elements until one side
// writes (copy on write); aliases of one Set value keep sharing its body.
func TestSetCopyOnWrite(t *testing.T) {
	c, err := codecOf(reflectTypeOf[cowState]())
	if err != nil {
		t.Fatal(err)
	}
	copyOf := func(src *cowState) *cowState {
		dst := *src
		c.fix(unsafe.Pointer(&dst))
		return &dst
	}
	orig := &cowState{S: SetOf("a"), M: map[int]Set[int]{1: SetOf(1)}}
	cp := copyOf(orig)
	if !sameMap(orig.S.b.m, cp.S.b.m) || !orig.S.b.shared.Load() || !cp.S.b.shared.Load() {
		t.Fatal("a copy does not share the set's map, marked shared on both sides")
	}

	cp.S.Add("b")
	if orig.S.Has("b") || !cp.S.Has("b") || orig.S.Len() != 1 {
		t.Errorf("write to the copy: original %v, copy %v", orig.S, cp.S)
	}
	orig.S.Add("c")
	if cp.S.Has("c") {
		t.Errorf("write to the original reached the copy: %v", cp.S)
	}

	// A Set inside a map value is copied with the map.
	inner := cp.M[1]
	inner.Add(2)
	cp.M[1] = inner
	if orig.M[1].Has(2) {
		t.Errorf("write to a copied map's Set reached the original: %v", orig.M[1])
	}

	// Aliases share the body: a write through one is seen through the other,
	// even when the body's map is shared with a copy and is cloned first.
	cp2 := copyOf(orig)
	alias := cp2.S
	alias.Add("d")
	if !cp2.S.Has("d") || orig.S.Has("d") {
		t.Errorf("alias write: set %v, original %v", cp2.S, orig.S)
	}

	// Removing an absent element writes nothing, so it clones nothing.
	cp3 := copyOf(orig)
	cp3.S.Remove("zzz")
	if !sameMap(cp3.S.b.m, orig.S.b.m) {
		t.Error("removing an absent element cloned the map")
	}
	cp3.S.Remove("a")
	if !orig.S.Has("a") || cp3.S.Has("a") {
		t.Errorf("remove: original %v, copy %v", orig.S, cp3.S)
	}
}

// A decoded Set keeps its canonical bytes, which copies pass on; any write
// drops them, and the encoding always matches the elements.
func TestSetDecodedEncodingCache(t *testing.T) {
	c, err := codecOf(reflectTypeOf[cowState]())
	if err != nil {
		t.Fatal(err)
	}
	dec, err := decoderOf(reflectTypeOf[cowState]())
	if err != nil {
		t.Fatal(err)
	}
	src := cowState{S: SetOf("x", "y", "z"), M: map[int]Set[int]{}}
	enc := c.enc(nil, unsafe.Pointer(&src))
	var got cowState
	d := decoder{b: enc}
	dec(&d, unsafe.Pointer(&got))
	if d.err != nil {
		t.Fatal(d.err)
	}
	if got.S.b.enc == nil {
		t.Fatal("a decoded set of three kept no encoding")
	}
	cp := got
	c.fix(unsafe.Pointer(&cp))
	if !bytes.Equal(c.enc(nil, unsafe.Pointer(&cp)), enc) {
		t.Error("a copy of the decoded state encodes differently")
	}
	cp.S.Add("w")
	if cp.S.b.enc != nil {
		t.Error("a write kept the cached encoding")
	}
	want := cowState{S: SetOf("w", "x", "y", "z"), M: map[int]Set[int]{}}
	if !bytes.Equal(c.enc(nil, unsafe.Pointer(&cp)), c.enc(nil, unsafe.Pointer(&want))) {
		t.Error("the written set encodes as the old one")
	}
	if !bytes.Equal(c.enc(nil, unsafe.Pointer(&got)), enc) {
		t.Error("the decoded state changed when its copy was written")
	}
}

// The canonical order a reader needed is kept with the set, passed on to
// copies and dropped by every write; Elems hands out a copy of it.
func TestSetCanonicalOrderCache(t *testing.T) {
	c, err := codecOf(reflectTypeOf[cowState]())
	if err != nil {
		t.Fatal(err)
	}
	s := &cowState{S: SetOf("b", "a", "c")}
	if s.S.b.sorted.Load() != nil {
		t.Fatal("order made before any reader needed it")
	}
	var seen []string
	s.S.ForAll(func(x string) bool { seen = append(seen, x); return true })
	if want := []string{"a", "b", "c"}; !slices.Equal(seen, want) || s.S.b.sorted.Load() == nil {
		t.Fatalf("ForAll saw %q (want %q), cached %v", seen, want, s.S.b.sorted.Load() != nil)
	}
	cp := *s
	c.fix(unsafe.Pointer(&cp))
	if cp.S.b.sorted.Load() != s.S.b.sorted.Load() {
		t.Error("a copy does not take the cached order")
	}
	elems := cp.S.Elems()
	elems[0] = "zzz" // the caller's own slice
	if got := cp.S.Elems(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("changing Elems' result changed the set's order: %q", got)
	}
	cp.S.Add("0")
	if cp.S.b.sorted.Load() != nil {
		t.Error("a write kept the cached order")
	}
	if got, want := cp.S.Elems(), []string{"0", "a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("after Add: %q, want %q", got, want)
	}
	if got, want := s.S.Elems(), []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("the original after the copy's Add: %q, want %q", got, want)
	}
	cp.S.Remove("a")
	if got, want := fmt.Sprint(cp.S), "{0, b, c}"; got != want {
		t.Errorf("after Remove: %s, want %s", got, want)
	}
	var empty Set[string]
	if got := empty.Elems(); got == nil || len(got) != 0 {
		t.Errorf("Elems of the zero Set: %#v, want an empty slice", got)
	}
}

// A set the model keeps outside the state is read by every worker at once.
func TestSetCanonicalOrderConcurrentReaders(t *testing.T) {
	s := SetOf(3, 1, 2)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := s.Elems(); !slices.Equal(got, []int{1, 2, 3}) {
				t.Errorf("Elems %v", got)
			}
		}()
	}
	wg.Wait()
}
