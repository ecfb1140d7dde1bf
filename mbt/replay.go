package mbt

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt/internal/statediff"
	"github.com/execspec/execspec/trace"
)

// Replay drives the implementation behind newDriver through ITF traces:
// ours (saved by Run, or written by execspec run/check), or Quint's --mbt
// traces, whose mbt::actionTaken and mbt::nondetPicks give each step's
// action and picks. Each trace runs as a subtest named after its file (when
// t can run subtests). Files may be glob patterns.
//
// The model gives the picks their Go values and checks the trace first:
// every recorded step must be one the model allows with those picks (or,
// when its "#meta" says "enabled": false, one it does not), and the model's
// states must match the trace's on the trace's variables (Options.Ignore
// applies). The implementation is then compared with those states after
// every step, as in Run. With Options.Outputs, the outputs come from the
// driver again, and the model judges each step in the state they lead to.
// Only Options.Ignore and Options.Outputs are used.
func Replay[S any](t testing.TB, m *execspec.Model[S], newDriver func(testing.TB) Driver[S], opts Options, files ...string) {
	t.Helper()
	var paths []string
	for _, f := range files {
		if !strings.ContainsAny(f, "*?[") {
			paths = append(paths, f)
			continue
		}
		matches, err := filepath.Glob(f)
		if err != nil || len(matches) == 0 {
			t.Errorf("execspec mbt: replay: no file matches %q", f)
			continue
		}
		sort.Strings(matches)
		paths = append(paths, matches...)
	}
	if len(paths) == 0 {
		t.Errorf("execspec mbt: replay: no trace files given")
		return
	}
	set, err := resolve(opts)
	if err != nil {
		t.Errorf("execspec mbt: options: %v", err)
		return
	}
	for _, f := range paths {
		traces, err := engine.ReadSavedTraces(f)
		if err != nil {
			t.Errorf("execspec mbt: replay: %v", err)
			continue
		}
		for j, it := range traces {
			name, src := filepath.Base(f), f
			if len(traces) > 1 {
				name += fmt.Sprintf("#%d", j)
				src = fmt.Sprintf("%s (trace %d)", f, j)
			}
			body := func(tb testing.TB) {
				tb.Helper()
				replayOne(tb, m, newDriver, set, it, src)
			}
			if tr, ok := t.(interface {
				Run(string, func(*testing.T)) bool
			}); ok {
				tr.Run(name, func(t *testing.T) { body(t) })
			} else {
				body(t)
			}
		}
	}
}

func replayOne[S any](t testing.TB, m *execspec.Model[S], newDriver func(testing.TB) Driver[S], set settings, it *itf.Trace, src string) {
	t.Helper()
	r, err := newRunner(t, m, set)
	if err != nil {
		t.Errorf("execspec mbt: %v", err)
		return
	}
	p, err := r.fromITF(it, src)
	if err != nil {
		t.Errorf("execspec mbt: %s does not fit model %s: %v", src, r.mc.Name(), err)
		return
	}
	if err := r.setDriver(newDriver(t)); err != nil {
		t.Errorf("execspec mbt: %v", err)
		return
	}
	out := r.runPlan(p, false, nil)
	switch {
	case out.err != nil:
		t.Errorf("execspec mbt: %s: %v", src, out.err)
	case out.reject != "":
		t.Errorf("execspec mbt: %s: %s", src, out.reject)
	case out.div != nil:
		out.div.Source = src
		r.report(out.ran, out.div, "")
	}
}

