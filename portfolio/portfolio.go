// Package portfolio runs several search strategies at once on one model,
// one per worker, until the first finding or a deadline: guided, swarm and
// uniform simulation, random depth-first search and breadth-first search. Deep
// bugs yield to different strategies (a long stretch without one common
// action, a deep corner, a shortest path), and which one wins on a given
// model is rarely known in advance; a portfolio keeps every core busy with
// all of them.
//
// Each worker is deterministic given (seed, worker): it runs its engine
// with its own seed, on one goroutine, so a finding reproduces alone with
// the strategy and seed the Result names. Which worker finds first depends
// on timing. A portfolio reports a property as holding only when an
// exhaustive worker (BFS or DFS) explored every reachable state.
package portfolio

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"
)

// Strategy is one worker's search: a simulation strategy (package
// simulate's) or an exhaustive one (package check's), exactly one of the
// two set.
type Strategy struct {
	Simulate simulate.Strategy
	Check    check.Strategy
}

// String names the strategy as a portfolio's report does: the check
// strategy's name ("random-dfs"), or the simulation strategy's followed
// by "simulation" ("swarm simulation").
func (s Strategy) String() string {
	if s.Check != "" {
		return string(s.Check)
	}
	return string(s.Simulate) + " simulation"
}

// Exhaustive reports whether the strategy is an exhaustive search, whose
// end proves the invariants.
func (s Strategy) Exhaustive() bool { return s.Check != "" }

// Mix is the strategies of workers 0, 1, 2, ...: swarm simulation and
// random DFS first (two cores get the simulation that found every bug of
// the zoo and a search that can prove), then guided, BFS and uniform; with
// more workers the simulations and random DFS repeat with other seeds.
var Mix = []Strategy{
	{Simulate: simulate.Swarm}, {Check: check.RandomDFS}, {Simulate: simulate.Guided}, {Check: check.BFS},
	{Simulate: simulate.Uniform}, {Simulate: simulate.Swarm}, {Check: check.RandomDFS}, {Simulate: simulate.Guided},
}

// Options configures Run. The zero value works: every core, no deadline.
type Options struct {
	// Seed derives each worker's seed (see WorkerSeed).
	Seed uint64
	// Workers is the number of strategies run at once (default
	// GOMAXPROCS).
	Workers int
	// Timeout stops every worker after this long (0: no limit).
	Timeout time.Duration
	// Property is the invariant or example to search for; empty checks
	// every invariant.
	Property string
	// MaxSteps bounds a simulation sample (default simulate's).
	MaxSteps int
	// MemoryBytes caps each exhaustive worker's memory (0: no cap).
	MemoryBytes int64
	_           struct{}
}

// Worker is what one worker did.
type Worker struct {
	Strategy Strategy
	Seed     uint64
	// Stopped says how its search ended; Exhausted for an exhaustive
	// worker means every reachable state was explored.
	Stopped findings.Stop
	// Samples and Steps count a simulation's work; Distinct an exhaustive
	// search's states.
	Samples, Steps, Distinct int64
	// Fired counts, for a simulation, how often each action fired.
	Fired []int64
	// Err is the worker's error, if it failed to run.
	Err error
}

// Finding is a finding with the worker that made it.
type Finding struct {
	findings.Finding
	Worker int
	// Sample is the simulation sample (-1 for an exhaustive search).
	Sample int
}

// Result is what Run returns.
type Result struct {
	Property     string
	PropertyKind machine.PropertyKind
	Findings     []Finding
	Workers      []Worker
	// Complete is set when an exhaustive worker explored every reachable
	// state with nothing found: the invariants hold (temporal properties
	// are not checked by a portfolio).
	Complete bool
	Elapsed  time.Duration
}

