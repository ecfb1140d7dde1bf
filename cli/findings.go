package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Every finding's trace is saved in the cache, keyed by what its replay
// command names, so that `execspec replay` can tell whether it reproduces
// the very same trace and, if not (the model changed), show the first step
// that differs.

func findingPath(env Env, model, instance, property string, seed uint64, sample int) (string, error) {
	dir, err := cacheDir(env)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%d\x00%d", env.Dir, model, instance, property, seed, sample)))
	return filepath.Join(dir, "findings", model+"-"+instance+"-"+hex.EncodeToString(sum[:8])+".itf.json"), nil
}

func saveFinding(env Env, model, instance, property string, seed uint64, sample int, t *trace.Trace) error {
	path, err := findingPath(env, model, instance, property, seed, sample)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return itf.WriteFile(path, t.ToITF())
}

// loadFinding returns the saved trace, or nil when there is none.
func loadFinding(env Env, model, instance, property string, seed uint64, sample int) (*trace.Trace, error) {
	path, err := findingPath(env, model, instance, property, seed, sample)
	if err != nil {
		return nil, err
	}
	ts, err := itf.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("saved trace %s: %w", path, err)
	}
	if len(ts) != 1 {
		return nil, fmt.Errorf("saved trace %s: %d traces, want 1", path, len(ts))
	}
	return trace.FromITF(ts[0])
}

// findingContext is what the report of one finding says besides the
// finding itself: where it was found and how to reproduce it.
type findingContext struct {
	model, instance string
	// property is the property searched for ("" for every invariant).
	property string
	// where qualifies the step count: "sample 3", "a shortest trace".
	where string
	// choice says how a simulation sample chose its actions (its swarm
	// configuration), on lines of its own; "" for uniform choice.
	choice string
	// meta is added to the trace's "#meta" (seed, sample, strategy...).
	meta map[string]any
	// replay re-executes the trace; reproduce re-runs the search.
	replay, reproduce string
	// formulas is the number of formulas of the temporal property of a
	// liveness violation.
	formula string // the failing formula of a temporal property, when it has a name or several formulas
}

// annotate sets a finding's trace metadata, whatever the engine.
func (s *session[S]) annotate(fd findings.Finding, fc findingContext) *trace.Trace {
	t := fd.Trace
	t.Meta = s.findingMeta(fc.model, fc.instance, findings.Status(fd.Kind))
	for k, v := range fc.meta {
		t.Meta[k] = v
	}
	switch {
	case fd.Property != "":
		t.Meta[trace.MetaProperty] = fd.Property
	case fc.property != "":
		t.Meta[trace.MetaProperty] = fc.property
	}
	if fd.Err != nil {
		t.Meta["error"] = fd.Err.Error()
	}
	if fc.formula != "" {
		t.Meta["formula"] = fc.formula
	}
	if fc.replay != "" {
		t.Meta[trace.MetaReplay] = fc.replay
	}
	if fc.reproduce != "" {
		t.Meta["reproduce"] = fc.reproduce
	}
	if fd.Original > 0 {
		t.Meta["shrunk_from"] = fd.Original
	}
	if fd.Mapped != nil {
		t.Meta["refinement"] = mappedMeta(fd)
	}
	return t
}

// mappedMeta is a refinement finding's "#meta" entry: the high model and,
// per step of the trace, the high action and the mapped state.
func mappedMeta(fd findings.Finding) map[string]any {
	m := fd.Mapped
	steps := make([]any, len(m.Steps))
	for i, st := range m.Steps {
		fields := make([]itf.Field, 0, len(m.Vars))
		for _, v := range m.Vars {
			fields = append(fields, itf.Field{Name: v, Value: st.State[v]})
		}
		picks := map[string]any{}
		for _, p := range st.Picks {
			picks[p.Label] = p.Value
		}
		steps[i] = map[string]any{"action": st.Action, "picks": picks, "state": itf.Record(fields...)}
	}
	out := map[string]any{"name": fd.Property, "high": m.Meta[trace.MetaModel], "mapped": steps}
	if fd.Kind == findings.RefinementViolated {
		out["failed"] = "step"
		if len(m.Steps) == 1 {
			out["failed"] = "init"
		}
	}
	return out
}

