// Command zoobench measures how fast random simulation finds the deep bugs
// of the bug zoo (issue 13, "Find deep bugs fast").
//
// For each selected model instance it runs every strategy (uniform, swarm, guided)
// on seeds 1..N, one seed at a time, in process with simulate.Run: each run
// stops at its first finding or at the per-seed timeout. A finding's sample
// is then replayed and shrunk (simulate.Replay) for its shrunk length, so
// the time to find does not include shrinking. It also runs a breadth-first
// check.Run with a timeout for the shortest counterexample. It prints one
// markdown table per instance: seeds found of N, median and worst CPU time
// to find (process CPU time, from getrusage; the wall time too), and median
// trace lengths as found and after shrinking.
//
// Usage:
//
//	go run ./internal/zoobench [flags]
//	go run ./internal/zoobench -models semisync,raftvote/n5_t10 -seeds 5 -timeout 10s
//
// The instances are the buggy small and realistic instances of
// examples/{raftvote,informergc,semisync,idempotency,leasefence,shardmove}
// and examples/dnsbalancer n3_5_3 and n3_30_20; -fixed adds the *_fixed
// twins as a control (nothing may be found). Which sample finds a bug is
// deterministic given the flags (the lowest-indexed finding, whatever the
// number of workers); whether it is found before the timeout, and the
// times, depend on the machine.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/idempotency"
	"github.com/execspec/execspec/examples/informergc"
	"github.com/execspec/execspec/examples/leasefence"
	"github.com/execspec/execspec/examples/raftvote"
	"github.com/execspec/execspec/examples/semisync"
	"github.com/execspec/execspec/examples/shardmove"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is what the flags say.
type config struct {
	seeds      int
	timeout    time.Duration
	bfsTimeout time.Duration
	bfsMemory  int64
	maxSteps   int
	samples    int
	workers    int
	strategies []simulate.Strategy
	models     []string // model or model/instance names; nil: all
	fixed      bool
	noBFS      bool
}

// parseArgs reads the command line. Usage and errors go to stderr;
// flag.ErrHelp is returned for -h.
func parseArgs(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("zoobench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.seeds, "seeds", 20, "seeds per strategy: 1..N")
	fs.DurationVar(&c.timeout, "timeout", 60*time.Second, "time limit of one seed's simulation")
	fs.DurationVar(&c.bfsTimeout, "bfs-timeout", 60*time.Second, "time limit of the breadth-first search")
	mib := fs.Int64("bfs-memory", 1024, "memory cap of the breadth-first search, in MiB")
	fs.IntVar(&c.maxSteps, "max-steps", 100, "steps per sample")
	fs.IntVar(&c.samples, "samples", 1000000, "samples per seed (the timeout usually ends a seed first)")
	fs.IntVar(&c.workers, "workers", 1, "simulation and search goroutines (1 keeps CPU time close to wall time)")
	strategies := fs.String("strategies", "uniform,swarm,guided", "comma-separated simulation strategies")
	models := fs.String("models", "", "comma-separated models or model/instance names (default: all)")
	fs.BoolVar(&c.fixed, "fixed", false, "also run the *_fixed instances, as a control")
	fs.BoolVar(&c.noBFS, "no-bfs", false, "skip the breadth-first search")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: zoobench [flags]\n\nMeasures how fast uniform, swarm and guided simulation find the bug zoo's deep bugs.\nModels: %s\n\nFlags:\n", strings.Join(modelNames(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q (zoobench takes flags only)", fs.Arg(0))
	case c.seeds < 1:
		return c, fmt.Errorf("-seeds %d: need at least 1", c.seeds)
	case c.timeout <= 0:
		return c, fmt.Errorf("-timeout %s: must be positive", c.timeout)
	case c.bfsTimeout <= 0:
		return c, fmt.Errorf("-bfs-timeout %s: must be positive", c.bfsTimeout)
	case *mib < 1:
		return c, fmt.Errorf("-bfs-memory %d: need at least 1 MiB", *mib)
	case c.maxSteps < 1:
		return c, fmt.Errorf("-max-steps %d: need at least 1", c.maxSteps)
	case c.samples < 1:
		return c, fmt.Errorf("-samples %d: need at least 1", c.samples)
	case c.workers < 1:
		return c, fmt.Errorf("-workers %d: need at least 1", c.workers)
	}
	c.bfsMemory = *mib << 20
	for _, s := range splitList(*strategies) {
		st, err := simulate.ParseStrategy(s)
		if err != nil {
			return c, fmt.Errorf("-strategies: %w", err)
		}
		c.strategies = append(c.strategies, st)
	}
	if len(c.strategies) == 0 {
		return c, errors.New("-strategies: name at least one of uniform, swarm, guided")
	}
	c.models = splitList(*models)
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// run is the command; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "zoobench:", err)
		return 2
	}
	targets, err := selectTargets(allTargets(), c.models, c.fixed)
	if err != nil {
		fmt.Fprintln(stderr, "zoobench:", err)
		return 2
	}
	fmt.Fprintf(stdout, "# Bug zoo: %d seeds per strategy, %s per seed, %d steps per sample, %d worker(s)\n", c.seeds, c.timeout, c.maxSteps, c.workers)
	for _, t := range targets {
		rep, err := measure(ctx, t, c, stderr)
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "zoobench: interrupted during %s/%s; its table is not printed\n", t.model, t.instance)
			return 130
		}
		if err != nil {
			fmt.Fprintf(stderr, "zoobench: %s/%s: %v\n", t.model, t.instance, err)
			return 1
		}
		fmt.Fprintln(stdout)
		writeReport(stdout, rep)
	}
	return 0
}

