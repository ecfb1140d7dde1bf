package execspec

import (
	"fmt"
	"strconv"

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
	x *execution
}

// Pick is one labelled nondeterministic choice made by an action.
type Pick struct {
	Label string
	Value any
}

// Choices is the source of nondeterministic choices for one execution of an
// action: each pick asks it for an index below n (n >= 1). Simulation draws
// them at random, the checker enumerates them, replay reads them back.
type Choices interface {
	Choose(n int) int
}

// Path is a Choices that replays fixed choice indices; past its end it
// chooses 0.
type Path []int

// Choices returns a Choices reading p from its start.
func (p Path) Choices() Choices { return &pathReader{p: p} }

type pathReader struct {
	p   Path
	pos int
}

func (r *pathReader) Choose(n int) int {
	if r.pos >= len(r.p) {
		r.pos++
		return 0
	}
	i := r.p[r.pos]
	r.pos++
	if i >= n {
		return n - 1
	}
	return i
}

// execution is the engine side of a Ctx: where choices come from, what was
// picked, and whether the branch was dropped.
type execution struct {
	ch       Choices
	directed map[string]itf.Value // recorded picks to follow, by label
	record   bool
	picks    []Pick
	labels   []string // labels used so far (for de-duplication)
	path     []int    // the choices made
	dropped  bool
	mismatch string // why a directed pick did not fit, when it did not
	panicked *PanicError
	// Data-pick reduction (see Model.DataPicks and Executor.ReduceData):
	// dataLabels are the model's data pick labels, consulted only when
	// reduce is on; dataFrom is where the trailing run of choices made by
	// data picks starts in path (len(path) when the last choice is not one).
	reduce     bool
	dataLabels []string
	dataFrom   int
	// plain is true when picks need no label bookkeeping: not recording,
	// not directed, no data-pick reduction (the checker's common case).
	plain bool
}

func (x *execution) reset(ch Choices) {
	x.ch = ch
	x.picks = x.picks[:0]
	x.labels = x.labels[:0]
	x.path = x.path[:0]
	x.dropped = false
	x.mismatch = ""
	x.dataFrom = 0
	x.plain = !x.record && x.directed == nil && !x.reduce
}

func (x *execution) drop() { x.dropped = true }

// choose asks the Choices for an index below n; data says whether the pick
// making the choice is a data pick.
func (x *execution) choose(n int, data bool) int {
	i := x.ch.Choose(n)
	if i < 0 || i >= n {
		i = 0
	}
	x.path = append(x.path, i)
	if !data {
		x.dataFrom = len(x.path)
	}
	return i
}

// appendPath records a choice that followed a recorded pick (see Direct).
func (x *execution) appendPath(i int) {
	x.path = append(x.path, i)
	x.dataFrom = len(x.path)
}

// isData reports whether label (before de-duplication) is a data pick and
// data-pick reduction is on.
func (x *execution) isData(label string) bool {
	if !x.reduce {
		return false
	}
	for _, l := range x.dataLabels {
		if l == label {
			return true
		}
	}
	return false
}

// label returns the unique form of a label within this execution: a label
// used twice becomes "label#2", and so on.
func (x *execution) label(l string) string {
	if !x.record && x.directed == nil {
		return l
	}
	n := 1
	for _, u := range x.labels {
		if u == l {
			n++
		}
	}
	x.labels = append(x.labels, l)
	if n == 1 {
		return l
	}
	return l + "#" + strconv.Itoa(n)
}

// recorded returns the recorded value of a directed pick.
func (x *execution) recorded(label string) (itf.Value, bool) {
	if x.directed == nil {
		return itf.Value{}, false
	}
	v, ok := x.directed[label]
	return v, ok
}

func (x *execution) fail(format string, args ...any) {
	if x.mismatch == "" {
		x.mismatch = fmt.Sprintf(format, args...)
	}
	x.dropped = true
}

func (x *execution) recordPick(label string, v any) {
	if x.record {
		x.picks = append(x.picks, Pick{Label: label, Value: v})
	}
}

// Assume drops the current branch when cond is false: the action is not
// enabled on this branch and has no effect. It returns whether the branch is
// still alive; code after a failed Assume still runs but its effects are
// discarded, so the usual form is `if !c.Assume(cond) { return }`.
func (c *Ctx[S]) Assume(cond bool) bool {
	if !cond {
		c.x.drop()
	}
	return !c.x.dropped
}

// Alive reports whether the branch has not been dropped.
func (c *Ctx[S]) Alive() bool { return !c.x.dropped }

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
	if x.dropped {
		return
	}
	if len(branches) == 0 {
		x.drop()
		return
	}
	data := x.isData(label)
	label = x.label(label)
	i := -1
	if v, ok := x.recorded(label); ok {
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
			x.fail("pick %q: recorded branch %s is not one of the alternatives", label, v)
			return
		}
		x.appendPath(i)
	} else {
		i = x.choose(len(branches), data)
	}
	x.recordPick(label, branches[i].Name)
	branches[i].Run(c)
}

