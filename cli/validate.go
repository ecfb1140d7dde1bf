package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/validate"
)

// `execspec replay PKG --itf FILE` is trace validation: every trace in FILE
// (one ITF document, or NDJSON) must be a behaviour of the model instance.
// A trace that is not is reported like an invariant violation (exit code
// 1): the first state the model cannot reach, why, and the differences
// between the recorded state and the model's closest successor. A file that
// cannot be read, a trace that lacks a model variable or names an action
// the model does not have are input errors (exit code 4); a search that
// runs out of --max-executions is incomplete (exit code 5).

// itfOptions are replay's flags that matter with --itf.
type itfOptions struct {
	file          string
	maxExecutions int
	strict        bool
	maxSize       int64 // bytes of JSON and decoded values; 0: no limit
}

// validateITF validates the traces of an ITF file against the model.
func (s *session[S]) validateITF(ctx context.Context, f runFlags, o itfOptions) (int, error) {
	if err := positive("max-executions", o.maxExecutions); err != nil {
		return 0, err
	}
	mc, instance, err := s.machine(f.instance)
	if err != nil {
		return 0, err
	}
	its, err := readTraces(s.env, o.file, o.maxSize, o.strict, "")
	if err != nil {
		return 0, &usageError{err}
	}
	traces := make([]*trace.Trace, len(its))
	for i, it := range its {
		if traces[i], err = trace.FromITF(it); err != nil {
			return 0, usagef("%s: %s%v", o.file, traceLabel(i, len(its)), err)
		}
	}
	plural := ""
	if len(traces) > 1 {
		plural = "s"
	}
	s.printf("execspec replay %s --instance %s --itf %s: validating %d trace%s against model %s\n", s.pkg, instance, o.file, len(traces), plural, mc.Name())
	s.event(validateStart{Command: "replay", ITF: o.file, Model: mc.Name(), Instance: instance, Traces: len(traces)})

	code := ExitOK
	valid := 0
	var out []*trace.Trace
	for i, t := range traces {
		rep, err := validate.Trace(ctx, mc, t, validate.Options{MaxExecutions: o.maxExecutions})
		if err != nil {
			return 0, usagef("%s: %s%v", o.file, traceLabel(i, len(traces)), err)
		}
		s.reportValidation(t, rep, i, len(traces), f.fullStates)
		switch {
		case rep.Valid():
			valid++
		case rep.Failure.Reason == validate.Interrupted:
			code = ExitInterrupted
		case rep.Failure.Reason == validate.Incomplete:
			if code == ExitOK {
				code = ExitIncomplete
			}
		default:
			if code != ExitInterrupted {
				code = ExitViolation
			}
		}
		out = append(out, annotateValidated(t, rep, mc.Name(), instance))
		if code == ExitInterrupted {
			break
		}
	}
	if len(traces) > 1 {
		s.printf("%d of %d traces valid\n", valid, len(traces))
	}
	if code == ExitViolation {
		s.printf("A trace that is not a behaviour of the model is reported like a violation (exit code 1).\n")
	}
	s.event(validateSummary{Traces: len(traces), Valid: valid})
	return finishSinks(s, mc, out, code), nil
}

func traceLabel(i, n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf("trace %d: ", i)
}

