package execspec_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

type tstate struct{ X int }

func TestTemporalDeclarations(t *testing.T) {
	pos := func(s *tstate) bool { return s.X > 0 }
	for _, c := range []struct {
		name    string
		declare func(m *execspec.Model[tstate])
		wantErr string // "" when the model compiles
	}{
		{"fine", func(m *execspec.Model[tstate]) {
			m.Temporal("p", execspec.Eventually(pos), execspec.LeadsTo(pos, pos).Named("second"))
			m.WeakFair("inc").Per("n")
		}, ""},
		{"unknown action", func(m *execspec.Model[tstate]) { m.StrongFair("dec") }, `unknown action "dec"`},
		{"no action", func(m *execspec.Model[tstate]) { m.WeakFair() }, "WF declared without actions"},
		{"no formula", func(m *execspec.Model[tstate]) { m.Temporal("p") }, "has no formula"},
		{"incomplete formula", func(m *execspec.Model[tstate]) {
			m.Temporal("p", execspec.LeadsTo(pos, nil))
		}, "formula 0 is incomplete"},
		{"formulas named alike", func(m *execspec.Model[tstate]) {
			m.Temporal("p", execspec.Eventually(pos).Named("x"), execspec.Eventually(pos), execspec.Eventually(pos).Named("x"))
		}, `formulas 0 and 2 are both named "x"`},
		{"duplicate", func(m *execspec.Model[tstate]) {
			m.Invariant("p", pos)
			m.Temporal("p", execspec.Eventually(pos))
		}, `property "p" defined twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := execspec.NewModel[tstate]("t")
			m.Init(func(c *execspec.Ctx[tstate]) {})
			m.Action("inc", func(c *execspec.Ctx[tstate]) { c.S.X = execspec.IntRange(c, "n", 1, 2) })
			c.declare(m)
			mc, err := machine.Compile(m)
			if c.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				p, err := mc.Property("p")
				if err != nil || p.Kind != machine.Temporal || len(p.Formulas) != 2 {
					t.Fatalf("property %+v, %v", p, err)
				}
				for i, want := range []struct{ str, label string }{{"<>P", "formula 1 of 2"}, {"second: P ~> Q", `formula "second" (2 of 2)`}} {
					if f := p.Formulas[i]; f.String() != want.str || f.Label(i, 2) != want.label {
						t.Errorf("formula %d: %q, %q; want %q, %q", i, f.String(), f.Label(i, 2), want.str, want.label)
					}
				}
				if l := p.Formulas[0].Label(0, 1); l != "" {
					t.Errorf("the one unnamed formula's label: %q, want none", l)
				}
				if f := mc.Fairness(); len(f) != 1 || f[0].String() != "WF(inc per n)" {
					t.Errorf("fairness %v", f)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}
