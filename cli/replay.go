package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/execspec/execspec/internal/bytesize"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/simulate"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/validate"
)

func (s *session[S]) replay(ctx context.Context, args []string) (int, error) {
	var f runFlags
	fs := s.commonFlags("replay", &f)
	sample := fs.Int("sample", -1, "the sample to re-execute, from 0 (printed with the finding)")
	itfFile := fs.String("itf", "", "validate the traces in this ITF file against the model instead of re-executing a sample (exit code 1 when one is not a behaviour of the model)")
	strict := fs.Bool("strict", false, "with --itf: "+strictUsage)
	maxExec := fs.Int("max-executions", validate.DefaultMaxExecutions, "with --itf: executions allowed to find the transition to one state of a trace")
	maxSize := fs.String("max-size", defaultMaxSize, "with --itf: "+maxSizeUsage)
	if err := parseFlags(fs.FlagSet, args); err != nil {
		return 0, err
	}
	s.openSinks(f.sinks)
	sampleGiven := false
	fs.Visit(func(fl *flag.Flag) { sampleGiven = sampleGiven || fl.Name == "sample" })
	if sampleGiven && *sample < 0 {
		return 0, usagef("--sample %d: samples are numbered from 0 (the number printed with the finding)", *sample)
	}
	if *itfFile != "" {
		if f.seed != "" || *sample >= 0 || f.property != "" {
			return 0, usagef("--itf validates a trace file: --seed, --sample and --property do not apply")
		}
		limit, err := bytesize.Parse(*maxSize)
		if err != nil {
			return 0, usagef("--max-size: %v", err)
		}
		return s.validateITF(ctx, f, itfOptions{file: *itfFile, maxExecutions: *maxExec, strict: *strict, maxSize: limit})
	}
	if f.seed == "" || *sample < 0 {
		return 0, usagef("replay needs --seed and --sample (as printed with a finding), or --itf FILE")
	}
	if err := positive("max-steps", f.maxSteps); err != nil {
		return 0, err
	}
	seed, _, err := parseSeed(f.seed)
	if err != nil {
		return 0, err
	}
	mc, instance, err := s.machine(f.instance)
	if err != nil {
		return 0, err
	}
	if kind, err := propertyKind(mc, f.property); err != nil {
		return 0, err
	} else if err := engine.RefuseTemporal("replay --seed", kind, f.property); err != nil {
		return 0, usagef("%v; a lasso found by check replays with: execspec replay %s --itf FILE", err, s.pkg)
	}
	strategy, err := simulate.ParseStrategy(f.strategy)
	if err != nil {
		return 0, &usageError{err}
	}
	t, fd, err := simulate.Replay(mc, simulate.Options{Seed: seed, MaxSteps: f.maxSteps, Property: f.property, Strategy: strategy, NoShrink: f.noShrink}, *sample)
	if err != nil {
		return 0, err
	}
	saved, err := loadFinding(s.env, mc.Name(), instance, f.property, seed, *sample)
	if err != nil {
		return 0, err
	}
	if saved != nil {
		if i, diff := firstDifference(saved, t); i >= 0 {
			s.printf("replay does NOT reproduce the trace saved by the run that printed this command: the model or its instance changed, or the model is not deterministic (an action that ranges over a Go map, reads the clock or a global: execspec check reports such actions).\n")
			s.printf("First difference at step %d:\n%s", i, diff)
			s.printf("\nReplayed trace:\n")
			_ = t.Print(s.out, trace.PrintOptions{FullStates: f.fullStates, Highlight: i})
			s.event(replayDone{FirstDifference: &i})
			return ExitUsage, nil
		}
	}
	rc := s.replayCommand(instance, seed, *sample, &f)
	if fd == nil {
		if f.property != "" || saved != nil {
			s.printf("replay does NOT reproduce a finding: sample %d ran %d steps without one (the model may have changed, or is not deterministic: execspec check reports such actions)\n", *sample, len(t.Steps)-1)
			_ = t.Print(s.out, trace.PrintOptions{FullStates: f.fullStates, Highlight: -1})
			s.event(replayDone{})
			return ExitUsage, nil
		}
		s.printf("sample %d of seed %d: %d steps, no finding\n", *sample, seed, len(t.Steps)-1)
		_ = t.Print(s.out, trace.PrintOptions{FullStates: f.fullStates, Highlight: -1})
		return ExitOK, nil
	}
	fc := s.runFindingContext(mc.Name(), instance, f.property, seed, *fd, rc)
	t = s.annotate(fd.Finding, fc)
	s.reportFinding(fd.Finding, t, fc, f.fullStates)
	if saved != nil {
		s.printf("Reproduced: identical to the trace saved by the run.\n")
	}
	s.event(replayDone{Reproduced: true})
	code, err := s.exitCode(&simulate.Result{Findings: []simulate.Finding{*fd}, Property: f.property, PropertyKind: kindOf(mc, f.property)}, ctx)
	if err != nil {
		return 0, err
	}
	return finishSinks(s, mc, []*trace.Trace{t}, code), nil
}

// firstDifference compares two traces step by step (action, picks, state)
// and returns the first step that differs, with a description, or -1.
func firstDifference(want, got *trace.Trace) (int, string) {
	n := min(len(want.Steps), len(got.Steps))
	for i := 0; i < n; i++ {
		w, g := want.Steps[i], got.Steps[i]
		var msg string
		if w.Action != g.Action {
			msg += fmt.Sprintf("    action: saved %s, replayed %s\n", w.Action, g.Action)
		}
		if !samePicks(w.Picks, g.Picks) {
			msg += fmt.Sprintf("    picks: saved %v, replayed %v\n", picksString(w.Picks), picksString(g.Picks))
		}
		for _, c := range trace.DiffStates(want.Vars, w.State, g.State) {
			msg += "    " + trace.FormatChange(c) + "   (saved -> replayed)\n"
		}
		if msg != "" {
			return i, msg
		}
	}
	if len(want.Steps) != len(got.Steps) {
		return n, fmt.Sprintf("    the saved trace has %d steps, the replay %d\n", len(want.Steps)-1, len(got.Steps)-1)
	}
	return -1, ""
}

func samePicks(a, b []trace.Pick) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]itf.Value{}
	for _, p := range a {
		m[p.Label] = p.Value
	}
	for _, p := range b {
		v, ok := m[p.Label]
		if !ok || !itf.Equal(v, p.Value) {
			return false
		}
	}
	return true
}

func picksString(ps []trace.Pick) string { return "[" + trace.FormatPicks(ps) + "]" }
