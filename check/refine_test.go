package check_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/twophase"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
)

// low counts X from 0 to 3 and toggles Z, a detail the high model does not
// have; high counts Y from 0 up to top.
type (
	lowState  struct{ X, Z int }
	highState struct{ Y int }
)

func lowCounter() *execspec.Model[lowState] {
	m := execspec.NewModel[lowState]("low")
	m.Init(func(c *execspec.Ctx[lowState]) {})
	m.Action("inc", func(c *execspec.Ctx[lowState]) {
		if c.Assume(c.S.X < 3) {
			c.S.X++
		}
	})
	m.Action("toggle", func(c *execspec.Ctx[lowState]) { c.S.Z = 1 - c.S.Z })
	return m
}

func highCounter(top int) *execspec.Model[highState] {
	m := execspec.NewModel[highState]("high")
	m.Init(func(c *execspec.Ctx[highState]) {})
	m.Action("up", func(c *execspec.Ctx[highState]) {
		n := execspec.IntRange(c, "by", 1, 1)
		if c.Assume(c.S.Y+n <= top) {
			c.S.Y += n
		}
	})
	return m
}

func runRefinement(t testing.TB, m *execspec.Model[lowState], opts check.Options) *check.Result {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatalf("%v", err)
		return nil
	}
	res, err := check.Run(context.Background(), mc, opts)
	if err != nil {
		t.Fatalf("%v", err)
		return nil
	}
	return res
}

// runRefinement fails the test, returning nothing, for a model that does
// not compile and for a search that cannot run.
func TestRunRefinementFailurePaths(t *testing.T) {
	broken := execspec.NewModel[lowState]("broken") // no Init, no actions
	rec := &recordingTB{TB: t}
	if res := runRefinement(rec, broken, check.Options{}); res != nil || len(rec.errors) != 1 {
		t.Errorf("a model that does not compile: result %v, errors %q", res, rec.errors)
	}
	rec = &recordingTB{TB: t}
	if res := runRefinement(rec, lowCounter(), check.Options{Property: "nope"}); res != nil || len(rec.errors) != 1 {
		t.Errorf("an unknown property: result %v, errors %q", res, rec.errors)
	}
	rec = &recordingTB{TB: t}
	if res := runRefinement(rec, lowCounter(), check.Options{}); res == nil || len(rec.errors) != 0 {
		t.Errorf("a search that runs: result %v, errors %q", res, rec.errors)
	}
}

// TestRefinementSemantics pins what a refinement accepts and rejects, with
// every engine: steps that map to high steps or to stuttering steps hold;
// an initial state or a step that maps to none is reported at that state,
// BFS's trace a shortest one.
func TestRefinementSemantics(t *testing.T) {
	cases := []struct {
		name    string
		top     int
		mapping func(*lowState) highState
		steps   int // -1: the refinement holds
		mapped  []string
	}{
		{"holds, toggle stutters", 3, func(s *lowState) highState { return highState{s.X} }, -1, nil},
		{"init fails", 3, func(s *lowState) highState { return highState{s.X + 1} }, 0, []string{""}},
		{"step fails", 2, func(s *lowState) highState { return highState{s.X} }, 3, []string{"init", "up", "up", ""}},
		{"a stutter then a bad step", 3, func(s *lowState) highState { return highState{s.X + 2*s.Z} }, 1, []string{"init", ""}},
	}
	for _, c := range cases {
		for _, opts := range []check.Options{{Workers: 1}, {Workers: 3}, {Strategy: check.DFS}, {Strategy: check.RandomDFS, Seed: 7}} {
			t.Run(fmt.Sprintf("%s/%s/%d", c.name, opts.Strategy, opts.Workers), func(t *testing.T) {
				m := lowCounter()
				execspec.Refines(m, "Spec", highCounter(c.top), c.mapping)
				res := runRefinement(t, m, opts)
				if !reflect.DeepEqual(res.Refinements, []string{"Spec"}) {
					t.Errorf("refinements checked: %v", res.Refinements)
				}
				if c.steps < 0 {
					if len(res.Findings) > 0 || !res.Complete {
						t.Fatalf("findings %v, complete %v", res.Findings, res.Complete)
					}
					return
				}
				if len(res.Findings) != 1 {
					t.Fatalf("findings %v, want one", res.Findings)
				}
				f := res.Findings[0]
				if f.Kind != findings.RefinementViolated || f.Property != "Spec" {
					t.Fatalf("finding %s", f.Headline())
				}
				last := f.Trace.Steps[len(f.Trace.Steps)-1]
				if opts.Strategy == "" && len(f.Trace.Steps)-1 != c.steps {
					t.Errorf("BFS trace of %d steps, want %d", len(f.Trace.Steps)-1, c.steps)
				}
				if f.Mapped == nil || len(f.Mapped.Steps) != len(f.Trace.Steps) || f.Mapped.Steps[len(f.Mapped.Steps)-1].Action != "" {
					t.Fatalf("mapped trace %+v", f.Mapped)
				}
				if opts.Strategy == "" {
					var got []string
					for _, st := range f.Mapped.Steps {
						got = append(got, st.Action)
					}
					if !reflect.DeepEqual(got, c.mapped) {
						t.Errorf("mapped actions %q, want %q", got, c.mapped)
					}
				}
				// The trace is the low model's: it replays, and the step the
				// high model cannot take is the last.
				_ = last
			})
		}
	}
}

