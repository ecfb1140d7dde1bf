// Package simulate is execspec's random simulation engine: seeded random
// walks ("samples") through a model, checking properties after every step.
//
// At each step the engine considers the actions in a random order and takes
// the first one that is enabled in the current state; within an action it
// draws each pick uniformly and, when a guard (Assume) fails, backtracks to
// the latest pick with untried candidates. Enabledness is therefore decided
// exactly, by executing the action, never guessed: a disabled action costs
// one execution per branch its guards explore (usually one), and the number
// of executions is reported per action. Because the first enabled action of a
// uniformly shuffled order is uniform among the enabled ones, every enabled
// action has the same chance at every step.
//
// Sample i of seed s draws from its own random stream (s, i), so any sample
// can be replayed alone, with any number of workers.
//
// A strategy (Options.Strategy: uniform, swarm, guided) says how each
// sample chooses: it is one file (strategy_uniform.go, strategy_swarm.go,
// strategy_guided.go) and one entry of the registry (strategy.go), asked
// once per sample for the sample's configuration (engine.Choice) and, for
// a strategy that learns from earlier samples (guided.go's corpus), where
// the sample starts. Strategies lists them and Strategy.Info describes
// one, for front ends (the CLI, package portfolio).
package simulate

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// The defaults of Options, exported so that front ends (the CLI's flags)
// show and apply the same values as the library's zero Options.
const (
	DefaultMaxSteps    = 100   // Options.MaxSteps
	DefaultMaxSamples  = 10000 // Options.MaxSamples
	DefaultMaxFindings = 1     // Options.MaxFindings
	DefaultBudget      = 10000 // Options.Budget
)

// errTimeout is the cause of the context's cancellation when
// Options.Timeout elapses.
var errTimeout = errors.New("timeout")

// Options configures Run. The zero value works: defaults are applied by
// fill.
type Options struct {
	// Seed selects the random streams; the same seed gives the same samples.
	Seed uint64
	// Strategy is how each step chooses its action (default Uniform; see
	// Strategies).
	Strategy Strategy
	// Timeout stops the run after this long (0: no limit); the result then
	// says StoppedTimeout.
	Timeout time.Duration
	// MaxSteps bounds the length of a sample (default 100: long enough for
	// bugs that need a few dozen steps, such as the DNS outage with 20 plans
	// kept, whose shortest trace has 45).
	MaxSteps int
	// MaxSamples is how many samples to run (default 10,000).
	MaxSamples int
	// Property is the invariant or example to search for; empty checks every
	// invariant.
	Property string
	// MaxFindings stops the run after this many findings (default 1).
	MaxFindings int
	// Workers is the number of goroutines (default GOMAXPROCS). Findings do
	// not depend on it.
	Workers int
	// NoShrink reports findings as the samples found them, unshrunk.
	NoShrink bool
	// ShrinkRuns bounds the candidate runs spent shrinking one finding
	// (default engine.DefaultShrinkRuns).
	ShrinkRuns int
	// Budget caps the executions spent deciding whether one action is
	// enabled at one step (default 10,000); an action that exhausts it is
	// counted as undecided and skipped at that step.
	Budget int
	// Shard and Shards split the samples among runs (on other machines,
	// say): with Shards N > 1, this run is shard Shard (1 to N) and runs
	// the samples whose index is Shard-1 modulo N. A sample's walk depends
	// only on the seed and its index, so the shards of a seed together run
	// the samples of an unsharded run, and the MaxFindings lowest-indexed
	// findings of all shards are the unsharded run's, traces included.
	// Guided search, which learns from earlier samples (as does any
	// StrategyInfo.Learns strategy), cannot be sharded.
	Shard, Shards int
	// Progress, when set, is called about every ProgressEvery (default 2s)
	// from another goroutine with the statistics so far.
	Progress      func(Stats)
	ProgressEvery time.Duration
	_             struct{}
}

// planned returns the number of samples this run (or shard) is to run.
func (o *Options) planned() int64 {
	n := int64(o.MaxSamples)
	if o.Shards <= 1 {
		return n
	}
	first := int64(o.Shard - 1)
	if n <= first {
		return 0
	}
	return (n-first-1)/int64(o.Shards) + 1
}

