package check_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
)

// counters are two processes' counters that count up to 2 and may then be
// reset: a reset is the third step of the shortest behaviour that breaks
// the step invariant "a counter never decreases". The processes are
// interchangeable (a symmetry).
type counters struct{ N [2]int }

func countersModel(withSymmetry bool) *execspec.Model[counters] {
	m := execspec.NewModel[counters]("counters")
	m.Init(func(c *execspec.Ctx[counters]) {})
	m.Action("inc", func(c *execspec.Ctx[counters]) {
		p := execspec.IntRange(c, "p", 0, 1)
		if c.Assume(c.S.N[p] < 2) {
			c.S.N[p]++
		}
	})
	m.Action("reset", func(c *execspec.Ctx[counters]) {
		p := execspec.IntRange(c, "p", 0, 1)
		if c.Assume(c.S.N[p] == 2) {
			c.S.N[p] = 0
		}
	})
	m.StepInvariant("monotonic", func(before, after *counters) bool {
		return after.N[0] >= before.N[0] && after.N[1] >= before.N[1]
	})
	if withSymmetry {
		m.Symmetry("procs", 2, func(s *counters, perm []int) {
			var n [2]int
			for i, v := range s.N {
				n[perm[i]] = v
			}
			s.N = n
		})
	}
	return m
}

func TestStepInvariant(t *testing.T) {
	for _, tc := range []struct {
		name string
		sym  bool
		opts check.Options
	}{
		{"bfs workers=1", false, check.Options{Workers: 1}},
		{"bfs workers=2", false, check.Options{Workers: 2}},
		{"bfs symmetry", true, check.Options{Workers: 2}},
		{"dfs", false, check.Options{Strategy: check.DFS}},
		{"dfs symmetry", true, check.Options{Strategy: check.DFS}},
		{"random-dfs", false, check.Options{Strategy: check.RandomDFS, Seed: 3}},
		{"random-dfs symmetry", true, check.Options{Strategy: check.RandomDFS, Seed: 4}},
		{"by name", false, check.Options{Workers: 1, Property: "monotonic"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, countersModel(tc.sym), tc.opts)
			if len(res.Findings) != 1 {
				t.Fatalf("%d findings, want 1 (stopped %s)", len(res.Findings), res.Stopped)
			}
			f := res.Findings[0]
			if f.Kind != findings.StepViolated || f.Property != "monotonic" {
				t.Fatalf("finding %s, want the step invariant monotonic violated", f.Headline())
			}
			// Shortest (BFS) or shrunk (DFS): inc, inc, reset.
			if got := actions(f); len(got) != 4 || got[3] != "reset" {
				t.Errorf("trace %v, want init and 3 steps ending in reset", got)
			}
			// The trace is genuine: it replays, and its last step breaks
			// the invariant.
			mc, err := machine.Compile(countersModel(tc.sym))
			if err != nil {
				t.Fatal(err)
			}
			var last engine.Verdict
			if err := engine.FollowSteps(mc, f.Trace, func(i int, before, s *counters) bool {
				last = engine.JudgeStep(mc, mc.StepInvariants(), before, s)
				return true
			}); err != nil {
				t.Fatalf("the trace does not replay: %v", err)
			}
			if last.Kind != findings.StepViolated {
				t.Errorf("the trace's last step is %v, want a violation", last)
			}
		})
	}
}

// TestActionConstraint checks TLC's ACTION_CONSTRAINT semantics: a step
// failing the constraint is generated but its successor is neither stored
// nor expanded, and a state whose every step fails it is no deadlock.
func TestActionConstraint(t *testing.T) {
	build := func(pred func(before, after *grid) bool) *execspec.Model[grid] {
		m := gridModel()
		m.ActionConstraint("bound", pred)
		return m
	}
	belowDiagonal := func(_, after *grid) bool { return after.Y <= after.X }
	notCorner := func(_, after *grid) bool { return after.X+after.Y < 6 }
	for _, strategy := range check.Strategies() {
		for _, workers := range []int{1, 2} {
			// The states with Y <= X: 10 of the 16. Generated: init, the
			// 6 steps right and the 9 steps up from them, 3 of which
			// (up from the diagonal) are excluded.
			res := run(t, build(belowDiagonal), check.Options{Strategy: strategy, Workers: workers, Property: "always"})
			if !res.Complete || len(res.Findings) != 0 {
				t.Fatalf("%s/%d: complete %v, findings %v", strategy, workers, res.Complete, res.Findings)
			}
			if res.Stats.Distinct != 10 || res.Stats.Generated != 16 {
				t.Errorf("%s/%d: %d distinct, %d generated; want 10, 16", strategy, workers, res.Stats.Distinct, res.Stats.Generated)
			}
			// Without the corner, (2, 3) and (3, 2) have steps, all
			// excluded: no deadlock, as in TLC.
			res = run(t, build(notCorner), check.Options{Strategy: strategy, Workers: workers, Property: "always", Deadlock: true})
			if !res.Complete || len(res.Findings) != 0 || res.Stats.Distinct != 15 {
				t.Errorf("%s/%d: complete %v, %d distinct, findings %v; want complete, 15, none", strategy, workers, res.Complete, res.Stats.Distinct, res.Findings)
			}
		}
	}
	// An invariant is still checked on the excluded successor, as TLC
	// does.
	m := build(belowDiagonal)
	m.Invariant("below", func(s *grid) bool { return s.Y <= s.X })
	res := run(t, m, check.Options{Workers: 1, Property: "below"})
	if len(res.Findings) != 1 || res.Findings[0].Kind != findings.InvariantViolated || len(res.Findings[0].Trace.Steps) != 2 {
		t.Fatalf("findings %v, want below violated after one step up", res.Findings)
	}
}
