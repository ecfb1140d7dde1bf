package state

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"
)

// SetBody holds the elements of an execspec.Set, which points at it:
// aliases of one Set value share its body, which gives Sets their
// reference semantics. The runtime's copy of a state gives each copied Set
// a body of its own that shares the elements' map, marked shared: the map
// is then cloned before its first change (copy on write), so copying a
// state costs one small allocation per Set, not a copy of its elements.
type SetBody[T comparable] struct {
	// M holds the elements. A body made by NewSetBody and not handed out
	// yet may be filled through M; once it may be shared, Writable gives
	// the map to write.
	M map[T]struct{}
	// shared is set when M may be referenced by another body: it is then
	// cloned before it is written. It is atomic because copying a state
	// marks the source's bodies too, and engines may copy one state from
	// several goroutines.
	shared atomic.Bool
	// enc, when not nil, is the canonical encoding of M, kept by the
	// decoder and passed on by copies so that encoding an unchanged set
	// is a copy of bytes; every write drops it.
	enc []byte
	// sorted, when set, holds M's elements in canonical order, made by the
	// first reader that needed that order and passed on by copies; every
	// write drops it. It is atomic because a set the model keeps outside
	// the state (its constants) is read by every worker.
	sorted atomic.Pointer[[]T]
}

// NewSetBody returns a body with an empty map with room for n elements.
func NewSetBody[T comparable](n int) *SetBody[T] {
	return &SetBody[T]{M: make(map[T]struct{}, n)}
}

// Items returns the elements' map for reading: nil for a nil body.
func (b *SetBody[T]) Items() map[T]struct{} {
	if b == nil {
		return nil
	}
	return b.M
}

// Writable returns the elements' map for writing: a shared map is cloned
// first (the body takes the clone, so aliases of the Set see the change
// and the copies that share the old map do not), a nil one made, and the
// cached encoding and order are dropped.
func (b *SetBody[T]) Writable() map[T]struct{} {
	switch {
	case b.shared.Load():
		m := make(map[T]struct{}, len(b.M)+1)
		for e := range b.M {
			m[e] = struct{}{}
		}
		b.M = m
		b.shared.Store(false)
	case b.M == nil:
		b.M = make(map[T]struct{})
	}
	b.enc = nil
	b.sorted.Store(nil)
	return b.M
}

// Canonical returns the elements in canonical order (the order of their
// canonical encodings), from the cache when the set has not changed since
// it was made; nil for a nil body. The slice is shared: callers must not
// change it.
func (b *SetBody[T]) Canonical() []T {
	if b == nil {
		return nil
	}
	if p := b.sorted.Load(); p != nil {
		return *p
	}
	out := make([]T, 0, len(b.M))
	for e := range b.M {
		out = append(out, e)
	}
	SortCanonical(out)
	b.sorted.Store(&out)
	return out
}

// SetRuntime describes the Set type S, whose body body returns, to the
// runtime (see Special).
func SetRuntime[T comparable, S any](body func(*S) **SetBody[T]) Special {
	return specialFunc{elem: reflect.TypeFor[T](), key: true, build: func(ec *Ops) *Ops {
		return setOps(reflect.TypeFor[S](), body, ec)
	}}
}

// setOps returns the operations of the Set type t, given its elements'.
func setOps[T comparable, S any](t reflect.Type, body func(*S) **SetBody[T], ec *Ops) *Ops {
	at := func(p unsafe.Pointer) **SetBody[T] { return body((*S)(p)) }
	encMap := KeysEncoder[map[T]struct{}](ec.Enc)
	o := &Ops{Type: t}
	o.Fix = func(p unsafe.Pointer) {
		// p is a copy of a Set value: it points at the source's body. Both
		// bodies mark the map shared, so either clones it before writing.
		b := at(p)
		if *b == nil {
			// The copy of an empty Set is made, as a map would be: an
			// alias of it then shares what is written through it, as it
			// does in the state the copy was made from.
			*b = &SetBody[T]{}
			return
		}
		src := *b
		if !src.shared.Load() {
			src.shared.Store(true)
		}
		n := &SetBody[T]{M: src.M, enc: src.enc}
		n.shared.Store(true)
		n.sorted.Store(src.sorted.Load())
		*b = n
	}
	o.Enc = func(out []byte, p unsafe.Pointer) []byte {
		b := *at(p)
		if b == nil {
			return append(out, 0) // the length 0
		}
		if b.enc != nil {
			return append(out, b.enc...)
		}
		return encMap(out, unsafe.Pointer(&b.M))
	}
	o.Eq = func(p, q unsafe.Pointer) bool {
		a, b := (*at(p)).Items(), (*at(q)).Items()
		// Sets that share a map (a state and its copy, until one of them
		// changes the set) are equal without a look at their elements.
		return len(a) == len(b) && (len(a) == 0 || sameMap(a, b) || maps.Equal(a, b))
	}
	o.Refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
		// A Set's map is shared by copies until written (copy on write);
		// what a Set writes in place is its body.
		if b := *at(p); b != nil {
			out = append(out, unsafe.Pointer(b))
		}
		return out
	}
	o.Dec = func(d *Decoder, p unsafe.Pointer) {
		b := at(p)
		start := d.b
		n := d.count()
		if n == 0 {
			*b = &SetBody[T]{} // made, as the copy of an empty Set is
			return
		}
		m := make(map[T]struct{}, n)
		e := new(T) // one holder per set: the decoder takes a pointer
		for i := 0; i < n && d.err == nil; i++ {
			ec.Dec(d, unsafe.Pointer(e))
			m[*e] = struct{}{}
		}
		*b = &SetBody[T]{M: m}
		if n > 1 && d.err == nil {
			// The bytes just read are the set's canonical encoding: keep
			// them, so that the states copied from this one encode the set
			// without sorting it while it is unchanged.
			(*b).enc = slices.Clone(start[:len(start)-len(d.b)])
		}
	}
	return o
}

// SortCanonical sorts values of a state type by their canonical encoding.
// A type the runtime cannot handle is sorted by its printed form.
func SortCanonical[T any](xs []T) {
	if len(xs) < 2 {
		return
	}
	c, err := Of(reflect.TypeFor[T]())
	if err != nil {
		slices.SortStableFunc(xs, func(a, b T) int { return compareFormatted(a, b) })
		return
	}
	sc := getScratch()
	for i := range xs {
		sc.buf = c.Enc(sc.buf, unsafe.Pointer(&xs[i]))
		sc.endEntry(len(sc.buf)) // the whole encoding is the key
	}
	tmp := make([]T, len(xs))
	for i, j := range sc.order() {
		tmp[i] = xs[j]
	}
	putScratch(sc)
	copy(xs, tmp)
}

// compareFormatted orders values by their printed form.
func compareFormatted[T any](a, b T) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) }
