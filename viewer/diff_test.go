package viewer

import (
	"testing"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/simulate"
	"github.com/execspec/execspec/trace"
)

// dnsMachine compiles the DNS balancer model's n3_5_3 instance.
func dnsMachine(t testing.TB) *machine.Machine[dnsbalancer.State] {
	t.Helper()
	m, err := dnsbalancer.Spec().Model("n3_5_3")
	if err != nil {
		t.Fatal(err)
	}
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// dnsViolation returns a trace of the model violating no_inconsistent_root.
func dnsViolation(t testing.TB, mc *machine.Machine[dnsbalancer.State]) *trace.Trace {
	t.Helper()
	tr, fd, err := simulate.Replay(mc, simulate.Options{Seed: 123, MaxSteps: 50, Property: "no_inconsistent_root", NoShrink: true}, 0) // the long trace as found: every deployer acts
	if err != nil {
		t.Fatal(err)
	}
	if fd == nil || fd.Kind != findings.InvariantViolated {
		t.Fatalf("seed 123, sample 0 no longer violates no_inconsistent_root (finding %+v): pick another", fd)
	}
	tr.Meta = map[string]any{"model": mc.Name(), "instance": "n3_5_3", "property": "no_inconsistent_root", "status": "violation"}
	return tr
}

// checkSameAsTraceDiff checks that diffStates finds what trace.DiffStates
// finds, in the same order, and that each change's position leads to its
// value.
func checkSameAsTraceDiff(t *testing.T, what string, vars []string, a, b map[string]itf.Value) {
	t.Helper()
	want := trace.DiffStates(vars, a, b)
	got := diffStates(vars, a, b)
	if len(got) != len(want) {
		t.Fatalf("%s: %d changes, trace.DiffStates finds %d:\n%v\n%v", what, len(got), len(want), got, want)
	}
	for i := range want {
		w, g := want[i], got[i]
		if g.P != w.Path || !sameValue(g.old, w.Old) || !sameValue(g.new, w.New) {
			t.Errorf("%s, change %d: %s, want %s", what, i, g.text(), trace.FormatChange(w))
		}
		op := "chg"
		if !w.Old.IsValid() {
			op = "add"
		} else if !w.New.IsValid() {
			op = "del"
		}
		if g.Op != op {
			t.Errorf("%s, change %d (%s): op %s, want %s", what, i, g.P, g.Op, op)
		}
		// The position leads to the new value, or for a removal to the old.
		state, val := b, w.New
		if op == "del" {
			state, val = a, w.Old
		}
		if at, ok := valueAt(state, g.Path); !ok || !itf.Equal(at, val) {
			t.Errorf("%s, change %d (%s): position %v holds %v, want %s", what, i, g.P, g.Path, at, val)
		}
	}
}

func sameValue(a, b itf.Value) bool {
	if !a.IsValid() || !b.IsValid() {
		return a.IsValid() == b.IsValid()
	}
	return itf.Equal(a, b)
}

// valueAt follows a change's position, as the page's script does.
func valueAt(state map[string]itf.Value, path []segment) (itf.Value, bool) {
	v, ok := state[path[0].name]
	for _, s := range path[1:] {
		if !ok {
			return v, false
		}
		switch s.kind {
		case "f":
			v, ok = v.Field(s.name)
		case "k":
			es := v.Entries()
			ok = s.index < len(es)
			if ok {
				v = es[s.index].Value
			}
		case "i", "e":
			es := v.Elems()
			ok = s.index < len(es)
			if ok {
				v = es[s.index]
			}
		case "v":
			ok = v.Tag() == s.name
			v = v.Payload()
		}
	}
	return v, ok
}

func TestDiffMatchesTraceDiff(t *testing.T) {
	mc := dnsMachine(t)
	tr := dnsViolation(t, mc)
	for i := 1; i < len(tr.Steps); i++ {
		checkSameAsTraceDiff(t, "dns step "+tr.Steps[i].Action, tr.Vars, tr.Steps[i-1].State, tr.Steps[i].State)
	}
	lasso := lassoTrace(t)
	for i := 1; i < len(lasso.Steps); i++ {
		checkSameAsTraceDiff(t, "lasso", lasso.Vars, lasso.Steps[i-1].State, lasso.Steps[i].State)
	}
	// Shapes the traces above lack: lists that grow and shrink, tuples,
	// variants changing tag, kinds changing, records gaining fields.
	i, s := itf.Int, itf.String
	a := map[string]itf.Value{
		"l": itf.List(i(1), i(2), i(3)), "t": itf.Tuple(s("x"), i(1)), "v": itf.Variant("A", i(1)),
		"k": i(1), "r": itf.Record(itf.Field{Name: "a", Value: i(1)}), "w": itf.Variant("B", itf.Set(i(1), i(2))),
	}
	b := map[string]itf.Value{
		"l": itf.List(i(1), i(5)), "t": itf.Tuple(s("y"), i(1)), "v": itf.Variant("C", i(1)),
		"k": s("one"), "r": itf.Record(itf.Field{Name: "b", Value: i(2)}), "w": itf.Variant("B", itf.Set(i(2), i(3))),
	}
	vars := []string{"l", "t", "v", "k", "r", "w"}
	checkSameAsTraceDiff(t, "shapes", vars, a, b)
	checkSameAsTraceDiff(t, "shapes reversed", vars, b, a)
}
