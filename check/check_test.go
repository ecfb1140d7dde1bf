package check_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/itf"
)

// grid is a 4x4 grid walked from (0, 0) by incrementing X or Y: 16 states,
// TLC depth 7 (6 steps to (3, 3)).
type grid struct{ X, Y int }

func gridModel() *execspec.Model[grid] {
	m := execspec.NewModel[grid]("grid")
	m.Init(func(c *execspec.Ctx[grid]) {})
	m.Action("right", func(c *execspec.Ctx[grid]) {
		if c.Assume(c.S.X < 3) {
			c.S.X++
		}
	})
	m.Action("up", func(c *execspec.Ctx[grid]) {
		if c.Assume(c.S.Y < 3) {
			c.S.Y++
		}
	})
	m.Invariant("sum_below_5", func(s *grid) bool { return s.X+s.Y < 5 })
	m.Invariant("always", func(s *grid) bool { return true })
	m.Example("corner", func(s *grid) bool { return s.X == 3 && s.Y == 3 })
	m.Example("outside", func(s *grid) bool { return s.X > 3 })
	return m
}

func run[S any](t *testing.T, m *execspec.Model[S], opts check.Options) *check.Result {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), mc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// actions returns a trace's action names.
func actions(f findings.Finding) []string {
	var out []string
	for _, s := range f.Trace.Steps {
		out = append(out, s.Action)
	}
	return out
}

func TestCountsAndDepth(t *testing.T) {
	for _, strategy := range check.Strategies() {
		for _, workers := range []int{1, 2, 3} {
			res := run(t, gridModel(), check.Options{Strategy: strategy, Workers: workers, Property: "always", Seed: 5})
			if !res.Complete || res.Stopped != findings.Exhausted || len(res.Findings) != 0 {
				t.Fatalf("%s/%d: complete %v stopped %s findings %d", strategy, workers, res.Complete, res.Stopped, len(res.Findings))
			}
			if res.Stats.Distinct != 16 || res.Stats.Generated != 25 {
				t.Errorf("%s/%d: %d distinct, %d generated; want 16, 25", strategy, workers, res.Stats.Distinct, res.Stats.Generated)
			}
			if strategy == check.BFS {
				if res.Stats.Depth != 7 || len(res.Stats.Levels) != 7 {
					t.Errorf("depth %d, %d levels; want 7", res.Stats.Depth, len(res.Stats.Levels))
				}
				var sum int64
				for i, l := range res.Stats.Levels {
					sum += l.Distinct
					if want := int64(min(i+1, 7-i)); l.Distinct != want {
						t.Errorf("level %d: %d states, want %d", l.Depth, l.Distinct, want)
					}
				}
				if sum != 16 {
					t.Errorf("levels sum to %d", sum)
				}
			}
		}
	}
}

func TestBFSShortestAndDeterministic(t *testing.T) {
	var first *check.Result
	for i, workers := range []int{1, 1, 2, 4} {
		res := run(t, gridModel(), check.Options{Workers: workers, Property: "sum_below_5"})
		if len(res.Findings) != 1 || res.Findings[0].Kind != findings.InvariantViolated {
			t.Fatalf("workers %d: findings %+v", workers, res.Findings)
		}
		f := res.Findings[0]
		if n := len(f.Trace.Steps) - 1; n != 5 {
			t.Errorf("workers %d: violation after %d steps, want 5 (shortest)", workers, n)
		}
		if res.Complete || res.Stopped != findings.StoppedFindings {
			t.Errorf("stopped %s, complete %v", res.Stopped, res.Complete)
		}
		if i == 0 {
			first = res
			continue
		}
		if !reflect.DeepEqual(actions(f), actions(first.Findings[0])) {
			t.Errorf("workers %d: trace %v differs from %v", workers, actions(f), actions(first.Findings[0]))
		}
		if res.Stats.Distinct != first.Stats.Distinct {
			t.Errorf("workers %d: %d distinct states, first run %d", workers, res.Stats.Distinct, first.Stats.Distinct)
		}
	}
	// The canonical counterexample: actions in definition order, so right
	// first as far as it goes.
	if got, want := actions(first.Findings[0]), []string{"init", "right", "right", "right", "up", "up"}; !reflect.DeepEqual(got, want) {
		t.Errorf("trace %v, want %v", got, want)
	}
	last := first.Findings[0].Trace.Steps[5].State
	if x, _ := last["X"].AsInt64(); x != 3 {
		t.Errorf("last state %v", last)
	}
}