// fill applies the defaults and validates the options; it returns the
// strategy they name.
func (o *Options) fill() (strategy, error) {
	if o.Strategy == "" {
		o.Strategy = Uniform
	}
	st, err := lookup(o.Strategy)
	if err != nil {
		return nil, err
	}
	if o.MaxSteps == 0 {
		o.MaxSteps = DefaultMaxSteps
	}
	if o.MaxSamples == 0 {
		o.MaxSamples = DefaultMaxSamples
	}
	if o.MaxFindings == 0 {
		o.MaxFindings = DefaultMaxFindings
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Budget == 0 {
		o.Budget = DefaultBudget
	}
	if o.ShrinkRuns == 0 {
		o.ShrinkRuns = engine.DefaultShrinkRuns
	}
	if o.ProgressEvery == 0 {
		o.ProgressEvery = 2 * time.Second
	}
	if o.Shards == 0 && o.Shard == 0 {
		o.Shard, o.Shards = 1, 1
	}
	switch {
	case o.Shards < 1 || o.Shard < 1 || o.Shard > o.Shards:
		return nil, fmt.Errorf("shard %d of %d: a shard is numbered from 1 to the number of shards", o.Shard, o.Shards)
	case o.Shards > 1 && st.info().Learns:
		return nil, fmt.Errorf("%s search cannot be sharded: each sample learns from the samples before it, which another shard runs", o.Strategy)
	case o.MaxSteps < 0:
		return nil, fmt.Errorf("max steps must be positive, got %d", o.MaxSteps)
	case o.MaxSamples < 0:
		return nil, fmt.Errorf("max samples must be positive, got %d", o.MaxSamples)
	case o.MaxFindings < 0:
		return nil, fmt.Errorf("max findings must be positive, got %d", o.MaxFindings)
	case o.Workers < 0:
		return nil, fmt.Errorf("workers must be positive, got %d", o.Workers)
	case o.Budget < 0:
		return nil, fmt.Errorf("budget must be positive, got %d", o.Budget)
	case o.ShrinkRuns < 0:
		return nil, fmt.Errorf("shrink runs must be positive, got %d", o.ShrinkRuns)
	}
	if err := engine.NotNegative("Timeout", "timeout", o.Timeout); err != nil {
		return nil, err
	}
	return st, nil
}

// Validate reports the first option Run would refuse, nil when there is
// none.
func (o Options) Validate() error {
	_, err := o.fill()
	return err
}

// Finding is one result worth reporting, with the trace that reproduces
// it and the sample that found it.
type Finding struct {
	findings.Finding
	Sample int // the sample index; with the seed, enough to replay it
	// Config says in plain words how the sample chose among the actions
	// (engine.Choice.Describe: "sync held back (taken only at a step where
	// no other action was enabled); the others drawn by weight: ..."),
	// empty for uniform choice. It describes the sample as found: the
	// shrunk trace keeps whichever steps the finding needs.
	Config string
}

// ActionStats counts one action's fate over a run.
type ActionStats = engine.ActionStats

// Stats summarises a run.
type Stats struct {
	Samples   int64
	Steps     int64
	Deadlocks int64 // samples that ended because no action was enabled
	MinLen    int64
	MaxLen    int64
	Elapsed   time.Duration
	Actions   []ActionStats
}

// Add adds o's counts to s: the statistics of two sets of samples (workers,
// runs, the shards of a run) taken together. Trace lengths are taken from
// the one that ran samples; elapsed times add up; the actions are added by
// position (the same model's), s taking o's when it has none.
func (s *Stats) Add(o Stats) {
	if o.Samples > 0 {
		if s.Samples == 0 || o.MinLen < s.MinLen {
			s.MinLen = o.MinLen
		}
		s.MaxLen = max(s.MaxLen, o.MaxLen)
	}
	s.Samples += o.Samples
	s.Steps += o.Steps
	s.Deadlocks += o.Deadlocks
	s.Elapsed += o.Elapsed
	if s.Actions == nil {
		s.Actions = slices.Clone(o.Actions)
		return
	}
	for i := range min(len(s.Actions), len(o.Actions)) {
		s.Actions[i].Tried += o.Actions[i].Tried
		s.Actions[i].Fired += o.Actions[i].Fired
		s.Actions[i].Runs += o.Actions[i].Runs
		s.Actions[i].Undecided += o.Actions[i].Undecided
	}
}

// AvgLen is the mean sample length in steps.
func (s Stats) AvgLen() float64 {
	if s.Samples == 0 {
		return 0
	}
	return float64(s.Steps) / float64(s.Samples)
}

// StepsPerSecond is the simulation throughput.
func (s Stats) StepsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Steps) / s.Elapsed.Seconds()
}

