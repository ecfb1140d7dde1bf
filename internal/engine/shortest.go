package engine

import (
	"github.com/execspec/execspec/machine"
)

// MaxShortestStates and MaxShortestBranches bound the breadth-first search
// that ends shrinking: it gives up, keeping what the passes found, when the
// states within the trace's length, or the branches that lead to them,
// outnumber them.
const (
	MaxShortestStates   = 20_000
	MaxShortestBranches = 200_000
)

// shortest searches breadth-first, from the initial states, for a plan of
// fewer than maxSteps steps that ends in the finding sought: a branch for
// which match is true (a successor, or a branch that panicked, with the
// state it ran from, nil for init), which try
// then verifies by re-executing the plan. It explores at most
// MaxShortestStates distinct states, and returns the first such plan in
// breadth-first order, which is a shortest one, or false when there is
// none within the bound. With steps (the finding is a step's), a step to
// a state seen before is matched too. Data picks are reduced (one outcome of each
// stands for the others), as they are in the checker's default search.
func shortest[S any](mc *machine.Machine[S], maxSteps int, match func(action int, r machine.Result, from, s *S) bool, steps bool, try func(Plan) (Plan, bool)) (Plan, bool) {
	type node struct {
		parent int
		step   PlanStep // the step from the parent; Path is init's choices for a root
	}
	ex := mc.NewExecutor()
	ex.ReduceData(len(mc.DataPicks()) > 0)
	var nodes []node
	seen := map[string]bool{}
	var level []int // the node of each state of the current level
	var states []*S // and the state
	var enc []byte
	planOf := func(i int) Plan {
		var steps []PlanStep
		for ; nodes[i].parent >= 0; i = nodes[i].parent {
			steps = append(steps, nodes[i].step)
		}
		p := Plan{Init: append([]int(nil), nodes[i].step.Path...)}
		for k := len(steps) - 1; k >= 0; k-- {
			p.Steps = append(p.Steps, steps[k])
		}
		return p
	}
	// add records a new state reached from parent by step; it reports
	// whether the search should go on.
	var found Plan
	ok, full := false, false
	var nextLevel []int
	var nextStates []*S
	branches := 0
	// tryStep tries the plan that ends with step from parent, a step that
	// may itself be the finding (a panic, or a step invariant's verdict on
	// a state seen before); it reports whether the plan is the one.
	tryStep := func(parent int, step PlanStep) bool {
		nodes = append(nodes, node{parent: parent, step: step})
		if p, good := try(planOf(len(nodes) - 1)); good && len(p.Steps) < maxSteps {
			found, ok = p, true
			return true
		}
		nodes = nodes[:len(nodes)-1]
		return false
	}
	add := func(parent int, step PlanStep, from, s *S, r machine.Result, depth int) bool {
		if branches++; branches > MaxShortestBranches {
			full = true
			return false
		}
		if r.Err != nil || !r.Enabled {
			// A panicking branch is a candidate when the finding is a
			// panic; it leads nowhere either way.
			if r.Err != nil && match(step.Action, r, from, s) {
				return !tryStep(parent, step)
			}
			return true
		}
		enc = mc.AppendEncoding(enc[:0], s)
		if seen[string(enc)] {
			// A state seen before, by a step that may itself be the
			// finding (a step invariant judges the step, not the state).
			if steps && from != nil && match(step.Action, r, from, s) {
				return !tryStep(parent, step)
			}
			return true
		}
		if len(seen) >= MaxShortestStates {
			full = true
			return false
		}
		seen[string(enc)] = true
		nodes = append(nodes, node{parent: parent, step: step})
		i := len(nodes) - 1
		if match(step.Action, r, from, s) {
			if p, good := try(planOf(i)); good && len(p.Steps) < maxSteps {
				found, ok = p, true
				return false
			}
		}
		if depth < maxSteps-1 {
			nextLevel = append(nextLevel, i)
			nextStates = append(nextStates, mc.Clone(s))
		}
		return true
	}
	to := new(S)
	ex.Enumerate(machine.InitAction, nil, to, func(r machine.Result) bool {
		return add(-1, PlanStep{Action: machine.InitAction, Path: append([]int(nil), r.Path...), Enabled: true}, nil, to, r, 0)
	})
	for depth := 1; !ok && !full && len(nextLevel) > 0 && depth < maxSteps; depth++ {
		level, states = nextLevel, nextStates
		nextLevel, nextStates = nil, nil
		for k, from := range states {
			for a := range mc.Actions() {
				goOn := ex.Enumerate(a, from, to, func(r machine.Result) bool {
					return add(level[k], PlanStep{Action: a, Path: append([]int(nil), r.Path...), Enabled: true}, from, to, r, depth)
				})
				if !goOn {
					break
				}
			}
			if ok || full {
				break
			}
		}
	}
	return found, ok
}