func TestExamples(t *testing.T) {
	res := run(t, gridModel(), check.Options{Property: "corner"})
	if len(res.Findings) != 1 || res.Findings[0].Kind != findings.ExampleFound || len(res.Findings[0].Trace.Steps) != 7 {
		t.Fatalf("corner: %+v", res.Findings)
	}
	res = run(t, gridModel(), check.Options{Property: "outside"})
	if len(res.Findings) != 0 || !res.Complete || res.PropertyKind != machine.Example {
		t.Fatalf("outside: findings %d complete %v kind %v", len(res.Findings), res.Complete, res.PropertyKind)
	}
	mc, _ := machine.Compile(gridModel())
	_, err := check.Run(context.Background(), mc, check.Options{Property: "nope"})
	var unknown *execspec.UnknownNameError
	if !errors.As(err, &unknown) || len(unknown.Valid) != 4 {
		t.Fatalf("unknown property: %v", err)
	}
}

func TestMaxFindings(t *testing.T) {
	for _, workers := range []int{1, 2} {
		res := run(t, gridModel(), check.Options{Workers: workers, Property: "sum_below_5", MaxFindings: 3})
		// (3, 2) and (2, 3) after 5 steps, then (3, 3) after 6.
		if len(res.Findings) != 3 {
			t.Fatalf("%d findings", len(res.Findings))
		}
		for i, f := range res.Findings {
			if want := []int{6, 6, 7}[i]; f.Trace.Len() != want {
				t.Errorf("finding %d after %d steps, want %d", i, f.Trace.Len()-1, want-1)
			}
		}
		if res.Complete {
			t.Error("complete, though the search stopped at the third finding")
		}
		res = run(t, gridModel(), check.Options{Workers: workers, Property: "sum_below_5", MaxFindings: 100})
		if len(res.Findings) != 3 || !res.Complete {
			t.Errorf("all violations: %d findings (want 3), complete %v", len(res.Findings), res.Complete)
		}
	}
}

// counter counts up forever; with the constraint it is bounded.
type counter struct{ N int }

func counterModel(limit int, constrained bool) *execspec.Model[counter] {
	m := execspec.NewModel[counter]("counter")
	m.Init(func(c *execspec.Ctx[counter]) {})
	m.Action("inc", func(c *execspec.Ctx[counter]) {
		if c.Assume(limit < 0 || c.S.N < limit) {
			c.S.N++
		}
	})
	if constrained {
		m.Constraint("small", func(s *counter) bool { return s.N <= 5 })
	}
	m.Invariant("non_negative", func(s *counter) bool { return s.N >= 0 })
	return m
}

func TestConstraint(t *testing.T) {
	for _, strategy := range check.Strategies() {
		res := run(t, counterModel(-1, true), check.Options{Strategy: strategy})
		// TLC's CONSTRAINT: 0..5 are stored and expanded; 6 fails the
		// constraint: its invariants are checked, but it is neither
		// counted nor expanded.
		if !res.Complete || res.Stats.Distinct != 6 || len(res.Findings) != 0 {
			t.Errorf("%s: complete %v, %d distinct, %d findings; want complete, 6, none", strategy, res.Complete, res.Stats.Distinct, len(res.Findings))
		}
	}
}

// A state outside the constraint is still judged: a violation there is
// reported (once, however often the state is generated), with its trace.
func TestConstraintChecksInvariantsOutside(t *testing.T) {
	m := counterModel(-1, true)
	m.Invariant("at_most_5", func(s *counter) bool { return s.N <= 5 })
	// a second way into 6 and beyond, so the state outside is generated twice
	m.Action("jump", func(c *execspec.Ctx[counter]) {
		if c.Assume(c.S.N == 4) {
			c.S.N = 6
		}
	})
	for _, strategy := range check.Strategies() {
		res := run(t, m, check.Options{Strategy: strategy, MaxFindings: 3})
		if len(res.Findings) != 1 {
			t.Fatalf("%s: %d findings, want 1 (the state outside, once): %+v", strategy, len(res.Findings), res.Findings)
		}
		f := res.Findings[0]
		if f.Kind != findings.InvariantViolated || f.Property != "at_most_5" {
			t.Errorf("%s: finding %s %s", strategy, f.Kind, f.Property)
		}
		last := f.Trace.Steps[len(f.Trace.Steps)-1].State["N"]
		if last.String() != "6" {
			t.Errorf("%s: trace ends at N=%s, want 6", strategy, last)
		}
		if strategy == check.BFS && f.Trace.Len() != 6 {
			t.Errorf("bfs: trace of %d states, want the shortest (6: init, 4 incs, jump)", f.Trace.Len())
		}
		if res.Stats.Distinct != 6 || !res.Complete {
			t.Errorf("%s: %d distinct, complete %v; want 6, complete", strategy, res.Stats.Distinct, res.Complete)
		}
	}
}

