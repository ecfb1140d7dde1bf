package cli

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/portfolio"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/simulate"
	"github.com/execspec/execspec/trace"
)

// defaultStrategy is run's: swarm found every realistic bug of the zoo on
// 20 of 20 seeds, where uniform choice found some on none (BENCHMARKS.md).
// The library's zero Options stay uniform.
const defaultStrategy = simulate.Swarm

// runFlags are the flags shared by run and replay.
type runFlags struct {
	instance, property, seed string
	strategy                 string
	maxSteps                 int
	fullStates, noShrink     bool
	sinks                    *sinkFlags
}

func (s *session[S]) commonFlags(name string, f *runFlags) *flagSet {
	fs := s.newFlags(name)
	fs.StringVar(&f.instance, "instance", "", "the model instance `NAME` (default: the first one; see execspec list)")
	fs.StringVar(&f.property, "property", "", "the invariant or example `NAME` to search for (default: every invariant)")
	fs.StringVar(&f.seed, "seed", "", "random seed (a fresh one is drawn and printed when not given)")
	fs.IntVar(&f.maxSteps, "max-steps", simulate.DefaultMaxSteps, "maximum steps per sample")
	fs.StringVar(&f.strategy, "strategy", string(defaultStrategy), "how each step chooses among the enabled actions: "+runStrategyHelp())
	fs.BoolVar(&f.noShrink, "no-shrink", false, "report findings as found, without shrinking them")
	fs.BoolVar(&f.fullStates, "full-states", false, "print every variable of every state, not only what changed")
	f.sinks = addSinkFlags(fs)
	return &flagSet{fs}
}