// OneOf picks one element of xs. An empty xs drops the branch.
func OneOf[S, T any](c *Ctx[S], label string, xs []T) T {
	var zero T
	x := c.x
	if x.dropped {
		return zero
	}
	if len(xs) == 0 {
		x.drop()
		return zero
	}
	if x.plain {
		return xs[x.choose(len(xs), false)]
	}
	data := x.isData(label)
	label = x.label(label)
	var i int
	if v, ok := x.recorded(label); ok {
		i = indexOfValue(xs, v)
		if i < 0 {
			x.fail("pick %q: recorded value %s is not one of the %d candidates", label, v, len(xs))
			return zero
		}
		x.appendPath(i)
	} else {
		i = x.choose(len(xs), data)
	}
	x.recordPick(label, xs[i])
	return xs[i]
}

// OneOfSet picks one element of a set, considering elements in canonical
// order. An empty set drops the branch.
func OneOfSet[S any, T comparable](c *Ctx[S], label string, s Set[T]) T {
	if c.x.dropped {
		var zero T
		return zero
	}
	return OneOf(c, label, s.Elems())
}

// IntRange picks an integer in [lo, hi]. An empty range drops the branch.
func IntRange[S any](c *Ctx[S], label string, lo, hi int) int {
	x := c.x
	if x.dropped {
		return lo
	}
	if hi < lo {
		x.drop()
		return lo
	}
	if x.plain {
		return lo + x.choose(hi-lo+1, false)
	}
	data := x.isData(label)
	label = x.label(label)
	var n int
	if v, ok := x.recorded(label); ok {
		r, isInt := v.AsInt64()
		if !isInt || r < int64(lo) || r > int64(hi) {
			x.fail("pick %q: recorded value %s is not in %d..%d", label, v, lo, hi)
			return lo
		}
		n = int(r)
		x.appendPath(n - lo)
	} else {
		n = lo + x.choose(hi-lo+1, data)
	}
	x.recordPick(label, n)
	return n
}

// SubsetOf picks any subset of xs (the empty one included), returned in the
// order of xs. Use c.Assume(len(sub) > 0) for a non-empty subset.
func SubsetOf[S, T any](c *Ctx[S], label string, xs []T) []T {
	x := c.x
	if x.dropped {
		return nil
	}
	data := x.isData(label)
	label = x.label(label)
	out := make([]T, 0, len(xs))
	if v, ok := x.recorded(label); ok {
		if v.Kind() != itf.KindSet && v.Kind() != itf.KindList {
			x.fail("pick %q: recorded value %s is not a set", label, v)
			return nil
		}
		found := 0
		for i := range xs {
			in := containsValue(v.Elems(), xs[i])
			if in {
				out = append(out, xs[i])
				found++
				x.appendPath(1)
			} else {
				x.appendPath(0)
			}
		}
		if found != v.Len() {
			x.fail("pick %q: recorded set %s has elements outside the candidates", label, v)
			return nil
		}
	} else {
		for i := range xs {
			if x.choose(2, data) == 1 {
				out = append(out, xs[i])
			}
		}
	}
	x.recordPick(label, setOfAny(out))
	return out
}

// FunctionOf picks a function from keys to values: a map giving each key one
// of values. With no values and some keys it drops the branch.
func FunctionOf[S any, K comparable, V any](c *Ctx[S], label string, keys []K, values []V) map[K]V {
	x := c.x
	if x.dropped {
		return nil
	}
	if len(values) == 0 && len(keys) > 0 {
		x.drop()
		return nil
	}
	data := x.isData(label)
	label = x.label(label)
	out := make(map[K]V, len(keys))
	if v, ok := x.recorded(label); ok {
		if v.Kind() != itf.KindMap {
			x.fail("pick %q: recorded value %s is not a map", label, v)
			return nil
		}
		for _, k := range keys {
			kv, err := itf.Marshal(k)
			if err != nil {
				x.fail("pick %q: key %v: %v", label, k, err)
				return nil
			}
			var found bool
			for _, e := range v.Entries() {
				if itf.Equal(e.Key, kv) {
					i := indexOfValue(values, e.Value)
					if i < 0 {
						x.fail("pick %q: recorded value %s for key %s is not a candidate", label, e.Value, kv)
						return nil
					}
					out[k] = values[i]
					x.appendPath(i)
					found = true
				}
			}
			if !found {
				x.fail("pick %q: recorded map %s has no entry for %s", label, v, kv)
				return nil
			}
		}
		if v.Len() != len(keys) {
			x.fail("pick %q: recorded map %s has keys outside the %d candidates", label, v, len(keys))
			return nil
		}
	} else {
		for _, k := range keys {
			out[k] = values[x.choose(len(values), data)]
		}
	}
	x.recordPick(label, out)
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
