package execspec

import "cmp"

// Set algebra with value semantics: every method here leaves its receiver
// and its arguments unchanged and returns a new set, so that the spec's
// `inbox' = [inbox EXCEPT ![q] = @ \cup {m}]` reads
// `s.Inbox[q] = s.Inbox[q].With(m)`, which also works on a map of sets,
// where the pointer methods Add and Remove do not compile.

// With returns a new set holding the elements of s and xs.
func (s Set[T]) With(xs ...T) Set[T] {
	u := newSet[T](len(s.items()) + len(xs))
	for e := range s.items() {
		u.b.M[e] = struct{}{}
	}
	for _, x := range xs {
		u.b.M[x] = struct{}{}
	}
	return u
}

// Without returns a new set holding the elements of s other than xs.
func (s Set[T]) Without(xs ...T) Set[T] {
	u := s.Clone()
	for _, x := range xs {
		delete(u.b.M, x)
	}
	return u
}

// Intersect returns a new set holding the elements in both s and t (s ∩ t).
func (s Set[T]) Intersect(t Set[T]) Set[T] {
	small, big := s, t
	if len(big.items()) < len(small.items()) {
		small, big = big, small
	}
	u := newSet[T](len(small.items()))
	for e := range small.items() {
		if _, ok := big.items()[e]; ok {
			u.b.M[e] = struct{}{}
		}
	}
	return u
}

// Diff returns a new set holding the elements of s that are not in t
// (s \ t).
func (s Set[T]) Diff(t Set[T]) Set[T] {
	u := newSet[T](len(s.items()))
	for e := range s.items() {
		if _, ok := t.items()[e]; !ok {
			u.b.M[e] = struct{}{}
		}
	}
	return u
}

// IsSubsetOf reports whether every element of s is in t (s ⊆ t).
func (s Set[T]) IsSubsetOf(t Set[T]) bool {
	if len(s.items()) > len(t.items()) {
		return false
	}
	for e := range s.items() {
		if _, ok := t.items()[e]; !ok {
			return false
		}
	}
	return true
}

// IsSupersetOf reports whether every element of t is in s (s ⊇ t).
func (s Set[T]) IsSupersetOf(t Set[T]) bool { return t.IsSubsetOf(s) }

// Disjoint reports whether s and t have no element in common
// (s ∩ t = {}).
func (s Set[T]) Disjoint(t Set[T]) bool {
	small, big := s, t
	if len(big.items()) < len(small.items()) {
		small, big = big, small
	}
	for e := range small.items() {
		if _, ok := big.items()[e]; ok {
			return false
		}
	}
	return true
}

// IsEmpty reports whether s has no elements.
func (s Set[T]) IsEmpty() bool { return len(s.items()) == 0 }

// Filter returns a new set holding the elements of s for which keep is
// true ({x ∈ s : keep(x)}).
func (s Set[T]) Filter(keep func(T) bool) Set[T] {
	u := newSet[T](0)
	for e := range s.items() {
		if keep(e) {
			u.b.M[e] = struct{}{}
		}
	}
	return u
}

// Exists reports whether some element of s satisfies p (∃ x ∈ s : p(x)).
// Elements are tried in canonical order.
func (s Set[T]) Exists(p func(T) bool) bool {
	for _, e := range s.canonical() {
		if p(e) {
			return true
		}
	}
	return false
}

// ForAll reports whether every element of s satisfies p (∀ x ∈ s : p(x)).
// Elements are tried in canonical order.
func (s Set[T]) ForAll(p func(T) bool) bool {
	for _, e := range s.canonical() {
		if !p(e) {
			return false
		}
	}
	return true
}

// MapSet returns the image of s under f ({f(x) : x ∈ s}).
func MapSet[T, U comparable](s Set[T], f func(T) U) Set[U] {
	u := newSet[U](len(s.items()))
	for e := range s.items() {
		u.b.M[f(e)] = struct{}{}
	}
	return u
}

// UnionAll returns the union of all the sets in ss (UNION ss).
func UnionAll[T comparable](ss ...Set[T]) Set[T] {
	u := newSet[T](0)
	for _, s := range ss {
		for e := range s.items() {
			u.b.M[e] = struct{}{}
		}
	}
	return u
}

// SetRange returns the set of integers lo..hi (empty when hi < lo).
func SetRange(lo, hi int) Set[int] {
	u := newSet[int](0)
	for i := lo; i <= hi; i++ {
		u.b.M[i] = struct{}{}
	}
	return u
}

// SetMin returns the least element of s in the natural order of T, and
// false when s is empty.
func SetMin[T cmp.Ordered](s Set[T]) (T, bool) {
	var best T
	first := true
	for e := range s.items() {
		if first || cmp.Less(e, best) {
			best, first = e, false
		}
	}
	return best, !first
}

// SetMax returns the greatest element of s in the natural order of T, and
// false when s is empty.
func SetMax[T cmp.Ordered](s Set[T]) (T, bool) {
	var best T
	first := true
	for e := range s.items() {
		if first || cmp.Less(best, e) {
			best, first = e, false
		}
	}
	return best, !first
}

// SubsetOfSet picks any subset of s (the empty one included) and returns it
// as a Set: TLA+'s `\E q \in SUBSET s`. Elements are considered in
// canonical order; the pick is recorded as an ITF set, as SubsetOf records
// its own.
func SubsetOfSet[S any, T comparable](c *Ctx[S], label string, s Set[T]) Set[T] {
	if c.x.Dropped {
		return Set[T]{}
	}
	return SetOf(SubsetOf(c, label, s.canonical())...)
}
