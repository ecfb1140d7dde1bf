package engine

import (
	"fmt"
	"strings"

	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
)

// Walk takes random walks through a model, one step at a time: the random
// walk of simulation and of model-based testing. At each step it considers
// the actions in a random order and takes the first one that is enabled;
// within an action it draws each pick uniformly and, when a guard fails,
// backtracks to the latest pick with untried candidates. Enabledness is
// decided exactly, by executing the action, and the first enabled action of
// a uniformly shuffled order is uniform among the enabled ones.
//
// A Walk draws everything from the *rng.Rand it is given, in a fixed
// order, so the same stream gives the same walk on any machine.
type Walk[S any] struct {
	mc     *machine.Machine[S]
	ex     *machine.Executor[S]
	budget int
	order  []int
	cur    *S
	nxt    *S
	// The choice among enabled actions: model weights times the Choice's
	// (nil weights and off: uniform).
	model   []float64
	weights []float64
	off     []bool
	pool    []int
	// Actions counts each action's fate over every walk so far.
	Actions []ActionStats
}

// ActionStats counts one action's fate over the steps of random walks.
type ActionStats struct {
	Name string
	// Tried is how many times the action was considered at a step.
	Tried int64
	// Fired is how many times it was taken.
	Fired int64
	// Runs is the executions spent on it (including guard backtracking).
	Runs int64
	// Undecided counts the steps at which the budget ran out before the
	// action was found enabled or disabled.
	Undecided int64
}

// NewWalk returns a Walk of mc that spends at most budget executions
// deciding whether one action is enabled at one step (0: no limit); an
// action that exhausts it counts as undecided and is skipped at that step.
func NewWalk[S any](mc *machine.Machine[S], budget int) *Walk[S] {
	names := mc.Actions()
	w := &Walk[S]{mc: mc, ex: mc.NewExecutor(), budget: budget, order: make([]int, len(names)), cur: new(S), nxt: new(S), Actions: make([]ActionStats, len(names))}
	for i, n := range names {
		w.Actions[i].Name = n
	}
	w.model = mc.ActionWeights()
	w.SetChoice(Choice{})
	return w
}

// Choice shapes how a walk chooses among the enabled actions. Actions Off
// are taken only at a step where no other action is enabled; the others
// are chosen in proportion to their Weights (nil: equal) times the model's
// weights (execspec.Model.Weight). The zero Choice is the model's own
// choice: uniform unless the model declares weights.
type Choice struct {
	Off     []bool
	Weights []float64
}

// IsZero reports whether c changes nothing.
func (c Choice) IsZero() bool { return c.Off == nil && c.Weights == nil }

// Describe says in plain words how c chose among the named actions, as a
// finding reports it: the actions held back, and the weight each other
// action was drawn by, which is the model's weight (model, in action order,
// nil when the model declares none: execspec.Model.Weight) times c's:
//
//	sync held back (taken only at a step where no other action was enabled); the others drawn by weight: plan 3, crash 0.5 (Weight 0.1 × 5)
func (c Choice) Describe(names []string, model []float64) string {
	if c.IsZero() {
		return "uniform"
	}
	var off, ws []string
	for i, n := range names {
		if i < len(c.Off) && c.Off[i] {
			off = append(off, n)
			continue
		}
		f := 1.0
		if i < len(c.Weights) {
			f = c.Weights[i]
		}
		switch {
		case i < len(model) && model[i] != 1:
			ws = append(ws, fmt.Sprintf("%s %g (Weight %g × %g)", n, model[i]*f, model[i], f))
		default:
			ws = append(ws, fmt.Sprintf("%s %g", n, f))
		}
	}
	out := "no action held back; drawn by weight: "
	if len(off) > 0 {
		out = strings.Join(off, ", ") + " held back (taken only at a step where no other action was enabled); the others drawn by weight: "
	}
	return out + strings.Join(ws, ", ")
}

// SetChoice makes the walk choose as c says from its next step on.
func (w *Walk[S]) SetChoice(c Choice) {
	w.off = c.Off
	w.weights = nil
	if c.Weights == nil && w.model == nil {
		return
	}
	w.weights = make([]float64, len(w.order))
	for i := range w.weights {
		w.weights[i] = 1
		if w.model != nil {
			w.weights[i] = w.model[i]
		}
		if i < len(c.Weights) {
			w.weights[i] *= c.Weights[i]
		}
	}
}

// swarmStream marks the random streams of swarm configurations, apart
// from the samples' own streams.
const swarmStream = 1 << 63

// SwarmChoice draws the swarm configuration of sample (seed, sample)
// (Groce et al., "Swarm testing", ISSTA 2012): each action is switched off
// with probability 1/2 (one is always left on), and the others get random
// weights from 1 to 8. It draws from a stream of its own, so the sample's
// walk is the same for a given configuration.
func SwarmChoice(n int, seed, sample uint64) Choice {
	rnd := rng.New(seed, sample|swarmStream)
	c := Choice{Off: make([]bool, n), Weights: make([]float64, n)}
	on := 0
	for i := range c.Off {
		c.Off[i] = rnd.Uint64()&1 == 1
		c.Weights[i] = float64(1 + rnd.IntN(8))
		if !c.Off[i] {
			on++
		}
	}
	if on == 0 && n > 0 {
		c.Off[rnd.IntN(n)] = false
	}
	return c
}

