package mbt

// Shrinking works on plans (the choice paths that produce a trace), in the
// manner of Hypothesis' choice-sequence shrinking: a candidate is kept when
// the model still accepts it (every step it allows is still allowed, every
// step it refuses still refused) and the implementation, Reset and driven
// again, still diverges the same way (same kind of divergence, at the same
// action). After each success the plan is cut after its new divergence.
//
// Passes, repeated while one makes progress and the budget lasts:
//  1. drop chunks of steps, halving the chunk size down to single steps;
//  2. lower each choice index of init and of each step: to 0, then to
//     half, then by one (earlier candidates of a pick: smaller amounts,
//     first names, fewer elements of a subset);
//  3. lower equal choices together, in every step where the same choice
//     position holds the same value (of the same action, or of any): the
//     same account picked by three steps becomes the first account in all
//     three, which no single change can do.

// sameDivergence reports whether b is the same failure as a for shrinking.
func sameDivergence(a, b *Divergence) bool {
	return b != nil && a.Kind == b.Kind && a.Action == b.Action
}

// cut returns p ending at step n (the divergent one).
func cut(p plan, n int) plan {
	if n < len(p.steps) {
		p.steps = p.steps[:n]
	}
	return p
}

type shrinker[S any] struct {
	r      *runner[S]
	best   plan
	div    *Divergence
	runs   int
	budget int
}

// try runs a candidate and keeps it when it diverges the same way.
func (s *shrinker[S]) try(c plan) bool {
	if s.runs >= s.budget {
		return false
	}
	s.runs++
	out := s.r.runPlan(c, false)
	if out.err != nil || out.reject != "" || !sameDivergence(s.div, out.div) {
		return false
	}
	s.best = cut(c, out.div.Step)
	s.div = out.div
	return true
}

// shrink returns the smallest plan found that diverges like d, its
// divergence and the runs it took.
func (r *runner[S]) shrink(p plan, d *Divergence) (plan, *Divergence, int) {
	s := &shrinker[S]{r: r, best: cut(p.clone(), d.Step), div: d, budget: r.set.ShrinkRuns}
	for s.runs < s.budget {
		progress := s.dropSteps()
		progress = s.lowerChoices() || progress
		progress = s.lowerTogether() || progress
		if !progress {
			break
		}
	}
	return s.best, s.div, s.runs
}

func (s *shrinker[S]) dropSteps() bool {
	progress := false
	for k := len(s.best.steps) / 2; k >= 1; k /= 2 {
		for i := 0; i+k <= len(s.best.steps) && s.runs < s.budget; {
			c := s.best.clone()
			c.steps = append(c.steps[:i], c.steps[i+k:]...)
			if s.try(c) {
				progress = true
				continue // the next chunk now starts at i
			}
			i++
		}
	}
	return progress
}

// choices returns the choice path of a step of p (-1: init), nil when p has
// no such step.
func choices(p plan, step int) []int {
	switch {
	case step < 0:
		return p.init
	case step < len(p.steps):
		return p.steps[step].path
	}
	return nil
}

func (s *shrinker[S]) lowerChoices() bool {
	progress := false
	for step := -1; step < len(s.best.steps); step++ {
		for j := 0; j < len(choices(s.best, step)); j++ {
			for s.runs < s.budget {
				path := choices(s.best, step)
				if j >= len(path) || path[j] == 0 {
					break
				}
				cur, ok := path[j], false
				for k, v := range []int{0, cur / 2, cur - 1} {
					if (k == 1 && v == 0) || (k == 2 && v <= cur/2) {
						continue // tried already
					}
					c := s.best.clone()
					choices(c, step)[j] = v
					if s.try(c) {
						ok, progress = true, true
						break
					}
				}
				if !ok {
					break
				}
			}
		}
	}
	return progress
}

func (s *shrinker[S]) lowerTogether() bool {
	type group struct{ action, pos, val int } // action -1: any action
	var groups []group
	count := map[group]int{}
	for _, st := range s.best.steps {
		for j, v := range st.path {
			if v == 0 {
				continue
			}
			for _, g := range []group{{st.action, j, v}, {-1, j, v}} {
				if count[g] == 0 {
					groups = append(groups, g)
				}
				count[g]++
			}
		}
	}
	progress := false
	for _, g := range groups {
		if count[g] < 2 || s.runs >= s.budget {
			continue
		}
		for k, nv := range []int{0, g.val - 1} {
			if k == 1 && nv == 0 {
				continue // tried already
			}
			c := s.best.clone()
			changed := false
			for i := range c.steps {
				st := &c.steps[i]
				if (g.action < 0 || st.action == g.action) && g.pos < len(st.path) && st.path[g.pos] == g.val {
					st.path[g.pos] = nv
					changed = true
				}
			}
			if changed && s.try(c) {
				progress = true
				break
			}
		}
	}
	return progress
}
