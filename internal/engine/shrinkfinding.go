package engine

import (
	"fmt"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
)

// DefaultShrinkRuns is the default budget of candidate runs for shrinking
// one finding.
const DefaultShrinkRuns = 2000

// maxShortcutBranches caps the successors enumerated from one state when
// looking for shortcuts: models with huge pick spaces (a planner choosing
// among thousands of plans) would otherwise spend the budget there.
const maxShortcutBranches = 4096

// ShrinkFinding shrinks the plan of a finding of the target properties
// props (the invariant violated, the example reached, or a panic) to the
// smallest plan it can find that still ends in the same finding: the same
// kind and property, and for a panic in an action, the same action. It
// returns the plan (never longer than p) and the candidate runs it took.
// Besides the generic passes of Shrinker it removes cycles (steps between
// two visits of one state) and takes shortcuts (a single step from a state
// to a later state of the trace).
func ShrinkFinding[S any](mc *machine.Machine[S], props []machine.Property[S], p Plan, want Verdict, budget int) (Plan, int) {
	ex := mc.NewExecutor()
	lastAction := -2
	if want.Kind == findings.Panicked && want.Property == "" && len(p.Steps) > 0 {
		lastAction = p.Steps[len(p.Steps)-1].Action
	}
	steps := HasSteps(props)
	var prev *S // the state before the step, when steps are judged
	if steps {
		prev = new(S)
	}
	try := func(c Plan) (Plan, bool) {
		var got Verdict
		n := Execute(mc, ex, c, func(i, action int, r machine.Result, s *S) bool {
			switch {
			case r.Err != nil:
				got = Verdict{Kind: findings.Panicked, Err: r.Err}
				if action != lastAction {
					got.Property = "\x00another action"
				}
				return false
			case !r.Enabled:
				return false
			}
			if steps {
				before := prev
				if i == 0 {
					before = nil
				}
				got = JudgeTransition(mc, props, before, s)
				mc.Copy(prev, s)
			} else {
				got = Judge(mc, props, s)
			}
			return got.Kind == 0
		})
		if got.Kind != want.Kind || got.Property != want.Property {
			return Plan{}, false
		}
		return c.Cut(n), true
	}
	s := NewShrinker(p, try, budget)
	s.model = []func(*Shrinker) bool{
		func(s *Shrinker) bool { return removeCycles(mc, ex, s) },
		func(s *Shrinker) bool { return shortcuts(mc, s) },
	}
	best := s.Shrink()
	// Last, a bounded breadth-first search for a shorter trace: the passes
	// only ever shorten the trace found, and a shortest one may take
	// another way altogether.
	match := func(action int, r machine.Result, from, st *S) bool {
		if r.Err != nil {
			return want.Kind == findings.Panicked && want.Property == "" && (lastAction < 0 || action == lastAction)
		}
		v := JudgeTransition(mc, props, from, st)
		return v.Kind == want.Kind && v.Property == want.Property
	}
	if len(best.Steps) > 1 {
		if q, ok := shortest(mc, len(best.Steps), match, steps, try); ok {
			best = q
		}
	}
	return best, s.Runs
}

// fingerprints returns the fingerprint of every state of p: after init,
// then after each step.
func fingerprints[S any](mc *machine.Machine[S], ex *machine.Executor[S], p Plan) []uint64 {
	var fps []uint64
	var enc []byte
	Execute(mc, ex, p, func(i, action int, r machine.Result, s *S) bool {
		if r.Err != nil || !r.Enabled {
			return false
		}
		enc = mc.AppendEncoding(enc[:0], s)
		fps = append(fps, machine.Fingerprint(enc))
		return true
	})
	return fps
}