// Executor is the walk's executor: turn recording on with its Record to
// get each step's picks.
func (w *Walk[S]) Executor() *machine.Executor[S] { return w.ex }

// State is the walk's current state; it is overwritten by the next Start
// or Step.
func (w *Walk[S]) State() *S { return w.cur }

// Prev is the state the last Step started from, when it took a step: a
// step invariant judges the transition from Prev to State. It is
// overwritten by the next Start or Step.
func (w *Walk[S]) Prev() *S { return w.nxt }

// SetState puts the walk at a copy of s: its next Step starts from there.
// Model-based testing uses it to go on from the state the implementation
// actually led to (see mbt.Options.Outputs), which may not be the one the
// walk's last step reached.
func (w *Walk[S]) SetState(s *S) { w.mc.Copy(w.cur, s) }

// Start draws an initial state. The result's Err is set when init panicked
// and Enabled is false when init has no enabled branch.
func (w *Walk[S]) Start(rnd *rng.Rand) machine.Result {
	res, _, _ := w.ex.Random(machine.InitAction, nil, w.cur, rnd, 0)
	return res
}

// Step takes one step: it returns the action taken and its result, the new
// state being State. When an action panics it returns that action with the
// result's Err set, State unchanged; when no action is enabled it returns
// -1 (a deadlock).
func (w *Walk[S]) Step(rnd *rng.Rand) (int, machine.Result) {
	if w.weights != nil || w.off != nil {
		return w.weightedStep(rnd)
	}
	rnd.Perm(w.order)
	for _, a := range w.order {
		if a, res, done := w.try(a, rnd); done {
			return a, res
		}
	}
	return -1, machine.Result{}
}

// weightedStep draws the actions that are on without replacement, each in
// proportion to its weight, and takes the first enabled one: among the
// enabled actions, each is taken in proportion to its weight. When none is
// enabled it tries the actions that are off, in a uniform order.
func (w *Walk[S]) weightedStep(rnd *rng.Rand) (int, machine.Result) {
	w.pool = w.pool[:0]
	total := 0.0
	for a := range w.order {
		if w.off != nil && a < len(w.off) && w.off[a] {
			continue
		}
		w.pool = append(w.pool, a)
		total += w.weight(a)
	}
	for len(w.pool) > 0 {
		x := float64(rnd.Uint64()>>11) / (1 << 53) * total
		k := len(w.pool) - 1 // rounding: the last one
		for i, a := range w.pool {
			if x < w.weight(a) {
				k = i
				break
			}
			x -= w.weight(a)
		}
		a := w.pool[k]
		total -= w.weight(a)
		w.pool[k] = w.pool[len(w.pool)-1]
		w.pool = w.pool[:len(w.pool)-1]
		if a, res, done := w.try(a, rnd); done {
			return a, res
		}
	}
	if w.off == nil {
		return -1, machine.Result{}
	}
	rnd.Perm(w.order)
	for _, a := range w.order {
		if a < len(w.off) && w.off[a] {
			if a, res, done := w.try(a, rnd); done {
				return a, res
			}
		}
	}
	return -1, machine.Result{}
}

func (w *Walk[S]) weight(a int) float64 {
	if w.weights == nil {
		return 1
	}
	return w.weights[a]
}

// try executes action a at a step: done when it is taken (or panicked).
func (w *Walk[S]) try(a int, rnd *rng.Rand) (int, machine.Result, bool) {
	{
		st := &w.Actions[a]
		st.Tried++
		res, runs, exhausted := w.ex.Random(a, w.cur, w.nxt, rnd, w.budget)
		st.Runs += int64(runs)
		if res.Err != nil {
			return a, res, true
		}
		if res.Enabled {
			st.Fired++
			w.cur, w.nxt = w.nxt, w.cur
			return a, res, true
		}
		if !exhausted {
			st.Undecided++
		}
	}
	return -1, machine.Result{}, false
}

// Replay puts the walk at the end of plan p by executing it (its picks are
// recorded when the executor records), calling visit after init and after
// each step with the action and its result. It reports false, leaving the
// walk anywhere, when a step of p is not enabled or panics.
func (w *Walk[S]) Replay(p Plan, visit func(action int, r machine.Result)) bool {
	r := w.ex.Exec(machine.InitAction, nil, w.cur, machine.Path(p.Init).Choices())
	if !r.Enabled || r.Err != nil {
		return false
	}
	visit(machine.InitAction, r)
	for _, st := range p.Steps {
		r := w.ex.Exec(st.Action, w.cur, w.nxt, machine.Path(st.Path).Choices())
		if !r.Enabled || r.Err != nil {
			return false
		}
		w.cur, w.nxt = w.nxt, w.cur
		visit(st.Action, r)
	}
	return true
}
