package check

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/execspec/execspec/findings"
)

// Depth-first search, plain or with the successors of every state (and the
// initial states) visited in an order the strategy chooses (RandomDFS:
// shuffled by the seed).
//
// The frontier is a stack of frames, one per state on the current path,
// each holding that state's successors (generated all at once, in the
// canonical order, then visited in that or the strategy's order). The
// successors are kept encoded, in one arena shared by the frames, and
// decoded when visited: a deep search holds a few bytes per step, not
// whole states (whose maps and sets cost hundreds). The store maps
// each fingerprint to the smallest depth at which it was reached. Without a
// depth bound a state already in the store is skipped. With a bound, a state
// reached again by a shorter path than any before is explored again: the
// states beyond the bound on the longer path may be within it on the shorter
// one, and skipping them is how a naive bounded DFS misses reachable
// violations. A finding's trace is the path on the stack.

// dfsFrame is a state on the current path: its successors are
// succ[lo:hi] of the search (hi: the next frame's lo, or the end),
// visited in that order, the next at next. Their encodings are one run of
// the arena, which starts at the smallest of their at (shuffled, they
// need not be in order). 24 bytes: a deep search keeps one per step.
type dfsFrame struct {
	lo, next int
	ord      uint32 // the ordinal of this frame's state among its parent's successors
}

// dfsSucc is a successor waiting on the stack: its fingerprint's high
// half (the low half, with 128-bit fingerprints, is in the search's lo at
// the same index) and its encoding, arena[at:at+n]. 24 bytes: a deep
// search keeps one or two per step.
type dfsSucc struct {
	hi  uint64
	at  int
	n   uint32
	ord uint32
}

type dfs[S any] struct {
	eng   *searcher[S]
	x     *expander[S]
	seen  fpStore[uint32] // each state's smallest depth seen
	stack []dfsFrame
	succ  []dfsSucc // every frame's successors, the top frame's last
	lo    []uint64  // with 128-bit fingerprints, their low halves
	arena []byte    // their encodings, in the same order
	perm  []int     // scratch: the strategy's order
	tmp   []dfsSucc // scratch: successors in that order
	tmpLo []uint64
	cur   *S // the successor being visited, decoded
	from  *S // with action constraints, the state cur is a successor of, decoded
	order func(perm []int)

	findings []pending
	stopped  findings.Stop
	nondet   bool // a findings.Nondeterministic finding was made
	cutoff   bool
	maxDepth int // deepest stack, in states
}

func minDepth(old, v uint32) uint32 { return min(old, v) }

