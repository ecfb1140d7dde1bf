package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/bytesize"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// checkFlags are the flags of `execspec check`.
type checkFlags struct {
	instance, property, strategy, seed string
	workers, maxDepth, maxFindings     int
	maxStates                          int64
	timeout                            time.Duration
	memory, spill                      int64
	deadlock, fullStates               bool
	progress, allData, noSym, fp128    bool
	noDetCheck, noShrink, noTemporal   bool
	noRefinement                       bool
	reference                          bool
	sinks                              *sinkFlags
	checkpoint, resume                 string
	checkpointEvery                    time.Duration
}

func (s *session[S]) check(ctx context.Context, args []string) (int, error) {
	var f checkFlags
	fs := s.newFlags("check")
	fs.StringVar(&f.instance, "instance", "", "the model instance `NAME` (default: the first one; see execspec list)")
	fs.StringVar(&f.property, "property", "", "the invariant, example or temporal property `NAME` to check (default: every invariant and every temporal property)")
	seeded := checkStrategies(func(in check.StrategyInfo) bool { return in.Seeded })
	shortest := checkStrategies(func(in check.StrategyInfo) bool { return in.Shortest })
	shrunk := checkStrategies(func(in check.StrategyInfo) bool { return !in.Shortest })
	fs.StringVar(&f.strategy, "strategy", string(check.DefaultStrategy), "search order: "+checkStrategyHelp())
	fs.StringVar(&f.seed, "seed", "", joinWords(seeded, "or")+" seed (a fresh one is drawn and printed when not given)")
	fs.IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), "parallel workers for "+joinWords(checkStrategies(func(in check.StrategyInfo) bool { return in.Parallel }), "and")+" (counts and traces do not depend on it)")
	fs.IntVar(&f.maxDepth, "max-depth", 0, "explore states at most this many steps from an initial state (0: no bound)")
	fs.Int64Var(&f.maxStates, "max-states", 0, "stop after this many distinct states (0: no limit)")
	fs.DurationVar(&f.timeout, "timeout", 0, "stop after this long, e.g. 30s or 5m (0: no limit)")
	fs.IntVar(&f.maxFindings, "max-findings", check.DefaultMaxFindings, "stop after this many findings")
	fs.BoolVar(&f.deadlock, "deadlock", false, "report reachable states in which no action is enabled")
	fs.Func("memory", "cap on the runner's memory, e.g. 2GiB or 500MiB; MB means MiB: the search stops cleanly near it, the run ends at it (default: 3/4 of the machine's memory)", func(v string) error {
		n, err := bytesize.Parse(v)
		f.memory = n
		return err
	})
	fs.Func("spill", "with bfs: past this size, e.g. 200MiB, keep on disk a level waiting for expansion, a wide level's candidates, the fingerprints of the states seen and the trace records (not when it builds a behaviour graph); 0 never (default: a quarter of --memory)", func(v string) error {
		n, err := bytesize.Parse(v)
		f.spill = n
		if n == 0 {
			f.spill = -1 // never
		}
		return err
	})
	f.sinks = addSinkFlags(fs)
	fs.BoolVar(&f.fullStates, "full-states", false, "print every variable of every state, not only what changed")
	fs.BoolVar(&f.progress, "progress", false, "print progress to stderr (default: only when stderr is a terminal)")
	fs.BoolVar(&f.allData, "all-data", false, "explore every value of the model's data picks (no data-independence reduction)")
	fs.BoolVar(&f.noSym, "no-symmetry", false, "ignore the model's symmetry declarations (counts then compare with TLC's)")
	fs.BoolVar(&f.noShrink, "no-shrink", false, "report the findings of "+joinWords(shrunk, "and")+" as found, without shrinking them ("+joinWords(possessives(shortest), "and")+" are shortest)")
	fs.BoolVar(&f.noDetCheck, "no-determinism-check", false, "do not re-execute the transition to each new state to detect nondeterministic actions")
	fs.BoolVar(&f.noTemporal, "no-temporal", false, "without --property: check the invariants only, not the temporal properties (no behaviour graph)")
	fs.BoolVar(&f.noRefinement, "no-refinement", false, "without --property: do not check the model's refinements (a search that checks one ignores the model's symmetry)")
	fs.BoolVar(&f.fp128, "fp128", false, "use 128-bit fingerprints (twice the store, negligible collision probability)")
	fs.StringVar(&f.checkpoint, "checkpoint", "", "save the search ("+joinWords(checkpointStrategies(), "or")+") in `DIR` every --checkpoint-every and when it is stopped (Ctrl-C, SIGTERM, --timeout, --memory), to go on later with --resume DIR")
	fs.StringVar(&f.resume, "resume", "", "go on with the search saved in `DIR` by --checkpoint (same model, instance and search options; --workers, --timeout and --memory may differ), saving further checkpoints there")
	fs.DurationVar(&f.checkpointEvery, "checkpoint-every", check.DefaultCheckpointEvery, "with --checkpoint or --resume: the least time between two checkpoints")
	fs.BoolVar(&f.reference, "reference", false, "compare every search strategy and option with the reference semantics on this instance (at most --max-states states, default 50,000), instead of checking it: is a result an engine bug?")
	if err := parseFlags(fs, args); err != nil {
		return 0, err
	}
	if f.reference {
		return s.checkReference(ctx, &f)
	}
	for _, c := range []struct {
		n string
		v int
	}{{"workers", f.workers}, {"max-findings", f.maxFindings}} {
		if err := positive(c.n, c.v); err != nil {
			return 0, err
		}
	}
	// The engine's own rules for the options these flags set.
	if err := (check.Options{MaxDepth: f.maxDepth, MaxStates: f.maxStates, Timeout: f.timeout, MemoryBytes: f.memory}).Validate(); err != nil {
		return 0, flagError(err)
	}
	switch {
	case f.checkpointEvery <= 0:
		return 0, usagef("--checkpoint-every must be positive, got %s", f.checkpointEvery)
	case f.checkpoint != "" && f.resume != "" && filepath.Clean(f.checkpoint) != filepath.Clean(f.resume):
		return 0, usagef("--resume %s goes on saving checkpoints in %s: --checkpoint %s names another directory", f.resume, f.resume, f.checkpoint)
	}
	strategy, err := check.ParseStrategy(f.strategy)
	if err != nil {
		return 0, &usageError{fmt.Errorf("--strategy: %w", err)}
	}
	var seed uint64
	seedGiven := true
	info := strategy.Info()
	if f.seed != "" && !info.Seeded {
		return 0, usagef("--seed applies only to --strategy %s (%s does not draw random numbers)", joinWords(seeded, "or"), strategy)
	}
	if info.Seeded {
		if seed, seedGiven, err = parseSeed(f.seed); err != nil {
			return 0, err
		}
	}
	s.openSinks(f.sinks)
	mc, instance, err := s.machine(f.instance)
	if err != nil {
		return 0, err
	}
	what := "every invariant"
	if len(mc.StepInvariants()) > 0 {
		what = "every invariant and step invariant"
	}
	var temporal []string
	var refines []machine.Property[S]
	if f.property != "" {
		p, err := mc.Property(f.property)
		if err != nil {
			return 0, &usageError{err}
		}
		what = p.Kind.String() + " " + p.Name
		if p.Kind == machine.Temporal {
			temporal = []string{p.Name}
			what = "temporal property " + p.Name
		}
		if p.Kind == machine.Refines {
			refines = []machine.Property[S]{p}
		}
	} else {
		if !f.noTemporal {
			for _, p := range mc.PropertiesOf(machine.Temporal) {
				temporal = append(temporal, p.Name)
			}
			if len(temporal) > 0 {
				what = fmt.Sprintf("%s and every temporal property (%s)", what, strings.Join(temporal, ", "))
			}
		}
		if !f.noRefinement {
			refines = mc.PropertiesOf(machine.Refines)
			if len(refines) > 0 {
				what += ", and " + refinementNames(refines)
			}
		}
	}
	memNote := ""
	if f.memory == 0 {
		if total := physicalMemory(); total > 0 {
			f.memory = total / 4 * 3
			memNote = " (3/4 of RAM; --memory to change)"
		}
	}
	// The search allocates fast and keeps little: let the heap grow to
	// five times the live data between collections (GOGC=400) rather than
	// twice, but collect harder as it nears the cap.
	debug.SetGCPercent(400)
	if f.memory > 0 {
		debug.SetMemoryLimit(int64(gcLimitFraction * float64(f.memory)))
	}
	opts := check.Options{
		Strategy: strategy, Seed: seed, Workers: f.workers, MaxDepth: f.maxDepth, MaxStates: f.maxStates,
		Timeout: f.timeout, MaxFindings: f.maxFindings, Property: f.property, Deadlock: f.deadlock,
		MemoryBytes: f.memory, Spill: f.spill, Fingerprint128: f.fp128, AllData: f.allData, NoSymmetry: f.noSym,
		NoDeterminismCheck: f.noDetCheck, NoShrink: f.noShrink, NoTemporal: f.noTemporal, NoRefinement: f.noRefinement,
	}
	if err := s.checkpoints(&opts, &f, instance); err != nil {
		return 0, err
	}
	if f.progress || s.env.StderrIsTerminal {
		opts.Progress = func(st check.Stats) {
			fmt.Fprintf(s.env.Stderr, "progress: %s generated, %s distinct, %s on queue, depth %d, %s distinct/s, %s\n",
				group(st.Generated), group(st.Distinct), group(st.Frontier), st.Depth, group(int64(st.StatesPerSecond())), st.Elapsed.Round(time.Second))
		}
	}
	s.printHeader(mc, instance, what, &f, strategy, seed, seedGiven, memNote, len(refines) > 0)
	if len(temporal) > 0 {
		s.temporalHeader(mc, &f)
	}
	s.refinementHeader(refines, f.noTemporal && f.property == "")
	// --memory caps the runner, not only the store: past most of it the
	// search is asked to stop (and prints its statistics); at the cap the
	// run ends at once, even inside an action that never returns.
	ctx, stopForMemory := context.WithCancelCause(ctx)
	defer stopForMemory(nil)
	if err := s.env.mon.watchMemory(f.memory, func() { stopForMemory(errMemoryCap) }); err != nil {
		return 0, err
	}
	s.env.mon.startTimeout(f.timeout)
	res, err := check.Run(ctx, mc, opts)
	s.env.mon.engineDone()
	if err == nil && res.Stopped == findings.StoppedInterrupted && errors.Is(context.Cause(ctx), errMemoryCap) {
		res.Stopped = findings.StoppedMemory
	}
	if err != nil {
		var unknown *execspec.UnknownNameError
		if errors.As(err, &unknown) {
			return 0, &usageError{err}
		}
		return 0, err
	}
	reproduce := s.reproduceCommand(instance, &f, strategy, seed)
	var traces []*trace.Trace
	for i, fd := range res.Findings {
		if fd.Kind == findings.Nondeterministic {
			s.reportNondeterminism(fd, f.fullStates)
			continue
		}
		fc := findingContext{model: mc.Name(), instance: instance, property: f.property, reproduce: reproduce,
			meta: map[string]any{trace.MetaStrategy: string(strategy)}}
		if info.Shortest {
			fc.where = "a shortest trace"
		}
		if info.Seeded {
			fc.meta[trace.MetaSeed] = strconv.FormatUint(seed, 10)
		}
		t := s.annotate(fd, fc)
		first := t
		if len(traces) > 0 {
			first = traces[0]
		}
		s.itfReplay(&fc, t, first, i)
		fc.formula = formulaLabel(mc, fd.Property, fd.Formula)
		s.reportFinding(fd, t, fc, f.fullStates)
		traces = append(traces, t)
	}
	s.checkSummary(res)
	if dir := opts.Checkpoint.Dir; dir != "" && !res.Complete {
		if _, err := os.Stat(check.CheckpointPath(dir)); err == nil {
			more := ""
			if f.maxFindings != check.DefaultMaxFindings {
				more = fmt.Sprintf(" --max-findings %d", f.maxFindings)
			}
			s.printf("The search so far is saved in %s; go on with: %s%s --resume %s\n", check.CheckpointPath(dir), reproduce, more, dir)
		}
	}
	if !seedGiven && len(res.Findings) == 0 {
		s.printf("Rerun with: %s\n", reproduce)
	}
	return finishSinks(s, mc, traces, checkExitCode(res)), nil
}

