package execspec

import (
	"fmt"
	"slices"

	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/itf"
)

// Ctx is what an init or an action works with. S is the state the action
// builds: a private copy of the current state (the zero state for Init) that
// the action mutates freely. Picks (OneOf, IntRange, SubsetOf, FunctionOf,
// Either) make labelled nondeterministic choices, and Assume drops the
// branches on which a guard fails.
type Ctx[S any] struct {
	// S is the state being built.
	S *S
	x *core.Execution
}

// Assume drops the current branch when cond is false: the action is not
// enabled on this branch and has no effect. It returns whether the branch is
// still alive; code after a failed Assume still runs but its effects are
// discarded, so the usual form is `if !c.Assume(cond) { return }`.
func (c *Ctx[S]) Assume(cond bool) bool {
	if !cond {
		c.x.Drop()
	}
	return !c.x.Dropped
}

// Alive reports whether the branch has not been dropped.
func (c *Ctx[S]) Alive() bool { return !c.x.Dropped }

// Branch is one named alternative of Either.
type Branch[S any] struct {
	Name string
	Run  func(*Ctx[S])
}

// Alt returns a Branch for Either.
func Alt[S any](name string, run func(*Ctx[S])) Branch[S] { return Branch[S]{name, run} }

// Either runs exactly one of the branches; every engine considers each. The
// chosen branch's name is recorded under label.
func (c *Ctx[S]) Either(label string, branches ...Branch[S]) {
	x := c.x
	if x.Dropped {
		return
	}
	if len(branches) == 0 {
		x.Drop()
		return
	}
	data := x.IsData(label)
	label = x.Label(label)
	i := -1
	if v, ok := x.Recorded(label); ok {
		name, _ := v.AsString()
		if v.Kind() == itf.KindVariant {
			name = v.Tag()
		}
		for j, b := range branches {
			if b.Name == name {
				i = j
			}
		}
		if i < 0 {
			x.Fail("pick %q: recorded branch %s is not one of the alternatives", label, v)
			return
		}
		x.AppendPath(i)
	} else {
		i = x.Choose(len(branches), data)
	}
	x.RecordPick(label, branches[i].Name)
	branches[i].Run(c)
}

// OneOf picks one element of xs. An empty xs drops the branch.
func OneOf[S, T any](c *Ctx[S], label string, xs []T) T {
	var zero T
	x := c.x
	if x.Dropped {
		return zero
	}
	if len(xs) == 0 {
		x.Drop()
		return zero
	}
	if x.Plain {
		return xs[x.Choose(len(xs), false)]
	}
	data := x.IsData(label)
	label = x.Label(label)
	var i int
	if v, ok := x.Recorded(label); ok {
		i = indexOfValue(xs, v)
		if i < 0 {
			x.Fail("pick %q: recorded value %s is not one of the %d candidates", label, v, len(xs))
			return zero
		}
		x.AppendPath(i)
	} else {
		i = x.Choose(len(xs), data)
	}
	x.RecordPick(label, xs[i])
	return xs[i]
}

// OneOfSet picks one element of a set, considering elements in canonical
// order. An empty set drops the branch.
func OneOfSet[S any, T comparable](c *Ctx[S], label string, s Set[T]) T {
	if c.x.Dropped {
		var zero T
		return zero
	}
	return OneOf(c, label, s.canonical())
}

// IntRange picks an integer in [lo, hi]. An empty range drops the branch.
func IntRange[S any](c *Ctx[S], label string, lo, hi int) int {
	x := c.x
	if x.Dropped {
		return lo
	}
	if hi < lo {
		x.Drop()
		return lo
	}
	if x.Plain {
		return lo + x.Choose(hi-lo+1, false)
	}
	data := x.IsData(label)
	label = x.Label(label)
	var n int
	if v, ok := x.Recorded(label); ok {
		r, isInt := v.AsInt64()
		if !isInt || r < int64(lo) || r > int64(hi) {
			x.Fail("pick %q: recorded value %s is not in %d..%d", label, v, lo, hi)
			return lo
		}
		n = int(r)
		x.AppendPath(n - lo)
	} else {
		n = lo + x.Choose(hi-lo+1, data)
	}
	x.RecordPick(label, n)
	return n
}