// TestRefinementPanic: a panicking mapping is a panic finding naming the
// refinement.
func TestRefinementPanic(t *testing.T) {
	m := lowCounter()
	execspec.Refines(m, "Spec", highCounter(3), func(s *lowState) highState {
		if s.X == 2 {
			panic("boom")
		}
		return highState{s.X}
	})
	res := runRefinement(t, m, check.Options{Workers: 1})
	if len(res.Findings) != 1 || res.Findings[0].Kind != findings.Panicked || res.Findings[0].Property != "Spec" {
		t.Fatalf("findings %v", res.Findings)
	}
	var pe *machine.PanicError
	if !errors.As(res.Findings[0].Err, &pe) || len(res.Findings[0].Trace.Steps) != 3 {
		t.Errorf("error %v, %d steps", res.Findings[0].Err, len(res.Findings[0].Trace.Steps))
	}
}

// TestRefinementTemporal: the high model's temporal properties and
// fairness are checked on the mapped behaviours, under the low model's
// fairness.
func TestRefinementTemporal(t *testing.T) {
	ident := func(s *lowState) highState { return highState{s.X} }
	reaches3 := func(h *highState) bool { return h.Y == 3 }
	cases := []struct {
		name    string
		lowFair bool
		high    func() *execspec.Model[highState]
		formula string // "": the refinement holds
	}{
		{"temporal, low unfair", false, func() *execspec.Model[highState] {
			h := highCounter(3)
			h.Temporal("Reach", execspec.Eventually(reaches3))
			return h
		}, "Reach"},
		{"temporal, low fair", true, func() *execspec.Model[highState] {
			h := highCounter(3)
			h.Temporal("Reach", execspec.Eventually(reaches3))
			return h
		}, ""},
		{"high fairness, low unfair", false, func() *execspec.Model[highState] {
			h := highCounter(3)
			h.WeakFair("up")
			return h
		}, "high fairness WF(up)"},
		{"high fairness, low fair", true, func() *execspec.Model[highState] {
			h := highCounter(3)
			h.WeakFair("up")
			return h
		}, ""},
		{"strong high fairness, low fair", true, func() *execspec.Model[highState] {
			h := highCounter(3)
			h.StrongFair("up")
			return h
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := lowCounter()
			if c.lowFair {
				m.WeakFair("inc")
			}
			execspec.Refines(m, "Spec", c.high(), ident)
			res := runRefinement(t, m, check.Options{Workers: 1})
			if len(res.Unverified) > 0 {
				t.Errorf("unverified: %v", res.Unverified)
			}
			if c.formula == "" {
				if len(res.Findings) > 0 || !res.Complete || res.Liveness == nil {
					t.Fatalf("findings %v, complete %v, liveness %v", res.Findings, res.Complete, res.Liveness)
				}
				return
			}
			if len(res.Findings) != 1 || res.Findings[0].Kind != findings.LivenessViolated || res.Findings[0].Property != "Spec" {
				t.Fatalf("findings %v", res.Findings)
			}
			mc, _ := machine.Compile(m)
			p, _ := mc.Property("Spec")
			if got := p.Formulas[res.Findings[0].Formula].Name; got != c.formula {
				t.Errorf("formula %q, want %q", got, c.formula)
			}
			if res.Findings[0].Mapped == nil {
				t.Errorf("no mapped trace")
			}
		})
	}
}

