package check_test

import (
	"context"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/validate"
)

// live is the state of the small models the temporal tests check.
type live struct {
	X    int
	On   bool
	Done bool
	Pos  [2]int
}

// liveCounter counts X from 0 up to 3 (deadlocked there), or without bound
// under the constraint x_le_3.
func liveCounter(bounded bool) *execspec.Model[live] {
	m := execspec.NewModel[live]("counter")
	m.Init(func(c *execspec.Ctx[live]) {})
	m.Action("inc", func(c *execspec.Ctx[live]) {
		if c.Assume(!bounded || c.S.X < 3) {
			c.S.X++
		}
	})
	if !bounded {
		m.Constraint("x_le_3", func(s *live) bool { return s.X <= 3 })
	}
	return m
}

// flicker has a switch toggled for ever and an action fire enabled only
// while it is on: weak fairness of fire does not make it fire (it is not
// continuously enabled), strong fairness does.
func flicker() *execspec.Model[live] {
	m := execspec.NewModel[live]("flicker")
	m.Init(func(c *execspec.Ctx[live]) {})
	m.Action("toggle", func(c *execspec.Ctx[live]) {
		if c.Assume(!c.S.Done) {
			c.S.On = !c.S.On
		}
	})
	m.Action("fire", func(c *execspec.Ctx[live]) {
		if c.Assume(c.S.On && !c.S.Done) {
			c.S.Done = true
		}
	})
	return m
}

// twoProcs has two processes, each stepping a position around 0, 1, 2 for
// ever.
func twoProcs() *execspec.Model[live] {
	m := execspec.NewModel[live]("twoprocs")
	m.Init(func(c *execspec.Ctx[live]) {})
	m.Action("step", func(c *execspec.Ctx[live]) {
		p := execspec.IntRange(c, "p", 0, 1)
		c.S.Pos[p] = (c.S.Pos[p] + 1) % 3
	})
	return m
}

func TestTemporalVerdicts(t *testing.T) {
	x3 := func(s *live) bool { return s.X == 3 }
	for _, c := range []struct {
		name     string
		model    func() *execspec.Model[live]
		formula  execspec.Formula[live]
		violated bool
		stutter  bool // the loop is one stuttering state
	}{
		{"eventually without fairness stutters at the start", func() *execspec.Model[live] { return liveCounter(true) },
			execspec.Eventually(x3), true, true},
		{"eventually under weak fairness", func() *execspec.Model[live] {
			m := liveCounter(true)
			m.WeakFair("inc")
			return m
		}, execspec.Eventually(x3), false, false},
		{"a deadlock stutters forever, whatever the fairness", func() *execspec.Model[live] {
			m := liveCounter(true)
			m.WeakFair("inc")
			return m
		}, execspec.Eventually(func(s *live) bool { return s.X == 4 }), true, true},
		{"always eventually fails once X stays at 3", func() *execspec.Model[live] {
			m := liveCounter(true)
			m.WeakFair("inc")
			return m
		}, execspec.AlwaysEventually(func(s *live) bool { return s.X < 3 }), true, true},
		{"eventually always holds at the deadlock", func() *execspec.Model[live] {
			m := liveCounter(true)
			m.WeakFair("inc")
			return m
		}, execspec.EventuallyAlways(x3), false, false},
		{"weak fairness lets fire flicker for ever", func() *execspec.Model[live] {
			m := flicker()
			m.WeakFair("toggle")
			m.WeakFair("fire")
			return m
		}, execspec.Eventually(func(s *live) bool { return s.Done }), true, false},
		{"strong fairness makes fire happen", func() *execspec.Model[live] {
			m := flicker()
			m.WeakFair("toggle")
			m.StrongFair("fire")
			return m
		}, execspec.Eventually(func(s *live) bool { return s.Done }), false, false},
		{"on leads to done fails when the switch may stay off", func() *execspec.Model[live] {
			m := flicker()
			m.StrongFair("fire")
			return m
		}, execspec.LeadsTo(func(s *live) bool { return s.On }, func(s *live) bool { return s.Done }), true, true},
		{"on leads to done, under strong fairness", func() *execspec.Model[live] {
			m := flicker()
			m.WeakFair("toggle")
			m.StrongFair("fire")
			return m
		}, execspec.LeadsTo(func(s *live) bool { return s.On }, func(s *live) bool { return s.Done }), false, false},
		{"on leads to done fails under weak fairness alone", func() *execspec.Model[live] {
			m := flicker()
			m.WeakFair("toggle", "fire")
			return m
		}, execspec.LeadsTo(func(s *live) bool { return s.On }, func(s *live) bool { return s.Done }), true, false},
		{"leads to always: off for ever after done", func() *execspec.Model[live] {
			m := flicker()
			m.WeakFair("toggle")
			m.StrongFair("fire")
			return m
		}, execspec.LeadsToAlways(func(s *live) bool { return s.Done }, func(s *live) bool { return s.Done }), false, false},
		{"fairness of the whole action starves process 1", func() *execspec.Model[live] {
			m := twoProcs()
			m.WeakFair("step")
			return m
		}, execspec.AlwaysEventually(func(s *live) bool { return s.Pos[1] == 2 }), true, false},
		{"fairness per process serves process 1", func() *execspec.Model[live] {
			m := twoProcs()
			m.WeakFair("step").Per("p")
			return m
		}, execspec.AlwaysEventually(func(s *live) bool { return s.Pos[1] == 2 }), false, false},
		// The graph is the constrained graph: inc stays enabled at X = 3
		// (its successor is outside the constraint), so weak fairness rules
		// out stuttering there, and no fair behaviour stays inside.
		{"constraint: no fair behaviour stays inside", func() *execspec.Model[live] {
			m := liveCounter(false)
			m.WeakFair("inc")
			return m
		}, execspec.Eventually(func(s *live) bool { return s.X == 5 }), false, false},
		{"constraint: without fairness the counter may stop", func() *execspec.Model[live] {
			return liveCounter(false)
		}, execspec.Eventually(x3), true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := c.model()
			m.Temporal("prop", c.formula)
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Liveness == nil || len(res.Liveness.Properties) != 1 {
				t.Fatalf("temporal property not checked: %+v", res.Liveness)
			}
			if got := len(res.Findings) > 0; got != c.violated {
				t.Fatalf("violated = %v, want %v (findings %v)", got, c.violated, res.Findings)
			}
			if !c.violated {
				if !res.Complete {
					t.Errorf("search incomplete: %s", res.Stopped)
				}
				return
			}
			f := res.Findings[0]
			if f.Kind != findings.LivenessViolated || f.Property != "prop" || f.Trace == nil || f.Trace.Loop == nil {
				t.Fatalf("finding %+v", f)
			}
			last := len(f.Trace.Steps) - 1
			if stutter := *f.Trace.Loop == last; stutter != c.stutter {
				t.Errorf("loop at %d of %d states: stuttering %v, want %v", *f.Trace.Loop, last+1, stutter, c.stutter)
			}
			checkLasso(t, mc, f.Trace)
		})
	}
}

