package reference

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
)

type counter struct {
	N int
	L []int
}

// counterModel: N starts at 0 and grows by 1 or 2 while it stays at most
// 5. Its states 0..5 are at depths 1, 2, 2, 3, 3, 4; 10 are generated (1
// initial, then 2, 2, 2, 2, 1, 0 branches).
func counterModel(extra func(m *execspec.Model[counter])) *machine.Machine[counter] {
	m := execspec.NewModel[counter]("counter")
	m.Init(func(c *execspec.Ctx[counter]) {})
	m.Action("inc", func(c *execspec.Ctx[counter]) {
		i := execspec.IntRange(c, "i", 1, 2)
		c.S.N += i
		c.Assume(c.S.N <= 5) // after the write: the branch is dropped
	})
	if extra != nil {
		extra(m)
	}
	mc, err := machine.Compile(m)
	if err != nil {
		panic(err)
	}
	return mc
}

func explore(t *testing.T, mc *machine.Machine[counter], opts Options) *Result {
	t.Helper()
	res, err := Explore(t.Context(), mc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestExploreCounts(t *testing.T) {
	res := explore(t, counterModel(nil), Options{})
	var depths []int
	for _, s := range res.States {
		depths = append(depths, s.Depth)
	}
	if got := len(res.States); got != 6 || res.Generated != 10 || !res.Complete {
		t.Errorf("%d states, %d generated, complete %v; want 6, 10, true", got, res.Generated, res.Complete)
	}
	if want := []int{1, 2, 2, 3, 3, 4}; !slices.Equal(depths, want) {
		t.Errorf("depths %v, want %v", depths, want)
	}
	// The first path to state 4 (N=4) is 0 -> 2 -> 4.
	four := res.States[res.Index[Key(valueOf(counter{N: 4}))]]
	if p := res.States[four.Parent]; p.Key != Key(valueOf(counter{N: 2})) || four.Choices[0] != 1 {
		t.Errorf("state 4 reached from %s with choices %v", p.Key, four.Choices)
	}
}

func TestExploreVerdicts(t *testing.T) {
	mc := counterModel(func(m *execspec.Model[counter]) {
		m.Invariant("not4", func(s *counter) bool { return s.N != 4 })
		m.Example("five", func(s *counter) bool { return s.N == 5 })
	})
	res := explore(t, mc, Options{})
	if len(res.Findings) != 1 || res.Findings[0].Kind != findings.InvariantViolated || res.Findings[0].Property != "not4" || res.Findings[0].Depth != 3 {
		t.Errorf("findings %+v, want not4 violated at depth 3", res.Findings)
	}
	res = explore(t, mc, Options{Property: "five"})
	if len(res.Findings) != 1 || res.Findings[0].Kind != findings.ExampleFound || res.Findings[0].Depth != 4 {
		t.Errorf("findings %+v, want five found at depth 4", res.Findings)
	}
	if _, err := Explore(t.Context(), mc, Options{Property: "nope"}); err == nil || !strings.Contains(err.Error(), "not4") {
		t.Errorf("unknown property: %v", err)
	}
}

// A constraint has TLC's semantics: a successor outside it is judged,
// once, but neither stored nor expanded.
func TestExploreConstraint(t *testing.T) {
	mc := counterModel(func(m *execspec.Model[counter]) {
		m.Constraint("below4", func(s *counter) bool { return s.N < 4 })
		m.Invariant("not4", func(s *counter) bool { return s.N != 4 })
	})
	res := explore(t, mc, Options{})
	if len(res.States) != 4 || res.Generated != 9 {
		t.Errorf("%d states, %d generated; want 4, 9", len(res.States), res.Generated)
	}
	if len(res.Findings) != 1 || res.Findings[0].State != -1 || res.Findings[0].Property != "not4" {
		t.Errorf("findings %+v, want one on a state outside", res.Findings)
	}
}

func TestExploreDeadlockAndPanic(t *testing.T) {
	res := explore(t, counterModel(nil), Options{Deadlock: true})
	if len(res.Deadlocked) != 1 || res.States[res.Deadlocked[0]].Key != Key(valueOf(counter{N: 5})) {
		t.Errorf("deadlocked %v, want state 5", res.Deadlocked)
	}
	mc := counterModel(func(m *execspec.Model[counter]) {
		m.Action("boom", func(c *execspec.Ctx[counter]) {
			if c.S.N == 2 {
				panic("two")
			}
			c.Assume(false)
		})
	})
	res = explore(t, mc, Options{Deadlock: true})
	var panics int
	for _, f := range res.Findings {
		if f.Kind == findings.Panicked {
			panics++
			if f.Action != 1 || f.Key != Key(valueOf(counter{N: 2})) || f.Err == nil {
				t.Errorf("panic finding %+v", f)
			}
		}
	}
	if panics != 1 {
		t.Errorf("%d panics, want 1", panics)
	}
}

type pair struct{ A, B int }

// Under symmetry, states are identified by their orbits: the four states
// of two toggles are three orbits.
func TestExploreSymmetry(t *testing.T) {
	m := execspec.NewModel[pair]("pair")
	m.Init(func(c *execspec.Ctx[pair]) {})
	m.Action("toggle", func(c *execspec.Ctx[pair]) {
		if execspec.IntRange(c, "who", 0, 1) == 0 {
			c.S.A = 1 - c.S.A
		} else {
			c.S.B = 1 - c.S.B
		}
	})
	m.Symmetry("procs", 2, func(s *pair, perm []int) {
		if perm[0] == 1 {
			s.A, s.B = s.B, s.A
		}
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	for sym, want := range map[bool]int{false: 4, true: 3} {
		res, err := Explore(t.Context(), mc, Options{Symmetry: sym})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.States) != want {
			t.Errorf("symmetry %v: %d states, want %d", sym, len(res.States), want)
		}
	}
}

type data struct{ Last, Count int }

// With the data-pick reduction, the first enabled value of a trailing
// data pick stands for the others.
func TestExploreData(t *testing.T) {
	m := execspec.NewModel[data]("data")
	m.Init(func(c *execspec.Ctx[data]) {})
	m.Action("store", func(c *execspec.Ctx[data]) {
		c.Assume(c.S.Count < 2)
		c.S.Count++
		c.S.Last = execspec.IntRange(c, "v", 0, 2)
	})
	m.DataPicks("v")
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	for reduce, want := range map[bool]int{false: 7, true: 3} {
		res, err := Explore(t.Context(), mc, Options{Data: reduce})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.States) != want {
			t.Errorf("data reduction %v: %d states, want %d", reduce, len(res.States), want)
		}
	}
}

// A property that tells an empty slice as an action left it from the nil
// the state has is ambiguous: an error, not a verdict.
func TestExploreAmbiguousProperty(t *testing.T) {
	mc := counterModel(func(m *execspec.Model[counter]) {
		m.Action("clear", func(c *execspec.Ctx[counter]) { c.S.N, c.S.L = 9, []int{} })
		m.Invariant("nilL", func(s *counter) bool { return s.L == nil })
	})
	_, err := Explore(t.Context(), mc, Options{})
	if !errors.Is(err, ErrAmbiguousProperty) {
		t.Errorf("err = %v, want ErrAmbiguousProperty", err)
	}
}

func TestExploreMaxStates(t *testing.T) {
	res := explore(t, counterModel(nil), Options{MaxStates: 3})
	if res.Complete || len(res.States) < 3 {
		t.Errorf("%d states, complete %v; want at least 3, incomplete", len(res.States), res.Complete)
	}
}

// TestEnabledByReference: while Explore runs, the model's Enabled
// predicates run the action by the reference semantics, not by the
// evaluator bound before (the engines'), which comes back afterwards; the
// verdicts are ENABLED's: inc by 2 is enabled up to N = 3, so N = 4
// (depth 3) and N = 5 (depth 4) are examples.
func TestEnabledByReference(t *testing.T) {
	var two func(*counter) bool
	mc := counterModel(func(m *execspec.Model[counter]) {
		two = execspec.Enabled(m, "inc", execspec.Pick("i", 2))
		m.Invariant("two_below_4", func(s *counter) bool { return two(s) == (s.N <= 3) })
		m.Example("two_disabled", func(s *counter) bool { return !two(s) })
	})
	outer := 0
	restore := mc.UseEnabled(func(int, map[string]itf.Value, *counter) bool { outer++; return false })
	defer restore()
	res := explore(t, mc, Options{})
	if len(res.Findings) != 0 || outer != 0 {
		t.Fatalf("findings %v; the outer evaluator ran %d times", res.Findings, outer)
	}
	res = explore(t, mc, Options{Property: "two_disabled"})
	if len(res.Findings) != 2 || res.Findings[0].Kind != findings.ExampleFound || res.Findings[0].Depth != 3 {
		t.Fatalf("two_disabled: %+v", res.Findings)
	}
	if two(&counter{N: 0}); outer != 1 {
		t.Errorf("the evaluator bound before Explore is not back (%d calls)", outer)
	}
}
