package check

import (
	"context"
	"errors"
	"sort"

	"github.com/execspec/execspec/engine"

	"github.com/execspec/execspec/internal/rng"
)

// Depth-first search, plain or with the successors of every state (and the
// initial states) visited in an order shuffled by the seed.
//
// The frontier is a stack of frames, one per state on the current path,
// each holding that state's successors (generated all at once, in the
// canonical order, then visited in that or a shuffled order). The store maps
// each fingerprint to the smallest depth at which it was reached. Without a
// depth bound a state already in the store is skipped. With a bound, a state
// reached again by a shorter path than any before is explored again: the
// states beyond the bound on the longer path may be within it on the shorter
// one, and skipping them is how a naive bounded DFS misses reachable
// violations. A finding's trace is the path on the stack.

type dfsFrame[S any] struct {
	succ  []S
	fps   []fingerprint
	ords  []uint32
	order []int
	next  int
	ord   uint32 // the ordinal of this frame's state among its parent's successors
	// from is the state whose successors these are (nil for the initial
	// states): it lives in the frame below, which does not change while
	// this one is on the stack.
	from *S
}

type dfs[S any] struct {
	eng    *searcher[S]
	x      *expander[S]
	seen   fpStore[uint32] // each state's smallest depth seen
	frames []*dfsFrame[S]
	stack  []*dfsFrame[S]
	rnd    *rng.Rand

	findings []pending
	stopped  engine.Stop
	nondet   bool // a engine.Nondeterministic finding was made
	cutoff   bool
	maxDepth int // deepest stack, in states
}

func minDepth(old, v uint32) uint32 { return min(old, v) }

func runDFS[S any](ctx context.Context, e *searcher[S]) (*search, error) {
	d := &dfs[S]{eng: e, x: e.newExpander(), stopped: engine.Exhausted}
	var err error
	if d.seen, err = newMemTable[uint32](e.opts.Fingerprint128, e.opts.MaxStates, e.budget); err != nil {
		return nil, errors.New("the memory cap is too small for an empty fingerprint store")
	}
	defer d.seen.Close()
	if e.opts.Strategy == RandomDFS {
		d.rnd = rng.New(e.opts.Seed, 0)
	}
	bounded := e.opts.MaxDepth > 0
	d.push(nil, 0)
	for iter := 0; len(d.stack) > 0 && !d.nondet; iter++ {
		if iter&63 == 0 {
			if ctx.Err() != nil {
				d.stopped = stopReason(ctx)
				break
			}
			if iter&(1<<12-1) == 0 && e.overMemory() {
				d.stopped = engine.StoppedMemory
				break
			}
			e.frontier.Store(int64(len(d.stack)))
		}
		f := d.stack[len(d.stack)-1]
		if f.next == len(f.order) {
			d.stack = d.stack[:len(d.stack)-1]
			continue
		}
		i := f.order[f.next]
		f.next++
		s, fp, ord := &f.succ[i], f.fps[i], f.ords[i]
		depth := len(d.stack) - 1 // steps from an initial state
		if e.bounded {
			if out, v := d.x.outside(f.from, s); out {
				if v.kind != 0 && !d.reported(fp) {
					d.findings = append(d.findings, pending{verdict: v, ords: d.path(ord), fp: fp, out: true})
					if len(d.findings) >= e.opts.MaxFindings {
						d.stopped = engine.StoppedFindings
						break
					}
				}
				continue
			}
		}
		if lim := e.opts.MaxStates; lim > 0 && e.distinct.Load() >= lim {
			if _, ok := d.seen.Get(fp); !ok {
				d.stopped = engine.StoppedMaxStates // a state beyond the limit
				break
			}
		}
		old, absent, err := d.seen.Put(fp, uint32(depth), minDepth)
		if err != nil {
			d.stopped = engine.StoppedMemory
			break
		}
		if !absent && (!bounded || int(old) <= depth) {
			continue
		}
		d.maxDepth = max(d.maxDepth, depth+1)
		e.depth.Store(int64(d.maxDepth))
		if absent {
			e.distinct.Add(1)
			if e.opts.Visit != nil {
				e.opts.Visit(e.mc.AppendEncoding(nil, s), depth+1)
			}
			if v := d.x.judge(s); v.kind != 0 {
				d.findings = append(d.findings, pending{verdict: v, ords: d.path(ord), fp: fp})
				if len(d.findings) >= e.opts.MaxFindings {
					d.stopped = engine.StoppedFindings
					break
				}
			}
		}
		if bounded && depth >= e.opts.MaxDepth {
			d.probe(s, ord)
		} else {
			d.push(s, ord)
		}
		if len(d.findings) >= e.opts.MaxFindings {
			d.stopped = engine.StoppedFindings
			break
		}
	}
	if d.nondet {
		d.stopped = engine.StoppedNondeterminism
		sort.SliceStable(d.findings, func(i, j int) bool {
			return d.findings[i].kind == engine.Nondeterministic && d.findings[j].kind != engine.Nondeterministic
		})
	}
	if d.stopped == engine.Exhausted && d.cutoff {
		d.stopped = engine.StoppedMaxDepth
	}
	return &search{
		findings:   d.findings,
		stopped:    d.stopped,
		depth:      d.maxDepth,
		frontier:   int64(len(d.stack)),
		distinct:   d.seen.Len(),
		storeBytes: d.seen.Bytes(),
	}, nil
}