// Result is what Run returns.
type Result struct {
	Seed     uint64
	Findings []Finding
	Stats    Stats
	// Property is the property searched for, or "" for all invariants;
	// PropertyKind says whether it is an invariant or an example.
	Property     string
	PropertyKind machine.PropertyKind
	// Stopped is findings.Exhausted when every planned sample ran (or the
	// run ended at its findings: StoppedFindings), StoppedInterrupted when
	// the context was cancelled first. A simulation never proves a
	// property: it only fails to find a violation.
	Stopped findings.Stop
}

// Run simulates mc with opts. It returns an error only for bad options or
// names (an *execspec.UnknownNameError lists the valid ones) or a model whose
// init has no enabled branch; findings are in the Result.
func Run[S any](ctx context.Context, mc *machine.Machine[S], opts Options) (*Result, error) {
	st, err := opts.fill()
	if err != nil {
		return nil, err
	}
	props, kind, err := engine.Targets(mc, opts.Property)
	if err != nil {
		return nil, err
	}
	if err := engine.RefuseTemporal("simulation", kind, opts.Property); err != nil {
		return nil, err
	}
	r := &runner[S]{mc: mc, opts: opts, strategy: st, props: props, steps: engine.HasSteps(props)}
	r.limit.Store(int64(opts.MaxSamples))
	r.learn = st.newLearner()
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, opts.Timeout, errTimeout)
		defer cancel()
	}
	start := time.Now()
	var wg sync.WaitGroup
	workers := make([]*worker[S], opts.Workers)
	for i := range workers {
		workers[i] = r.newWorker()
	}
	stopProgress := r.progress(ctx, start, workers)
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(ctx, w)
		}()
	}
	wg.Wait()
	stopProgress()
	if r.initErr != nil {
		return nil, r.initErr
	}
	res := &Result{Seed: opts.Seed, Property: opts.Property, PropertyKind: kind}
	res.Stats = r.merge(workers)
	res.Stats.Elapsed = time.Since(start)
	switch {
	case len(r.found) >= opts.MaxFindings:
		res.Stopped = findings.StoppedFindings
	case ctx.Err() != nil && res.Stats.Samples < opts.planned():
		res.Stopped = findings.StoppedInterrupted
		if context.Cause(ctx) == errTimeout {
			res.Stopped = findings.StoppedTimeout
		}
	}
	sort.Slice(r.found, func(i, j int) bool { return r.found[i].sample < r.found[j].sample })
	if len(r.found) > opts.MaxFindings {
		r.found = r.found[:opts.MaxFindings]
	}
	for _, f := range r.found {
		fd, err := r.rebuild(f.sample)
		if err != nil {
			return nil, err
		}
		res.Findings = append(res.Findings, *fd)
	}
	return res, nil
}

type runner[S any] struct {
	mc       *machine.Machine[S]
	opts     Options
	strategy strategy
	props    []machine.Property[S]
	steps    bool // props hold a step invariant: steps are judged, not only states

	next  atomic.Int64 // next sample to claim
	limit atomic.Int64 // samples at or beyond this index are not started

	mu      sync.Mutex
	found   []found
	initErr error

	learn learner // with a strategy that learns (Guided)
}

type found struct{ sample int }

type worker[S any] struct {
	walk      *engine.Walk[S]
	enc       []byte // learning: the encoding buffer of fingerprints
	stats     Stats
	liveSteps atomic.Int64
	liveSamps atomic.Int64
}