// checkLasso fails t unless tr is a behaviour of mc (the closing step
// included) whose last state is its loop's first.
func checkLasso[S any](t *testing.T, mc *machine.Machine[S], tr *trace.Trace) {
	t.Helper()
	if msg := lassoProblem(mc, tr); msg != "" {
		t.Error(msg)
	}
}

// lassoProblem says what is wrong with a lasso, "" when nothing is.
func lassoProblem[S any](mc *machine.Machine[S], tr *trace.Trace) string {
	if tr.Loop == nil {
		return "not a lasso: no loop"
	}
	k, last := *tr.Loop, len(tr.Steps)-1
	if len(trace.DiffStates(tr.Vars, tr.Steps[k].State, tr.Steps[last].State)) != 0 {
		return "the last state is not the loop's first"
	}
	rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
	if err != nil {
		return "validate: " + err.Error()
	}
	if !rep.Valid() {
		return "the lasso does not replay: " + rep.Failure.Error()
	}
	return ""
}

// TestLassoProblem: the helper rejects a trace without a loop, a loop whose
// end differs from its start, and a step the model does not allow.
func TestLassoProblem(t *testing.T) {
	m := flicker()
	m.WeakFair("toggle", "fire")
	m.Temporal("prop", execspec.LeadsTo(func(s *live) bool { return s.On }, func(s *live) bool { return s.Done }))
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), mc, check.Options{Workers: 1})
	if err != nil || len(res.Findings) != 1 {
		t.Fatalf("%v %v", err, res)
	}
	good := res.Findings[0].Trace
	if p := lassoProblem(mc, good); p != "" {
		t.Fatalf("the lasso found is rejected: %s", p)
	}
	noLoop := *good
	noLoop.Loop = nil
	open := *good
	open.Steps = good.Steps[:len(good.Steps)-1]
	bad := *good
	bad.Steps = append([]trace.Step(nil), good.Steps...)
	bad.Steps[1].Action = "fire" // fire is not enabled in the initial state
	for name, tr := range map[string]*trace.Trace{"no loop": &noLoop, "open": &open, "bad step": &bad} {
		if lassoProblem(mc, tr) == "" {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestTemporalSelection: with no property every invariant and every
// temporal property are checked; naming a temporal property checks it
// alone; a limit makes the search incomplete, never a verdict that the
// property holds; symmetry is not used for the graph.
func TestTemporalSelection(t *testing.T) {
	build := func() *execspec.Model[live] {
		m := twoProcs()
		m.WeakFair("step").Per("p")
		m.Temporal("p1_moves", execspec.AlwaysEventually(func(s *live) bool { return s.Pos[1] == 2 }))
		m.Temporal("p0_stops", execspec.EventuallyAlways(func(s *live) bool { return s.Pos[0] == 0 }))
		m.Invariant("in_range", func(s *live) bool { return s.Pos[0] < 3 && s.Pos[1] < 3 })
		m.Symmetry("procs", 2, func(s *live, perm []int) {
			var p [2]int
			for i := range p {
				p[perm[i]] = s.Pos[i]
			}
			s.Pos = p
		})
		return m
	}
	for _, c := range []struct {
		name      string
		opts      check.Options
		checked   int
		findings  []string
		complete  bool
		graphSize int64
	}{
		{"all", check.Options{MaxFindings: 5}, 2, []string{"p0_stops"}, true, 9},
		{"one", check.Options{Property: "p1_moves"}, 1, nil, true, 9},
		{"limit", check.Options{Property: "p1_moves", MaxStates: 4, NoSymmetry: true}, 0, nil, false, 0},
		{"graph limit", check.Options{Property: "p1_moves", MaxStates: 7}, 1, nil, false, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			mc, err := machine.Compile(build())
			if err != nil {
				t.Fatal(err)
			}
			c.opts.Workers = 1
			res, err := check.Run(context.Background(), mc, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Property)
			}
			if len(got) != len(c.findings) || (len(got) > 0 && got[0] != c.findings[0]) {
				t.Errorf("findings %v, want %v", got, c.findings)
			}
			if res.Complete != c.complete {
				t.Errorf("complete %v (%s), want %v", res.Complete, res.Stopped, c.complete)
			}
			n := 0
			if res.Liveness != nil {
				n = len(res.Liveness.Properties)
				if c.graphSize >= 0 && res.Liveness.States != c.graphSize {
					t.Errorf("graph of %d states, want %d", res.Liveness.States, c.graphSize)
				}
			}
			if n != c.checked {
				t.Errorf("%d temporal properties checked, want %d", n, c.checked)
			}
		})
	}
}

