package check_test

import (
	"context"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
)

// lend is the state of a one-resource lender: Holder is the client
// holding the resource (0: none, c+1: client c), Uses counts its holder's
// uses modulo 2, Want[c] is client c's pending request.
type lend struct {
	Holder int
	Uses   int
	Want   [2]bool
}

// lender is a mutex with two clients. Its holder's "use" either uses the
// resource once more (done=false, a change of Uses) or gives it back
// (done=true): weak fairness of use as a whole is satisfied by a holder
// using the resource for ever; weak fairness of the giving back alone
// (When) makes it come back. With bug, a request of client 1 is granted
// only while client 0 is not waiting.
func lender(bug bool) *execspec.Model[lend] {
	m := execspec.NewModel[lend]("lender")
	m.Init(func(c *execspec.Ctx[lend]) {})
	m.Action("request", func(c *execspec.Ctx[lend]) {
		cl := execspec.IntRange(c, "c", 0, 1)
		if c.Assume(!c.S.Want[cl] && c.S.Holder != cl+1) {
			c.S.Want[cl] = true
		}
	})
	m.Action("grant", func(c *execspec.Ctx[lend]) {
		cl := execspec.IntRange(c, "c", 0, 1)
		if !c.Assume(c.S.Want[cl] && c.S.Holder == 0) || (bug && !c.Assume(cl == 0 || !c.S.Want[0])) {
			return
		}
		c.S.Holder, c.S.Want[cl] = cl+1, false
	})
	m.Action("use", func(c *execspec.Ctx[lend]) {
		cl := execspec.IntRange(c, "c", 0, 1)
		done := execspec.OneOf(c, "done", []bool{false, true})
		if !c.Assume(c.S.Holder == cl+1) {
			return
		}
		if done {
			c.S.Holder = 0
		} else {
			c.S.Uses = 1 - c.S.Uses
		}
	})
	return m
}

func held(s *lend) bool { return s.Holder != 0 }
func free(s *lend) bool { return s.Holder == 0 }

// gives says whether a step of use gives the resource back.
func gives(_ *lend, p execspec.Picks) bool {
	done, ok := execspec.Picked[bool](p, "done")
	return ok && done
}

// TestConditionalFairness pins the verdicts of held ~> free, computed by
// hand, under fairness of use, of use restricted to giving back (When),
// and of use restricted to the wrong branches.
func TestConditionalFairness(t *testing.T) {
	for _, c := range []struct {
		name    string
		fair    func(m *execspec.Model[lend])
		actions []string // the lasso's actions, from init; nil: the property holds
		loop    int      // the loop's first state
		list    string   // the declaration as execspec list shows it
	}{
		{"no fairness: the holder keeps it for ever", func(m *execspec.Model[lend]) {},
			[]string{"init", "request", "grant", "use", "use"}, 2, ""},
		{"fairness of use: the holder uses for ever", func(m *execspec.Model[lend]) { m.WeakFair("use").Per("c") },
			[]string{"init", "request", "grant", "use", "use"}, 2, "WF(use per c)"},
		{"fairness of giving back", func(m *execspec.Model[lend]) { m.WeakFair("use").Per("c").When("gives", gives) },
			nil, 0, "WF(use per c when gives)"},
		{"strong fairness of giving back", func(m *execspec.Model[lend]) { m.StrongFair("use").When("gives", gives) },
			nil, 0, "SF(use when gives)"},
		{"fairness of the wrong branches", func(m *execspec.Model[lend]) {
			m.WeakFair("use").Per("c").When("keeps", func(s *lend, p execspec.Picks) bool { return !gives(s, p) })
		}, []string{"init", "request", "grant", "use", "use"}, 2, "WF(use per c when keeps)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := lender(false)
			c.fair(m)
			m.Temporal("returns", execspec.LeadsTo(held, free))
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			var list []string
			for _, f := range mc.Fairness() {
				list = append(list, f.String())
			}
			if got := strings.Join(list, ", "); got != c.list {
				t.Errorf("fairness %q, want %q", got, c.list)
			}
			for _, st := range check.Strategies() {
				res, err := check.Run(context.Background(), mc, check.Options{Strategy: st, Workers: 1, Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				if c.actions == nil {
					if len(res.Findings) > 0 || !res.Complete {
						t.Fatalf("%s: want no finding, got %v (complete %v)", st, res.Findings, res.Complete)
					}
					continue
				}
				if len(res.Findings) != 1 || res.Findings[0].Kind != findings.LivenessViolated {
					t.Fatalf("%s: want a lasso, got %v", st, res.Findings)
				}
				tr := res.Findings[0].Trace
				var got []string
				for _, s := range tr.Steps {
					got = append(got, s.Action)
				}
				if strings.Join(got, " ") != strings.Join(c.actions, " ") || tr.Loop == nil || *tr.Loop != c.loop {
					t.Fatalf("%s: lasso %v looping at %v, want %v looping at %d", st, got, loopAt(tr.Loop), c.actions, c.loop)
				}
				for _, s := range tr.Steps[3:] {
					for _, p := range s.Picks {
						if p.Label == "done" && p.Value.String() != "false" {
							t.Errorf("%s: the loop gives back: %v", st, s.Picks)
						}
					}
				}
				checkLasso(t, mc, tr)
			}
		})
	}
}

// TestConditionalFairnessPanic: a condition that panics is a finding with
// the trace to the state it was evaluated in, naming the declaration.
func TestConditionalFairnessPanic(t *testing.T) {
	m := lender(false)
	m.WeakFair("use").When("boom", func(s *lend, p execspec.Picks) bool {
		if s.Uses == 1 {
			panic("uses")
		}
		return gives(s, p)
	})
	m.Temporal("returns", execspec.LeadsTo(held, free))
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), mc, check.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Kind != findings.Panicked || !strings.Contains(res.Findings[0].Err.Error(), "fairness WF(use when boom)") {
		t.Fatalf("findings %v", res.Findings)
	}
	if n := len(res.Findings[0].Trace.Steps); n != 4 {
		t.Errorf("trace of %d states, want 4 (init, request, grant, use)", n)
	}
}

// TestWhenMisuse: a condition without a name, or a name with spaces, is
// an error of the model.
func TestWhenMisuse(t *testing.T) {
	for _, name := range []string{"", "gives back"} {
		m := lender(false)
		m.WeakFair("use").When(name, gives)
		if _, err := machine.Compile(m); err == nil || !strings.Contains(err.Error(), "When needs") {
			t.Errorf("When(%q): %v", name, err)
		}
	}
}

func loopAt(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
