package engine

import (
	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/rng"
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
	mc     *execspec.Machine[S]
	ex     *execspec.Executor[S]
	budget int
	order  []int
	cur    *S
	nxt    *S
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
func NewWalk[S any](mc *execspec.Machine[S], budget int) *Walk[S] {
	names := mc.Actions()
	w := &Walk[S]{mc: mc, ex: mc.NewExecutor(), budget: budget, order: make([]int, len(names)), cur: new(S), nxt: new(S), Actions: make([]ActionStats, len(names))}
	for i, n := range names {
		w.Actions[i].Name = n
	}
	return w
}

// Executor is the walk's executor: turn recording on with its Record to
// get each step's picks.
func (w *Walk[S]) Executor() *execspec.Executor[S] { return w.ex }

// State is the walk's current state; it is overwritten by the next Start
// or Step.
func (w *Walk[S]) State() *S { return w.cur }

// Start draws an initial state. The result's Err is set when init panicked
// and Enabled is false when init has no enabled branch.
func (w *Walk[S]) Start(rnd *rng.Rand) execspec.Result {
	res, _, _ := w.ex.Random(execspec.InitAction, nil, w.cur, rnd, 0)
	return res
}

// Step takes one step: it returns the action taken and its result, the new
// state being State. When an action panics it returns that action with the
// result's Err set, State unchanged; when no action is enabled it returns
// -1 (a deadlock).
func (w *Walk[S]) Step(rnd *rng.Rand) (int, execspec.Result) {
	rnd.Perm(w.order)
	for _, a := range w.order {
		st := &w.Actions[a]
		st.Tried++
		res, runs, exhausted := w.ex.Random(a, w.cur, w.nxt, rnd, w.budget)
		st.Runs += int64(runs)
		if res.Err != nil {
			return a, res
		}
		if res.Enabled {
			st.Fired++
			w.cur, w.nxt = w.nxt, w.cur
			return a, res
		}
		if !exhausted {
			st.Undecided++
		}
	}
	return -1, execspec.Result{}
}
