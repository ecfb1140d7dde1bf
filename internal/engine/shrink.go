package engine

// Shrinking works on plans, in the manner of Hypothesis' choice-sequence
// shrinking: a candidate plan is kept when try accepts it (it still fails
// the same way), and try returns it cut after its failure. The passes,
// repeated while one makes progress and the budget lasts:
//
//  1. (with a model, see ShrinkModel) remove cycles: the steps between two
//     visits of the same state;
//  2. (with a model) take shortcuts: replace the steps from a state to a
//     later one by a single step that reaches the later state directly;
//  3. drop chunks of steps, halving the chunk size down to single steps
//     (steps that change nothing go this way);
//  4. lower each choice index of init and of each step: to 0, then to
//     half, then by one (earlier candidates of a pick: smaller amounts,
//     first names, fewer elements of a subset);
//  5. lower equal choices together, in every step where the same choice
//     position holds the same value (of the same action, or of any), which
//     no single change can do.
//
// Every candidate is verified by try, so a pass may propose anything; the
// result is never longer than the plan shrunk.

// Try runs a candidate plan and reports whether it fails the same way as
// the plan being shrunk, returning it cut after its failure.
type Try func(Plan) (Plan, bool)

// Shrinker shrinks one plan.
type Shrinker struct {
	// Best is the smallest failing plan found so far.
	Best Plan
	// Runs counts the candidates tried; Budget bounds them.
	Runs, Budget int
	try          Try
	// passes that need the model (cycles, shortcuts), run first.
	model []func(*Shrinker) bool
}

// NewShrinker returns a shrinker of p, which must fail (as try says), with
// a budget of candidate runs.
func NewShrinker(p Plan, try Try, budget int) *Shrinker {
	return &Shrinker{Best: p.Clone(), try: try, Budget: budget}
}

// Try runs a candidate and keeps it when it fails the same way and is no
// larger than the best so far.
func (s *Shrinker) Try(c Plan) bool {
	if s.Runs >= s.Budget {
		return false
	}
	s.Runs++
	got, ok := s.try(c)
	if !ok || len(got.Steps) > len(s.Best.Steps) {
		return false
	}
	s.Best = got
	return true
}

// Shrink runs the passes until none makes progress or the budget is spent,
// and returns the best plan.
func (s *Shrinker) Shrink() Plan {
	for s.Runs < s.Budget {
		progress := false
		for _, pass := range s.model {
			progress = pass(s) || progress
		}
		progress = s.dropSteps() || progress
		progress = s.lowerChoices() || progress
		progress = s.lowerTogether() || progress
		if !progress {
			break
		}
	}
	return s.Best
}

func (s *Shrinker) dropSteps() bool {
	progress := false
	for k := len(s.Best.Steps) / 2; k >= 1; k /= 2 {
		for i := 0; i+k <= len(s.Best.Steps) && s.Runs < s.Budget; {
			c := s.Best.Clone()
			c.Steps = append(c.Steps[:i], c.Steps[i+k:]...)
			if s.Try(c) {
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
func choices(p Plan, step int) []int {
	switch {
	case step < 0:
		return p.Init
	case step < len(p.Steps):
		return p.Steps[step].Path
	}
	return nil
}

func (s *Shrinker) lowerChoices() bool {
	progress := false
	for step := -1; step < len(s.Best.Steps); step++ {
		for j := 0; j < len(choices(s.Best, step)); j++ {
			for s.Runs < s.Budget {
				path := choices(s.Best, step)
				if j >= len(path) || path[j] == 0 {
					break
				}
				cur, ok := path[j], false
				for k, v := range []int{0, cur / 2, cur - 1} {
					if (k == 1 && v == 0) || (k == 2 && v <= cur/2) {
						continue // tried already
					}
					c := s.Best.Clone()
					choices(c, step)[j] = v
					if s.Try(c) {
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

func (s *Shrinker) lowerTogether() bool {
	type group struct{ action, pos, val int } // action -1: any action
	var groups []group
	count := map[group]int{}
	for _, st := range s.Best.Steps {
		for j, v := range st.Path {
			if v == 0 {
				continue
			}
			for _, g := range []group{{st.Action, j, v}, {-1, j, v}} {
				if count[g] == 0 {
					groups = append(groups, g)
				}
				count[g]++
			}
		}
	}
	progress := false
	for _, g := range groups {
		if count[g] < 2 || s.Runs >= s.Budget {
			continue
		}
		for k, nv := range []int{0, g.val - 1} {
			if k == 1 && nv == 0 {
				continue // tried already
			}
			c := s.Best.Clone()
			changed := false
			for i := range c.Steps {
				st := &c.Steps[i]
				if (g.action < 0 || st.Action == g.action) && g.pos < len(st.Path) && st.Path[g.pos] == g.val {
					st.Path[g.pos] = nv
					changed = true
				}
			}
			if changed && s.Try(c) {
				progress = true
				break
			}
		}
	}
	return progress
}