// reported reports whether a finding on the state with fingerprint fp was
// already recorded: a state outside the model is never stored, so it can be
// reached, and judged, again.
func (d *dfs[S]) reported(fp fingerprint) bool {
	for _, p := range d.findings {
		if p.out && p.fp == fp {
			return true
		}
	}
	return false
}

// path returns the successor ordinals from the virtual root to the
// successor with ordinal ord of the top frame's state.
func (d *dfs[S]) path(ord uint32) []uint32 {
	ords := make([]uint32, 0, len(d.stack))
	for _, f := range d.stack[1:] {
		ords = append(ords, f.ord)
	}
	return append(ords, ord)
}

// push expands s (the initial states when s is nil) into a new frame on
// top of the stack.
func (d *dfs[S]) push(s *S, ord uint32) {
	e := d.eng
	var f *dfsFrame[S]
	if len(d.stack) < len(d.frames) {
		f = d.frames[len(d.stack)]
	} else {
		f = &dfsFrame[S]{}
		d.frames = append(d.frames, f)
	}
	var zero S
	for i := range f.succ {
		f.succ[i] = zero // drop references
	}
	f.succ, f.fps, f.ords, f.order, f.next, f.ord, f.from = f.succ[:0], f.fps[:0], f.ords[:0], f.order[:0], 0, ord, s
	bounded := e.opts.MaxDepth > 0
	depth := len(d.stack) // steps from an initial state of the successors
	var parent []uint32   // the path to s, computed only when a finding needs it
	pathTo := func() []uint32 {
		if parent == nil && s != nil {
			parent = d.path(ord)
		}
		return parent
	}
	emit := func(o uint32, next *S) bool {
		e.generated.Add(1)
		if len(e.steps) > 0 && s != nil {
			// Every transition, to a state seen before or outside the
			// constraints too (TLC checks an action property so).
			if v := d.x.judgeStep(s, next); v.kind != 0 {
				d.findings = append(d.findings, pending{verdict: v, ords: append(append([]uint32(nil), pathTo()...), o), step: true})
			}
		}
		fp, err := d.x.fingerprint(next)
		if err != nil {
			d.findings = append(d.findings, pending{verdict: verdict{kind: engine.Panicked, property: symmetryName(err), err: err}, ords: append(append([]uint32(nil), pathTo()...), o)})
			return true
		}
		if old, ok := d.seen.Get(fp); ok && (!bounded || int(old) <= depth) {
			return true // would be skipped when visited: depths only decrease
		}
		if err := d.x.recheck(d.x.action, s, d.x.path, d.x.encoding(), next); err != nil {
			ap := &actionPanic{ord: o, action: d.x.action, path: append([]int(nil), d.x.path...), err: err}
			d.findings = append(d.findings, pending{verdict: verdict{kind: engine.Nondeterministic, err: err}, ords: append([]uint32(nil), pathTo()...), panic: ap})
			d.nondet = true
			return false
		}
		f.succ = append(f.succ, *next) // see machine.Executor.Enumerate: keeping it is safe
		f.fps = append(f.fps, fp)
		f.ords = append(f.ords, o)
		f.order = append(f.order, len(f.order))
		return true
	}
	onPanic := func(ap actionPanic) {
		d.findings = append(d.findings, pending{verdict: verdict{kind: engine.Panicked, err: ap.err}, ords: append([]uint32(nil), pathTo()...), panic: &ap})
	}
	before := len(d.findings)
	n, _ := d.x.expand(s, emit, onPanic)
	if n == 0 && s != nil && e.opts.Deadlock && len(d.findings) == before {
		d.findings = append(d.findings, pending{verdict: verdict{kind: engine.Deadlocked}, ords: pathTo()})
	}
	if d.rnd != nil {
		d.rnd.Perm(f.order)
	}
	d.stack = append(d.stack, f)
}

// probe expands s, at the depth bound, only to learn whether it has a
// successor not seen yet (which makes the search incomplete) or none at all.
func (d *dfs[S]) probe(s *S, ord uint32) {
	e := d.eng
	before := len(d.findings)
	n, _ := d.x.expand(s, func(_ uint32, next *S) bool {
		e.generated.Add(1)
		fp, err := d.x.fingerprint(next)
		if err != nil {
			return true // reported when the state is reached within the bound
		}
		if _, ok := d.seen.Get(fp); !ok {
			d.cutoff = true
		}
		return true
	}, func(ap actionPanic) {
		d.findings = append(d.findings, pending{verdict: verdict{kind: engine.Panicked, err: ap.err}, ords: d.path(ord), panic: &ap})
	})
	if n == 0 && e.opts.Deadlock && len(d.findings) == before {
		d.findings = append(d.findings, pending{verdict: verdict{kind: engine.Deadlocked}, ords: d.path(ord)})
	}
}
