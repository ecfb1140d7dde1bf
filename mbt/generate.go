package mbt

import (
	"fmt"
	"sort"
	"strings"

	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// generator yields the traces of a run in order; ok is false after the
// last. A trace is a plan, and for a random walk the extender that draws
// its steps from the states the run reaches.
type generator[S any] interface {
	next(i int) (p plan, more extender[S], ok bool, err error)
}

func (r *runner[S]) generator() (generator[S], error) {
	switch r.set.Strategy {
	case BFS:
		plans, err := r.bfsPlans()
		return &planList[S]{plans: plans, origin: "bfs trace"}, err
	case Coverage:
		plans, err := r.coveragePlans()
		return &planList[S]{plans: plans, origin: "coverage trace"}, err
	}
	return newWalker(r.mc, r.set, r.outs, r.labels), nil
}

type planList[S any] struct {
	plans  []plan
	origin string
}

func (l *planList[S]) next(i int) (plan, extender[S], bool, error) {
	if i >= len(l.plans) {
		return plan{}, nil, false, nil
	}
	p := l.plans[i]
	p.sample, p.origin = i, fmt.Sprintf("%s %d of %d", l.origin, i, len(l.plans))
	return p, nil, true, nil
}

// walker draws random walks (engine.Walk): trace i of a seed uses the
// random stream (seed, i). Each step is drawn from the model state the run
// reached, which with outputs is the one the implementation's answers led
// to. With probability DisabledRate before each step it also proposes a
// step the model does not allow, to test that the implementation refuses
// it.
type walker[S any] struct {
	mc      *machine.Machine[S]
	walk    *engine.Walk[S]
	set     settings
	outs    *outputs[S]
	scratch *S // the successor of a proposed step, discarded
	labels  pickLabels
}

func newWalker[S any](mc *machine.Machine[S], set settings, outs *outputs[S], labels pickLabels) *walker[S] {
	w := &walker[S]{mc: mc, walk: engine.NewWalk(mc, set.Budget), set: set, outs: outs, scratch: new(S), labels: labels}
	w.walk.Executor().Record(true)
	return w
}

func (w *walker[S]) next(i int) (plan, extender[S], bool, error) {
	if i >= w.set.Traces {
		return plan{}, nil, false, nil
	}
	rnd := rng.New(w.set.Seed, uint64(i))
	res := w.walk.Start(rnd)
	if res.Err != nil {
		return plan{}, nil, false, res.Err
	}
	if !res.Enabled {
		return plan{}, nil, false, fmt.Errorf("init has no enabled branch (every branch fails a guard)")
	}
	p := plan{Plan: engine.Plan{Init: append([]int(nil), res.Path...)}, sample: i, origin: fmt.Sprintf("trace %d of seed %d", i, w.set.Seed)}
	steps := 0
	more := func(cur *S) (engine.PlanStep, bool, error) {
		if steps >= w.set.Steps {
			return engine.PlanStep{}, false, nil
		}
		steps++
		return w.step(cur, rnd)
	}
	return p, more, true, nil
}

// step draws the step after state cur.
func (w *walker[S]) step(cur *S, rnd *rng.Rand) (engine.PlanStep, bool, error) {
	w.walk.SetState(cur)
	ex, n := w.walk.Executor(), len(w.mc.Actions())
	// Now and then, propose a step the model does not allow, to test that
	// the implementation refuses it (never one of the environment's
	// actions, which it cannot refuse).
	if w.set.DisabledRate > 0 && float64(rnd.Uint64()>>11)/(1<<53) < w.set.DisabledRate {
		if a := rnd.IntN(n); !w.mc.IsEnvironment(a) {
			res := ex.Exec(a, cur, w.scratch, randChoices{rnd})
			if res.Err != nil {
				return engine.PlanStep{}, false, res.Err
			}
			if !res.Enabled {
				ps := engine.PlanStep{Action: a, Path: append([]int(nil), res.Path...), Enabled: false}
				if ok, err := w.refusable(a, cur, res.Picks); err != nil || ok {
					return ps, err == nil, err
				}
			}
		}
	}
	a, res := w.walk.Step(rnd)
	if a < 0 {
		return engine.PlanStep{}, false, nil // deadlock: no action is enabled
	}
	if res.Err != nil {
		return engine.PlanStep{}, false, res.Err
	}
	w.labels.note(a, w.inputs(res.Picks))
	return engine.PlanStep{Action: a, Path: append([]int(nil), res.Path...), Enabled: true}, true, nil
}

// inputs returns the picks the driver is handed: all of them, or the
// inputs when there are outputs.
func (w *walker[S]) inputs(picks []Labelled) []Labelled {
	if w.outs == nil {
		return picks
	}
	return w.outs.inputs(picks)
}

// refusable reports whether a disabled execution of action a at cur, with
// picks, makes a step to propose for refusal: it carries every input the
// driver needs, and with outputs no value of them enables the step.
func (w *walker[S]) refusable(a int, cur *S, picks []Labelled) (bool, error) {
	in := w.inputs(picks)
	if !w.labels.complete(a, in) {
		return false, nil
	}
	if w.outs == nil {
		return true, nil
	}
	ok, _, err := w.outs.allows(a, cur, in)
	return !ok, err
}

type randChoices struct{ r *rng.Rand }

func (c randChoices) Choose(n int) int { return c.r.IntN(n) }

// pickLabels remembers, per action, the sets of pick labels its enabled
// executions made (their inputs, with outputs), to tell whether a disabled
// execution made all the picks a driver needs. A run shares one among its
// generator and its steps.
type pickLabels map[int]map[string][]string

func labelKey(picks []Labelled) (string, []string) {
	ls := make([]string, len(picks))
	for i, p := range picks {
		ls[i] = p.Label
	}
	sort.Strings(ls)
	return strings.Join(ls, "\x00"), ls
}

func (pl pickLabels) note(a int, picks []Labelled) {
	k, ls := labelKey(picks)
	if pl[a] == nil {
		pl[a] = map[string][]string{}
	}
	if _, ok := pl[a][k]; !ok {
		pl[a][k] = ls
	}
}

// known reports whether some enabled execution of action a was noted.
func (pl pickLabels) known(a int) bool { return len(pl[a]) > 0 }

// complete reports whether picks include every label of some enabled
// execution of action a.
func (pl pickLabels) complete(a int, picks []Labelled) bool {
	have := make(map[string]bool, len(picks))
	for _, p := range picks {
		have[p.Label] = true
	}
	for _, ls := range pl[a] {
		all := true
		for _, l := range ls {
			all = all && have[l]
		}
		if all {
			return true
		}
	}
	return false
}

// bfsPlans enumerates every trace (every sequence of enabled steps, states
// not merged: the implementation may remember how it got somewhere) level
// by level up to depth Steps. It returns the traces of the deepest level
// whose count fits in Traces, and the shorter traces that deadlock; each
// shorter trace is a prefix of one of those, so all are tested. With
// outputs, the branches of a step that differ only in their outputs are
// one step (the implementation chooses among them): the model's first
// stands for them, and the run follows whichever the implementation takes.
func (r *runner[S]) bfsPlans() ([]plan, error) {
	mc, set := r.mc, r.set
	ex := mc.NewExecutor()
	ex.Record(r.outs != nil)
	type path struct {
		p plan
		s *S
	}
	to := new(S)
	var level, dead []path
	var perr error
	ex.Enumerate(machine.InitAction, nil, to, func(res machine.Result) bool {
		if res.Err != nil {
			perr = res.Err
			return false
		}
		level = append(level, path{plan{Plan: engine.Plan{Init: append([]int(nil), res.Path...)}}, mc.Clone(to)})
		return true
	})
	if perr != nil {
		return nil, perr
	}
	if len(level) == 0 {
		return nil, fmt.Errorf("init has no enabled branch (every branch fails a guard)")
	}
	depth := 0
	for ; depth < set.Steps; depth++ {
		var next []path
		over, deadBefore := false, len(dead)
		for _, pt := range level {
			n := 0
			for a := range mc.Actions() {
				seen := map[string]bool{} // the inputs of a's steps, with outputs
				ex.Enumerate(a, pt.s, to, func(res machine.Result) bool {
					if res.Err != nil {
						perr = res.Err
						return false
					}
					if ok, _, err := mc.Allowed(pt.s, to); err != nil || !ok {
						perr = err
						return err == nil // a step an action constraint excludes is not taken
					}
					n++
					if r.outs != nil {
						in := r.outs.inputs(res.Picks)
						r.labels.note(a, in)
						k, err := inputKey(in)
						if err != nil {
							perr = err
							return false
						}
						if seen[k] {
							return true
						}
						seen[k] = true
					}
					if len(next)+len(dead) >= set.Traces {
						over = true
						return false
					}
					q := pt.p.clone()
					q.Steps = append(q.Steps, engine.PlanStep{Action: a, Path: append([]int(nil), res.Path...), Enabled: true})
					next = append(next, path{q, mc.Clone(to)})
					return true
				})
				if perr != nil {
					return nil, perr
				}
				if over {
					break
				}
			}
			if over {
				break
			}
			if n == 0 {
				dead = append(dead, pt)
			}
		}
		if over {
			dead = dead[:deadBefore] // they are in level too
			r.rep.Incomplete = fmt.Sprintf("all traces up to depth %d of %d: depth %d has more than Traces (%d, -execspec.traces)", depth, set.Steps, depth+1, set.Traces)
			break
		}
		level = next
		if len(level) == 0 {
			break
		}
	}
	var plans []plan
	for _, pt := range dead {
		plans = append(plans, pt.p)
	}
	for _, pt := range level {
		plans = append(plans, pt.p)
	}
	return plans, nil
}

// node is a model state found by coveragePlans, with how it was first
// reached.
type node[S any] struct {
	s      *S
	parent int // -1 for an initial state
	step   engine.PlanStep
	depth  int
}

// coveragePlans searches the model breadth-first (merging equal states) up
// to depth Steps for the shortest traces that perform each action, try each
// action where the model does not allow it (unless DisabledRate is
// negative; with outputs, where no value of them enables it), and reach
// each example.
func (r *runner[S]) coveragePlans() ([]plan, error) {
	mc, set := r.mc, r.set
	ex := mc.NewExecutor()
	ex.Record(true)
	refuse := set.DisabledRate > 0 // DisabledRate < 0: propose no refusals
	inputs := func(picks []Labelled) []Labelled {
		if r.outs == nil {
			return picks
		}
		return r.outs.inputs(picks)
	}
	var (
		nodes []node[S]
		index = map[uint64]int{}
		enc   []byte
		to    = new(S)
	)
	add := func(s *S, parent int, st engine.PlanStep, depth int) (int, bool) {
		enc = mc.AppendEncoding(enc[:0], s)
		fp := machine.Fingerprint(enc)
		if i, ok := index[fp]; ok {
			return i, false
		}
		if len(nodes) >= set.MaxStates {
			return -1, false
		}
		index[fp] = len(nodes)
		nodes = append(nodes, node[S]{s: mc.Clone(s), parent: parent, step: st, depth: depth})
		return len(nodes) - 1, true
	}
	var perr error
	ex.Enumerate(machine.InitAction, nil, to, func(res machine.Result) bool {
		if res.Err != nil {
			perr = res.Err
			return false
		}
		add(to, -1, engine.PlanStep{Action: machine.InitAction, Path: append([]int(nil), res.Path...), Enabled: true}, 0)
		return true
	})
	if perr != nil {
		return nil, perr
	}
	if len(nodes) == 0 {
		return nil, fmt.Errorf("init has no enabled branch (every branch fails a guard)")
	}

	nact := len(mc.Actions())
	examples := mc.PropertiesOf(machine.Example)
	performed := make([]*plan, nact)
	refused := make([]*plan, nact)
	reached := make([]int, len(examples)) // node index, -1 until reached
	for i := range reached {
		reached[i] = -1
	}
	labels := r.labels
	rnd := rng.New(set.Seed, 1<<63)
	left := func() []string {
		var names []string
		for a, p := range performed {
			if p == nil {
				names = append(names, "perform "+mc.ActionName(a))
			}
		}
		for a, p := range refused {
			if p == nil && refuse && !mc.IsEnvironment(a) {
				names = append(names, "refuse "+mc.ActionName(a))
			}
		}
		for i, n := range reached {
			if n < 0 {
				names = append(names, "reach "+examples[i].Name)
			}
		}
		return names
	}
	checkExamples := func(n int) {
		for i, p := range examples {
			if reached[i] < 0 {
				if ok, err := mc.Eval(p, nodes[n].s); err == nil && ok {
					reached[i] = n
				}
			}
		}
	}
	checkExamples(0)
	for n := 0; n < len(nodes) && len(left()) > 0; n++ {
		if nodes[n].depth >= set.Steps {
			continue
		}
		from := nodes[n].s
		for a := 0; a < nact; a++ {
			ex.Enumerate(a, from, to, func(res machine.Result) bool {
				if res.Err != nil {
					perr = res.Err
					return false
				}
				if ok, _, err := mc.Allowed(from, to); err != nil || !ok {
					perr = err
					return err == nil // a step an action constraint excludes is not taken
				}
				st := engine.PlanStep{Action: a, Path: append([]int(nil), res.Path...), Enabled: true}
				labels.note(a, inputs(res.Picks))
				if performed[a] == nil {
					p := planTo(nodes, n)
					p.Steps = append(p.Steps, st)
					performed[a] = &p
				}
				if t, fresh := add(to, n, st, nodes[n].depth+1); fresh {
					checkExamples(t)
				}
				return true
			})
			if perr != nil {
				return nil, perr
			}
		}
		for a := 0; a < nact && refuse; a++ {
			if refused[a] != nil || mc.IsEnvironment(a) {
				continue
			}
			for try := 0; try < 8; try++ {
				var ch machine.Choices = randChoices{rnd}
				if try == 0 {
					ch = machine.Path(nil).Choices()
				}
				res := ex.Exec(a, from, to, ch)
				if res.Enabled || res.Err != nil || !labels.complete(a, inputs(res.Picks)) {
					continue
				}
				if r.outs != nil {
					// Refused only when no value of the outputs enables it.
					ok, _, err := r.outs.allows(a, from, inputs(res.Picks))
					if err != nil {
						return nil, err
					}
					if ok {
						continue
					}
				}
				p := planTo(nodes, n)
				p.Steps = append(p.Steps, engine.PlanStep{Action: a, Path: append([]int(nil), res.Path...)})
				refused[a] = &p
				break
			}
		}
	}
	var plans []plan
	for _, ps := range [][]*plan{performed, refused} {
		for _, p := range ps {
			if p != nil {
				plans = append(plans, *p)
			}
		}
	}
	for _, n := range reached {
		if n >= 0 {
			plans = append(plans, planTo(nodes, n))
		}
	}
	if l := left(); len(l) > 0 {
		r.rep.Incomplete = fmt.Sprintf("within depth %d and %d states, no trace could %s", set.Steps, set.MaxStates, strings.Join(l, ", "))
	}
	return dropPrefixes(plans), nil
}

// planTo returns the plan reaching node n along the search tree.
func planTo[S any](nodes []node[S], n int) plan {
	var rev []engine.PlanStep
	for ; nodes[n].parent >= 0; n = nodes[n].parent {
		rev = append(rev, nodes[n].step)
	}
	p := plan{Plan: engine.Plan{Init: nodes[n].step.Path}}
	for i := len(rev) - 1; i >= 0; i-- {
		p.Steps = append(p.Steps, rev[i])
	}
	return p
}

// dropPrefixes removes duplicate plans and plans that are a prefix of
// another, keeping the order.
func dropPrefixes(plans []plan) []plan {
	key := func(p plan) string {
		var b strings.Builder
		fmt.Fprint(&b, p.Init)
		for _, s := range p.Steps {
			fmt.Fprintf(&b, "|%d:%v:%v", s.Action, s.Path, s.Enabled)
		}
		return b.String()
	}
	keys := make([]string, len(plans))
	for i, p := range plans {
		keys[i] = key(p)
	}
	var out []plan
	for i, p := range plans {
		covered := false
		for j, k := range keys {
			if j != i && strings.HasPrefix(k, keys[i]) && (len(k) > len(keys[i]) || j < i) && (len(k) == len(keys[i]) || k[len(keys[i])] == '|') {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	return out
}

// inputKey identifies a step's inputs, to tell steps that differ only in
// their outputs.
func inputKey(in []Labelled) (string, error) {
	tp, err := machine.TracePicks(in)
	if err != nil {
		return "", err
	}
	return trace.FormatPicks(tp), nil
}