func TestDeadlock(t *testing.T) {
	for _, strategy := range check.Strategies() {
		res := run(t, counterModel(3, false), check.Options{Strategy: strategy, Deadlock: true})
		if len(res.Findings) != 1 || res.Findings[0].Kind != findings.Deadlocked || res.Findings[0].Trace.Len() != 4 {
			t.Fatalf("%s: %+v", strategy, res.Findings)
		}
		res = run(t, counterModel(3, false), check.Options{Strategy: strategy})
		if len(res.Findings) != 0 || !res.Complete {
			t.Fatalf("%s without Deadlock: %+v", strategy, res.Findings)
		}
	}
}

func TestIncompleteNeverSucceeds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		opts check.Options
		want findings.Stop
	}{
		{"max states bfs", context.Background(), check.Options{MaxStates: 50}, findings.StoppedMaxStates},
		{"max states dfs", context.Background(), check.Options{MaxStates: 50, Strategy: check.DFS}, findings.StoppedMaxStates},
		{"max depth bfs", context.Background(), check.Options{MaxDepth: 20}, findings.StoppedMaxDepth},
		{"max depth dfs", context.Background(), check.Options{MaxDepth: 20, Strategy: check.DFS}, findings.StoppedMaxDepth},
		{"timeout bfs", context.Background(), check.Options{Timeout: 20 * time.Millisecond}, findings.StoppedTimeout},
		{"timeout dfs", context.Background(), check.Options{Timeout: 20 * time.Millisecond, Strategy: check.RandomDFS}, findings.StoppedTimeout},
		{"interrupted", ctx, check.Options{}, findings.StoppedInterrupted},
		{"memory", context.Background(), check.Options{MemoryBytes: 64 << 10}, findings.StoppedMemory},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mc, _ := machine.Compile(counterModel(-1, false))
			res, err := check.Run(tc.ctx, mc, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Complete || res.Stopped != tc.want || len(res.Findings) != 0 {
				t.Fatalf("complete %v, stopped %s (want %s), findings %d", res.Complete, res.Stopped, tc.want, len(res.Findings))
			}
			if tc.opts.MaxStates > 0 && res.Stats.Distinct != tc.opts.MaxStates {
				t.Errorf("%d distinct states, want exactly %d", res.Stats.Distinct, tc.opts.MaxStates)
			}
			if tc.opts.MaxDepth > 0 && res.Stats.Distinct != int64(tc.opts.MaxDepth)+1 {
				t.Errorf("%d distinct states, want %d", res.Stats.Distinct, tc.opts.MaxDepth+1)
			}
		})
	}
	// A bound the state space fits in leaves the search complete.
	res := run(t, counterModel(10, false), check.Options{MaxDepth: 10})
	if !res.Complete || res.Stats.Distinct != 11 {
		t.Errorf("depth bound 10 on 11 states: complete %v, %d states", res.Complete, res.Stats.Distinct)
	}
}

// detour is a model on which a depth-bounded DFS that marks a state visited
// at its first, deep encounter misses a violation: DFS reaches T = 10 first
// by 0 -> 1 -> 2 -> 10, at the bound, and only then by the jump 0 -> 10,
// from which the violation 11 is one step away, within the bound.
type detour struct{ N int }

func detourModel() *execspec.Model[detour] {
	m := execspec.NewModel[detour]("detour")
	m.Init(func(c *execspec.Ctx[detour]) {})
	m.Action("step", func(c *execspec.Ctx[detour]) {
		switch {
		case c.S.N < 2:
			c.S.N++
		case c.S.N == 2:
			c.S.N = 10
		default:
			c.Assume(false)
		}
	})
	m.Action("jump", func(c *execspec.Ctx[detour]) {
		if c.Assume(c.S.N == 0) {
			c.S.N = 10
		}
	})
	m.Action("bad", func(c *execspec.Ctx[detour]) {
		if c.Assume(c.S.N == 10) {
			c.S.N = 11
		}
	})
	m.Invariant("not_11", func(s *detour) bool { return s.N != 11 })
	return m
}