func (s *session[S]) printHeader(mc *machine.Machine[S], instance, what string, f *checkFlags, strategy check.Strategy, seed uint64, seedGiven bool, memNote string, refining bool) {
	info := strategy.Info()
	order := info.Title
	workers := "1 worker"
	if info.Parallel && f.workers > 1 {
		workers = plural(f.workers, "worker")
	}
	fpBits := 64
	if f.fp128 {
		fpBits = 128
	}
	s.printf("execspec check %s --instance %s: %s of %s, %s, %d-bit fingerprints", s.pkg, instance, order, what, workers, fpBits)
	if info.Seeded {
		s.printf(", seed %d", seed)
		if !seedGiven {
			s.printf(" (random; pass --seed to fix it)")
		}
	}
	s.printf("\n")
	var limits []string
	if f.maxDepth > 0 {
		limits = append(limits, fmt.Sprintf("max depth %d steps", f.maxDepth))
	}
	if f.maxStates > 0 {
		limits = append(limits, fmt.Sprintf("max %s states", group(f.maxStates)))
	}
	if f.timeout > 0 {
		limits = append(limits, "timeout "+f.timeout.String())
	}
	if f.memory > 0 {
		limits = append(limits, "memory "+bytesize.Format(f.memory)+memNote)
	}
	if f.deadlock {
		limits = append(limits, "deadlocks reported")
	}
	switch {
	case f.resume != "":
		limits = append(limits, fmt.Sprintf("resuming the search saved in %s (checkpoints every %s)", f.resume, f.checkpointEvery))
	case f.checkpoint != "":
		limits = append(limits, fmt.Sprintf("checkpoints every %s in %s", f.checkpointEvery, f.checkpoint))
	}
	if len(limits) > 0 {
		s.printf("  limits: %s\n", strings.Join(limits, ", "))
	}
	if cons := mc.PropertiesOf(machine.Constraint); len(cons) > 0 {
		var names []string
		for _, c := range cons {
			names = append(names, c.Name)
		}
		s.printf("  state constraints (TLC's CONSTRAINT: a state failing one is checked, but neither stored nor expanded): %s\n", strings.Join(names, ", "))
	}
	if acts := mc.ActionConstraints(); len(acts) > 0 {
		var names []string
		for _, c := range acts {
			names = append(names, c.Name)
		}
		s.printf("  action constraints (TLC's ACTION_CONSTRAINT: the state a step failing one leads to is checked, but neither stored nor expanded): %s\n", strings.Join(names, ", "))
	}
	if dp := mc.DataPicks(); len(dp) > 0 {
		if f.allData {
			s.printf("  data picks %s: every value explored (--all-data)\n", strings.Join(dp, ", "))
		} else {
			s.printf("  data picks reduced: one value of %s per branch (data independence; --all-data explores all)\n", strings.Join(dp, ", "))
		}
	}
	if syms := mc.Symmetries(); len(syms) > 0 {
		var names []string
		for _, sy := range syms {
			names = append(names, sy.Name)
		}
		perms := 1
		for _, sy := range syms {
			for k := 2; k <= sy.N && perms < 1e9; k++ {
				perms *= k
			}
		}
		switch {
		case f.noSym:
			s.printf("  symmetry %s ignored (--no-symmetry)\n", strings.Join(names, ", "))
		case refining:
			s.printf("  symmetry %s ignored: refinements are checked on every state (a refinement mapping need not be symmetric; --no-refinement to reduce by symmetry)\n", strings.Join(names, ", "))
		case len(mc.PickedEnabled()) > 0:
			s.printf("  symmetry %s ignored: the model asks whether actions are enabled for given pick values (Enabled(%s)), which renaming does not preserve\n", strings.Join(names, ", "), strings.Join(mc.PickedEnabled(), "), Enabled("))
		default:
			s.printf("  symmetry: %s (one state per orbit: counts differ from a search without symmetry, such as TLC's; --no-symmetry)\n", strings.Join(names, ", "))
			if perms > 720 {
				s.printf("  warning: %s renamings tried per state; the reduction may cost more time than it saves\n", group(int64(perms)))
			}
		}
	}
	s.event(checkStart{Command: "check", Model: mc.Name(), Instance: instance, Property: f.property,
		Strategy: string(strategy), Seed: strconv.FormatUint(seed, 10), Workers: f.workers, MaxDepth: f.maxDepth,
		MaxStates: f.maxStates, TimeoutSeconds: f.timeout.Seconds(), MemoryBytes: f.memory, Deadlock: f.deadlock,
		DataPicksReduced: len(mc.DataPicks()) > 0 && !f.allData, Symmetry: len(mc.Symmetries()) > 0 && !f.noSym && !refining && len(mc.PickedEnabled()) == 0})
}

