package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
)

// search is what a strategy hands back to Run.
type search struct {
	findings   []pending
	stopped    findings.Stop
	levels     []Level
	depth      int
	frontier   int64
	distinct   int64
	generated  int64 // when the strategy counts it itself; else the live counter
	storeBytes int64
	diskBytes  int64
	// graph is the behaviour graph, when the search built it (see
	// bfsGraph) and explored everything; graphTime is the time it spent
	// on it.
	graph     *graph
	graphTime time.Duration
}

// Run checks mc with opts. It returns an error only for bad options or
// names (an *execspec.UnknownNameError lists the valid ones), a symmetry
// declaration too large to canonicalize, a memory cap too small for an
// empty store, a model without initial state, or a trace that cannot be
// rebuilt (a model whose actions are not deterministic in their picks);
// findings, statistics and whether the search was complete are in the
// Result.
//
// Cancelling ctx stops the search, as Options.Timeout does; the Result then
// says so (findings.StoppedInterrupted or findings.StoppedTimeout) and holds what was found.
func Run[S any](ctx context.Context, mc *machine.Machine[S], opts Options) (*Result, error) {
	strategy, err := opts.fill()
	if err != nil {
		return nil, err
	}
	e, err := newSearcher(mc, opts)
	if err != nil {
		return nil, err
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, opts.Timeout, errTimeout)
		defer cancel()
	}
	start := time.Now()
	stopProgress := e.progress(start)
	s, err := strategy.explore(ctx, e, &opts)
	stopProgress()
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", mc.Name(), err)
	}
	if s.distinct == 0 && len(s.findings) == 0 && s.stopped == findings.Exhausted {
		if s.generated > 0 || e.generated.Load() > 0 {
			// Nothing to check is not a clean result.
			return nil, fmt.Errorf("model %s: every initial state is outside the state constraints (%s): nothing to explore", mc.Name(), propertyNames(e.constraints))
		}
		return nil, fmt.Errorf("model %s: init has no enabled branch (every branch fails a guard)", mc.Name())
	}
	// Temporal properties, on the behaviour graph: only after a safety
	// search that explored everything and found nothing (TLC's order).
	var live *LivenessStats
	var liveFindings []findings.Finding
	if len(e.temporal) > 0 && s.stopped == findings.Exhausted && len(s.findings) == 0 {
		var stop findings.Stop
		live, stop, liveFindings, err = e.checkTemporal(ctx, s.graph, s.graphTime)
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", mc.Name(), err)
		}
		s.stopped = stop
		if len(liveFindings) > 0 && len(liveFindings) >= opts.MaxFindings {
			s.stopped = findings.StoppedFindings
		}
	}
	if opts.Checkpoint.Dir != "" {
		switch s.stopped {
		case findings.Exhausted, findings.StoppedFindings, findings.StoppedMaxStates, findings.StoppedMaxDepth:
			if err := removeCheckpoint(opts.Checkpoint.Dir); err != nil {
				return nil, fmt.Errorf("model %s: %w", mc.Name(), err)
			}
		}
	}
	res := &Result{
		Strategy:       opts.Strategy,
		Seed:           opts.Seed,
		Workers:        opts.Workers,
		Property:       opts.Property,
		PropertyKind:   e.kind,
		Complete:       s.stopped == findings.Exhausted,
		Stopped:        s.stopped,
		Fingerprint128: opts.Fingerprint128,
		Stats: Stats{
			Generated:  s.generated,
			Distinct:   s.distinct,
			Resumed:    e.resumed,
			Frontier:   s.frontier,
			Depth:      s.depth,
			Elapsed:    time.Since(start),
			StoreBytes: s.storeBytes,
			DiskBytes:  s.diskBytes,
			Levels:     s.levels,
		},
	}
	if s.generated == 0 {
		res.Stats.Generated = e.generated.Load()
	}
	res.Collision = collision(s.distinct, opts.Fingerprint128)
	if e.sym != nil {
		// The workers' memos of representatives are keyed by the
		// fingerprints of states as they are: at most one per successor
		// generated (a bound that, unlike the memos' own counts, does not
		// depend on how the workers shared the work).
		res.Collision += collision(res.Stats.Generated, opts.Fingerprint128)
	}
	for _, p := range e.refine {
		res.Refinements = append(res.Refinements, p.Name)
	}
	res.Unverified = e.unverified()
	if e.reduce {
		res.DataPicks = append([]string(nil), mc.DataPicks()...)
	}
	if e.sym != nil {
		for _, sy := range e.sym.syms {
			res.Symmetries = append(res.Symmetries, sy.Name)
		}
	}
	if len(s.findings) > opts.MaxFindings {
		s.findings = s.findings[:opts.MaxFindings]
	}
	shortest := strategy.info().Shortest
	for i := range s.findings {
		f, plan, err := e.rebuild(&s.findings[i])
		if err == nil && !shortest && !opts.NoShrink {
			err = e.shrink(f, plan)
		}
		var nd *NondeterminismError
		if errors.As(err, &nd) {
			// The path to the finding does not replay: the finding means
			// nothing, the model's nondeterminism is the result.
			res.Findings = append(res.Findings[:0], findings.Finding{Kind: findings.Nondeterministic, Err: nd})
			res.Stopped = findings.StoppedNondeterminism
			break
		}
		if err != nil && s.findings[i].kind == findings.Nondeterministic {
			// The path to the state may not replay either: report the
			// action without a trace rather than nothing.
			f, err = &findings.Finding{Kind: findings.Nondeterministic, Err: s.findings[i].err}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", mc.Name(), err)
		}
		res.Findings = append(res.Findings, *f)
	}
	res.Findings = append(res.Findings, liveFindings...)
	res.Liveness = live
	return res, nil
}

// shrink shrinks a finding of a search that is not StrategyInfo.Shortest
// (BFS's findings are shortest already) and replaces its trace by the shrunk one.
func (e *searcher[S]) shrink(f *findings.Finding, plan engine.Plan) error {
	if f.Kind == findings.Panicked && f.Property != "" && e.sym != nil {
		return nil // a panicking permute function is not a property the shrinker judges
	}
	props := e.props
	if len(e.steps) > 0 {
		props = append(append([]machine.Property[S](nil), e.props...), e.steps...)
	}
	return engine.Shrink(e.mc, props, f, plan, e.opts.ShrinkRuns)
}

// propertyNames joins the names of props.
func propertyNames[S any](props []machine.Property[S]) string {
	names := make([]string, len(props))
	for i, p := range props {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