// target is one model instance and the property to search for, with its
// state type hidden behind closures.
type target struct {
	model, instance, property string
	compile                   func() (engine, error)
}

// engine runs the searches on one compiled instance.
type engine struct {
	simulate func(ctx context.Context, o simulate.Options) (seedRun, error)
	bfs      func(ctx context.Context, o check.Options) (bfsRun, error)
}

// seedRun is what one seed's simulation gave.
type seedRun struct {
	found       bool
	cpu, wall   time.Duration
	raw, shrunk int   // trace lengths in steps, as found and shrunk
	samples     int64 // samples run
}

// bfsRun is what the breadth-first search gave.
type bfsRun struct {
	found    bool
	steps    int // the shortest counterexample, when found
	complete bool
	stopped  string // why an incomplete search stopped
	states   int64
	depth    int
	wall     time.Duration
}

// targetsOf lists the given instances of spec, each searched for
// property; compiling one checks that the instance and the property exist.
func targetsOf[S any](spec *execspec.Spec[S], property string, instances ...string) []target {
	var out []target
	for _, name := range instances {
		out = append(out, target{model: spec.Name(), instance: name, property: property, compile: func() (engine, error) {
			m, err := spec.Model(name)
			if err != nil {
				return engine{}, err
			}
			mc, err := machine.Compile(m)
			if err != nil {
				return engine{}, err
			}
			if _, err := mc.Property(property); err != nil {
				return engine{}, err
			}
			return engineOf(mc), nil
		}})
	}
	return out
}

// allTargets lists every instance zoobench knows, buggy ones and their
// fixed twins.
func allTargets() []target {
	var ts []target
	add := func(more []target) { ts = append(ts, more...) }
	both := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, n, n+"_fixed")
		}
		return out
	}
	add(targetsOf(raftvote.Spec(), "election_safety", both("n3_t2_d1", "n5_t12_d10")...))
	add(targetsOf(informergc.Spec(), "no_live_owner_dependent_collected", both("o1_s3", "o2_s30")...))
	add(targetsOf(semisync.Spec(), "no_acked_commit_lost", both("r2_t3", "r2_t30")...))
	add(targetsOf(idempotency.Spec(), "charged_at_most_once", both("c2_t3", "c2_t40")...))
	add(targetsOf(leasefence.Spec(), "writes_in_lease_order", both("c2_t3", "c2_t30")...))
	add(targetsOf(shardmove.Spec(), "no_acked_write_lost", both("k3", "k30")...))
	add(targetsOf(dnsbalancer.Spec(), "no_inconsistent_root", both("n3_5_3", "n3_30_20")...))
	return ts
}