// TestRefinementPerFairnessUnverified: high fairness declared per pick is
// not verified, and the result says so.
func TestRefinementPerFairnessUnverified(t *testing.T) {
	m := lowCounter()
	h := highCounter(3)
	h.WeakFair("up").Per("by")
	execspec.Refines(m, "Spec", h, func(s *lowState) highState { return highState{s.X} })
	res := runRefinement(t, m, check.Options{Workers: 1})
	if len(res.Unverified) != 1 || len(res.Findings) > 0 {
		t.Errorf("unverified %v, findings %v", res.Unverified, res.Findings)
	}
}

// TestRefinementIgnoresSymmetry: a search that checks a refinement does not
// reduce by symmetry (an asymmetric mapping would be unsound under it);
// one that does not check it does.
func TestRefinementIgnoresSymmetry(t *testing.T) {
	type pair struct{ A [2]int }
	m := execspec.NewModel[pair]("pair")
	m.Init(func(c *execspec.Ctx[pair]) {})
	m.Action("inc", func(c *execspec.Ctx[pair]) {
		i := execspec.IntRange(c, "i", 0, 1)
		if c.Assume(c.S.A[i] < 2) {
			c.S.A[i]++
		}
	})
	m.Symmetry("i", 2, func(s *pair, perm []int) {
		var b [2]int
		for i, v := range s.A {
			b[perm[i]] = v
		}
		s.A = b
	})
	m.Invariant("ok", func(*pair) bool { return true })
	// Only the first counter may reach 2: a mapping that tells the two
	// apart.
	execspec.Refines(m, "FirstOnly", highCounter(2), func(s *pair) highState {
		if s.A[1] == 2 {
			return highState{7}
		}
		return highState{s.A[0]}
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), mc, check.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Symmetries) != 0 || len(res.Findings) != 1 || res.Findings[0].Kind != findings.RefinementViolated {
		t.Errorf("symmetries %v, findings %v", res.Symmetries, res.Findings)
	}
	res, err = check.Run(context.Background(), mc, check.Options{Workers: 1, Property: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Symmetries) != 1 {
		t.Errorf("invariant only: symmetries %v", res.Symmetries)
	}
}

// TestRefinementIdentity: every model refines itself under the identity
// mapping, which holds only if the refinement's own runner of the high
// model finds every successor the engine's executor finds (a differential
// test of the two).
func TestRefinementIdentity(t *testing.T) {
	tp := twophase.New(3)
	execspec.Refines(tp, "Self", twophase.New(3), func(s *twophase.State) twophase.State {
		c := twophase.State{RMState: map[string]string{}, TMState: s.TMState, TMPrepared: s.TMPrepared, Msgs: s.Msgs}
		for k, v := range s.RMState {
			c.RMState[k] = v
		}
		return c
	})
	res := check.Test(t, tp, check.Options{Property: "Self"})
	if res.Stats.Distinct != 288 {
		t.Errorf("twophase: %d states", res.Stats.Distinct)
	}
	m := lowCounter()
	execspec.Refines(m, "Self", lowCounter(), func(s *lowState) lowState { return *s })
	check.Test(t, m, check.Options{Strategy: check.DFS})
}