// reportFinding prints one finding, whatever the engine: what was found,
// the trace, the panic stack, and how to replay and reproduce it.
func (s *session[S]) reportFinding(fd findings.Finding, t *trace.Trace, fc findingContext, full bool) {
	last := len(t.Steps) - 1
	where := plural(last, "step")
	if fc.where != "" {
		where += ", " + fc.where
	}
	switch fd.Kind {
	case findings.InvariantViolated:
		s.printf("\nVIOLATION: invariant %s does not hold after step %d (%s)\n", fd.Property, last, where)
	case findings.StepViolated:
		s.printf("\nVIOLATION: step invariant %s does not hold on step %d (%s)\n", fd.Property, last, where)
	case findings.ExampleFound:
		s.printf("\nEXAMPLE: %s reached at step %d (%s)\n", fd.Property, last, where)
	case findings.Deadlocked:
		s.printf("\nDEADLOCK: no action is enabled after step %d (%s)\n", last, where)
	case findings.Panicked:
		s.printf("\nPANIC at step %d (%s): %v\n", last, where, fd.Err)
	case findings.LivenessViolated:
		s.reportLasso(fd, t, fc, full)
		return
	case findings.RefinementViolated:
		high := "the high model"
		if fd.Mapped != nil {
			high, _ = fd.Mapped.Meta[trace.MetaModel].(string)
		}
		if last == 0 {
			s.printf("\nREFINEMENT VIOLATION: refinement %s does not hold: the initial state maps to no initial state of %s (%s)\n", fd.Property, high, where)
		} else {
			s.printf("\nREFINEMENT VIOLATION: refinement %s does not hold: step %d maps to no step of %s, and not to a stuttering step (%s)\n", fd.Property, last, high, where)
		}
	}
	if fd.Original > 0 {
		s.printf("(shrunk from %d to %d steps; --no-shrink shows the trace as found)\n", fd.Original, last)
	}
	if fc.choice != "" {
		s.printf("%s\n", fc.choice)
	}
	if fd.Mapped != nil && fd.Kind == findings.RefinementViolated {
		s.printMapped(t, fd, full)
	} else {
		_ = t.Print(s.out, trace.PrintOptions{FullStates: full, Highlight: last})
	}
	if pe, ok := fd.Err.(*machine.PanicError); ok && pe.Stack != "" {
		s.printf("panic stack:\n%s\n", indent(pe.Stack))
	}
	if fc.replay != "" {
		s.printf("Replay with:\n  %s\n", fc.replay)
	}
	if fc.reproduce != "" {
		s.printf("Reproduce the search with:\n  %s\n", fc.reproduce)
	}
	s.event(findingEvent{Kind: fd.Kind.String(), Property: fd.Property, Steps: last, Replay: fc.replay, Reproduce: fc.reproduce,
		ShrunkFrom: fd.Original, Trace: t.ToITF(), Meta: fc.meta})
}

// reportLasso prints a liveness violation: a lasso, whose loop the
// behaviour repeats forever.
func (s *session[S]) reportLasso(fd findings.Finding, t *trace.Trace, fc findingContext, full bool) {
	last := len(t.Steps) - 1
	loop := last
	if t.Loop != nil {
		loop = *t.Loop
	}
	s.printf("\nLIVENESS VIOLATION: temporal property %s does not hold", fd.Property)
	if fc.formula != "" {
		s.printf(" (its %s fails)", fc.formula)
	}
	if loop == last {
		s.printf(": the behaviour reaches step %d and stutters there forever (no fair action obliges it to move)\n", last)
	} else {
		s.printf(": after step %d the behaviour repeats steps %d..%d forever (a lasso, fair to every fairness condition)\n", loop, loop+1, last)
	}
	_ = t.Print(s.out, trace.PrintOptions{FullStates: full, Highlight: loop})
	if m := fd.Mapped; m != nil {
		s.printf("The behaviour of %s it maps to (refinement %s):\n", m.Meta[trace.MetaModel], fd.Property)
		mt := *m
		mt.Loop = t.Loop
		_ = mt.Print(s.out, trace.PrintOptions{FullStates: full, Highlight: loop})
	}
	if fc.replay != "" {
		s.printf("Replay with:\n  %s\n", fc.replay)
	}
	if fc.reproduce != "" {
		s.printf("Reproduce the search with:\n  %s\n", fc.reproduce)
	}
	s.event(findingEvent{Kind: fd.Kind.String(), Property: fd.Property, Steps: last, Loop: &loop, Replay: fc.replay, Reproduce: fc.reproduce, Trace: t.ToITF()})
}

// printMapped prints a refinement violation's trace with, after each step,
// the high model's action and the changes of the state it maps to; the
// last step, which the high model cannot take, is marked.
func (s *session[S]) printMapped(t *trace.Trace, fd findings.Finding, full bool) {
	m := fd.Mapped
	last := len(t.Steps) - 1
	for i, st := range t.Steps {
		marker := ""
		if i == last {
			marker = "  <--"
		}
		action := st.Action
		if action == "" {
			action = "(action not recorded)"
		}
		s.printf("step %d: %s%s%s\n", i, action, formatPicks(st.Picks), marker)
		printState(s, t.Vars, t.Steps, i, full, "    ")
		if i >= len(m.Steps) {
			continue
		}
		hs := m.Steps[i]
		switch {
		case hs.Action != "":
			s.printf("  %s maps to: %s%s\n", fd.Property, hs.Action, formatPicks(hs.Picks))
		case i == 0:
			s.printf("  %s maps to NO initial state of %s:\n", fd.Property, m.Meta[trace.MetaModel])
		default:
			s.printf("  %s maps to NO step of %s:\n", fd.Property, m.Meta[trace.MetaModel])
		}
		if hs.Action != "(stutter)" {
			printState(s, m.Vars, m.Steps, i, full || i == last, "      ")
		}
	}
}

// printState prints state i of steps: all of it for the first (or with
// full), what changed since the previous otherwise.
func printState[S any](s *session[S], vars []string, steps []trace.Step, i int, full bool, indent string) {
	if i == 0 || full {
		for _, v := range vars {
			s.printf("%s%s = %s\n", indent, v, steps[i].State[v])
		}
		return
	}
	changes := trace.DiffStates(vars, steps[i-1].State, steps[i].State)
	if len(changes) == 0 {
		s.printf("%s(no change)\n", indent)
	}
	for _, c := range changes {
		s.printf("%s%s\n", indent, trace.FormatChange(c))
	}
}