// runDFS searches depth-first, visiting the successors of each state in
// the order order leaves them in (nil: the canonical order; see space).
func runDFS[S any](ctx context.Context, e *searcher[S], order func(perm []int)) (*search, error) {
	d := &dfs[S]{eng: e, x: e.newExpander(), cur: new(S), stopped: findings.Exhausted, order: order}
	var err error
	if d.seen, err = newDepthStore(e.opts.Fingerprint128, e.opts.MaxDepth > 0, e.opts.MaxStates, e.budget); err != nil {
		return nil, errors.New("the memory cap is too small for an empty fingerprint store")
	}
	defer d.seen.Close()
	if e.opts.Fingerprint128 {
		d.lo = []uint64{} // not nil: the low halves are kept
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
				d.stopped = findings.StoppedMemory
				break
			}
			e.frontier.Store(int64(len(d.stack)))
		}
		f := &d.stack[len(d.stack)-1]
		if f.next == len(d.succ) {
			d.pop()
			continue
		}
		c := d.succ[f.next]
		enc := d.arena[c.at : c.at+int(c.n)]
		fp := fingerprint{hi: c.hi}
		if d.lo != nil {
			fp.lo = d.lo[f.next]
		}
		f.next++
		if err := d.x.dec.Decode(enc, d.cur); err != nil {
			return nil, fmt.Errorf("depth-first search: a successor kept on the stack: %w", err)
		}
		s, ord := d.cur, c.ord
		depth := len(d.stack) - 1 // steps from an initial state
		if e.bounded {
			from, err := d.parentOfTop()
			if err != nil {
				return nil, err
			}
			if out, v := d.x.outside(from, s); out {
				if v.kind != 0 && !d.reported(fp) {
					d.findings = append(d.findings, pending{verdict: v, ords: d.path(ord), fp: fp, out: true})
					if len(d.findings) >= e.opts.MaxFindings {
						d.stopped = findings.StoppedFindings
						break
					}
				}
				continue
			}
		}
		if lim := e.opts.MaxStates; lim > 0 && e.distinct.Load() >= lim {
			if _, ok := d.seen.Get(fp); !ok {
				d.stopped = findings.StoppedMaxStates // a state beyond the limit
				break
			}
		}
		old, absent, err := d.seen.Put(fp, uint32(depth), minDepth)
		if err != nil {
			d.stopped = findings.StoppedMemory
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
				e.opts.Visit(append([]byte(nil), enc...), depth+1)
			}
			if v := d.x.judge(s); v.kind != 0 {
				d.findings = append(d.findings, pending{verdict: v, ords: d.path(ord), fp: fp})
				if len(d.findings) >= e.opts.MaxFindings {
					d.stopped = findings.StoppedFindings
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
			d.stopped = findings.StoppedFindings
			break
		}
	}
	if d.nondet {
		d.stopped = findings.StoppedNondeterminism
		sort.SliceStable(d.findings, func(i, j int) bool {
			return d.findings[i].kind == findings.Nondeterministic && d.findings[j].kind != findings.Nondeterministic
		})
	}
	if d.stopped == findings.Exhausted && d.cutoff {
		d.stopped = findings.StoppedMaxDepth
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

// parentOfTop returns, when the model has action constraints, the state
// whose successors the top frame holds (nil for the initial states),
// decoded into d.from; nil otherwise. That state is the successor of the
// frame below last visited, whose encoding stays until that frame is
// popped.
func (d *dfs[S]) parentOfTop() (*S, error) {
	if len(d.eng.actionConstraints) == 0 || len(d.stack) < 2 {
		return nil, nil
	}
	c := d.succ[d.stack[len(d.stack)-2].next-1]
	if d.from == nil {
		d.from = new(S)
	}
	if err := d.x.dec.Decode(d.arena[c.at:c.at+int(c.n)], d.from); err != nil {
		return nil, fmt.Errorf("depth-first search: a state on the stack: %w", err)
	}
	return d.from, nil
}

// pop removes the top frame, whose successors have all been visited, and
// their encodings.
func (d *dfs[S]) pop() {
	f := d.stack[len(d.stack)-1]
	d.stack = d.stack[:len(d.stack)-1]
	if f.lo < len(d.succ) {
		at := d.succ[f.lo].at
		for _, c := range d.succ[f.lo+1:] {
			at = min(at, c.at)
		}
		d.arena = d.arena[:at]
	}
	d.succ = d.succ[:f.lo]
	if d.lo != nil {
		d.lo = d.lo[:f.lo]
	}
}

// push expands s (the initial states when s is nil) into a new frame on
// top of the stack. s may be d.cur: it is not used once push returns.
func (d *dfs[S]) push(s *S, ord uint32) {
	e := d.eng
	lo := len(d.succ)
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
		fp, err := d.x.fingerprint(next)
		if err != nil {
			d.findings = append(d.findings, pending{verdict: verdict{kind: findings.Panicked, property: symmetryName(err), err: err}, ords: append(append([]uint32(nil), pathTo()...), o)})
			return true
		}
		if old, ok := d.seen.Get(fp); ok && (!bounded || int(old) <= depth) {
			return true // would be skipped when visited: depths only decrease
		}
		if err := d.x.recheck(d.x.action, s, d.x.path, d.x.encoding(), next); err != nil {
			ap := &actionPanic{ord: o, action: d.x.action, path: append([]int(nil), d.x.path...), err: err}
			d.findings = append(d.findings, pending{verdict: verdict{kind: findings.Nondeterministic, err: err}, ords: append([]uint32(nil), pathTo()...), panic: ap})
			d.nondet = true
			return false
		}
		at := len(d.arena)
		d.arena = append(d.arena, d.x.encoding()...)
		d.succ = append(d.succ, dfsSucc{hi: fp.hi, at: at, n: uint32(len(d.arena) - at), ord: o})
		if d.lo != nil {
			d.lo = append(d.lo, fp.lo)
		}
		return true
	}
	onPanic := func(ap actionPanic) {
		d.findings = append(d.findings, pending{verdict: verdict{kind: findings.Panicked, err: ap.err}, ords: append([]uint32(nil), pathTo()...), panic: &ap})
	}
	var onStep func(uint32, verdict, bool)
	if len(e.refine) > 0 || len(e.steps) > 0 {
		onStep = func(o uint32, v verdict, step bool) {
			d.findings = append(d.findings, pending{verdict: v, ords: append(append([]uint32(nil), pathTo()...), o), step: step})
		}
	}
	before := len(d.findings)
	n, _ := d.x.expand(s, emit, onPanic, onStep)
	if n == 0 && s != nil && e.opts.Deadlock && len(d.findings) == before {
		d.findings = append(d.findings, pending{verdict: verdict{kind: findings.Deadlocked}, ords: pathTo()})
	}
	hi := len(d.succ)
	if d.order != nil {
		d.reorder(lo, hi)
	}
	d.stack = append(d.stack, dfsFrame{lo: lo, next: lo, ord: ord})
}

