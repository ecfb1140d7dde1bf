package execspec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/execspec/execspec/internal/state"
	"github.com/execspec/execspec/itf"
)

// VSet is a finite set of values of any type a state may hold:
// sets of sets, sets of records that hold a Set or a map, sets of sum-type
// values with non-comparable variants, sets of BigInt. Elements are ordered
// and compared by their canonical encoding, the order Set.Elems uses, so a
// VSet and a Set of the same elements encode, fingerprint and print alike.
//
// Set is the fast path for comparable elements; VSet covers the rest (a
// Quorum constant {{a1, a2}, {a1, a3}}, a message that carries a set).
//
// A VSet is an immutable value: every method returns a new set and leaves
// its receiver and arguments alone, elements are copied deeply on the way
// in (With, VSetOf) and on the way out (Elems), so the engines copy a state
// holding VSets without copying the sets. The zero VSet is empty and ready
// to use. Go maps cannot be keyed by a VSet (it is not comparable); use a
// slice of pairs or a VSet of records instead.
type VSet[T any] struct {
	keys  []string // canonical encodings, strictly increasing
	elems []T      // elems[i] encodes to keys[i]
}

// VSetOf returns the set of the given elements.
func VSetOf[T any](xs ...T) VSet[T] { return VSet[T]{}.With(xs...) }

// Len returns the number of elements.
func (s VSet[T]) Len() int { return len(s.keys) }

// IsEmpty reports whether s has no elements.
func (s VSet[T]) IsEmpty() bool { return len(s.keys) == 0 }

// Has reports whether x is in s.
func (s VSet[T]) Has(x T) bool {
	k := state.ValuesOf[T]().Key(&x)
	i := sort.SearchStrings(s.keys, k)
	return i < len(s.keys) && s.keys[i] == k
}

// Elems returns copies of the elements in canonical order.
func (s VSet[T]) Elems() []T {
	c := state.ValuesOf[T]()
	out := make([]T, len(s.elems))
	for i, e := range s.elems {
		out[i] = c.Copy(e)
	}
	return out
}

// With returns a new set holding the elements of s and xs.
func (s VSet[T]) With(xs ...T) VSet[T] {
	if len(xs) == 0 {
		return s
	}
	c := state.ValuesOf[T]()
	add := VSet[T]{keys: make([]string, len(xs)), elems: make([]T, len(xs))}
	idx := make([]int, len(xs))
	for i := range xs {
		add.keys[i] = c.Key(&xs[i])
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return add.keys[idx[a]] < add.keys[idx[b]] })
	sorted := VSet[T]{}
	for _, i := range idx {
		if n := len(sorted.keys); n > 0 && sorted.keys[n-1] == add.keys[i] {
			continue
		}
		sorted.keys = append(sorted.keys, add.keys[i])
		sorted.elems = append(sorted.elems, c.Copy(xs[i]))
	}
	return s.Union(sorted)
}

// Without returns a new set holding the elements of s other than xs.
func (s VSet[T]) Without(xs ...T) VSet[T] {
	if len(xs) == 0 {
		return s
	}
	return s.Diff(VSetOf(xs...))
}

// merge walks s and t in order, keeping an element of s only, of both, or
// of t only as the flags say.
func (s VSet[T]) merge(t VSet[T], onlyS, both, onlyT bool) VSet[T] {
	var u VSet[T]
	i, j := 0, 0
	for i < len(s.keys) || j < len(t.keys) {
		switch {
		case j == len(t.keys) || (i < len(s.keys) && s.keys[i] < t.keys[j]):
			if onlyS {
				u.keys, u.elems = append(u.keys, s.keys[i]), append(u.elems, s.elems[i])
			}
			i++
		case i == len(s.keys) || t.keys[j] < s.keys[i]:
			if onlyT {
				u.keys, u.elems = append(u.keys, t.keys[j]), append(u.elems, t.elems[j])
			}
			j++
		default:
			if both {
				u.keys, u.elems = append(u.keys, s.keys[i]), append(u.elems, s.elems[i])
			}
			i++
			j++
		}
	}
	return u
}

// Union returns a new set with the elements of s and t (s ∪ t).
func (s VSet[T]) Union(t VSet[T]) VSet[T] { return s.merge(t, true, true, true) }

// Intersect returns a new set with the elements in both s and t (s ∩ t).
func (s VSet[T]) Intersect(t VSet[T]) VSet[T] { return s.merge(t, false, true, false) }

