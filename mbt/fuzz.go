package mbt

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
)

// Fuzzing: the Go fuzzer's input bytes are read as the choices that make a
// trace (which action, then each pick), so `go test -fuzz` mutates traces
// with coverage guidance from the implementation while the model stays the
// oracle. A failing input is saved by the fuzzer under testdata/fuzz/ and
// replayed by every later go test; the shrunk trace is also saved as ITF,
// as Run saves it.

// FuzzChoices is a machine.Choices that reads choices from fuzz input:
// each choice among n candidates reads as many bytes as n-1 needs (one up
// to 256 candidates) and takes their value modulo n; past the end of the
// input every choice is 0.
type FuzzChoices struct {
	data []byte
	pos  int
}

// NewFuzzChoices returns the choices of data.
func NewFuzzChoices(data []byte) *FuzzChoices { return &FuzzChoices{data: data} }

// Choose implements machine.Choices.
func (f *FuzzChoices) Choose(n int) int {
	if n <= 1 {
		return 0
	}
	var v uint64
	for k := uint64(n - 1); k > 0; k >>= 8 {
		v <<= 8
		if f.pos < len(f.data) {
			v |= uint64(f.data[f.pos])
			f.pos++
		}
	}
	return int(v % uint64(n))
}

// Done reports whether the input is used up.
func (f *FuzzChoices) Done() bool { return f.pos >= len(f.data) }

// FuzzPlan turns fuzz input into a plan of at most steps steps of mc: init
// with its picks from the input, then, while input remains, an action
// chosen by the input and its picks. A step whose guard fails for the
// choices read is kept as a step the implementation must refuse when it
// made every pick an enabled step of the same action made earlier in the
// plan (so the driver has the picks it needs), and left out otherwise. It
// reports false when init is not enabled for
// the input's choices (the input is not a trace). The same input always
// gives the same plan.
func FuzzPlan[S any](mc *machine.Machine[S], data []byte, steps int) (engine.Plan, bool) {
	ch := NewFuzzChoices(data)
	ex := mc.NewExecutor()
	ex.Record(true)
	labels := pickLabels{}
	cur, nxt := new(S), new(S)
	res := ex.Exec(machine.InitAction, nil, cur, ch)
	if !res.Enabled {
		return engine.Plan{}, false
	}
	p := engine.Plan{Init: append([]int(nil), res.Path...)}
	n := len(mc.Actions())
	for len(p.Steps) < steps && !ch.Done() {
		a := ch.Choose(n)
		res := ex.Exec(a, cur, nxt, ch)
		if res.Err != nil {
			continue
		}
		if !res.Enabled {
			if res.Mismatch == "" && labels.complete(a, res.Picks) {
				p.Steps = append(p.Steps, engine.PlanStep{Action: a, Path: append([]int(nil), res.Path...)})
			}
			continue
		}
		labels.note(a, res.Picks)
		p.Steps = append(p.Steps, engine.PlanStep{Action: a, Path: append([]int(nil), res.Path...), Enabled: true})
		cur, nxt = nxt, cur
	}
	return p, true
}

// Fuzz drives one trace made from data (see FuzzPlan; Options.Steps bounds
// it) through a freshly Reset driver, as Run drives a generated trace: a
// divergence is shrunk, saved as ITF under Options.Dir and reported on t.
// Call it from a fuzz target, with the model built once outside f.Fuzz:
//
//	func FuzzBank(f *testing.F) {
//		m := bankModel()
//		f.Add([]byte{0, 1, 2})
//		f.Fuzz(func(t *testing.T, data []byte) {
//			mbt.Fuzz(t, m, newDriver, data, mbt.Options{})
//		})
//	}
//
// Inputs that do not make a trace (init's guard fails) pass.
func Fuzz[S any](t testing.TB, m *execspec.Model[S], newDriver func(testing.TB) Driver[S], data []byte, opts Options) {
	t.Helper()
	set, err := resolve(opts)
	if err != nil {
		t.Errorf("execspec mbt: options: %v", err)
		return
	}
	r, err := newRunner(t, m, set)
	if err != nil {
		t.Errorf("execspec mbt: %v", err)
		return
	}
	ep, ok := FuzzPlan(r.mc, data, set.Steps)
	if !ok {
		return
	}
	if err := r.setDriver(newDriver(t)); err != nil {
		t.Errorf("execspec mbt: %v", err)
		return
	}
	p := plan{Plan: ep, origin: "the fuzz input", sample: -1}
	out := r.runPlan(p, true, nil)
	switch {
	case out.err != nil:
		t.Errorf("execspec mbt: %s, %v", p.origin, out.err)
	case out.reject != "":
		t.Errorf("execspec mbt: internal error: %s is not accepted by the model: %s", p.origin, out.reject)
	case out.div != nil:
		r.fail(out)
	}
}