// temporalHeader says how temporal properties are checked: under which
// fairness, without symmetry, on the constrained graph.
func (s *session[S]) temporalHeader(mc *machine.Machine[S], f *checkFlags) {
	var fair []string
	for _, fd := range mc.Fairness() {
		fair = append(fair, fd.String())
	}
	if len(fair) == 0 {
		fair = []string{"none (a behaviour may stop anywhere and stutter forever)"}
	}
	s.printf("  temporal properties: checked on the behaviour graph after the safety search; fairness: %s\n", strings.Join(fair, ", "))
	if len(mc.Symmetries()) > 0 && !f.noSym {
		s.printf("  note: symmetry reduces the safety search only; the behaviour graph holds every state (symmetry is unsound with liveness)\n")
	}
	if len(mc.PropertiesOf(machine.Constraint)) > 0 {
		s.printf("  note: temporal properties speak of the behaviours that stay inside the state constraints (the graph is the constrained graph)\n")
	}
}

// reproduceCommand is the command that repeats the search.
func (s *session[S]) reproduceCommand(instance string, f *checkFlags, strategy check.Strategy, seed uint64) string {
	cmd := fmt.Sprintf("execspec check %s --instance %s%s", s.pkg, instance, propFlag(f.property))
	if strategy != check.DefaultStrategy {
		cmd += " --strategy " + string(strategy)
	}
	if strategy.Info().Seeded {
		cmd += fmt.Sprintf(" --seed %d", seed)
	}
	for _, fl := range []struct {
		on   bool
		text string
	}{
		{f.maxDepth > 0, fmt.Sprintf(" --max-depth %d", f.maxDepth)},
		{f.maxStates > 0, fmt.Sprintf(" --max-states %d", f.maxStates)},
		{f.deadlock, " --deadlock"},
		{f.allData, " --all-data"},
		{f.noSym, " --no-symmetry"},
		{f.noShrink, " --no-shrink"},
		{f.noDetCheck, " --no-determinism-check"},
		{f.noTemporal && f.property == "", " --no-temporal"},
		{f.noRefinement && f.property == "", " --no-refinement"},
		{f.fp128, " --fp128"},
	} {
		if fl.on {
			cmd += fl.text
		}
	}
	return cmd
}