// TestTemporalPanicAndStrategies: a formula's predicate that panics is a
// finding with the trace to the state, and the verdicts do not depend on
// the strategy of the safety search.
func TestTemporalPanicAndStrategies(t *testing.T) {
	for _, strategy := range check.Strategies() {
		m := liveCounter(true)
		m.WeakFair("inc")
		m.Temporal("reaches3", execspec.Eventually(func(s *live) bool { return s.X == 3 }))
		m.Temporal("boom", execspec.Eventually(func(s *live) bool {
			if s.X == 2 {
				panic("two")
			}
			return false
		}))
		mc, err := machine.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		res, err := check.Run(context.Background(), mc, check.Options{Strategy: strategy, Seed: 1, Workers: 1, Property: "reaches3"})
		if err != nil || !res.Complete || len(res.Findings) > 0 {
			t.Fatalf("%s: reaches3: %v, complete %v, %v", strategy, err, res.Complete, res.Findings)
		}
		res, err = check.Run(context.Background(), mc, check.Options{Strategy: strategy, Seed: 1, Workers: 1, Property: "boom"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != 1 || res.Findings[0].Kind != findings.Panicked || res.Findings[0].Property != "boom" || len(res.Findings[0].Trace.Steps) != 3 {
			t.Fatalf("%s: boom: %v", strategy, res.Findings)
		}
	}
}

// TestLassoDeterministic: the lasso does not depend on the workers or the
// strategy of the safety search: byte-identical ITF.
func TestLassoDeterministic(t *testing.T) {
	var first string
	for _, strategy := range check.Strategies() {
		for _, workers := range []int{1, 2} {
			m := twoProcs()
			m.WeakFair("step")
			m.Temporal("p1_moves", execspec.AlwaysEventually(func(s *live) bool { return s.Pos[1] == 2 }))
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Strategy: strategy, Workers: workers, Seed: 3})
			if err != nil || len(res.Findings) != 1 {
				t.Fatalf("%v %v", err, res)
			}
			var b strings.Builder
			if err := res.Findings[0].Trace.ToITF().Encode(&b); err != nil {
				t.Fatal(err)
			}
			if first == "" {
				first = b.String()
			} else if b.String() != first {
				t.Errorf("%s, %d workers: a different lasso:\n%s\nwant\n%s", strategy, workers, b.String(), first)
			}
		}
	}
	if !strings.Contains(first, `"loop"`) {
		t.Errorf("no loop in the ITF: %s", first)
	}
}
