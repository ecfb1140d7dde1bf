package execspec

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/execspec/execspec/internal/native"
	"github.com/execspec/execspec/itf"
)

// Set is a finite set of comparable values, usable inside model state.
//
// Like a Go map it has reference semantics: copying a Set value shares its
// contents. The engines copy state before every action, so a model never
// needs to copy a Set itself; their copy of a Set shares its elements until
// either side changes them (copy on write), so it costs one small
// allocation whatever the set's size. The zero Set is empty and ready to
// use.
// Sets are encoded canonically (elements in sorted order) and appear in ITF
// traces as {"#set": [...]}.
//
// Besides Add and Remove, which change the set in place, Set has the set
// algebra with value semantics (With, Without, Union, Intersect, Diff,
// IsSubsetOf, Filter, ...; see setalgebra.go), which returns new sets:
// `m[q] = m[q].With(x)` works on a map of sets. For elements that are not
// comparable (sets, records holding sets or maps), use VSet.
type Set[T comparable] struct {
	_ [0]func()   // not comparable: == would compare identities, not elements
	b *setBody[T] // nil: the empty set
}

// setBody holds a Set's elements. Aliases of one Set value share its body,
// which gives Sets their reference semantics. The engines' copy of a state
// gives each copied Set a body of its own that shares the elements' map,
// marked shared: the map is then cloned before its first change (copy on
// write), so copying a state costs one small allocation per Set, not a
// copy of its elements.
type setBody[T comparable] struct {
	m map[T]struct{}
	// shared is set when m may be referenced by another body: it is then
	// cloned before it is written. It is atomic because copying a state
	// marks the source's bodies too, and engines may copy one state from
	// several goroutines.
	shared atomic.Bool
	// enc, when not nil, is the canonical encoding of m, kept by the
	// decoder and passed on by copies so that encoding an unchanged set is
	// a copy of bytes; every write drops it.
	enc []byte
	// sorted, when set, holds m's elements in canonical order, made by the
	// first reader that needed that order (Elems, ForAll, OneOfSet, ...)
	// and passed on by copies; every write drops it. It is atomic because
	// a set the model keeps outside the state (its constants) is read by
	// every worker.
	sorted atomic.Pointer[[]T]
}

// canonical returns the elements in canonical order, from the cache when
// the set has not changed since it was made. The slice is shared: callers
// must not change it.
func (s Set[T]) canonical() []T {
	if s.b == nil {
		return nil
	}
	if p := s.b.sorted.Load(); p != nil {
		return *p
	}
	out := make([]T, 0, len(s.b.m))
	for e := range s.b.m {
		out = append(out, e)
	}
	sortCanonical(out)
	s.b.sorted.Store(&out)
	return out
}

// newSet returns an empty set with room for n elements.
func newSet[T comparable](n int) Set[T] {
	return Set[T]{b: &setBody[T]{m: make(map[T]struct{}, n)}}
}

// items returns the set's map for reading (nil for the empty set).
func (s Set[T]) items() map[T]struct{} {
	if s.b == nil {
		return nil
	}
	return s.b.m
}

// writable returns the set's map for writing: a body is made for the zero
// Set, a shared map is cloned first, and the cached encoding is dropped.
func (s *Set[T]) writable() map[T]struct{} {
	switch {
	case s.b == nil:
		s.b = &setBody[T]{m: make(map[T]struct{})}
	case s.b.shared.Load():
		// Aliases of this Set share its body, so the body takes the clone:
		// they see the change, the copies that share the old map do not.
		m := make(map[T]struct{}, len(s.b.m)+1)
		for e := range s.b.m {
			m[e] = struct{}{}
		}
		s.b.m = m
		s.b.shared.Store(false)
	case s.b.m == nil:
		s.b.m = make(map[T]struct{})
	}
	s.b.enc = nil
	s.b.sorted.Store(nil)
	return s.b.m
}