// saveCheckFinding writes a finding's trace to the cache, where `execspec
// replay --itf` can read it, and returns its path.
// itfReplay sets the replay command of a finding that replays from its
// trace file (a search's, rather than a sample's): execspec replay --itf
// on the file that holds t. That is the file --out-itf names, when it
// names one (written once every finding is reported; first is the first
// trace it holds, which names the file when --out-itf is a directory),
// and a copy of t in the cache otherwise. The file is printed as the user
// can type it where the command ran.
func (s *session[S]) itfReplay(fc *findingContext, t, first *trace.Trace, i int) {
	file := s.tracesFile(first)
	if file == "" {
		path, err := s.saveCheckFinding(fc.model, fc.instance, t, i)
		if err != nil {
			fmt.Fprintf(s.env.Stderr, "execspec: warning: could not save the trace: %v\n", err)
			return
		}
		file = path
	}
	fc.replay = fmt.Sprintf("execspec replay %s --instance %s --itf %s", s.pkg, fc.instance, engine.ShellQuote(file))
	t.Meta[trace.MetaReplay] = fc.replay
}

// saveCheckFinding saves t, the trace of the i-th finding, in the cache
// and returns its path.
func (s *session[S]) saveCheckFinding(model, instance string, t *trace.Trace, i int) (string, error) {
	dir, err := cacheDir(s.env)
	if err != nil {
		return "", err
	}
	it := t.ToITF()
	var b strings.Builder
	if err := it.Encode(&b); err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(b.String()))
	path := filepath.Join(dir, "findings", fmt.Sprintf("check-%s-%s-%s.itf.json", model, instance, hex.EncodeToString(sum[:6])))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if err := itf.WriteFile(path, it); err != nil {
		return "", err
	}
	return path, nil
}