func modelNames() []string {
	var out []string
	for _, t := range allTargets() {
		if !slices.Contains(out, t.model) {
			out = append(out, t.model)
		}
	}
	return out
}

// selectTargets keeps the targets the filter names (a model, or
// model/instance), in their own order, and drops the fixed instances
// unless fixed is set (or the filter names one). An unknown name is an
// error that lists the valid ones.
func selectTargets(all []target, filter []string, fixed bool) ([]target, error) {
	used := make([]bool, len(filter))
	var out []target
	for _, t := range all {
		isFixed := strings.HasSuffix(t.instance, "_fixed")
		keep := len(filter) == 0 && (fixed || !isFixed)
		for i, f := range filter {
			switch f {
			case t.model:
				used[i] = true
				keep = keep || fixed || !isFixed
			case t.model + "/" + t.instance:
				used[i] = true
				keep = true
			}
		}
		if keep {
			out = append(out, t)
		}
	}
	for i, f := range filter {
		if !used[i] {
			var valid []string
			for _, t := range all {
				valid = append(valid, t.model+"/"+t.instance)
			}
			return nil, fmt.Errorf("-models: unknown model or instance %q; valid: %s, or a model name alone", f, strings.Join(valid, ", "))
		}
	}
	return out, nil
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func engineOf[S any](mc *machine.Machine[S]) engine {
	return engine{
		simulate: func(ctx context.Context, o simulate.Options) (seedRun, error) {
			o.NoShrink = true
			cpu, start := cpuTime(), time.Now()
			res, err := simulate.Run(ctx, mc, o)
			r := seedRun{cpu: cpuTime() - cpu, wall: time.Since(start)}
			if err != nil {
				return r, err
			}
			r.samples = res.Stats.Samples
			if len(res.Findings) == 0 {
				return r, nil
			}
			f := res.Findings[0]
			r.found, r.raw = true, f.Trace.Len()-1
			o.NoShrink = false
			_, sf, err := simulate.Replay(mc, o, f.Sample)
			if err != nil {
				return r, fmt.Errorf("seed %d sample %d: shrinking: %w", o.Seed, f.Sample, err)
			}
			if sf == nil {
				return r, fmt.Errorf("seed %d sample %d: the replay found nothing", o.Seed, f.Sample)
			}
			r.shrunk = sf.Trace.Len() - 1
			return r, nil
		},
		bfs: func(ctx context.Context, o check.Options) (bfsRun, error) {
			start := time.Now()
			res, err := check.Run(ctx, mc, o)
			if err != nil {
				return bfsRun{}, err
			}
			b := bfsRun{complete: res.Complete, stopped: res.Stopped.String(), states: res.Stats.Distinct, depth: res.Stats.Depth, wall: time.Since(start)}
			if len(res.Findings) > 0 && res.Findings[0].Trace != nil {
				b.found, b.steps = true, res.Findings[0].Trace.Len()-1
			}
			return b, nil
		},
	}
}

// report is one instance's measurements.
type report struct {
	model, instance, property string
	seeds                     int
	timeout                   time.Duration
	bfs                       *bfsRun // nil: not run
	rows                      []row
}

// row is one strategy's runs, seed 1 first.
type row struct {
	strategy simulate.Strategy
	runs     []seedRun
}

func measure(ctx context.Context, t target, c config, log io.Writer) (report, error) {
	rep := report{model: t.model, instance: t.instance, property: t.property, seeds: c.seeds, timeout: c.timeout}
	e, err := t.compile()
	if err != nil {
		return rep, err
	}
	if !c.noBFS {
		fmt.Fprintf(log, "%s/%s: bfs\n", t.model, t.instance)
		b, err := e.bfs(ctx, check.Options{Property: t.property, Timeout: c.bfsTimeout, Workers: c.workers, MemoryBytes: c.bfsMemory})
		if err != nil {
			return rep, err
		}
		rep.bfs = &b
	}
	for _, st := range c.strategies {
		r := row{strategy: st}
		for seed := 1; seed <= c.seeds; seed++ {
			o := simulate.Options{Seed: uint64(seed), Strategy: st, Timeout: c.timeout, MaxSteps: c.maxSteps, MaxSamples: c.samples, Property: t.property, Workers: c.workers}
			sr, err := e.simulate(ctx, o)
			if err != nil {
				return rep, err
			}
			fmt.Fprintf(log, "%s/%s: %s seed %d: found %v in %s CPU (%d samples)\n", t.model, t.instance, st, seed, sr.found, sr.cpu.Round(time.Millisecond), sr.samples)
			r.runs = append(r.runs, sr)
		}
		rep.rows = append(rep.rows, r)
	}
	return rep, nil
}

// writeReport prints rep as a heading, the BFS line and a markdown table.
func writeReport(w io.Writer, rep report) {
	fmt.Fprintf(w, "## %s %s (%s)\n\n", rep.model, rep.instance, rep.property)
	if b := rep.bfs; b != nil {
		switch {
		case b.found:
			fmt.Fprintf(w, "BFS shortest: %d steps (%d states, %s)\n\n", b.steps, b.states, fmtDur(b.wall))
		case b.complete:
			fmt.Fprintf(w, "BFS shortest: none, every state explored (%d states, %s)\n\n", b.states, fmtDur(b.wall))
		default:
			fmt.Fprintf(w, "BFS shortest: more than %d steps (stopped: %s after %s, %d states)\n\n", max(b.depth-1, 0), b.stopped, fmtDur(b.wall), b.states)
		}
	}
	fmt.Fprintln(w, "| strategy | found | median CPU | worst CPU | median wall | median length found | median length shrunk | longest shrunk |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rep.rows {
		s := summarize(r.runs)
		fmt.Fprintf(w, "| %s | %d/%d | %s | %s | %s | %s | %s | %s |\n", r.strategy, s.found, len(r.runs),
			fmtTime(s.medianCPU, rep.timeout), fmtTime(s.worstCPU, rep.timeout), fmtTime(s.medianWall, rep.timeout),
			fmtLen(s.medianRaw), fmtLen(s.medianShrunk), fmtLen(s.longestShrunk))
	}
}

// summary is a row's figures. Times of seeds that found nothing count as
// infinite (-1 here), so a median or worst over them reads "> timeout".
type summary struct {
	found                           int
	medianCPU, worstCPU, medianWall time.Duration
	medianRaw, medianShrunk         int // -1 when nothing was found
	longestShrunk                   int // the longest shrunk trace: equal to BFS's shortest when every seed's is minimal
}

func summarize(runs []seedRun) summary {
	s := summary{medianRaw: -1, medianShrunk: -1, longestShrunk: -1}
	var cpu, wall []time.Duration
	var raw, shrunk []int
	for _, r := range runs {
		if !r.found {
			cpu, wall = append(cpu, -1), append(wall, -1)
			continue
		}
		s.found++
		cpu, wall = append(cpu, r.cpu), append(wall, r.wall)
		raw, shrunk = append(raw, r.raw), append(shrunk, r.shrunk)
	}
	s.medianCPU, s.worstCPU = medianDur(cpu), worstDur(cpu)
	s.medianWall = medianDur(wall)
	if len(raw) > 0 {
		sort.Ints(raw)
		sort.Ints(shrunk)
		s.medianRaw, s.medianShrunk = raw[(len(raw)-1)/2], shrunk[(len(shrunk)-1)/2]
		s.longestShrunk = shrunk[len(shrunk)-1]
	}
	return s
}

// order sorts durations with -1 (not found) after every real one.
func order(ds []time.Duration) []time.Duration {
	out := slices.Clone(ds)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a < 0 || b < 0 {
			return b < 0 && a >= 0
		}
		return a < b
	})
	return out
}

// medianDur is the lower median (-1 if it falls on a seed that found
// nothing); worstDur the largest (-1 if any seed found nothing).
func medianDur(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return -1
	}
	return order(ds)[(len(ds)-1)/2]
}

func worstDur(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return -1
	}
	return order(ds)[len(ds)-1]
}

func fmtTime(d, timeout time.Duration) string {
	if d < 0 {
		return "> " + fmtDur(timeout)
	}
	return fmtDur(d)
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "< 1ms"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

func fmtLen(n int) string {
	if n < 0 {
		return "-"
	}
	return fmt.Sprint(n)
}