func TestDFSDepthBoundIsSound(t *testing.T) {
	res := run(t, detourModel(), check.Options{Strategy: check.DFS, MaxDepth: 3})
	if len(res.Findings) != 1 {
		t.Fatalf("the violation two steps from init was missed under a depth bound of 3: %+v, stopped %s", res.Findings, res.Stopped)
	}
	if got := actions(res.Findings[0]); !reflect.DeepEqual(got, []string{"init", "jump", "bad"}) {
		t.Errorf("trace %v", got)
	}
	// Without the violation reachable within the bound, the search is
	// incomplete, not clean.
	res = run(t, detourModel(), check.Options{Strategy: check.DFS, MaxDepth: 1})
	if len(res.Findings) != 0 || res.Complete || res.Stopped != findings.StoppedMaxDepth {
		t.Errorf("bound 1: findings %d, complete %v, stopped %s", len(res.Findings), res.Complete, res.Stopped)
	}
}

func TestRandomDFSSeeds(t *testing.T) {
	traces := map[string]bool{}
	for seed := uint64(0); seed < 20; seed++ {
		a := run(t, gridModel(), check.Options{Strategy: check.RandomDFS, Seed: seed, Property: "sum_below_5"})
		b := run(t, gridModel(), check.Options{Strategy: check.RandomDFS, Seed: seed, Property: "sum_below_5"})
		if len(a.Findings) != 1 || !reflect.DeepEqual(actions(a.Findings[0]), actions(b.Findings[0])) || a.Stats.Generated != b.Stats.Generated || a.Stats.Distinct != b.Stats.Distinct {
			t.Fatalf("seed %d does not replay", seed)
		}
		traces[fmt.Sprint(actions(a.Findings[0]))] = true
	}
	if len(traces) < 3 {
		t.Errorf("20 seeds gave only %d different traces", len(traces))
	}
}

// tokens are three interchangeable processes, each at stage 0, 1 or 2.
type tokens struct{ Stage [3]int }

func tokensModel() *execspec.Model[tokens] {
	m := execspec.NewModel[tokens]("tokens")
	m.Init(func(c *execspec.Ctx[tokens]) {})
	m.Action("advance", func(c *execspec.Ctx[tokens]) {
		i := execspec.IntRange(c, "p", 0, 2)
		if c.Assume(c.S.Stage[i] < 2) {
			c.S.Stage[i]++
		}
	})
	m.Symmetry("p", 3, func(s *tokens, perm []int) {
		var out [3]int
		for i, st := range s.Stage {
			out[perm[i]] = st
		}
		s.Stage = out
	})
	m.Invariant("ok", func(*tokens) bool { return true })
	return m
}

func TestSymmetry(t *testing.T) {
	for _, strategy := range check.Strategies() {
		plain := run(t, tokensModel(), check.Options{Strategy: strategy, NoSymmetry: true})
		sym := run(t, tokensModel(), check.Options{Strategy: strategy})
		// 3^3 states; orbits are the multisets of 3 stages: C(5, 3) = 10.
		if plain.Stats.Distinct != 27 || sym.Stats.Distinct != 10 {
			t.Errorf("%s: %d states without symmetry (want 27), %d with (want 10)", strategy, plain.Stats.Distinct, sym.Stats.Distinct)
		}
		if len(sym.Symmetries) != 1 || len(plain.Symmetries) != 0 {
			t.Errorf("symmetries reported: %v / %v", sym.Symmetries, plain.Symmetries)
		}
	}
}

// boom panics in an action, an invariant or init depending on its mode.
type boom struct{ N int }

func boomModel(where string) *execspec.Model[boom] {
	m := execspec.NewModel[boom]("boom")
	m.Init(func(c *execspec.Ctx[boom]) {
		if where == "init" {
			panic("init exploded")
		}
	})
	m.Action("inc", func(c *execspec.Ctx[boom]) {
		k := execspec.IntRange(c, "k", 1, 2)
		if where == "action" && c.S.N == 2 && k == 2 {
			var m map[string]int
			m["x"] = 1
		}
		if c.Assume(c.S.N < 5) {
			c.S.N += k
		}
	})
	m.Invariant("fine", func(s *boom) bool {
		if where == "invariant" && s.N == 3 {
			panic("invariant exploded")
		}
		return true
	})
	return m
}