// SetOf returns a new set holding the given elements.
func SetOf[T comparable](elems ...T) Set[T] {
	s := newSet[T](len(elems))
	for _, e := range elems {
		s.b.m[e] = struct{}{}
	}
	return s
}

// Add inserts x.
func (s *Set[T]) Add(x T) { s.writable()[x] = struct{}{} }

// Remove deletes x if present.
func (s *Set[T]) Remove(x T) {
	if s.Has(x) {
		delete(s.writable(), x)
	}
}

// Has reports whether x is in the set.
func (s Set[T]) Has(x T) bool {
	_, ok := s.items()[x]
	return ok
}

// Len returns the number of elements.
func (s Set[T]) Len() int { return len(s.items()) }

// Elems returns the elements in the set's canonical order (the order of their
// canonical encodings), so iteration is deterministic.
func (s Set[T]) Elems() []T {
	c := s.canonical()
	if c == nil {
		return []T{}
	}
	return slices.Clone(c)
}

// Union returns a new set with the elements of s and t.
func (s Set[T]) Union(t Set[T]) Set[T] {
	u := newSet[T](len(s.items()) + len(t.items()))
	for e := range s.items() {
		u.b.m[e] = struct{}{}
	}
	for e := range t.items() {
		u.b.m[e] = struct{}{}
	}
	return u
}

// Clone returns an independent copy of s.
func (s Set[T]) Clone() Set[T] {
	u := newSet[T](len(s.items()))
	for e := range s.items() {
		u.b.m[e] = struct{}{}
	}
	return u
}

// Equal reports whether s and t hold the same elements.
func (s Set[T]) Equal(t Set[T]) bool {
	if len(s.items()) != len(t.items()) {
		return false
	}
	for e := range s.items() {
		if _, ok := t.items()[e]; !ok {
			return false
		}
	}
	return true
}