// Diff returns a new set with the elements of s not in t (s \ t).
func (s VSet[T]) Diff(t VSet[T]) VSet[T] { return s.merge(t, true, false, false) }

// IsSubsetOf reports whether every element of s is in t (s ⊆ t).
func (s VSet[T]) IsSubsetOf(t VSet[T]) bool {
	return len(s.keys) <= len(t.keys) && s.Diff(t).IsEmpty()
}

// IsSupersetOf reports whether every element of t is in s (s ⊇ t).
func (s VSet[T]) IsSupersetOf(t VSet[T]) bool { return t.IsSubsetOf(s) }

// Disjoint reports whether s and t have no element in common.
func (s VSet[T]) Disjoint(t VSet[T]) bool { return s.Intersect(t).IsEmpty() }

// Equal reports whether s and t hold the same elements.
func (s VSet[T]) Equal(t VSet[T]) bool {
	if len(s.keys) != len(t.keys) {
		return false
	}
	for i := range s.keys {
		if s.keys[i] != t.keys[i] {
			return false
		}
	}
	return true
}

// Filter returns the elements of s for which keep is true
// ({x ∈ s : keep(x)}).
func (s VSet[T]) Filter(keep func(T) bool) VSet[T] {
	c := state.ValuesOf[T]()
	var u VSet[T]
	for i, e := range s.elems {
		if keep(c.Copy(e)) {
			u.keys, u.elems = append(u.keys, s.keys[i]), append(u.elems, e)
		}
	}
	return u
}

// Exists reports whether some element satisfies p (∃ x ∈ s : p(x)),
// trying elements in canonical order.
func (s VSet[T]) Exists(p func(T) bool) bool {
	c := state.ValuesOf[T]()
	for _, e := range s.elems {
		if p(c.Copy(e)) {
			return true
		}
	}
	return false
}

// ForAll reports whether every element satisfies p (∀ x ∈ s : p(x)).
func (s VSet[T]) ForAll(p func(T) bool) bool {
	return !s.Exists(func(x T) bool { return !p(x) })
}

// MapVSet returns the image of s under f ({f(x) : x ∈ s}).
func MapVSet[T, U any](s VSet[T], f func(T) U) VSet[U] {
	out := make([]U, 0, s.Len())
	for _, e := range s.Elems() {
		out = append(out, f(e))
	}
	return VSetOf(out...)
}

// String formats the set as {a, b, c} in canonical order, each element in
// its ITF form.
func (s VSet[T]) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range s.elems {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(formatValue(s.elems[i]))
	}
	b.WriteByte('}')
	return b.String()
}

// MarshalITF writes the set as an ITF set.
func (s VSet[T]) MarshalITF() (itf.Value, error) {
	vs := make([]itf.Value, len(s.elems))
	for i := range s.elems {
		v, err := itf.Marshal(s.elems[i])
		if err != nil {
			return itf.Value{}, fmt.Errorf("set element %d: %w", i, err)
		}
		vs[i] = v
	}
	return itf.Set(vs...), nil
}

// UnmarshalITF reads an ITF set (a list is accepted too).
func (s *VSet[T]) UnmarshalITF(v itf.Value) error {
	if v.Kind() != itf.KindSet && v.Kind() != itf.KindList {
		return fmt.Errorf("cannot unmarshal %s into a set", v.Kind())
	}
	xs := make([]T, v.Len())
	for i, ev := range v.Elems() {
		if err := itf.Unmarshal(ev, &xs[i]); err != nil {
			return fmt.Errorf("set element %d: %w", i, err)
		}
	}
	*s = VSetOf(xs...)
	return nil
}

// StateRuntime describes VSets of T to execspec's state runtime, which
// copies, encodes and compares states; the engines call it when they
// compile a model. Model code has no use for it.
func (VSet[T]) StateRuntime() state.Special {
	return state.VSetRuntime[T](func(s *VSet[T]) (*[]string, *[]T) { return &s.keys, &s.elems })
}

// OneOfVSet picks one element of a VSet, in canonical order. An empty set
// drops the branch.
func OneOfVSet[S, T any](c *Ctx[S], label string, s VSet[T]) T {
	if c.x.Dropped {
		var zero T
		return zero
	}
	return OneOf(c, label, s.Elems())
}

// SubsetOfVSet picks any subset of a VSet (SUBSET s), the empty one
// included.
func SubsetOfVSet[S, T any](c *Ctx[S], label string, s VSet[T]) VSet[T] {
	if c.x.Dropped {
		return VSet[T]{}
	}
	return VSetOf(SubsetOf(c, label, s.Elems())...)
}
