package reference

import (
	"fmt"
	"reflect"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
)

// Semantics is the reference semantics of one compiled model: the identity
// of its states and its steps. It is not safe for concurrent use.
type Semantics[S any] struct {
	mc    *machine.Machine[S]
	ex    *machine.Executor[S]
	pex   *machine.Executor[S] // for Enabled, made on first use
	perms [][][]int            // per symmetry set, its permutations; nil without symmetry
	// orbits remembers the orbit key of each state key met under
	// symmetry: a state is renamed once, however often it is generated.
	orbits map[string]string
}

// New returns the reference semantics of mc; with symmetry, states are
// identified by their orbits under the model's symmetry declarations,
// unless the model has an execspec.Enabled predicate of given pick values
// (see machine.Machine.PickedEnabled), which renaming does not preserve
// and the checker too ignores symmetry for.
// data turns on the data-pick reduction for Explore (see Options.Data).
func New[S any](mc *machine.Machine[S], symmetry, data bool) *Semantics[S] {
	r := &Semantics[S]{mc: mc, ex: mc.NewExecutor()}
	r.ex.ReduceData(data)
	if symmetry && len(mc.PickedEnabled()) == 0 {
		// Enabled of given pick values is not preserved by renaming them:
		// the checker ignores symmetry then, and so does the reference.
		for _, sy := range mc.Symmetries() {
			r.perms = append(r.perms, allPerms(sy.N))
		}
	}
	return r
}

// Key returns the identity of s: its Key or, under symmetry, the smallest
// Key of its renamings by every combination of permutations of the
// symmetry sets (each applied to a fresh copy of s). A panicking permute
// function is an error.
func (r *Semantics[S]) Key(s *S) (string, error) {
	v := reflect.ValueOf(s).Elem()
	k := Key(v)
	if len(r.perms) == 0 {
		return k, nil
	}
	if o, ok := r.orbits[k]; ok {
		return o, nil
	}
	o, err := r.orbit(v)
	if err != nil {
		return "", err
	}
	if r.orbits == nil {
		r.orbits = map[string]string{}
	}
	r.orbits[k] = o
	return o, nil
}

// orbit returns the smallest key of the renamings of v.
func (r *Semantics[S]) orbit(v reflect.Value) (string, error) {
	syms := r.mc.Symmetries()
	best := ""
	idx := make([]int, len(r.perms))
	for {
		c := fresh(v).Interface().(S)
		for j, k := range idx {
			if err := permute(syms[j], &c, r.perms[j][k]); err != nil {
				return "", err
			}
		}
		if k := Key(reflect.ValueOf(&c).Elem()); best == "" || k < best {
			best = k
		}
		// The next combination of permutations, as an odometer.
		j := len(idx) - 1
		for ; j >= 0; j-- {
			idx[j]++
			if idx[j] < len(r.perms[j]) {
				break
			}
			idx[j] = 0
		}
		if j < 0 {
			return best, nil
		}
	}
}

// Fresh returns a fresh copy of *s: what an action starts from (see
// fresh).
func (r *Semantics[S]) Fresh(s *S) *S {
	c := fresh(reflect.ValueOf(s).Elem()).Interface().(S)
	return &c
}

// Step runs the branch of action (machine.InitAction for init) that makes
// the given choices, on a fresh copy of *from (ignored for init), and
// returns the state it leaves and the execution's result. A choice beyond
// the list is 0, as in machine.Path.
func (r *Semantics[S]) Step(from *S, action int, choices []int) (*S, machine.Result) {
	s := new(S)
	if action != machine.InitAction {
		s = r.Fresh(from)
	}
	res := r.ex.Apply(action, s, &replay{choices: choices})
	return s, res
}

// Enabled evaluates an execspec.Enabled predicate by the reference
// semantics (see machine.EnabledFunc): every branch of action, in the
// order of its choices, runs on a fresh copy of s until one completes
// having made every pick of picks with the value given there. A branch
// that panics first makes it panic with the branch's error.
func (r *Semantics[S]) Enabled(action int, picks map[string]itf.Value, s *S) bool {
	if r.pex == nil {
		r.pex = r.mc.NewExecutor()
		r.pex.Record(true)
	}
	r.pex.Direct(picks)
	defer r.pex.Direct(nil)
	var o odometer
	for {
		res := r.pex.Apply(action, r.Fresh(s), &o)
		if res.Err != nil {
			panic(res.Err)
		}
		if res.Enabled && machine.MadeAll(res.Picks, picks) {
			return true
		}
		if !o.next() {
			return false
		}
	}
}

// run runs one branch of action on a fresh copy of from, with choices
// from ch.
func (r *Semantics[S]) run(from *S, action int, ch machine.Choices) (*S, machine.Result) {
	s := new(S)
	if from != nil {
		s = r.Fresh(from)
	}
	return s, r.ex.Apply(action, s, ch)
}

// permute renames s by perm with the symmetry's function, reporting a
// panic as an error.
func permute[S any](sy machine.Symmetry[S], s *S, perm []int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("symmetry %s: permute panicked: %v", sy.Name, r)
		}
	}()
	sy.Permute(s, append([]int(nil), perm...))
	return nil
}

// allPerms returns the permutations of 0..n-1, by insertion.
func allPerms(n int) [][]int {
	perms := [][]int{{}}
	for v := 0; v < n; v++ {
		var next [][]int
		for _, p := range perms {
			for at := 0; at <= len(p); at++ {
				q := append(append(append([]int(nil), p[:at]...), v), p[at:]...)
				next = append(next, q)
			}
		}
		perms = next
	}
	return perms
}

// replay is a machine.Choices that makes recorded choices.
type replay struct {
	choices []int
	pos     int
}

func (c *replay) Choose(n int) int {
	i := 0
	if c.pos < len(c.choices) {
		i = min(c.choices[c.pos], n-1)
	}
	c.pos++
	return i
}

// odometer is a machine.Choices that enumerates every sequence of choices
// an action makes: run the action with it, then call next, while next
// returns true. Its digits and their ranges are learnt as the action asks
// for choices.
type odometer struct {
	path, sizes []int
	pos         int
}

func (o *odometer) Choose(n int) int {
	if o.pos == len(o.path) {
		o.path = append(o.path, 0)
		o.sizes = append(o.sizes, n)
	}
	o.sizes[o.pos] = n
	o.pos++
	return min(o.path[o.pos-1], n-1)
}

// next moves to the next sequence after a run; false when every sequence
// has been run.
func (o *odometer) next() bool {
	o.path, o.sizes = o.path[:o.pos], o.sizes[:o.pos]
	o.pos = 0
	for len(o.path) > 0 {
		last := len(o.path) - 1
		if o.path[last]++; o.path[last] < o.sizes[last] {
			return true
		}
		o.path, o.sizes = o.path[:last], o.sizes[:last]
	}
	return false
}