// removeCycles drops the steps between two visits of the same state,
// longest cycle first.
func removeCycles[S any](mc *machine.Machine[S], ex *machine.Executor[S], s *Shrinker) bool {
	progress := false
	for s.Runs < s.Budget {
		fps := fingerprints(mc, ex, s.Best)
		first := map[uint64]int{}
		bi, bj := -1, -1
		for j, fp := range fps {
			if i, ok := first[fp]; ok {
				if j-i > bj-bi {
					bi, bj = i, j
				}
				continue
			}
			first[fp] = j
		}
		if bi < 0 {
			return progress
		}
		c := s.Best.Clone()
		c.Steps = append(c.Steps[:bi], c.Steps[bj:]...)
		if !s.Try(c) {
			return progress
		}
		progress = true
	}
	return progress
}

// shortcuts replaces the steps from state i to a later state j by one step
// from i that reaches j, when the model has one.
func shortcuts[S any](mc *machine.Machine[S], s *Shrinker) bool {
	ex, plain := mc.NewExecutor(), mc.NewExecutor()
	ex.ReduceData(len(mc.DataPicks()) > 0) // one outcome of each data pick is enough here
	progress := false
	for i := 0; i < len(s.Best.Steps) && s.Runs < s.Budget; i++ {
		fps := fingerprints(mc, plain, s.Best)
		last := map[uint64]int{}
		for j, fp := range fps {
			last[fp] = j
		}
		// Re-execute the plan up to state i.
		var from *S
		prefix := s.Best.Clone()
		prefix.Steps = prefix.Steps[:i]
		Execute(mc, plain, prefix, func(k, _ int, _ machine.Result, st *S) bool {
			if k == i {
				from = mc.Clone(st)
			}
			return true
		})
		if from == nil {
			return progress
		}
		to := new(S)
		var enc []byte
		bestJ, bestStep := i+1, PlanStep{}
		branches := 0
		for a := range mc.Actions() {
			ex.Enumerate(a, from, to, func(r machine.Result) bool {
				branches++
				if r.Err != nil || !r.Enabled {
					return branches < maxShortcutBranches
				}
				enc = mc.AppendEncoding(enc[:0], to)
				if j, ok := last[machine.Fingerprint(enc)]; ok && j > bestJ {
					bestJ, bestStep = j, PlanStep{Action: a, Path: append([]int(nil), r.Path...), Enabled: true}
				}
				return branches < maxShortcutBranches
			})
		}
		if bestJ == i+1 {
			continue
		}
		c := s.Best.Clone()
		steps := append(append(append([]PlanStep(nil), c.Steps[:i]...), bestStep), c.Steps[bestJ:]...)
		c.Steps = steps
		if s.Try(c) {
			progress = true
		}
	}
	return progress
}

// Shrink shrinks finding f, found by plan, in place. When ShrinkFinding
// finds a shorter plan, f's trace becomes the shorter plan's, f.Original
// the length found and, for a panic, f.Err the shrunk trace's own panic
// (its picks and stack). Deadlocks and model errors, and plans of fewer
// than two steps, are left as found.
func Shrink[S any](mc *machine.Machine[S], props []machine.Property[S], f *findings.Finding, plan Plan, budget int) error {
	switch f.Kind {
	case findings.InvariantViolated, findings.ExampleFound, findings.Panicked, findings.StepViolated:
	default:
		return nil
	}
	if len(plan.Steps) < 2 {
		return nil
	}
	p, _ := ShrinkFinding(mc, props, plan, Verdict{Kind: f.Kind, Property: f.Property}, budget)
	if len(p.Steps) >= len(plan.Steps) {
		return nil
	}
	t, err := TraceOf(mc, p)
	if err != nil {
		return fmt.Errorf("shrinking the trace: %w", err)
	}
	if f.Kind == findings.Panicked {
		Execute(mc, mc.NewExecutor(), p, func(_, _ int, r machine.Result, _ *S) bool {
			if r.Err != nil {
				f.Err = r.Err
			}
			return true
		})
	}
	f.Original, f.Trace = len(plan.Steps), t
	return nil
}
