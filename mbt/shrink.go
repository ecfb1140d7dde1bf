package mbt

import "github.com/execspec/execspec/engine"

// A divergence is shrunk with engine.Shrinker's passes over plans: a
// candidate is kept when the model still accepts it (every step it allows
// is still allowed, every step it refuses still refused) and the
// implementation, Reset and driven again, still diverges the same way (same
// kind of divergence, at the same action). After each success the plan is
// cut after its new divergence.

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
	try := func(c engine.Plan) (engine.Plan, bool) {
		cand := best
		cand.Plan = c
		out := r.runPlan(cand, false)
		if out.err != nil || out.reject != "" || !sameDivergence(div, out.div) {
			return engine.Plan{}, false
		}
		div = out.div
		return c.Cut(out.div.Step), true
	}
	sh := engine.NewShrinker(best.Plan, try, r.set.ShrinkRuns)
	best.Plan = sh.Shrink()
	return best, div, sh.Runs
}