func (s *session[S]) run(ctx context.Context, args []string) (int, error) {
	var f runFlags
	fs := s.commonFlags("run", &f)
	maxSamples := fs.Int("max-samples", simulate.DefaultMaxSamples, "number of samples")
	maxFindings := fs.Int("max-findings", simulate.DefaultMaxFindings, "stop after this many findings")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "parallel workers (findings do not depend on it)")
	budget := fs.Int("budget", simulate.DefaultBudget, "executions allowed to decide whether one action is enabled at one step")
	progress := fs.Bool("progress", false, "print progress to stderr (default: only when stderr is a terminal)")
	usePortfolio := fs.Bool("portfolio", false, "run a mix of strategies at once, one per worker (swarm simulation, random DFS, guided simulation, BFS, uniform simulation, in that order), until the first finding or --timeout")
	timeout := fs.Duration("timeout", 0, "stop after this long, e.g. 30s or 5m (0: no limit); a run stopped with nothing found exits 5")
	shardFlag := fs.String("shard", "", "run shard `I/N` of the samples (every N-th, from sample I-1; job/N takes I from $JOB_COMPLETION_INDEX, 0-based, as a Kubernetes Indexed Job sets it): with one --seed, N shards run the samples of one run, and execspec merge combines their --shard-out directories into its report")
	shardOut := fs.String("shard-out", "", "with --shard: the `DIR` where the shard writes its result and its findings' traces, for execspec merge")
	if err := parseFlags(fs.FlagSet, args); err != nil {
		return 0, err
	}
	shard, shards := 1, 1
	if *shardFlag != "" {
		var err error
		if shard, shards, err = parseShard(*shardFlag, s.env.Getenv); err != nil {
			return 0, err
		}
		switch {
		case *shardOut == "":
			return 0, usagef("--shard needs --shard-out DIR, where the shard writes its result for execspec merge")
		case f.seed == "":
			return 0, usagef("--shard needs --seed: every shard of a run must draw from the same seed")
		case *usePortfolio:
			return 0, usagef("--portfolio runs until a time limit, not through a set of samples: it cannot be sharded")
		}
	} else if *shardOut != "" {
		return 0, usagef("--shard-out applies only with --shard I/N")
	}
	if err := (simulate.Options{Timeout: *timeout}).Validate(); err != nil {
		return 0, flagError(err) // the engine's own rule for the option
	}
	strategy, err := simulate.ParseStrategy(f.strategy)
	if err != nil {
		return 0, &usageError{err}
	}
	for _, c := range []struct {
		n string
		v int
	}{{"max-steps", f.maxSteps}, {"max-samples", *maxSamples}, {"max-findings", *maxFindings}, {"workers", *workers}, {"budget", *budget}} {
		if err := positive(c.n, c.v); err != nil {
			return 0, err
		}
	}
	seed, given, err := parseSeed(f.seed)
	if err != nil {
		return 0, err
	}
	s.openSinks(f.sinks)
	mc, instance, err := s.machine(f.instance)
	if err != nil {
		return 0, err
	}
	if *usePortfolio {
		if f.strategy != string(defaultStrategy) {
			return 0, usagef("--portfolio runs its own mix of strategies: --strategy does not apply")
		}
		return s.runPortfolio(ctx, mc, instance, &f, seed, given, portfolio.Options{
			Seed: seed, Workers: *workers, Timeout: *timeout, Property: f.property, MaxSteps: f.maxSteps,
		})
	}
	// A simulation's live heap is a few states per worker, and copying
	// states allocates at every step: collect less often (GOGC=400).
	debug.SetGCPercent(400)
	opts := simulate.Options{
		Seed: seed, MaxSteps: f.maxSteps, MaxSamples: *maxSamples, Property: f.property,
		MaxFindings: *maxFindings, Workers: *workers, Budget: *budget,
		Strategy: strategy, Timeout: *timeout, NoShrink: f.noShrink,
		Shard: shard, Shards: shards,
	}
	if *progress || s.env.StderrIsTerminal {
		opts.Progress = func(st simulate.Stats) {
			fmt.Fprintf(s.env.Stderr, "progress: %d samples, %d steps, %.0f steps/s, %s\n", st.Samples, st.Steps, st.StepsPerSecond(), st.Elapsed.Round(time.Second))
		}
	}
	what := "every invariant"
	if f.property != "" {
		p, err := mc.Property(f.property)
		if err != nil {
			return 0, &usageError{err}
		}
		if err := engine.RefuseTemporal("simulation", p.Kind, p.Name); err != nil {
			return 0, usagef("%v; check it with: execspec check %s --instance %s --property %s", err, s.pkg, instance, p.Name)
		}
		what = p.Kind.String() + " " + p.Name
	}
	seedNote := ""
	if !given {
		seedNote = " (random; pass --seed to fix it)"
	}
	shardNote := ""
	if shards > 1 {
		shardNote = fmt.Sprintf(" (shard %d of %d: every %d-th from sample %d)", shard, shards, shards, shard-1)
	}
	s.printf("execspec run %s --instance %s: checking %s in up to %d samples%s of up to %d steps, seed %d%s, %s\n",
		s.pkg, instance, what, *maxSamples, shardNote, f.maxSteps, seed, seedNote, plural(*workers, "worker"))
	if f.property == "" {
		s.temporalNote(mc, "simulation")
	}
	s.event(runStart{Command: "run", Model: mc.Name(), Instance: instance, Property: f.property, Seed: strconv.FormatUint(seed, 10), MaxSteps: f.maxSteps, MaxSamples: *maxSamples, Workers: *workers})

	s.env.mon.startTimeout(*timeout)
	res, err := simulate.Run(ctx, mc, opts)
	s.env.mon.engineDone()
	if err != nil {
		if _, ok := err.(*execspec.UnknownNameError); ok {
			return 0, &usageError{err}
		}
		return 0, err
	}
	var traces []*trace.Trace
	var reports []shardFinding
	for _, fd := range res.Findings {
		fc := s.runFindingContext(mc.Name(), instance, f.property, seed, fd, s.replayCommand(instance, seed, fd.Sample, &f))
		t := s.annotate(fd.Finding, fc)
		// A shard keeps its reports word for word, for merge to print.
		var report strings.Builder
		out := s.out
		s.out = io.MultiWriter(out, &report)
		s.reportFinding(fd.Finding, t, fc, f.fullStates)
		s.out = out
		reports = append(reports, shardFinding{Sample: fd.Sample, Violation: fd.Kind == findings.InvariantViolated || fd.Kind == findings.StepViolated || fd.Kind == findings.Panicked, Report: report.String()})
		if err := saveFinding(s.env, mc.Name(), instance, f.property, seed, fd.Sample, t); err != nil {
			fmt.Fprintf(s.env.Stderr, "execspec: warning: could not save the trace for replay comparison: %v\n", err)
		}
		traces = append(traces, t)
	}
	s.summary(res)
	if !given {
		s.printf("Rerun with: execspec run %s --instance %s%s --seed %d --max-steps %d --max-samples %d\n", s.pkg, instance, propFlag(f.property), seed, f.maxSteps, *maxSamples)
	}
	code, err := s.exitCode(res, ctx)
	if err != nil {
		return 0, err
	}
	if *shardFlag != "" {
		sr := &shardResult{Version: shardVersion, Shard: shard, Shards: shards, Stopped: res.Stopped.String(), Stats: res.Stats, Findings: reports,
			Run: shardRun{Package: s.pkg, Model: mc.Name(), Instance: instance, Property: f.property, Example: res.PropertyKind == machine.Example && f.property != "",
				Seed: strconv.FormatUint(seed, 10), Strategy: string(strategy), MaxSteps: f.maxSteps, MaxSamples: *maxSamples, MaxFindings: *maxFindings,
				Budget: *budget, NoShrink: f.noShrink}}
		dir := *shardOut
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(s.env.Dir, dir)
		}
		if err := writeShard(dir, sr, traces); err != nil {
			return 0, err
		}
		s.printf("Shard %d of %d written to %s; when every shard is done: execspec merge %s\n", shard, shards, filepath.Join(*shardOut, shardFileName(shard, shards)), *shardOut)
	}
	return finishSinks(s, mc, traces, code), nil
}