// reportNondeterminism reports a model error found during the search: an
// action that is not a function of its state and picks.
func (s *session[S]) reportNondeterminism(fd findings.Finding, full bool) {
	s.printf("\nNONDETERMINISTIC MODEL: %v\n", fd.Err)
	if t := fd.Trace; t != nil && len(t.Steps) > 0 {
		s.printf("The state it was executed from, and the step:\n")
		_ = t.Print(s.out, trace.PrintOptions{FullStates: full, Highlight: len(t.Steps) - 1})
	}
	s.printf("The search stopped: its counts and verdicts would mean nothing for such a model.\n")
	s.event(modelError{Kind: fd.Kind.String(), Error: fd.Err.Error()})
}

// formulaLabel names formula i of the named temporal property for a
// finding ("" when the property is not temporal or has one unnamed formula).
func formulaLabel[S any](mc *machine.Machine[S], name string, i int) string {
	p, err := mc.Property(name)
	if err != nil || p.Kind != machine.Temporal || i < 0 || i >= len(p.Formulas) {
		return ""
	}
	return p.Formulas[i].Label(i, len(p.Formulas))
}

func (s *session[S]) checkSummary(res *check.Result) {
	st := res.Stats
	s.printf("\n")
	switch {
	case res.Complete:
		verdict := "no invariant is violated"
		switch {
		case res.Property != "" && res.PropertyKind == machine.Example:
			verdict = fmt.Sprintf("example %s is not reachable", res.Property)
		case res.Property != "":
			verdict = fmt.Sprintf("invariant %s holds", res.Property)
		}
		if res.PropertyKind == machine.Temporal {
			verdict = fmt.Sprintf("temporal property %s holds", res.Property)
		} else if lv := res.Liveness; lv != nil {
			var names []string
			for _, p := range lv.Properties {
				if !slices.Contains(res.Refinements, p) {
					names = append(names, p)
				}
			}
			if len(names) > 0 {
				verdict += "; temporal properties hold: " + strings.Join(names, ", ")
			}
		}
		if res.PropertyKind == machine.Refines {
			verdict = fmt.Sprintf("refinement %s holds", res.Property)
		} else if len(res.Refinements) > 0 {
			verdict += "; refinements hold: " + strings.Join(res.Refinements, ", ")
		}
		if len(res.Findings) > 0 {
			verdict = fmt.Sprintf("%d finding(s)", len(res.Findings))
		}
		s.printf("Search complete: every reachable state explored; %s.\n", verdict)
		if len(res.Unverified) > 0 && len(res.Findings) == 0 {
			s.printf("INCOMPLETE: not verified:\n")
			for _, u := range res.Unverified {
				s.printf("  %s\n", u)
			}
		}
	case res.Stopped == findings.StoppedFindings:
		s.printf("Search stopped at the finding (--max-findings %d).\n", len(res.Findings))
	default:
		s.printf("SEARCH INCOMPLETE: stopped (%s) before exploring every reachable state", res.Stopped)
		if len(res.Findings) == 0 {
			s.printf("; nothing found in the states explored, which proves nothing about the others")
		}
		s.printf(".\n")
		if lv := res.Liveness; lv != nil || res.PropertyKind == machine.Temporal {
			s.printf("  Temporal properties NOT verified: a liveness verdict needs the whole graph.\n")
		}
	}
	if lv := res.Liveness; lv != nil {
		s.printf("  Behaviour graph (temporal properties %s): %s states, %s edges, %d fairness condition(s), %s, %s.\n",
			strings.Join(lv.Properties, ", "), group(lv.States), group(lv.Edges), lv.Classes, bytesize.Format(lv.Bytes), roundDuration(lv.Elapsed))
	}
	s.printf("  %s states generated, %s distinct states found, %s states left on queue.\n", group(st.Generated), group(st.Distinct), group(st.Frontier))
	if st.Resumed > 0 {
		s.printf("  Resumed from a checkpoint that held %s of them; the rate below counts only the states this run found.\n", group(st.Resumed))
	}
	info := res.Strategy.Info()
	if info.Shortest {
		s.printf("  The depth of the state graph search is %d (TLC's convention, initial states at depth 1: the deepest state found is %d step(s) from an initial state).\n", st.Depth, max(st.Depth-1, 0))
	} else {
		s.printf("  The deepest path explored has %d states (%d step(s)).\n", st.Depth, max(st.Depth-1, 0))
	}
	bits := 64
	if res.Fingerprint128 {
		bits = 128
	}
	if len(res.Symmetries) > 0 {
		// The representatives the workers remembered by the fingerprints
		// of states as they are add their own birthday bound.
		s.printf("  Fingerprint collision probability (optimistic, n^2/2^%d, plus the same for the states generated): %.1e\n", bits+1, res.Collision)
	} else {
		s.printf("  Fingerprint collision probability (optimistic, n^2/2^%d): %.1e\n", bits+1, res.Collision)
	}
	s.printf("  Store: %s (%.1f bytes/state)", bytesize.Format(st.StoreBytes), st.BytesPerState())
	if st.DiskBytes > 0 {
		s.printf(", %s on disk", bytesize.Format(st.DiskBytes))
	}
	s.printf(". Time: %s, %s distinct states/s", roundDuration(st.Elapsed), group(int64(st.StatesPerSecond())))
	if info.Parallel {
		s.printf(" (%s)", plural(res.Workers, "worker"))
	}
	s.printf("\n")
	if len(res.DataPicks) > 0 {
		s.printf("  Data picks reduced (one value per branch): %s.\n", strings.Join(res.DataPicks, ", "))
	}
	if len(res.Symmetries) > 0 {
		s.printf("  Counted under symmetry %s: one state per orbit.\n", strings.Join(res.Symmetries, ", "))
	}
	levels := make([]levelSummary, len(st.Levels))
	for i, l := range st.Levels {
		levels[i] = levelSummary{Depth: l.Depth, Distinct: l.Distinct, Generated: l.Generated}
	}
	var temporal *temporalSummary
	if lv := res.Liveness; lv != nil {
		temporal = &temporalSummary{Properties: lv.Properties, GraphStates: lv.States, GraphEdges: lv.Edges,
			FairnessConditions: lv.Classes, GraphBytes: lv.Bytes, Seconds: lv.Elapsed.Seconds()}
	}
	s.event(checkSummary{Temporal: temporal, Refinements: res.Refinements, Unverified: res.Unverified, Complete: res.Complete, Stopped: res.Stopped.String(), Findings: len(res.Findings),
		Generated: st.Generated, Distinct: st.Distinct, LeftOnQueue: st.Frontier, Depth: st.Depth,
		Seconds: st.Elapsed.Seconds(), DistinctPerSecond: st.StatesPerSecond(), StoreBytes: st.StoreBytes, DiskBytes: st.DiskBytes,
		BytesPerState: st.BytesPerState(), CollisionProbability: res.Collision, FingerprintBits: bits,
		DataPicksReduced: res.DataPicks, Symmetry: res.Symmetries, Levels: levels})
}

