package machine

import (
	"sync"

	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/itf"
)

// The predicates made by execspec.Enabled are evaluated by the engine
// running the model: Compile binds them to an evaluator built on this
// package's Executor (the engines' execution of actions, with its copy on
// write and reuse of clean scratch states), and package reference
// rebinds them to its own plain execution while it explores (UseEnabled),
// so that comparing the two covers ENABLED as well.

// EnabledFunc evaluates one execspec.Enabled predicate on s: whether
// action has a branch from s that completes and makes every pick of picks
// (by label) with the value given there. It panics, with the action's
// *PanicError, when a branch panics before an enabled one is found.
type EnabledFunc[S any] func(action int, picks map[string]itf.Value, s *S) bool

// bindEnabled binds the model's Enabled predicates to the executor-based
// evaluator.
func (mc *Machine[S]) bindEnabled() {
	if len(mc.def.Probes) == 0 {
		return
	}
	pool := &sync.Pool{New: func() any { return &probeRunner[S]{ex: mc.NewExecutor(), to: new(S)} }}
	eval := func(p *core.Probe[S], s *S) bool {
		r := pool.Get().(*probeRunner[S])
		defer pool.Put(r)
		return r.enabled(p.Index, p.Picks, s)
	}
	for _, p := range mc.def.Probes {
		p.Bind(eval)
	}
}

// probeRunner evaluates Enabled predicates for one goroutine at a time.
type probeRunner[S any] struct {
	ex *Executor[S]
	to *S
}

func (r *probeRunner[S]) enabled(action int, picks map[string]itf.Value, s *S) bool {
	r.ex.Record(picks != nil)
	r.ex.Direct(picks)
	defer r.ex.Direct(nil)
	found := false
	var perr error
	r.ex.Enumerate(action, s, r.to, func(res Result) bool {
		if res.Err != nil {
			perr = res.Err
			return false
		}
		found = MadeAll(res.Picks, picks)
		return !found
	})
	if perr != nil {
		panic(perr)
	}
	return found
}

// MadeAll reports whether the recorded picks of a branch include a pick
// under every label of want (directed picks have the values wanted, or
// drop the branch).
func MadeAll(picks []Pick, want map[string]itf.Value) bool {
	for l := range want {
		made := false
		for _, p := range picks {
			made = made || p.Label == l
		}
		if !made {
			return false
		}
	}
	return true
}

// UseEnabled makes eval evaluate the model's execspec.Enabled predicates,
// for every engine running the model, until restore is called (which
// brings back the evaluator it replaced). Package reference uses it to
// evaluate them by its own plain execution while it explores; an engine
// running the model at the same time would then use that evaluator too,
// which gives the same answers, slower.
func (mc *Machine[S]) UseEnabled(eval EnabledFunc[S]) (restore func()) {
	olds := make([]core.ProbeEval[S], len(mc.def.Probes))
	for i, p := range mc.def.Probes {
		olds[i] = p.Bind(func(p *core.Probe[S], s *S) bool { return eval(p.Index, p.Picks, s) })
	}
	return func() {
		for i, p := range mc.def.Probes {
			p.Bind(olds[i])
		}
	}
}

// PickedEnabled returns the execspec.Enabled predicates of the model that
// name pick values, rendered ("grant with c=1"). Symmetry does not
// preserve them (it renames pick values), so a search of a model that has
// one ignores the model's symmetry declarations.
func (mc *Machine[S]) PickedEnabled() []string {
	var out []string
	for _, p := range mc.def.Probes {
		if len(p.Picks) > 0 {
			out = append(out, p.Show)
		}
	}
	return out
}