func (r *runner[S]) newWorker() *worker[S] {
	w := &worker[S]{walk: engine.NewWalk(r.mc, r.opts.Budget)}
	w.stats.MinLen = -1
	return w
}

func (r *runner[S]) work(ctx context.Context, w *worker[S]) {
	for ctx.Err() == nil {
		// The run's ordinal-th sample; with shards, every Shards-th.
		s := (r.next.Add(1)-1)*int64(r.opts.Shards) + int64(r.opts.Shard-1)
		if s >= r.limit.Load() {
			return
		}
		if r.learn != nil && !r.learn.await(int(s), func() int { return int(r.limit.Load()) }) {
			return
		}
		out := r.sample(w, int(s), nil)
		if r.learn != nil && out.err == nil {
			r.learn.deposit(int(s), out.discovery, int(r.limit.Load()))
		}
		if out.err != nil {
			r.mu.Lock()
			if r.initErr == nil {
				r.initErr = out.err
			}
			r.mu.Unlock()
			r.limit.Store(0)
			return
		}
		w.stats.Samples++
		w.stats.Steps += int64(out.steps)
		if out.deadlock {
			w.stats.Deadlocks++
		}
		if w.stats.MinLen < 0 || int64(out.steps) < w.stats.MinLen {
			w.stats.MinLen = int64(out.steps)
		}
		if int64(out.steps) > w.stats.MaxLen {
			w.stats.MaxLen = int64(out.steps)
		}
		w.liveSamps.Add(1)
		if out.finding {
			r.addFinding(int(s))
		}
	}
}

// addFinding records a finding and lowers the sample limit so that the run
// ends with the lowest-indexed findings, whatever the number of workers.
func (r *runner[S]) addFinding(sample int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.found = append(r.found, found{sample})
	if len(r.found) < r.opts.MaxFindings {
		return
	}
	idx := make([]int, len(r.found))
	for i, f := range r.found {
		idx[i] = f.sample
	}
	sort.Ints(idx)
	bound := int64(idx[r.opts.MaxFindings-1]) + 1
	if bound < r.limit.Load() {
		r.limit.Store(bound)
		if r.learn != nil {
			r.learn.wake(int(bound))
		}
	}
}

// sampleOutcome is what one sample did.
type sampleOutcome struct {
	steps     int
	deadlock  bool
	finding   bool
	err       error
	discovery discovery // learning: the sample's plan and states
}

// recorder collects a sample's trace when a finding is rebuilt.
type recorder struct {
	plan    engine.Plan   // the choices that make the sample
	choice  engine.Choice // the sample's swarm configuration
	steps   []trace.Step
	finding *Finding
	err     error
}