// checkExitCode maps a result to the command's exit code.
func checkExitCode(res *check.Result) int { return exitCode(res.Verdict()) }

// physicalMemory returns the machine's memory in bytes, or 0 when it cannot
// tell (it reads /proc/meminfo).
func physicalMemory() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// group formats n with thousands separators.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural writes a count with its noun: "1 worker", "2 workers".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// refinementNames names the refinements a search checks: "refinement
// TCSpec (of tcommit)".
func refinementNames[S any](refines []machine.Property[S]) string {
	parts := make([]string, len(refines))
	for i, p := range refines {
		parts[i] = fmt.Sprintf("%s (of %s)", p.Name, p.Refinement.High)
	}
	word := "refinement "
	if len(refines) > 1 {
		word = "refinements "
	}
	return word + strings.Join(parts, ", ")
}

// refinementHeader says how refinements are checked, and what of them is
// not verified.
func (s *session[S]) refinementHeader(refines []machine.Property[S], noTemporal bool) {
	for _, p := range refines {
		r := p.Refinement
		s.printf("  refinement %s: every initial state and every step maps, under its mapping, to one of %s's or to a stuttering step", p.Name, r.High)
		if len(p.Formulas) > 0 && !noTemporal {
			s.printf("; %s's temporal properties and fairness are checked on the mapped behaviours", r.High)
		}
		s.printf("\n")
		if len(r.Unverified) > 0 {
			s.printf("  note: refinement %s: %s's fairness %s is NOT verified (declared per pick); the result will say INCOMPLETE\n", p.Name, r.High, strings.Join(r.Unverified, ", "))
		}
	}
}