// SubsetOf picks any subset of xs (the empty one included), returned in the
// order of xs. Use c.Assume(len(sub) > 0) for a non-empty subset.
func SubsetOf[S, T any](c *Ctx[S], label string, xs []T) []T {
	x := c.x
	if x.Dropped {
		return nil
	}
	data := x.IsData(label)
	label = x.Label(label)
	out := make([]T, 0, len(xs))
	if v, ok := x.Recorded(label); ok {
		if v.Kind() != itf.KindSet && v.Kind() != itf.KindList {
			x.Fail("pick %q: recorded value %s is not a set", label, v)
			return nil
		}
		found := 0
		for i := range xs {
			in := containsValue(v.Elems(), xs[i])
			if in {
				out = append(out, xs[i])
				found++
				x.AppendPath(1)
			} else {
				x.AppendPath(0)
			}
		}
		if found != v.Len() {
			x.Fail("pick %q: recorded set %s has elements outside the candidates", label, v)
			return nil
		}
	} else {
		for i := range xs {
			if x.Choose(2, data) == 1 {
				out = append(out, xs[i])
			}
		}
	}
	x.RecordPick(label, setOfAny(out))
	return out
}

// FunctionOf picks a function from keys to values: a map giving each key one
// of values. With no values and some keys it drops the branch.
func FunctionOf[S any, K comparable, V any](c *Ctx[S], label string, keys []K, values []V) map[K]V {
	x := c.x
	if x.Dropped {
		return nil
	}
	if len(values) == 0 && len(keys) > 0 {
		x.Drop()
		return nil
	}
	data := x.IsData(label)
	label = x.Label(label)
	out := make(map[K]V, len(keys))
	if v, ok := x.Recorded(label); ok {
		if v.Kind() != itf.KindMap {
			x.Fail("pick %q: recorded value %s is not a map", label, v)
			return nil
		}
		for _, k := range keys {
			kv, err := itf.Marshal(k)
			if err != nil {
				x.Fail("pick %q: key %v: %v", label, k, err)
				return nil
			}
			var found bool
			for _, e := range v.Entries() {
				if itf.Equal(e.Key, kv) {
					i := indexOfValue(values, e.Value)
					if i < 0 {
						x.Fail("pick %q: recorded value %s for key %s is not a candidate", label, e.Value, kv)
						return nil
					}
					out[k] = values[i]
					x.AppendPath(i)
					found = true
				}
			}
			if !found {
				x.Fail("pick %q: recorded map %s has no entry for %s", label, v, kv)
				return nil
			}
		}
		if v.Len() != len(keys) {
			x.Fail("pick %q: recorded map %s has keys outside the %d candidates", label, v, len(keys))
			return nil
		}
	} else {
		for _, k := range keys {
			out[k] = values[x.Choose(len(values), data)]
		}
	}
	x.RecordPick(label, out)
	return out
}

// anySet is how SubsetOf records its pick: a set in ITF.
type anySet []any

// setOfAny wraps a slice so that it is written to traces as an ITF set.
func setOfAny[T any](xs []T) any {
	s := make(anySet, len(xs))
	for i := range xs {
		s[i] = xs[i]
	}
	return s
}

// MarshalITF writes the subset as an ITF set.
func (s anySet) MarshalITF() (itf.Value, error) {
	vs := make([]itf.Value, len(s))
	for i, e := range s {
		v, err := itf.Marshal(e)
		if err != nil {
			return itf.Value{}, err
		}
		vs[i] = v
	}
	return itf.Set(vs...), nil
}

func (s anySet) String() string {
	v, err := s.MarshalITF()
	if err != nil {
		return fmt.Sprint([]any(s))
	}
	return v.String()
}

func indexOfValue[T any](xs []T, v itf.Value) int {
	// The common candidates compare without converting each to ITF.
	switch xs := any(xs).(type) {
	case []string:
		if s, ok := v.AsString(); ok {
			return slices.Index(xs, s)
		}
		return -1
	case []int:
		if n, ok := v.AsInt64(); ok && int64(int(n)) == n {
			return slices.Index(xs, int(n))
		}
		return -1
	case []bool:
		if b, ok := v.AsBool(); ok {
			return slices.Index(xs, b)
		}
		return -1
	}
	for i := range xs {
		xv, err := itf.Marshal(xs[i])
		if err == nil && itf.Equal(xv, v) {
			return i
		}
	}
	return -1
}

func containsValue[T any](vs []itf.Value, x T) bool {
	xv, err := itf.Marshal(x)
	if err != nil {
		return false
	}
	for _, v := range vs {
		if itf.Equal(v, xv) {
			return true
		}
	}
	return false
}

// formatValue formats a Go value as its ITF form (e.g. {1, 2} for a set).
func formatValue(v any) string {
	iv, err := itf.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return iv.String()
}
