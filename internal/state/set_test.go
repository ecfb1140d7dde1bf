package state_test

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"unsafe"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/state"
)

type cowState struct {
	S execspec.Set[string]
	M map[int]execspec.Set[int]
}

// The engines' copy of a state shares each Set's elements until one side
// writes (copy on write); aliases of one Set value keep sharing its body.
func TestSetCopyOnWrite(t *testing.T) {
	c, err := state.Of(reflect.TypeFor[cowState]())
	if err != nil {
		t.Fatal(err)
	}
	copyOf := func(src *cowState) *cowState {
		dst := *src
		c.Fix(unsafe.Pointer(&dst))
		return &dst
	}
	orig := &cowState{S: execspec.SetOf("a"), M: map[int]execspec.Set[int]{1: execspec.SetOf(1)}}
	cp := copyOf(orig)
	if !state.SameMap(state.BodyOf[string](&orig.S).M, state.BodyOf[string](&cp.S).M) || !state.BodyOf[string](&orig.S).Shared() || !state.BodyOf[string](&cp.S).Shared() {
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
	if !state.SameMap(state.BodyOf[string](&cp3.S).M, state.BodyOf[string](&orig.S).M) {
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
	c, err := state.Of(reflect.TypeFor[cowState]())
	if err != nil {
		t.Fatal(err)
	}
	src := cowState{S: execspec.SetOf("x", "y", "z"), M: map[int]execspec.Set[int]{}}
	enc := c.Enc(nil, unsafe.Pointer(&src))
	var got cowState
	if err := state.NewStateDecoder[cowState](c).Decode(enc, &got); err != nil {
		t.Fatal(err)
	}
	if state.BodyOf[string](&got.S).CachedEnc() == nil {
		t.Fatal("a decoded set of three kept no encoding")
	}
	cp := got
	c.Fix(unsafe.Pointer(&cp))
	if !bytes.Equal(c.Enc(nil, unsafe.Pointer(&cp)), enc) {
		t.Error("a copy of the decoded state encodes differently")
	}
	cp.S.Add("w")
	if state.BodyOf[string](&cp.S).CachedEnc() != nil {
		t.Error("a write kept the cached encoding")
	}
	want := cowState{S: execspec.SetOf("w", "x", "y", "z"), M: map[int]execspec.Set[int]{}}
	if !bytes.Equal(c.Enc(nil, unsafe.Pointer(&cp)), c.Enc(nil, unsafe.Pointer(&want))) {
		t.Error("the written set encodes as the old one")
	}
	if !bytes.Equal(c.Enc(nil, unsafe.Pointer(&got)), enc) {
		t.Error("the decoded state changed when its copy was written")
	}
}

// The canonical order a reader needed is kept with the set, passed on to
// copies and dropped by every write; Elems hands out a copy of it.
func TestSetCanonicalOrderCache(t *testing.T) {
	c, err := state.Of(reflect.TypeFor[cowState]())
	if err != nil {
		t.Fatal(err)
	}
	s := &cowState{S: execspec.SetOf("b", "a", "c")}
	if state.BodyOf[string](&s.S).SortedCache() != nil {
		t.Fatal("order made before any reader needed it")
	}
	var seen []string
	s.S.ForAll(func(x string) bool { seen = append(seen, x); return true })
	if want := []string{"a", "b", "c"}; !slices.Equal(seen, want) || state.BodyOf[string](&s.S).SortedCache() == nil {
		t.Fatalf("ForAll saw %q (want %q), cached %v", seen, want, state.BodyOf[string](&s.S).SortedCache() != nil)
	}
	cp := *s
	c.Fix(unsafe.Pointer(&cp))
	if state.BodyOf[string](&cp.S).SortedCache() != state.BodyOf[string](&s.S).SortedCache() {
		t.Error("a copy does not take the cached order")
	}
	elems := cp.S.Elems()
	elems[0] = "zzz" // the caller's own slice
	if got := cp.S.Elems(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("changing Elems' result changed the set's order: %q", got)
	}
	cp.S.Add("0")
	if state.BodyOf[string](&cp.S).SortedCache() != nil {
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
	var empty execspec.Set[string]
	if got := empty.Elems(); got == nil || len(got) != 0 {
		t.Errorf("Elems of the zero Set: %#v, want an empty slice", got)
	}
}

// A set the model keeps outside the state is read by every worker at once.
func TestSetCanonicalOrderConcurrentReaders(t *testing.T) {
	s := execspec.SetOf(3, 1, 2)
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