func TestPanicsAreFindings(t *testing.T) {
	for _, tc := range []struct {
		where    string
		steps    int
		property string
	}{
		{"init", 0, ""},
		{"action", 2, ""},
		{"invariant", 2, "fine"},
	} {
		for _, strategy := range check.Strategies() {
			res := run(t, boomModel(tc.where), check.Options{Strategy: strategy})
			if len(res.Findings) != 1 {
				t.Fatalf("%s/%s: findings %+v", tc.where, strategy, res.Findings)
			}
			f := res.Findings[0]
			var pe *machine.PanicError
			if f.Kind != findings.Panicked || !errors.As(f.Err, &pe) || f.Property != tc.property {
				t.Fatalf("%s/%s: %+v", tc.where, strategy, f)
			}
			if strategy == check.BFS && f.Trace.Len()-1 != tc.steps {
				t.Errorf("%s: panic after %d steps, want %d", tc.where, f.Trace.Len()-1, tc.steps)
			}
			if tc.where == "action" {
				last := f.Trace.Steps[f.Trace.Len()-1]
				if last.Action != "inc" || len(last.Picks) != 1 || !itf.Equal(last.Picks[0].Value, itf.Int(2)) {
					t.Errorf("the panicking step is not shown with its picks: %+v", last)
				}
			}
		}
	}
}

// data has a control pick and a data pick; the data is never inspected.
type data struct {
	Steps   int
	Payload []int
}

func dataModel() *execspec.Model[data] {
	m := execspec.NewModel[data]("data")
	m.Init(func(c *execspec.Ctx[data]) {})
	m.Action("send", func(c *execspec.Ctx[data]) {
		if !c.Assume(c.S.Steps < 3) {
			return
		}
		c.S.Steps += execspec.IntRange(c, "by", 1, 2)
		c.S.Payload = append(c.S.Payload, execspec.IntRange(c, "payload", 0, 99))
	})
	m.DataPicks("payload")
	m.Invariant("short", func(s *data) bool { return s.Steps < 4 })
	return m
}

func TestDataPicks(t *testing.T) {
	reduced := run(t, dataModel(), check.Options{Property: "short"})
	all := run(t, dataModel(), check.Options{Property: "short", AllData: true})
	if len(reduced.DataPicks) != 1 || len(all.DataPicks) != 0 {
		t.Errorf("data picks reported: %v / %v", reduced.DataPicks, all.DataPicks)
	}
	for _, res := range []*check.Result{reduced, all} {
		if len(res.Findings) != 1 || res.Findings[0].Trace.Len() != 3 {
			t.Fatalf("violation: %+v", res.Findings)
		}
	}
	reduced = run(t, dataModel(), check.Options{Property: "short", MaxFindings: 1000})
	all = run(t, dataModel(), check.Options{Property: "short", MaxFindings: 1000, AllData: true})
	// Steps reach 0..4 by the same paths either way; only payloads differ.
	if reduced.Stats.Distinct >= all.Stats.Distinct || reduced.Stats.Distinct != 8 {
		t.Errorf("%d distinct states reduced (want 8), %d with all data", reduced.Stats.Distinct, all.Stats.Distinct)
	}
}

func TestTestHelper(t *testing.T) {
	check.Test(t, gridModel(), check.Options{Property: "corner"})
	check.Test(t, counterModel(-1, true), check.Options{})
}

