package conformance_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/dnscontrol/conformance"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/simulate"
	"github.com/execspec/execspec/trace"
)

type State = dnsbalancer.State

// The workshop's short-window instance, with the bug and with the fix.
var (
	buggy = dnsbalancer.Instance(5, 3, false) // n3_5_3
	fixed = dnsbalancer.Instance(5, 3, true)  // n3_5_3_fixed
	live  = dnsbalancer.LiveInstance(5, 3)    // n3_5_3_live
)

// The counterexample the README's command finds:
//
//	go run ./cmd/execspec run ./examples/dnsbalancer --instance n3_5_3 --property no_inconsistent_root --seed 123
const (
	outageSeed     = 123
	outageProperty = "no_inconsistent_root"
	committedTrace = "testdata/outage.itf.json"
)

func compile(t testing.TB, p dnsbalancer.Params) *machine.Machine[State] {
	t.Helper()
	mc, err := machine.Compile(dnsbalancer.New(p))
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// outageTrace simulates n3_5_3 as `execspec run --seed 123` does and returns
// the first counterexample to no_inconsistent_root.
func outageTrace(t testing.TB) *trace.Trace {
	t.Helper()
	res, err := simulate.Run(context.Background(), compile(t, buggy), simulate.Options{Seed: outageSeed, Property: outageProperty, MaxSteps: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatalf("seed %d: no violation of %s in %d samples", outageSeed, outageProperty, res.Stats.Samples)
	}
	f := res.Findings[0]
	if f.Kind != findings.InvariantViolated || f.Property != outageProperty {
		t.Fatalf("finding = %s %s, want a violation of %s", f.Kind, f.Property, outageProperty)
	}
	tr := f.Trace
	tr.Meta = map[string]any{
		trace.MetaModel: "dnsbalancer", trace.MetaInstance: "n3_5_3", trace.MetaProperty: outageProperty,
		trace.MetaSeed: fmt.Sprint(outageSeed), trace.MetaSample: f.Sample, trace.MetaStatus: "violation",
	}
	return tr
}

// writeITF writes it to dir/name and returns the path.
func writeITF(t testing.TB, dir, name string, it *itf.Trace) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := itf.WriteFile(path, it); err != nil {
		t.Fatal(err)
	}
	return path
}

// rebase re-executes tr's actions with their recorded picks on the model of
// p, from its initial state. A step the model does not allow is kept with
// its state unchanged; its index is returned in refused, and the ITF trace
// marks it "enabled": false, so that mbt.Replay expects the implementation
// to refuse it too.
func rebase(t testing.TB, p dnsbalancer.Params, tr *trace.Trace) (out *trace.Trace, it *itf.Trace, refused []int) {
	t.Helper()
	mc := compile(t, p)
	ex := mc.NewExecutor()
	ex.Record(true)
	defer ex.Direct(nil)
	out = mc.NewTrace()
	cur, nxt := new(State), new(State)
	for i, st := range tr.Steps {
		action := machine.InitAction
		if i > 0 {
			var err error
			if action, err = mc.ActionIndex(st.Action); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		recorded := map[string]itf.Value{}
		for _, pk := range st.Picks {
			recorded[pk.Label] = pk.Value
		}
		ex.Direct(recorded)
		res := ex.Exec(action, cur, nxt, machine.Path(nil).Choices())
		if res.Err != nil || res.Mismatch != "" || (i == 0 && !res.Enabled) {
			t.Fatalf("step %d (%s): %v %s", i, st.Action, res.Err, res.Mismatch)
		}
		s := nxt
		if !res.Enabled {
			s = cur
			refused = append(refused, i)
		}
		step, err := mc.TraceStep(mc.ActionName(action), res.Picks, s)
		if err != nil {
			t.Fatal(err)
		}
		out.Steps = append(out.Steps, step)
		if res.Enabled {
			cur, nxt = nxt, cur
		}
	}
	it = out.ToITF()
	for _, i := range refused {
		it.States[i].Meta["enabled"] = false
	}
	return out, it, refused
}

// states decodes a trace's states.
func states(t testing.TB, p dnsbalancer.Params, tr *trace.Trace) []State {
	t.Helper()
	mc := compile(t, p)
	out := make([]State, len(tr.Steps))
	for i, st := range tr.Steps {
		s, err := mc.FromITF(st.State)
		if err != nil {
			t.Fatalf("state %d: %v", i, err)
		}
		out[i] = s
	}
	return out
}

// rootConsistent is the model's invariant no_inconsistent_root.
func rootConsistent(t testing.TB, mc *machine.Machine[State], s *State) bool {
	t.Helper()
	p, err := mc.Property(outageProperty)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := mc.Eval(p, s)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// driverOf returns a factory handing out d, whose implementation outlives
// the subtest mbt.Replay runs the trace in.
func driverOf(d *conformance.Driver) func(testing.TB) mbt.Driver[State] {
	return func(testing.TB) mbt.Driver[State] { return d }
}

// errorRecorder is a testing.TB that records errors instead of failing: it
// shows what mbt.Replay reports about a trace.
type errorRecorder struct {
	testing.TB
	errs []string
}

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *errorRecorder) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }

func (r *errorRecorder) Fail() { r.errs = append(r.errs, "Fail") }

func (r *errorRecorder) Failed() bool { return len(r.errs) > 0 }

// deployersOf lists the model's deployers, sorted.
func deployersOf(s State) []string {
	var names []string
	for name := range s.Deployers {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