// reorder puts succ[lo:hi] in the strategy's order; their encodings stay
// where they are (each names its own).
func (d *dfs[S]) reorder(lo, hi int) {
	n := hi - lo
	d.perm = d.perm[:0]
	for i := range n {
		d.perm = append(d.perm, i)
	}
	d.order(d.perm)
	d.tmp = append(d.tmp[:0], d.succ[lo:hi]...)
	for k, i := range d.perm {
		d.succ[lo+k] = d.tmp[i]
	}
	if d.lo != nil {
		d.tmpLo = append(d.tmpLo[:0], d.lo[lo:hi]...)
		for k, i := range d.perm {
			d.lo[lo+k] = d.tmpLo[i]
		}
	}
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
		d.findings = append(d.findings, pending{verdict: verdict{kind: findings.Panicked, err: ap.err}, ords: d.path(ord), panic: &ap})
	}, nil)
	if n == 0 && e.opts.Deadlock && len(d.findings) == before {
		d.findings = append(d.findings, pending{verdict: verdict{kind: findings.Deadlocked}, ords: d.path(ord)})
	}
}

// newDepthStore returns DFS's store of the states seen: with a depth bound,
// each with the smallest depth it was reached at; without one, the
// fingerprints alone (a third less memory), every depth read as 0.
func newDepthStore(wide, bounded bool, hint int64, b *budget) (fpStore[uint32], error) {
	if bounded {
		return newMemTable[uint32](wide, hint, b)
	}
	t, err := newMemTable[struct{}](wide, hint, b)
	if err != nil {
		return nil, err
	}
	return depthless{t}, nil
}

// depthless is a set of fingerprints seen as a store of depths that are
// all 0.
type depthless struct{ fpStore[struct{}] }

func (s depthless) Get(fp fingerprint) (uint32, bool) {
	_, ok := s.fpStore.Get(fp)
	return 0, ok
}

func (s depthless) Put(fp fingerprint, _ uint32, _ func(old, v uint32) uint32) (uint32, bool, error) {
	_, absent, err := s.fpStore.Put(fp, struct{}{}, nil)
	return 0, absent, err
}

func (s depthless) Each(fn func(fp fingerprint, v uint32)) {
	s.fpStore.Each(func(fp fingerprint, _ struct{}) { fn(fp, 0) })
}