// reportValidation prints one trace's result and emits its event.
func (s *session[S]) reportValidation(t *trace.Trace, rep *validate.Report, i, n int, full bool) {
	name := "trace"
	if n > 1 {
		name = fmt.Sprintf("trace %d of %d", i, n)
	}
	if len(rep.IgnoredVars) > 0 {
		s.printf("note: %s: variables not in the model are ignored: %s\n", name, strings.Join(rep.IgnoredVars, ", "))
	}
	for _, note := range rep.Notes {
		s.printf("note: %s: %s\n", name, note)
	}
	inferred := 0
	for _, st := range rep.Steps {
		if st.Inferred {
			inferred++
		}
	}
	ev := validation{Trace: i, Valid: rep.Valid(), Steps: rep.Transitions(), IgnoredVars: rep.IgnoredVars, Notes: rep.Notes, InferredActions: inferred}
	if rep.Valid() {
		extra := ""
		if inferred > 0 {
			extra = fmt.Sprintf(" (%d action(s) not recorded, found by search)", inferred)
		}
		switch {
		case rep.Closing != nil:
			extra += fmt.Sprintf("; the lasso closes with %s%s", rep.Closing.Action, formatPicks(rep.Closing.Picks))
		case t.Loop != nil && *t.Loop == len(t.Steps)-1:
			extra += fmt.Sprintf("; a lasso stuttering in state %d for ever", *t.Loop)
		case t.Loop != nil:
			extra += fmt.Sprintf("; a lasso: the last state is state %d again, where its loop starts", *t.Loop)
		}
		s.printf("%s valid: %d steps%s\n", name, rep.Transitions(), extra)
		s.event(ev)
		return
	}
	f := rep.Failure
	s.printf("\n%s INVALID at %s\n", name, f.Where())
	s.printf("%s", f.Describe("  "))
	// The trace up to the failing state, with the actions the model found
	// where the trace did not record them.
	shown := showable(t, rep)
	highlight := f.Step
	if f.LoopTo >= 0 {
		highlight = -1
	}
	s.printf("The trace up to that state:\n")
	_ = shown.Print(s.out, trace.PrintOptions{FullStates: full, Highlight: highlight})
	inv := &invalidTrace{State: f.Step, Action: f.Action, Picks: picksJSON(f.Picks), Reason: f.Reason.String(), Summary: f.Summary(), Executions: f.Executions}
	if f.LoopTo >= 0 {
		inv.LoopTo = &f.LoopTo
	}
	if f.Closest != nil {
		cl := &closestStep{Diff: make([]valueDiff, len(f.Diff))}
		cl.Closest.Action, cl.Closest.Picks = f.Closest.Action, picksJSON(f.Closest.Picks)
		for j, c := range f.Diff {
			cl.Diff[j] = valueDiff{Path: c.Path, Model: jsonValue(c.Old), Recorded: jsonValue(c.New)}
		}
		inv.closestStep = cl
	}
	ev.invalidTrace = inv
	s.event(ev)
}

// showable returns the prefix of t up to its failing state (all of it for
// a lasso's closing transition), with actions and picks the model found
// filled in where the trace recorded none.
func showable(t *trace.Trace, rep *validate.Report) *trace.Trace {
	end := len(t.Steps)
	if f := rep.Failure; f != nil && f.Step < end {
		end = f.Step + 1
	}
	out := *t
	out.Loop = nil
	out.Steps = append([]trace.Step(nil), t.Steps[:end]...)
	for i := range out.Steps {
		if i < len(rep.Steps) && out.Steps[i].Action == "" {
			out.Steps[i].Action = rep.Steps[i].Action + " (found by search)"
			out.Steps[i].Picks = rep.Steps[i].Picks
		}
	}
	return &out
}

// annotateValidated returns t with the actions and picks the model found
// (for --out-itf and --out-html) and the validation's outcome in #meta.
func annotateValidated(t *trace.Trace, rep *validate.Report, model, instance string) *trace.Trace {
	out := *t
	out.Steps = append([]trace.Step(nil), t.Steps...)
	for i := range out.Steps {
		if i < len(rep.Steps) {
			out.Steps[i].Action = rep.Steps[i].Action
			out.Steps[i].Picks = rep.Steps[i].Picks
		}
	}
	out.Meta = map[string]any{}
	for k, v := range t.Meta {
		out.Meta[k] = v
	}
	out.Meta["validated_by"] = "execspec " + Version
	out.Meta[trace.MetaModel] = model
	out.Meta[trace.MetaInstance] = instance
	if rep.Valid() {
		out.Meta["validation"] = "valid"
	} else {
		out.Meta["validation"] = "invalid at state " + fmt.Sprint(rep.Failure.Step) + ": " + rep.Failure.Summary()
	}
	return &out
}

func formatPicks(picks []trace.Pick) string {
	if len(picks) == 0 {
		return ""
	}
	return " [" + trace.FormatPicks(picks) + "]"
}

func picksJSON(picks []trace.Pick) map[string]any {
	m := make(map[string]any, len(picks))
	for _, p := range picks {
		m[p.Label] = jsonValue(p.Value)
	}
	return m
}

// jsonValue is an ITF value as JSON (its ITF encoding), nil when absent.
func jsonValue(v itf.Value) any {
	if !v.IsValid() {
		return nil
	}
	return v
}
