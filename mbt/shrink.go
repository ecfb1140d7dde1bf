package mbt

import (
	"slices"

	"github.com/execspec/execspec/internal/engine"
)

// A divergence is shrunk with engine.Shrinker's passes over plans: a
// candidate is kept when the model still accepts it (every step it allows
// is still allowed, every step it refuses still refused) and the
// implementation, Reset and driven again, still diverges the same way (same
// kind of divergence, at the same action). After each success the plan is
// the plan as run, cut after its new divergence. With outputs (see
// Options.Outputs) the model judges each step of a candidate in the state
// the implementation's answers lead to, so a candidate is never refused
// for proposing a step the model then judges otherwise.

// sameDivergence reports whether b is the same failure as a for shrinking.
func sameDivergence(a, b *Divergence) bool {
	return b != nil && a.Kind == b.Kind && a.Action == b.Action
}

// cut returns p ending at step n (the divergent one).
func cut(p plan, n int) plan {
	p.Plan = p.Plan.Cut(n)
	return p
}

// shrink returns the smallest plan found that diverges like d, its
// divergence and the runs it took (engine.Shrinker's passes; a candidate
// must also keep the model's verdicts on every step).
func (r *runner[S]) shrink(p plan, d *Divergence) (plan, *Divergence, int) {
	best, div := cut(p.clone(), d.Step), d
	last := best.Plan
	try := func(c engine.Plan) (engine.Plan, bool) {
		cand := best
		cand.Plan = c
		out := r.runPlan(cand, false, nil)
		// The plan as run is what the saved trace records: with outputs,
		// the branches the implementation chose. It must be smaller than
		// the last one kept: a candidate that lowered an output's choice
		// runs as the implementation chooses, which may be the same plan
		// again.
		if out.err != nil || out.reject != "" || !sameDivergence(div, out.div) || !smaller(out.ran.Plan, last) {
			return engine.Plan{}, false
		}
		div, last = out.div, out.ran.Plan
		return out.ran.Plan, true
	}
	sh := engine.NewShrinker(best.Plan, try, r.set.ShrinkRuns)
	best.Plan = sh.Shrink()
	return best, div, sh.Runs
}

// smaller reports whether plan a comes before plan b in the order
// shrinking descends: fewer steps, then step by step the smaller action
// and choices (a path that is a prefix of another is smaller); init's
// choices first.
func smaller(a, b engine.Plan) bool {
	if len(a.Steps) != len(b.Steps) {
		return len(a.Steps) < len(b.Steps)
	}
	if c := slices.Compare(a.Init, b.Init); c != 0 {
		return c < 0
	}
	for i := range a.Steps {
		x, y := a.Steps[i], b.Steps[i]
		if x.Action != y.Action {
			return x.Action < y.Action
		}
		if c := slices.Compare(x.Path, y.Path); c != 0 {
			return c < 0
		}
	}
	return false
}
