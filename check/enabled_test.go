package check_test

import (
	"context"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/crosscheck"
	"github.com/execspec/execspec/machine"
)

// grantable is the invariant "a pending request is grantable while the
// resource is free", asked of the engine with Enabled.
func grantable(m *execspec.Model[lend]) {
	grant := [2]func(*lend) bool{
		execspec.Enabled(m, "grant", execspec.Pick("c", 0)),
		execspec.Enabled(m, "grant", execspec.Pick("c", 1)),
	}
	m.Invariant("grantable", func(s *lend) bool {
		for c := range 2 {
			if s.Want[c] && s.Holder == 0 && !grant[c](s) {
				return false
			}
		}
		return true
	})
}

// TestEnabledInvariant: the invariant holds of the lender and fails, with
// a shortest trace (both clients waiting), when client 1 is served only
// while client 0 is not waiting.
func TestEnabledInvariant(t *testing.T) {
	for _, bug := range []bool{false, true} {
		m := lender(bug)
		grantable(m)
		mc, err := machine.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range check.Strategies() {
			res, err := check.Run(context.Background(), mc, check.Options{Strategy: st, Workers: 2, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !bug {
				if len(res.Findings) > 0 || res.Stats.Distinct != 16 {
					t.Fatalf("%s: %v, %d states", st, res.Findings, res.Stats.Distinct)
				}
				continue
			}
			if len(res.Findings) != 1 || res.Findings[0].Kind != findings.InvariantViolated {
				t.Fatalf("%s: %v", st, res.Findings)
			}
			if tr := res.Findings[0].Trace; st == check.BFS && len(tr.Steps) != 3 {
				t.Errorf("BFS trace of %d states, want 3 (init, request, request)", len(tr.Steps))
			}
		}
	}
}

// TestEnabledSemantics: Enabled runs the action's code, with the given
// pick values, stuttering branches included, and a panicking branch is a
// finding of the property that asked.
func TestEnabledSemantics(t *testing.T) {
	m := lender(false)
	anyUse := execspec.Enabled(m, "use")
	gives0 := execspec.Enabled(m, "use", execspec.Pick("c", 0), execspec.Pick("done", true))
	unknown := execspec.Enabled(m, "use", execspec.Pick("nolabel", 1))
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := mc.PickedEnabled(); strings.Join(got, "; ") != "use with c=0, done=true; use with nolabel=1" {
		t.Errorf("PickedEnabled %q", got)
	}
	for _, c := range []struct {
		s                    lend
		any, gives0, unknown bool
	}{
		{lend{}, false, false, false},
		{lend{Holder: 1}, true, true, false},
		{lend{Holder: 2}, true, false, false},
	} {
		if got := [3]bool{anyUse(&c.s), gives0(&c.s), unknown(&c.s)}; got != [3]bool{c.any, c.gives0, c.unknown} {
			t.Errorf("%+v: %v, want %v %v %v", c.s, got, c.any, c.gives0, c.unknown)
		}
	}

	// A panicking branch.
	p := lender(false)
	p.Action("crash", func(c *execspec.Ctx[lend]) {
		if c.S.Want[1] {
			panic("crash")
		}
		c.Assume(false)
	})
	crash := execspec.Enabled(p, "crash")
	p.Invariant("no_crash", func(s *lend) bool { return !crash(s) })
	mc, err = machine.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), mc, check.Options{Workers: 1, Property: "no_crash"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 || res.Findings[0].Kind != findings.Panicked {
		t.Fatalf("findings %v", res.Findings)
	}

	// An unknown action is an error of the model.
	u := lender(false)
	execspec.Enabled(u, "nope")
	if _, err := machine.Compile(u); err == nil || !strings.Contains(err.Error(), `unknown action "nope"`) {
		t.Errorf("unknown action: %v", err)
	}
}

// TestEnabledSymmetryAndReference: a model asking Enabled of given pick
// values is searched without its symmetry (which would rename them), and
// the engines agree with the reference semantics, which evaluates Enabled
// by its own plain execution.
func TestEnabledSymmetryAndReference(t *testing.T) {
	swap := func(s *lend, perm []int) {
		if s.Holder != 0 {
			s.Holder = perm[s.Holder-1] + 1
		}
		var w [2]bool
		for c, v := range s.Want {
			w[perm[c]] = v
		}
		s.Want = w
	}
	for _, picked := range []bool{false, true} {
		m := lender(false)
		m.Symmetry("clients", 2, swap)
		if picked {
			grantable(m)
		} else {
			grant := execspec.Enabled(m, "grant")
			m.Invariant("some_grantable", func(s *lend) bool { return !(s.Holder == 0 && (s.Want[0] || s.Want[1])) || grant(s) })
		}
		mc, err := machine.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		res, err := check.Run(context.Background(), mc, check.Options{Workers: 1})
		if err != nil || len(res.Findings) > 0 {
			t.Fatal(err, res.Findings)
		}
		want := int64(10) // the 16 states, one per orbit
		if picked {
			want = 16
		}
		if res.Stats.Distinct != want {
			t.Errorf("picked %v: %d states, want %d", picked, res.Stats.Distinct, want)
		}
		crosscheck.Check(t, mc, crosscheck.Options{Quick: true})
	}
	for _, bug := range []bool{false, true} {
		m := lender(bug)
		grantable(m)
		mc, err := machine.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		crosscheck.Check(t, mc, crosscheck.Options{Quick: true})
	}
}