func TestBadOptions(t *testing.T) {
	mc, _ := machine.Compile(gridModel())
	for _, o := range []check.Options{{Workers: -1}, {Strategy: "sideways"}, {MaxDepth: -1}, {MaxStates: -1}, {MemoryBytes: -5}} {
		if _, err := check.Run(context.Background(), mc, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestFingerprint128(t *testing.T) {
	for _, strategy := range check.Strategies() {
		res := run(t, gridModel(), check.Options{Strategy: strategy, Property: "always", Fingerprint128: true})
		if res.Stats.Distinct != 16 || !res.Fingerprint128 || res.Collision > 1e-30 {
			t.Errorf("%s: %d distinct, collision %g", strategy, res.Stats.Distinct, res.Collision)
		}
	}
}

func TestProgress(t *testing.T) {
	calls := make(chan check.Stats, 1000)
	mc, _ := machine.Compile(counterModel(-1, false))
	res, err := check.Run(context.Background(), mc, check.Options{
		Timeout: 50 * time.Millisecond, ProgressEvery: time.Millisecond,
		Progress: func(s check.Stats) {
			select {
			case calls <- s:
			default:
			}
		},
	})
	if err != nil || res.Stopped != findings.StoppedTimeout {
		t.Fatalf("%v, %v", err, res.Stopped)
	}
	if len(calls) == 0 {
		t.Fatal("no progress reported in 50ms at 1ms intervals")
	}
}

func TestNoInitialState(t *testing.T) {
	m := execspec.NewModel[counter]("empty")
	m.Init(func(c *execspec.Ctx[counter]) { c.Assume(false) })
	m.Action("inc", func(c *execspec.Ctx[counter]) { c.S.N++ })
	mc, _ := machine.Compile(m)
	for _, strategy := range check.Strategies() {
		if _, err := check.Run(context.Background(), mc, check.Options{Strategy: strategy}); err == nil {
			t.Errorf("%s: no error for a model without initial states", strategy)
		}
	}
}

// The statistics of an interrupted search never fall below what progress
// reported: the states of the level it stopped in count as found.
func TestInterruptedStatsAgreeWithProgress(t *testing.T) {
	type big struct{ X, Y int }
	m := execspec.NewModel[big]("big")
	m.Init(func(c *execspec.Ctx[big]) {})
	m.Action("x", func(c *execspec.Ctx[big]) {
		if c.Assume(c.S.X < 2000) {
			c.S.X++
		}
	})
	m.Action("y", func(c *execspec.Ctx[big]) {
		if c.Assume(c.S.Y < 2000) {
			c.S.Y++
		}
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen check.Stats
	calls := 0
	res, err := check.Run(ctx, mc, check.Options{Workers: 2, ProgressEvery: time.Millisecond, Progress: func(st check.Stats) {
		seen = st
		if calls++; calls == 3 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped == findings.StoppedInterrupted && (res.Stats.Distinct < seen.Distinct || res.Stats.Generated < seen.Generated) {
		t.Errorf("final %d distinct / %d generated, below the progress report's %d / %d", res.Stats.Distinct, res.Stats.Generated, seen.Distinct, seen.Generated)
	}
}

// The rate counts the states a search found, not those it restored.
func TestStatesPerSecond(t *testing.T) {
	for _, tc := range []struct {
		st   check.Stats
		want float64
	}{
		{check.Stats{Distinct: 100, Elapsed: 2 * time.Second}, 50},
		{check.Stats{Distinct: 100, Resumed: 60, Elapsed: 2 * time.Second}, 20},
		{check.Stats{Distinct: 100}, 0},
	} {
		if got := tc.st.StatesPerSecond(); got != tc.want {
			t.Errorf("%+v: %v states/s, want %v", tc.st, got, tc.want)
		}
	}
}

// TestMaxStatesAtALevelsChunk: MaxStates reached exactly by the chunks of
// a level expanded first, while a later chunk of the level would add more
// states, stops the search (it once skipped the later chunks and called
// the search complete).
func TestMaxStatesAtALevelsChunk(t *testing.T) {
	type st struct{ X int }
	// 200 states after the initial one; the first 100 of them have one
	// successor each, new, which has none.
	m := execspec.NewModel[st]("wide")
	m.Init(func(c *execspec.Ctx[st]) {})
	m.Action("spread", func(c *execspec.Ctx[st]) {
		i := execspec.IntRange(c, "i", 1, 200)
		if c.Assume(c.S.X == 0) {
			c.S.X = i
		}
	})
	m.Action("step", func(c *execspec.Ctx[st]) {
		if c.Assume(c.S.X >= 1 && c.S.X <= 100) {
			c.S.X += 1000
		}
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	for limit := int64(202); limit <= 300; limit++ {
		for _, w := range []int{1, 2, 4} {
			res, err := check.Run(context.Background(), mc, check.Options{Workers: w, MaxStates: limit})
			if err != nil {
				t.Fatal(err)
			}
			if res.Complete || res.Stopped != findings.StoppedMaxStates || res.Stats.Distinct != limit {
				t.Errorf("max states %d, %d workers: complete %v (%s), %d states", limit, w, res.Complete, res.Stopped, res.Stats.Distinct)
			}
		}
	}
	res, err := check.Run(context.Background(), mc, check.Options{MaxStates: 301})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete || res.Stats.Distinct != 301 {
		t.Errorf("max states 301 on 301 states: complete %v, %d states", res.Complete, res.Stats.Distinct)
	}
}
