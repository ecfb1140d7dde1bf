package execspec

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/execspec/execspec/internal/state"
	"github.com/execspec/execspec/itf"
)

// Set is a finite set of comparable values, usable inside model state.
//
// Like a Go map it has reference semantics: copying a Set value shares its
// contents, so an alias writes into the set it was taken from:
//
//	a := s.Alloc[c] // a Set held in a map, empty or not
//	a.Add(r)        // changes s.Alloc[c]
//
// Every Set in a state an action starts from has contents of its own (the
// engines copy the state before every action, as the reference semantics
// does), so this holds whether the state came from the initial state, a
// copy or a search's frontier, and whether the set is empty or not. The
// zero Set is empty and ready to use, but a Set variable never written has
// no contents to share yet: like a nil map, an alias taken of it inside an
// action does not see later writes through the variable. The engines'
// copy of a Set shares its elements until either side changes them (copy
// on write), so it costs one small allocation whatever the set's size.
// Sets are encoded canonically (elements in sorted order) and appear in ITF
// traces as {"#set": [...]}.
//
// Besides Add and Remove, which change the set in place, Set has the set
// algebra with value semantics (With, Without, Union, Intersect, Diff,
// IsSubsetOf, Filter, ...; see setalgebra.go), which returns new sets:
// `m[q] = m[q].With(x)` works on a map of sets. For elements that are not
// comparable (sets, records holding sets or maps), use VSet.
type Set[T comparable] struct {
	_ [0]func()         // not comparable: == would compare identities, not elements
	b *state.SetBody[T] // nil: the empty set
}

// newSet returns an empty set with room for n elements.
func newSet[T comparable](n int) Set[T] { return Set[T]{b: state.NewSetBody[T](n)} }

// items returns the set's map for reading (nil for the empty set).
func (s Set[T]) items() map[T]struct{} { return s.b.Items() }

// canonical returns the elements in canonical order, from the cache when
// the set has not changed since it was made. The slice is shared: callers
// must not change it.
func (s Set[T]) canonical() []T { return s.b.Canonical() }

// writable returns the set's map for writing: a body is made for the zero
// Set, a shared map is cloned first, and the cached encoding is dropped.
func (s *Set[T]) writable() map[T]struct{} {
	if s.b == nil {
		s.b = state.NewSetBody[T](0)
	}
	return s.b.Writable()
}

// SetOf returns a new set holding the given elements.
func SetOf[T comparable](elems ...T) Set[T] {
	s := newSet[T](len(elems))
	for _, e := range elems {
		s.b.M[e] = struct{}{}
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
		u.b.M[e] = struct{}{}
	}
	for e := range t.items() {
		u.b.M[e] = struct{}{}
	}
	return u
}

// Clone returns an independent copy of s.
func (s Set[T]) Clone() Set[T] {
	u := newSet[T](len(s.items()))
	for e := range s.items() {
		u.b.M[e] = struct{}{}
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
	sum := reflect.TypeFor[T]().Kind() == reflect.Interface
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
	s.b = &state.SetBody[T]{M: m}
	return nil
}

// StateRuntime describes sets of T to execspec's state runtime, which
// copies, encodes and compares states; the engines call it when they
// compile a model. Model code has no use for it.
func (Set[T]) StateRuntime() state.Special {
	return state.SetRuntime[T](func(s *Set[T]) **state.SetBody[T] { return &s.b })
}
