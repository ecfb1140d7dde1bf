package execspec

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unsafe"

	"github.com/execspec/execspec/itf"
)

// Set is a finite set of comparable values, usable inside model state.
//
// Like a Go map it has reference semantics: copying a Set value shares its
// contents. The engines deep-copy state before every action, so a model never
// needs to copy a Set itself. The zero Set is empty and ready to use.
// Sets are encoded canonically (elements in sorted order) and appear in ITF
// traces as {"#set": [...]}.
//
// Besides Add and Remove, which change the set in place, Set has the set
// algebra with value semantics (With, Without, Union, Intersect, Diff,
// IsSubsetOf, Filter, ...; see setalgebra.go), which returns new sets:
// `m[q] = m[q].With(x)` works on a map of sets. For elements that are not
// comparable (sets, records holding sets or maps), use VSet.
type Set[T comparable] struct {
	m map[T]struct{}
}

// SetOf returns a new set holding the given elements.
func SetOf[T comparable](elems ...T) Set[T] {
	s := Set[T]{m: make(map[T]struct{}, len(elems))}
	for _, e := range elems {
		s.m[e] = struct{}{}
	}
	return s
}

// Add inserts x.
func (s *Set[T]) Add(x T) {
	if s.m == nil {
		s.m = make(map[T]struct{})
	}
	s.m[x] = struct{}{}
}

// Remove deletes x if present.
func (s *Set[T]) Remove(x T) { delete(s.m, x) }

// Has reports whether x is in the set.
func (s Set[T]) Has(x T) bool {
	_, ok := s.m[x]
	return ok
}

// Len returns the number of elements.
func (s Set[T]) Len() int { return len(s.m) }

// Elems returns the elements in the set's canonical order (the order of their
// canonical encodings), so iteration is deterministic.
func (s Set[T]) Elems() []T {
	out := make([]T, 0, len(s.m))
	for e := range s.m {
		out = append(out, e)
	}
	sortCanonical(out)
	return out
}

// Union returns a new set with the elements of s and t.
func (s Set[T]) Union(t Set[T]) Set[T] {
	u := Set[T]{m: make(map[T]struct{}, len(s.m)+len(t.m))}
	for e := range s.m {
		u.m[e] = struct{}{}
	}
	for e := range t.m {
		u.m[e] = struct{}{}
	}
	return u
}

// Clone returns an independent copy of s.
func (s Set[T]) Clone() Set[T] {
	u := Set[T]{m: make(map[T]struct{}, len(s.m))}
	for e := range s.m {
		u.m[e] = struct{}{}
	}
	return u
}

// Equal reports whether s and t hold the same elements.
func (s Set[T]) Equal(t Set[T]) bool {
	if len(s.m) != len(t.m) {
		return false
	}
	for e := range s.m {
		if _, ok := t.m[e]; !ok {
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
	for i, e := range s.Elems() {
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
	elems := make([]itf.Value, 0, len(s.m))
	for e := range s.m {
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
	s.m = m
	return nil
}

// setValue lets the state codec recognise Set[T] for any T, and gives it
// native (not reflective) code for the set's map, instantiated for T.
type setValue interface {
	setElemType() any
	// setCodec returns the deep copy and the encoder of the set at a
	// pointer, given the element codec.
	setCodec(ec *codec) (fix func(p unsafe.Pointer), enc func(b []byte, p unsafe.Pointer) []byte)
	// setDecoder returns the decoder of the set, given the element's.
	setDecoder(ed decFunc) decFunc
}

func (s Set[T]) setElemType() any { var z T; return z }

func (Set[T]) setCodec(ec *codec) (func(p unsafe.Pointer), func(b []byte, p unsafe.Pointer) []byte) {
	return cloneAt[map[T]struct{}], encodeMapOf[map[T]struct{}](ec, nil)
}

func (Set[T]) setDecoder(ed decFunc) decFunc { return decodeSetOf[T](ed) }

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
	keys := make([][]byte, len(xs))
	for i := range xs {
		keys[i] = c.encodeValue(nil, &xs[i])
	}
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return string(keys[idx[a]]) < string(keys[idx[b]]) })
	tmp := make([]T, len(xs))
	for i, j := range idx {
		tmp[i] = xs[j]
	}
	copy(xs, tmp)
}