// temporalNote says that the model's temporal properties are not checked
// by what (a finite sample cannot show that progress never comes).
func (s *session[S]) temporalNote(mc *machine.Machine[S], what string) {
	if tps := mc.PropertiesOf(machine.Temporal); len(tps) > 0 {
		var names []string
		for _, p := range tps {
			names = append(names, p.Name)
		}
		s.printf("  note: %s does not check temporal properties (%s): `execspec check` does\n", what, strings.Join(names, ", "))
	}
	if rs := mc.PropertiesOf(machine.Refines); len(rs) > 0 {
		var names []string
		for _, p := range rs {
			names = append(names, p.Name)
		}
		s.printf("  note: %s does not check refinements (%s): `execspec check` does\n", what, strings.Join(names, ", "))
	}
}

func (s *session[S]) exitCode(res *simulate.Result, ctx context.Context) (int, error) {
	fs := make([]findings.Finding, len(res.Findings))
	for i, fd := range res.Findings {
		fs[i] = fd.Finding
	}
	timedOut := res.Stopped == findings.StoppedTimeout
	v := findings.Judge(findings.Outcome{
		Findings:    fs,
		Complete:    !timedOut && ctx.Err() == nil,
		Interrupted: !timedOut && ctx.Err() != nil,
		WantExample: res.Property != "" && res.PropertyKind == machine.Example,
	})
	if v == findings.NoExample {
		s.printf("example %s not reached\n", res.Property)
	}
	return exitCode(v), nil
}

func propFlag(p string) string {
	if p == "" {
		return ""
	}
	return " --property " + p
}

func (s *session[S]) replayCommand(instance string, seed uint64, sample int, f *runFlags) string {
	cmd := fmt.Sprintf("execspec replay %s --instance %s%s --seed %d --sample %d --max-steps %d", s.pkg, instance, propFlag(f.property), seed, sample, f.maxSteps)
	if f.strategy != string(defaultStrategy) {
		cmd += " --strategy " + f.strategy
	}
	if f.noShrink {
		cmd += " --no-shrink"
	}
	return cmd
}

// findingMeta returns the trace metadata every finding carries, whatever
// the engine: tool, model, instance, status and the package as given.
func (s *session[S]) findingMeta(model, instance, status string) map[string]any {
	return map[string]any{
		trace.MetaTool: "execspec " + Version, trace.MetaModel: model, trace.MetaInstance: instance,
		trace.MetaStatus: status, "source": s.pkg,
	}
}