// String formats the set as {a, b, c} in canonical order. Elements of a
// sum type show as their variants (Promise{Bal: 1}).
func (s Set[T]) String() string {
	var b strings.Builder
	b.WriteByte('{')
	sum := reflectTypeOf[T]().Kind() == reflect.Interface
	for i, e := range s.canonical() {
		if i > 0 {
			b.WriteString(", ")
		}
		if sum {
			b.WriteString(formatValue(e))
		} else {
			fmt.Fprint(&b, e)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// MarshalITF encodes the set as an ITF set.
func (s Set[T]) MarshalITF() (itf.Value, error) {
	elems := make([]itf.Value, 0, len(s.items()))
	for e := range s.items() {
		v, err := itf.Marshal(e)
		if err != nil {
			return itf.Value{}, fmt.Errorf("set element: %w", err)
		}
		elems = append(elems, v)
	}
	return itf.Set(elems...), nil
}

// UnmarshalITF decodes an ITF set (a list is accepted too).
func (s *Set[T]) UnmarshalITF(v itf.Value) error {
	if v.Kind() != itf.KindSet && v.Kind() != itf.KindList {
		return fmt.Errorf("cannot unmarshal %s into a set", v.Kind())
	}
	m := make(map[T]struct{}, v.Len())
	for i, ev := range v.Elems() {
		var e T
		if err := itf.Unmarshal(ev, &e); err != nil {
			return fmt.Errorf("set element %d: %w", i, err)
		}
		m[e] = struct{}{}
	}
	s.b = &setBody[T]{m: m}
	return nil
}

// setValue lets the state codec recognise Set[T] for any T, and gives it
// native (not reflective) code for the set's map, instantiated for T.
type setValue interface {
	setElemType() any
	// setCodec returns the deep copy, the encoder and the equality of the
	// set at a pointer, given the element codec.
	setCodec(ec *codec) (fix func(p unsafe.Pointer), enc func(b []byte, p unsafe.Pointer) []byte, eq func(p, q unsafe.Pointer) bool)
	// setDecoder returns the decoder of the set, given the element's.
	setDecoder(ed decFunc) decFunc
}

func (s Set[T]) setElemType() any { var z T; return z }

func (Set[T]) setCodec(ec *codec) (func(p unsafe.Pointer), func(b []byte, p unsafe.Pointer) []byte, func(p, q unsafe.Pointer) bool) {
	encMap := native.KeysEncoder[map[T]struct{}](ec.enc)
	fix := func(p unsafe.Pointer) {
		// p is a copy of a Set value: it points at the source's body. Both
		// bodies mark the map shared, so either clones it before writing.
		s := (*Set[T])(p)
		if s.b == nil {
			// The copy of an empty Set is made, as a map would be: an
			// alias of it then shares what is written through it, as it
			// does in the state the copy was made from.
			s.b = &setBody[T]{}
			return
		}
		src := s.b
		if !src.shared.Load() {
			src.shared.Store(true)
		}
		n := &setBody[T]{m: src.m, enc: src.enc}
		n.shared.Store(true)
		n.sorted.Store(src.sorted.Load())
		s.b = n
	}
	enc := func(b []byte, p unsafe.Pointer) []byte {
		s := (*Set[T])(p)
		if s.b == nil {
			return append(b, 0) // the length 0
		}
		if s.b.enc != nil {
			return append(b, s.b.enc...)
		}
		return encMap(b, unsafe.Pointer(&s.b.m))
	}
	eq := func(p, q unsafe.Pointer) bool {
		a, b := (*Set[T])(p).items(), (*Set[T])(q).items()
		// Sets that share a map (a state and its copy, until one of them
		// changes the set) are equal without a look at their elements.
		return len(a) == len(b) && (len(a) == 0 || sameMap(a, b) || maps.Equal(a, b))
	}
	return fix, enc, eq
}

func (Set[T]) setDecoder(ed decFunc) decFunc {
	return func(d *decoder, p unsafe.Pointer) {
		s := (*Set[T])(p)
		start := d.b
		n := d.count()
		if n == 0 {
			s.b = &setBody[T]{} // made, as the copy of an empty Set is
			return
		}
		m := make(map[T]struct{}, n)
		e := new(T) // one holder per set: the decoder takes a pointer
		for i := 0; i < n && d.err == nil; i++ {
			ed(d, unsafe.Pointer(e))
			m[*e] = struct{}{}
		}
		s.b = &setBody[T]{m: m}
		if n > 1 && d.err == nil {
			// The bytes just read are the set's canonical encoding: keep
			// them, so that the states copied from this one encode the set
			// without sorting it while it is unchanged.
			s.b.enc = slices.Clone(start[:len(start)-len(d.b)])
		}
	}
}

// sameMap reports whether a and b are the same map (a Go map value is a
// pointer to the map's header).
func sameMap[M ~map[K]V, K comparable, V any](a, b M) bool {
	return *(*unsafe.Pointer)(unsafe.Pointer(&a)) == *(*unsafe.Pointer)(unsafe.Pointer(&b))
}

// setMapType returns the type of the map behind the Set type t.
func setMapType(t reflect.Type) reflect.Type {
	f, _ := t.FieldByName("b")
	return f.Type.Elem().Field(0).Type
}

// sortCanonical sorts values by their canonical encoding.
func sortCanonical[T any](xs []T) {
	if len(xs) < 2 {
		return
	}
	c, err := codecOf(reflectTypeOf[T]())
	if err != nil {
		// The type was validated when the model was compiled; fall back to fmt.
		sort.SliceStable(xs, func(i, j int) bool { return fmt.Sprint(xs[i]) < fmt.Sprint(xs[j]) })
		return
	}
	sc := native.GetScratch()
	for i := range xs {
		sc.Buf = c.enc(sc.Buf, unsafe.Pointer(&xs[i]))
		sc.EndEntry(len(sc.Buf)) // the whole encoding is the key
	}
	tmp := make([]T, len(xs))
	for i, j := range sc.Order() {
		tmp[i] = xs[j]
	}
	native.PutScratch(sc)
	copy(xs, tmp)
}