// WorkerSeed is the seed worker w of a portfolio run with seed uses: a
// mix of the two (splitmix64), so that runs with neighbouring seeds do
// not share workers.
func WorkerSeed(seed uint64, w int) uint64 {
	z := seed + uint64(w+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return (z ^ (z >> 31)) >> 1 // 63 bits: readable, and a valid flag value
}

var errFound = errors.New("another worker found something")

// Run runs the portfolio on mc until the first finding, the deadline, or
// every worker's end. It returns an error only for bad options or names.
func Run[S any](ctx context.Context, mc *machine.Machine[S], opts Options) (*Result, error) {
	if opts.Workers == 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Workers < 0 || opts.Timeout < 0 || opts.MaxSteps < 0 || opts.MemoryBytes < 0 {
		return nil, fmt.Errorf("portfolio: workers, timeout, max steps and memory must not be negative")
	}
	_, kind, err := engine.Targets(mc, opts.Property)
	if err != nil {
		return nil, err
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	res := &Result{Property: opts.Property, PropertyKind: kind, Workers: make([]Worker, opts.Workers)}
	start := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var runErr error
	for w := range res.Workers {
		res.Workers[w] = Worker{Strategy: Mix[w%len(Mix)], Seed: WorkerSeed(opts.Seed, w)}
		wg.Add(1)
		go func() {
			defer wg.Done()
			found, err := runWorker(ctx, mc, opts, &res.Workers[w])
			mu.Lock()
			defer mu.Unlock()
			if err != nil && runErr == nil {
				runErr = err
			}
			for _, f := range found {
				f.Worker = w
				res.Findings = append(res.Findings, f)
			}
			st := res.Workers[w].Stopped
			exhaustive := res.Workers[w].Strategy.Exhaustive()
			if len(found) > 0 || (exhaustive && st == findings.Exhausted) {
				stop(errFound) // a finding, or a proof: the others can stop
			}
			if exhaustive && st == findings.Exhausted && len(found) == 0 {
				res.Complete = true
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	sort.SliceStable(res.Findings, func(i, j int) bool { return res.Findings[i].Worker < res.Findings[j].Worker })
	if runErr != nil {
		return nil, runErr
	}
	if len(res.Findings) > 0 {
		res.Complete = false
	}
	return res, nil
}

// runWorker runs one worker's strategy and records what it did in wk.
func runWorker[S any](ctx context.Context, mc *machine.Machine[S], opts Options, wk *Worker) ([]Finding, error) {
	if wk.Strategy.Exhaustive() {
		return runSearch(ctx, mc, opts, wk)
	}
	r, err := simulate.Run(ctx, mc, simulate.Options{Seed: wk.Seed, Strategy: wk.Strategy.Simulate, Workers: 1, MaxSamples: 1 << 62, MaxSteps: opts.MaxSteps, Property: opts.Property})
	if err != nil {
		return nil, err
	}
	wk.Stopped, wk.Samples, wk.Steps = r.Stopped, r.Stats.Samples, r.Stats.Steps
	for _, a := range r.Stats.Actions {
		wk.Fired = append(wk.Fired, a.Fired)
	}
	var out []Finding
	for _, f := range r.Findings {
		out = append(out, Finding{Finding: f.Finding, Sample: f.Sample})
	}
	return out, nil
}

// runSearch runs one worker's exhaustive search, on one goroutine, and
// records what it did in wk.
func runSearch[S any](ctx context.Context, mc *machine.Machine[S], opts Options, wk *Worker) ([]Finding, error) {
	r, err := check.Run(ctx, mc, check.Options{Strategy: wk.Strategy.Check, Seed: wk.Seed, Workers: 1, Property: opts.Property, MemoryBytes: opts.MemoryBytes, NoTemporal: true})
	if err != nil {
		return nil, err
	}
	wk.Stopped, wk.Distinct = r.Stopped, r.Stats.Distinct
	var out []Finding
	for _, f := range r.Findings {
		out = append(out, Finding{Finding: f, Sample: -1})
	}
	return out, nil
}