// runFindingContext is what a simulation finding's report says of where it
// was found and how to replay it.
func (s *session[S]) runFindingContext(model, instance, property string, seed uint64, fd simulate.Finding, replay string) findingContext {
	fc := findingContext{model: model, instance: instance, property: property, where: fmt.Sprintf("sample %d", fd.Sample), replay: replay,
		meta: map[string]any{trace.MetaSeed: strconv.FormatUint(seed, 10), trace.MetaSample: fd.Sample}}
	if fd.Config != "" {
		fc.choice = fmt.Sprintf("swarm configuration of sample %d", fd.Sample)
		if fd.Original > 0 {
			fc.choice += ", which found it (the shrunk trace below need not follow it)"
		}
		fc.choice += ":\n  " + fd.Config
		fc.meta["swarm"] = fd.Config
	}
	return fc
}

func (s *session[S]) summary(res *simulate.Result) {
	st := res.Stats
	interrupted := res.Stopped == findings.StoppedInterrupted
	writeRunSummary(s.out, st, res.Stopped, "")
	actions := make([]actionSummary, len(st.Actions))
	for i, a := range st.Actions {
		actions[i] = actionSummary{Name: a.Name, Tried: a.Tried, Fired: a.Fired, Executions: a.Runs, Undecided: a.Undecided}
	}
	s.event(runSummary{Samples: st.Samples, Steps: st.Steps, Seconds: st.Elapsed.Seconds(), StepsPerSecond: st.StepsPerSecond(),
		MinLen: st.MinLen, AvgLen: st.AvgLen(), MaxLen: st.MaxLen, Deadlocks: st.Deadlocks, Actions: actions, Incomplete: interrupted || res.Stopped == findings.StoppedTimeout, Stopped: res.Stopped.String()})
}

// writeRunSummary writes a simulation's summary: counts, rates, and a
// table of what each action did. over, when not empty, says what the time
// is a sum of (a merge of shards).
func writeRunSummary(w io.Writer, st simulate.Stats, stopped findings.Stop, over string) {
	fmt.Fprintf(w, "\nSummary: %d samples, %d steps in %s%s (%.0f steps/s, %.0f samples/s); trace length min/avg/max %d/%.1f/%d",
		st.Samples, st.Steps, roundDuration(st.Elapsed), over, st.StepsPerSecond(), float64(st.Samples)/max(st.Elapsed.Seconds(), 1e-9), st.MinLen, st.AvgLen(), st.MaxLen)
	if st.Deadlocks > 0 {
		fmt.Fprintf(w, "; %d samples ended with no enabled action", st.Deadlocks)
	}
	switch stopped {
	case findings.StoppedInterrupted:
		fmt.Fprintf(w, "; interrupted before all samples ran")
	case findings.StoppedTimeout:
		fmt.Fprintf(w, "; stopped by --timeout before all samples ran: nothing found, which proves nothing")
	}
	fmt.Fprintf(w, "\n")
	width := len("action")
	for _, a := range st.Actions {
		width = max(width, len(a.Name))
	}
	fmt.Fprintf(w, "  %-*s %12s %12s %12s\n", width, "action", "tried", "fired", "executions")
	var never []string
	for _, a := range st.Actions {
		note := ""
		if a.Undecided > 0 {
			note = fmt.Sprintf("  (%d undecided: budget exhausted)", a.Undecided)
		}
		fmt.Fprintf(w, "  %-*s %12d %12d %12d%s\n", width, a.Name, a.Tried, a.Fired, a.Runs, note)
		if a.Fired == 0 {
			never = append(never, a.Name)
		}
	}
	if len(never) > 0 {
		fmt.Fprintf(w, "  never fired: %s\n", strings.Join(never, ", "))
	}
}

func parseSeed(v string) (seed uint64, given bool, err error) {
	if v == "" {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return 0, false, fmt.Errorf("drawing a seed: %w", err)
		}
		return binary.LittleEndian.Uint64(b[:]) >> 1, false, nil
	}
	seed, err = strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, true, usagef("--seed %q: not a non-negative integer", v)
	}
	return seed, true, nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

func kindOf[S any](mc *machine.Machine[S], property string) machine.PropertyKind {
	if property == "" {
		return machine.Invariant
	}
	p, err := mc.Property(property)
	if err != nil {
		return machine.Invariant
	}
	return p.Kind
}

// roundDuration keeps three significant digits or so: 412µs, 38.2ms, 5.77s.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond)
	case d < time.Second:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