// sample runs sample s. With rec non-nil it records every step and the
// finding, for reporting.
func (r *runner[S]) sample(w *worker[S], s int, rec *recorder) sampleOutcome {
	mc, walk := r.mc, w.walk
	ex := walk.Executor()
	ex.Record(rec != nil)
	defer ex.Record(false)
	rnd := rng.New(r.opts.Seed, uint64(s))
	choice := r.strategy.choice(len(mc.Actions()), r.opts.Seed, uint64(s))
	walk.SetChoice(choice)
	if rec != nil {
		rec.choice = choice
	}
	// Learning runs keep every sample's plan and states for the learner;
	// a recorded sample keeps its plan for shrinking.
	learning := r.learn != nil
	var plan engine.Plan
	var d discovery
	keep := learning || rec != nil
	var from *engine.Plan
	if learning {
		from = r.learn.start(s, rnd)
	}
	if from != nil {
		// Start where a corpus prefix left off: its states were judged when
		// it was found, and none was a finding.
		ok := walk.Replay(*from, func(a int, res machine.Result) {
			name := "init"
			if a != machine.InitAction {
				name = mc.ActionName(a)
			}
			r.note(rec, name, res.Picks, walk.State(), nil)
			d.fps = append(d.fps, fingerprint(mc, &w.enc, walk.State()))
		})
		if !ok {
			return sampleOutcome{err: fmt.Errorf("model %s: a corpus prefix no longer replays: the model is not deterministic (execspec check reports which action)", mc.Name())}
		}
		plan = from.Clone()
	} else {
		res := walk.Start(rnd)
		if res.Err != nil {
			r.note(rec, "init", res.Picks, walk.State(), &Finding{Finding: findings.Finding{Kind: findings.Panicked, Err: res.Err}})
			return sampleOutcome{finding: true}
		}
		if !res.Enabled {
			return sampleOutcome{err: fmt.Errorf("model %s: init has no enabled branch (every branch fails a guard)", mc.Name())}
		}
		r.note(rec, "init", res.Picks, walk.State(), nil)
		if keep {
			plan.Init = append([]int(nil), res.Path...)
		}
		if learning {
			d.fps = append(d.fps, fingerprint(mc, &w.enc, walk.State()))
		}
		if r.check(walk.State(), rec) {
			return r.outcome(sampleOutcome{finding: true}, rec, plan, d)
		}
	}
	for step := 1; step <= r.opts.MaxSteps; step++ {
		a, res := walk.Step(rnd)
		if a < 0 {
			return r.outcome(sampleOutcome{steps: step - 1, deadlock: true}, rec, plan, d)
		}
		if keep {
			plan.Steps = append(plan.Steps, engine.PlanStep{Action: a, Path: append([]int(nil), res.Path...), Enabled: true})
		}
		if res.Err != nil {
			r.note(rec, mc.ActionName(a), res.Picks, walk.State(), &Finding{Finding: findings.Finding{Kind: findings.Panicked, Err: res.Err}})
			return r.outcome(sampleOutcome{steps: step - 1, finding: true}, rec, plan, d)
		}
		r.note(rec, mc.ActionName(a), res.Picks, walk.State(), nil)
		w.liveSteps.Add(1)
		if learning {
			d.fps = append(d.fps, fingerprint(mc, &w.enc, walk.State()))
		}
		if r.checkStep(walk.Prev(), walk.State(), rec) {
			return r.outcome(sampleOutcome{steps: step, finding: true}, rec, plan, d)
		}
	}
	return r.outcome(sampleOutcome{steps: r.opts.MaxSteps}, rec, plan, d)
}

// outcome completes a sample's outcome with its plan: into the recorder,
// and for a learning run into its discovery.
func (r *runner[S]) outcome(out sampleOutcome, rec *recorder, plan engine.Plan, d discovery) sampleOutcome {
	if rec != nil {
		rec.plan = plan
	}
	if r.learn != nil {
		d.plan = plan
		out.discovery = d
	}
	return out
}

// check evaluates the target properties on s and reports whether one is a
// finding.
func (r *runner[S]) check(s *S, rec *recorder) bool {
	v := engine.Judge(r.mc, r.props, s)
	if v.Kind == 0 {
		return false
	}
	if rec != nil {
		rec.finding = &Finding{Finding: findings.Finding{Kind: v.Kind, Property: v.Property, Err: v.Err}}
	}
	return true
}

// checkStep evaluates the target properties on the step from before to s
// (step invariants, then the state's) and reports whether one is a
// finding.
func (r *runner[S]) checkStep(before, s *S, rec *recorder) bool {
	if !r.steps {
		return r.check(s, rec)
	}
	v := engine.JudgeTransition(r.mc, r.props, before, s)
	if v.Kind == 0 {
		return false
	}
	if rec != nil {
		rec.finding = &Finding{Finding: findings.Finding{Kind: v.Kind, Property: v.Property, Err: v.Err}}
	}
	return true
}

// note records a step (and, for a panic, the finding) when recording. A
// panicking step is recorded with the state before it, since it produced
// none.
func (r *runner[S]) note(rec *recorder, action string, picks []machine.Pick, s *S, f *Finding) {
	if rec == nil || rec.err != nil {
		return
	}
	st, err := r.mc.TraceStep(action, picks, s)
	if err != nil {
		rec.err = err
		return
	}
	if f != nil {
		rec.finding = f
		if len(rec.steps) > 0 {
			// The panic happened in the action; show the picks it made on
			// top of the last state.
			st.State = rec.steps[len(rec.steps)-1].State
		}
	}
	rec.steps = append(rec.steps, st)
}

