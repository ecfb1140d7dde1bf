package machine_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/machine"
)

type tstate struct{ X int }

func TestFormulaString(t *testing.T) {
	p := func(s *tstate) bool { return true }
	m := execspec.NewModel[tstate]("t")
	m.Init(func(c *execspec.Ctx[tstate]) {})
	m.Action("inc", func(c *execspec.Ctx[tstate]) { c.S.X++ })
	m.Temporal("all", execspec.Eventually(p), execspec.AlwaysEventually(p), execspec.EventuallyAlways(p),
		execspec.LeadsTo(p, p), execspec.LeadsToAlways(p, p))
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	prop, err := mc.Property("all")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range prop.Formulas {
		got = append(got, f.String())
	}
	got = append(got, machine.Formula[tstate]{Form: machine.TemporalForm(9)}.String())
	want := []string{"<>P", "[]<>P", "<>[]P", "P ~> Q", "P ~> []Q", "TemporalForm(9)"}
	if len(got) != len(want) {
		t.Fatalf("%q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%q, want %q", got[i], want[i])
		}
	}
	if s := (machine.Fairness{Kind: machine.Strong, Actions: []string{"a", "b"}}).String(); s != `SF(a \/ b)` {
		t.Errorf("%s", s)
	}
}

// The kinds package machine exports have the values of internal/core,
// through which the root package hands them over.
func TestKindsMatchCore(t *testing.T) {
	for _, c := range []struct{ got, want int }{
		{int(machine.Invariant), int(core.Invariant)},
		{int(machine.Example), int(core.Example)},
		{int(machine.Constraint), int(core.Constraint)},
		{int(machine.Temporal), int(core.Temporal)},
		{int(machine.FormEventually), int(core.FormEventually)},
		{int(machine.FormAlwaysEventually), int(core.FormAlwaysEventually)},
		{int(machine.FormEventuallyAlways), int(core.FormEventuallyAlways)},
		{int(machine.FormLeadsTo), int(core.FormLeadsTo)},
		{int(machine.FormLeadsToAlways), int(core.FormLeadsToAlways)},
		{int(machine.Weak), int(core.Weak)},
		{int(machine.Strong), int(core.Strong)},
	} {
		if c.got != c.want {
			t.Errorf("machine value %d, core value %d", c.got, c.want)
		}
	}
}
