package mbt

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/engine"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
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
// every step, as in Run. Only Options.Ignore is used.
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
	r.setDriver(newDriver(t))
	out := r.runPlan(p, false)
	switch {
	case out.err != nil:
		t.Errorf("execspec mbt: %s: %v", src, out.err)
	case out.reject != "":
		t.Errorf("execspec mbt: %s: %s", src, out.reject)
	case out.div != nil:
		out.div.Source = src
		r.report(cut(p, out.div.Step), out.div, "")
	}
}

// fromITF turns an ITF trace into a plan, executing each step on the model
// with the recorded picks and checking that the model agrees with the
// trace.
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
		ex.Direct(recorded)
		res := ex.Exec(action, cur, nxt, machine.Path(nil).Choices())
		what := fmt.Sprintf("state %d, %s", i, formatStep(mc.ActionName(action), st.Picks))
		switch {
		case res.Err != nil:
			return plan{}, fmt.Errorf("%s: the model panicked: %w", what, res.Err)
		case res.Mismatch != "":
			return plan{}, fmt.Errorf("%s: %s", what, res.Mismatch)
		case enabled && !res.Enabled:
			return plan{}, fmt.Errorf("%s: the model does not allow this step (a guard fails)", what)
		case !enabled && res.Enabled:
			return plan{}, fmt.Errorf("%s: marked not enabled, but the model allows it", what)
		}
		made := map[string]bool{}
		for _, pk := range res.Picks {
			made[pk.Label] = true
			if _, ok := recorded[pk.Label]; !ok {
				return plan{}, fmt.Errorf("%s: the model picks %q, which the trace does not record", what, pk.Label)
			}
		}
		if enabled {
			for _, pk := range st.Picks {
				if !made[pk.Label] {
					return plan{}, fmt.Errorf("%s: the trace records pick %q, which the model does not make", what, pk.Label)
				}
			}
		}
		path := append([]int(nil), res.Path...)
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
		if diff := r.cmp.diffITF(tr.Vars, vals, st.State); len(diff) > 0 {
			return plan{}, fmt.Errorf("%s: the model's state differs from the trace's:\n%s", what, strings.TrimSuffix(formatDiff(diff, "model", "trace"), "\n"))
		}
	}
	return p, nil
}