// rebuild replays sample s with recording on and returns its finding,
// shrunk unless Options.NoShrink.
func (r *runner[S]) rebuild(s int) (*Finding, error) {
	rec := &recorder{}
	out := r.sample(r.newWorker(), s, rec)
	switch {
	case rec.err != nil:
		return nil, rec.err
	case out.err != nil:
		return nil, out.err
	case rec.finding == nil:
		return nil, fmt.Errorf("sample %d did not reproduce its finding on replay: the model is not deterministic (an action ranging over a Go map, reading the clock or a global; execspec check reports which)", s)
	}
	_, f, err := r.finish(rec, s)
	return f, err
}

// finish turns a recorded sample into its trace and, if it has one, its
// finding, shrunk unless Options.NoShrink (deterministically: a replay of
// the sample shrinks it the same way).
func (r *runner[S]) finish(rec *recorder, s int) (*trace.Trace, *Finding, error) {
	t := r.mc.NewTrace()
	t.Steps = rec.steps
	f := rec.finding
	if f == nil {
		return t, nil, nil
	}
	f.Sample, f.Trace = s, t
	if !rec.choice.IsZero() {
		f.Config = rec.choice.Describe(r.mc.Actions(), r.mc.ActionWeights())
	}
	if r.opts.NoShrink {
		return t, f, nil
	}
	if err := engine.Shrink(r.mc, r.props, &f.Finding, rec.plan, r.opts.ShrinkRuns); err != nil {
		return nil, nil, fmt.Errorf("sample %d: %w", s, err)
	}
	return f.Trace, f, nil
}

func (r *runner[S]) merge(ws []*worker[S]) Stats {
	var st Stats
	names := r.mc.Actions()
	st.Actions = make([]ActionStats, len(names))
	for i, n := range names {
		st.Actions[i].Name = n
	}
	for _, w := range ws {
		one := w.stats
		one.Actions = w.walk.Actions
		st.Add(one)
	}
	return st
}

func (r *runner[S]) progress(ctx context.Context, start time.Time, ws []*worker[S]) (stop func()) {
	if r.opts.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(r.opts.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				var st Stats
				for _, w := range ws {
					st.Steps += w.liveSteps.Load()
					st.Samples += w.liveSamps.Load()
				}
				st.Elapsed = time.Since(start)
				r.opts.Progress(st)
			}
		}
	}()
	return func() { close(done); <-finished }
}

// ErrNotReproduced is returned by Replay when the sample does not end in the
// expected finding.
var ErrNotReproduced = errors.New("the sample did not reproduce the finding")

// Replay re-executes sample number sample of opts.Seed and returns its
// trace, ending at its first finding (returned too) or after opts.MaxSteps.
func Replay[S any](mc *machine.Machine[S], opts Options, sample int) (*trace.Trace, *Finding, error) {
	st, err := opts.fill()
	if err != nil {
		return nil, nil, err
	}
	if sample < 0 {
		return nil, nil, fmt.Errorf("sample must be >= 0, got %d", sample)
	}
	props, kind, err := engine.Targets(mc, opts.Property)
	if err != nil {
		return nil, nil, err
	}
	if err := engine.RefuseTemporal("simulation replay", kind, opts.Property); err != nil {
		return nil, nil, err
	}
	r := &runner[S]{mc: mc, opts: opts, strategy: st, props: props, steps: engine.HasSteps(props)}
	w := r.newWorker()
	if r.learn = st.newLearner(); r.learn != nil {
		// A learning sample (guided: from the corpus of the rounds before
		// it) starts from what the samples before it taught: run them
		// again, as the run did (it stopped at its first finding, so
		// they had none).
		for s := range r.learn.learnedFrom(sample) {
			out := r.sample(w, s, nil)
			if out.err != nil {
				return nil, nil, out.err
			}
			r.learn.deposit(s, out.discovery, sample+1)
		}
	}
	rec := &recorder{}
	out := r.sample(w, sample, rec)
	if out.err != nil {
		return nil, nil, out.err
	}
	if rec.err != nil {
		return nil, nil, rec.err
	}
	return r.finish(rec, sample)
}