// fromITF turns an ITF trace into a plan, executing each step on the model
// with the recorded picks and checking that the model agrees with the
// trace: that it allows the steps the trace performs and no other, and
// that its states are the trace's. With outputs, a step the trace marks
// not enabled records its inputs only, and the model must allow it for no
// value of the outputs.
func (r *runner[S]) fromITF(it *itf.Trace, origin string) (plan, error) {
	mc, ex := r.mc, r.ex
	tr, err := trace.FromITF(it)
	if err != nil {
		return plan{}, err
	}
	if len(tr.Steps) == 0 {
		return plan{}, fmt.Errorf("the trace has no states")
	}
	for _, v := range tr.Vars {
		found := false
		for _, mv := range mc.Vars() {
			found = found || mv == v
		}
		if !found {
			return plan{}, &execspec.UnknownNameError{What: "state variable", Name: v, Valid: mc.Vars()}
		}
	}
	p := plan{origin: origin, sample: -1}
	cur, nxt := new(S), new(S)
	defer ex.Direct(nil)
	for i, st := range tr.Steps {
		enabled := true
		if e, ok := it.States[i].Meta[metaEnabled].(bool); ok && !e {
			enabled = false
		}
		action := machine.InitAction
		if i > 0 {
			if st.Action == "" {
				return plan{}, fmt.Errorf("state %d records no action (%s): write traces with their actions (quint run --mbt)", i, itf.ActionTakenVar)
			}
			if action, err = mc.ActionIndex(st.Action); err != nil {
				return plan{}, fmt.Errorf("state %d: %w", i, err)
			}
		}
		recorded := make(map[string]itf.Value, len(st.Picks))
		for _, pk := range st.Picks {
			recorded[pk.Label] = pk.Value
		}
		what := fmt.Sprintf("state %d, %s", i, formatStep(mc.ActionName(action), st.Picks))
		var path []int
		if r.outs != nil && !enabled && i > 0 {
			// Its inputs only: no value of the outputs may enable it.
			if path, err = r.refusedStep(action, cur, recorded); err != nil {
				return plan{}, fmt.Errorf("%s: %w", what, err)
			}
		} else if path, err = r.directedStep(action, cur, nxt, recorded, st.Picks, enabled); err != nil {
			return plan{}, fmt.Errorf("%s: %w", what, err)
		}
		if i == 0 {
			p.Init = path
		} else {
			p.Steps = append(p.Steps, engine.PlanStep{Action: action, Path: path, Enabled: enabled})
		}
		if enabled {
			cur, nxt = nxt, cur
		}
		vals, err := mc.ToITF(cur)
		if err != nil {
			return plan{}, err
		}
		if diff := r.cmp.DiffITF(tr.Vars, vals, st.State); len(diff) > 0 {
			return plan{}, fmt.Errorf("%s: the model's state differs from the trace's:\n%s", what, strings.TrimSuffix(statediff.Format(diff, "model", "trace"), "\n"))
		}
	}
	return p, nil
}

// directedStep executes action from cur into nxt with the picks recorded
// (picks, and by label, recorded), checks that the model allows it exactly
// when the trace says (enabled) and makes the picks recorded, and returns
// its plan path.
func (r *runner[S]) directedStep(action int, cur, nxt *S, recorded map[string]itf.Value, picks []trace.Pick, enabled bool) ([]int, error) {
	ex := r.ex
	ex.Direct(recorded)
	res := ex.Exec(action, cur, nxt, machine.Path(nil).Choices())
	switch {
	case res.Err != nil:
		return nil, fmt.Errorf("the model panicked: %w", res.Err)
	case res.Mismatch != "":
		return nil, errors.New(res.Mismatch)
	case enabled && !res.Enabled:
		return nil, fmt.Errorf("the model does not allow this step (a guard fails)")
	case !enabled && res.Enabled:
		return nil, fmt.Errorf("marked not enabled, but the model allows it")
	}
	made := map[string]bool{}
	for _, pk := range res.Picks {
		made[pk.Label] = true
		if _, ok := recorded[pk.Label]; !ok {
			return nil, fmt.Errorf("the model picks %q, which the trace does not record", pk.Label)
		}
	}
	if enabled {
		for _, pk := range picks {
			if !made[pk.Label] {
				return nil, fmt.Errorf("the trace records pick %q, which the model does not make", pk.Label)
			}
		}
	}
	return append([]int(nil), res.Path...), nil
}

// refusedStep returns the plan path of a step with outputs that a trace
// marks not enabled, with the inputs recorded.
func (r *runner[S]) refusedStep(action int, cur *S, recorded map[string]itf.Value) ([]int, error) {
	ok, _, err := r.outs.allowsDirected(action, cur, recorded)
	switch {
	case err != nil:
		return nil, err
	case ok:
		return nil, fmt.Errorf("marked not enabled, but the model allows it for some value of its outputs")
	}
	path, ok := r.outs.refusedPath(action, cur, recorded)
	if !ok {
		return nil, fmt.Errorf("the model makes no execution of it with exactly these inputs")
	}
	return path, nil
}
