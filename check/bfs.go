package check

import (
	"context"
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/execspec/execspec/findings"
)

// Breadth-first search, level-synchronous and parallel.
//
// The frontier is one BFS level: the states first reached in the same number
// of steps, in a canonical order. Workers claim chunks of it in order and
// expand them; every successor gets a key (position of its parent in the
// level, ordinal of the successor among the parent's successors), and a
// successor not in the store of earlier levels is offered to a per-level
// table that keeps, for each new fingerprint, the smallest key offered. The
// candidates that kept their key make the next level, in key order: a
// ranking that does not depend on how the work was split, so counts, state
// numbering, traces and findings are the same with any number of workers.
//
// Candidates are judged against the properties as they are found. Since a
// candidate can only lose its key to a smaller one, from the same or an
// earlier chunk, the winners among the chunks claimed so far are final: once
// enough findings (or, with MaxStates, enough new states) are known, no
// further chunk is claimed, and the level ends with the same result as if it
// had been expanded in full and cut in key order.
//
// The level is then committed in parallel: fingerprints go into the store
// and (parent, ordinal) records into the trace records. A finding's trace is
// the chain of records back to an initial state, a shortest one; of several
// findings in a level, the ones with the smallest keys are reported.
//
// When temporal properties are checked without symmetry, the search also
// builds the behaviour graph as it goes (see bfsGraph): the chunks then
// collect the steps of the states they expand, and the level just
// expanded joins the graph once the next one is committed. A search that
// checks none pays a test or two per state, and none per successor.

// chunk is a slice of the frontier expanded by one worker, with what its
// expansion produced.
type chunk[S any] struct {
	_      [64]byte // workers write their chunks concurrently
	lo, hi int      // frontier positions

	// Expansion: the candidates for the next level, in key order.
	encs   encoded
	fps    []fingerprint
	keys   []uint64
	found  []pending // findings, in key order
	gen    int64
	counts []uint32       // successors of each state expanded
	graph  *graphChunk[S] // what the behaviour graph gets, when the search builds it

	offset int64 // commit: record number of the chunk's first winner, from the level's base
	_      [64]byte
}

func (c *chunk[S]) reset(lo, hi int) {
	c.lo, c.hi = lo, hi
	c.encs.reset()
	c.fps, c.keys, c.found, c.counts = c.fps[:0], c.keys[:0], c.found[:0], c.counts[:0]
	c.gen, c.offset = 0, 0
	if c.graph != nil {
		c.graph.reset()
	}
}

// keepCandidates keeps, in order, the candidates for which keep(fp, key)
// holds.
func (c *chunk[S]) keepCandidates(keep func(fp fingerprint, key uint64) bool) {
	j := 0
	for k := range c.keys {
		if !keep(c.fps[k], c.keys[k]) {
			continue
		}
		c.encs.move(j, k)
		c.fps[j], c.keys[j] = c.fps[k], c.keys[k]
		j++
	}
	c.encs.truncate(j)
	c.fps, c.keys = c.fps[:j], c.keys[:j]
}

type bfs[S any] struct {
	eng   *searcher[S]
	ctx   context.Context
	seen  *seenSet          // the states of the levels committed (nil when ids is used)
	ids   fpStore[uint32]   // the same, with their record numbers, when the search builds the graph
	graph *bfsGraph[S]      // the behaviour graph, when the search builds it (see bfsGraph)
	level *memTable[uint64] // the new states of the level being expanded, with their smallest key
	out   fpStore[uint64]   // the level's states outside the model with a finding, with their smallest key
	outs  fpStore[struct{}] // the states outside the model reported by the levels committed
	recs  records
	xs    []*expander[S] // one per worker

	ext      *candSpill // the candidates of the level being expanded, when they wait on disk (see commitExternal)
	front    encoded    // the level to expand, as canonical encodings (decoded when expanded)
	spill    *spillFile // the frontier's encodings when the level was spilled (front then holds only their ends)
	frontIdx []uint32   // record number of each frontier state
	spareIdx []uint32   // another array for them (see commitExternal)
	init     bool       // the frontier is the virtual root whose successors are the initial states
	branch   int64      // successors per state in the last level expanded (for chunk sizes)
	chunks   []*chunk[S]
	pool     []*chunk[S]

	// Claiming chunks: under mu, so that the chunks expanded are always a
	// prefix of the level.
	mu       sync.Mutex
	claimed  int
	enough   bool         // no more chunks: the level's outcome is known
	newFound atomic.Int64 // distinct new states with a finding in this level
	expanded atomic.Int64 // frontier states expanded in this level

	findings  []pending
	levels    []Level
	generated int64 // successors generated by the committed levels
	stopped   findings.Stop
	cutoff    atomic.Bool // probe: a state beyond MaxDepth exists
	abort     atomic.Int32
	err       error
}

const (
	abortNone = iota
	abortCtx
	abortMemory
	abortNondet
)

func minKey(old, v uint64) uint64 { return min(old, v) }

func runBFS[S any](ctx context.Context, e *searcher[S]) (*search, error) {
	b := &bfs[S]{eng: e, ctx: ctx, init: true, branch: 1, stopped: findings.Exhausted}
	b.recs.budget = e.budget
	b.graph = newBFSGraph(e)
	var err error
	if b.graph != nil {
		if b.ids, err = newMemTable[uint32](e.opts.Fingerprint128, e.opts.MaxStates, e.budget); err != nil {
			return nil, errors.New("the memory cap is too small for an empty fingerprint store")
		}
		defer b.ids.Close()
	} else {
		if b.seen, err = newSeenSet(e.opts.Fingerprint128, e.opts.MaxStates, e.budget, e.opts.spillShare(shareFingerprints)); err != nil {
			return nil, errors.New("the memory cap is too small for an empty fingerprint store")
		}
		defer b.seen.close()
	}
	defer b.recs.close()
	defer func() {
		if b.ext != nil {
			b.ext.close()
		}
	}()
	if b.level, err = newMemTable[uint64](e.opts.Fingerprint128, 0, e.budget); err != nil {
		return nil, errors.New("the memory cap is too small for an empty fingerprint store")
	}
	defer b.level.Close()
	defer func() {
		if b.spill != nil {
			b.spill.close()
		}
	}()
	if b.out, err = newMemTable[uint64](e.opts.Fingerprint128, 0, e.budget); err != nil {
		return nil, errors.New("the memory cap is too small for an empty fingerprint store")
	}
	defer b.out.Close()
	if b.outs, err = newMemTable[struct{}](e.opts.Fingerprint128, 0, e.budget); err != nil {
		return nil, errors.New("the memory cap is too small for an empty fingerprint store")
	}
	defer b.outs.Close()
	for i := 0; i < e.opts.Workers; i++ {
		x := e.newExpander()
		if b.graph != nil {
			x.graph = b.graph.newWorker()
			x.ex.Record(b.graph.spec.record)
		}
		b.xs = append(b.xs, x)
	}
	ck := e.opts.Checkpoint
	if ck.Resume {
		if err := b.loadCheckpoint(); err != nil {
			return nil, err
		}
	}
	lastSave := time.Now()
	var partial int64 // new states of a level the search stopped in
	for depth := len(b.levels); ; depth++ {
		probe := e.opts.MaxDepth > 0 && depth > e.opts.MaxDepth
		root := b.init
		b.expandLevel(probe)
		if probe && b.deferred() && b.abort.Load() == abortNone && b.err == nil {
			n, err := b.levelNew()
			if err != nil {
				return nil, err
			}
			if n > 0 {
				b.cutoff.Store(true)
			}
		}
		switch b.abort.Load() {
		case abortCtx:
			b.stopped = stopReason(ctx)
		case abortMemory:
			b.stopped = findings.StoppedMemory
		case abortNondet:
			b.stopped = findings.StoppedNondeterminism
		}
		if b.err != nil {
			return nil, b.err
		}
		if b.stopped != findings.Exhausted || probe {
			if !probe {
				// Stopped in the middle of a level: its new states were
				// found (progress reported them) though not expanded.
				if partial, err = b.levelNew(); err != nil {
					return nil, err
				}
				// The levels before it are all there: save them, to go
				// on from there.
				if ck.Dir != "" && !b.init && b.seen != nil && b.seen.Len() == b.recs.n {
					if err := b.saveCheckpoint(); err != nil {
						return nil, err
					}
				}
			}
			b.findings = append(b.findings, b.levelFindings()...)
			b.generated = e.generated.Load() // the level was expanded in full, or the search was cut short anyway
			if probe && b.stopped == findings.Exhausted && b.cutoff.Load() {
				b.stopped = findings.StoppedMaxDepth
			}
			if probe && b.graph != nil {
				b.addToGraph() // the last level: its successors were all seen
			}
			break
		}
		more := b.commit(depth)
		if b.err != nil {
			return nil, b.err
		}
		if b.graph != nil && !root {
			b.addToGraph()
		}
		if b.stopped != findings.Exhausted || !more {
			break
		}
		if ck.Dir != "" && time.Since(lastSave) >= ck.Every {
			if err := b.saveCheckpoint(); err != nil {
				return nil, err
			}
			lastSave = time.Now()
		}
	}

	if b.stopped == findings.StoppedNondeterminism {
		// The model error comes first, whatever else the level found.
		sort.SliceStable(b.findings, func(i, j int) bool {
			return b.findings[i].kind == findings.Nondeterministic && b.findings[j].kind != findings.Nondeterministic
		})
	}
	if len(b.findings) > e.opts.MaxFindings {
		b.findings = b.findings[:e.opts.MaxFindings]
	}
	for i := range b.findings {
		b.resolve(&b.findings[i])
	}
	if b.recs.err != nil {
		return nil, b.recs.err
	}
	left := int64(b.front.len())
	if b.init {
		left = 0
	}
	if partial > 0 {
		// The rest of the level, and the new states found in it.
		left = max(0, left-b.expanded.Load()) + partial
	}
	e.frontier.Store(left)
	stored, storeBytes := b.stored()
	s := &search{
		findings:   b.findings,
		stopped:    b.stopped,
		levels:     b.levels,
		depth:      len(b.levels),
		frontier:   left,
		distinct:   stored + partial,
		generated:  b.generated,
		storeBytes: storeBytes + b.recs.bytes(),
		diskBytes:  b.onDisk(),
	}
	if b.graph != nil && b.stopped == findings.Exhausted && len(b.findings) == 0 {
		s.graph, s.graphTime = b.graph.finish(&b.recs), b.graph.elapsed
	}
	return s, nil
}

// stored returns the number of states in the store and the store's
// memory.
func (b *bfs[S]) stored() (n, bytes int64) {
	if b.ids != nil {
		return b.ids.Len(), b.ids.Bytes()
	}
	return b.seen.Len(), b.seen.memBytes()
}

// onDisk is the size of what the search keeps in files: fingerprints and
// trace records.
func (b *bfs[S]) onDisk() int64 {
	n := b.recs.fileBytes()
	if b.seen != nil {
		n += b.seen.diskBytes()
	}
	return n
}

// delayed reports whether some states seen are known on disk only: a
// successor not in memory is then new only once the level's commit has
// looked it up there (see seenSet), so the workers cannot stop a level
// early on the count of its new states or findings.
func (b *bfs[S]) delayed() bool { return b.seen != nil && b.seen.delayed() }

// deferred reports whether the level's new states are known only at its
// commit: some states seen are on disk, or its candidates are.
func (b *bfs[S]) deferred() bool { return b.delayed() || b.ext != nil }

// wantExternal reports whether the candidates of the next level, from n
// states to expand, may take more memory than the table of smallest keys
// is allowed: in memory each takes about 128 bytes besides its encoding
// (fingerprint, key and offset, grown by doubling, and the table's slot),
// and a growing level has more candidates than states expanded.
func (b *bfs[S]) wantExternal(n int) bool {
	limit := b.eng.opts.spillShare(shareKeys)
	if limit <= 0 || b.seen == nil || b.graph != nil || !externalLevels {
		return false
	}
	enc := int64(0)
	if !b.init && n > 0 {
		enc = b.frontSize() / int64(n)
	}
	return int64(n)*(enc+128) > limit
}

// noteFound counts a distinct new state with a finding in the level, and
// ends the level after the chunks claimed once there are need of them.
func (b *bfs[S]) noteFound(need int64) {
	if b.newFound.Add(1) >= need && !b.deferred() {
		b.stopClaiming()
	}
}

// store adds the state of fingerprint fp and record number id to the
// store.
func (b *bfs[S]) store(fp fingerprint, id int64) error {
	if b.ids != nil {
		_, _, err := b.ids.Put(fp, uint32(id), nil)
		return err
	}
	return b.seen.put(fp)
}

// fail stops the search with an error (a frontier state that does not
// decode).
func (b *bfs[S]) fail(err error) {
	b.mu.Lock()
	if b.err == nil {
		b.err = err
	}
	b.enough = true
	b.mu.Unlock()
}

// claim returns the next chunk to expand, or -1.
func (b *bfs[S]) claim() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.enough || b.claimed >= len(b.chunks) || b.abort.Load() != abortNone {
		return -1
	}
	b.claimed++
	return b.claimed - 1
}

// stopClaiming ends the level after the chunks already claimed.
func (b *bfs[S]) stopClaiming() {
	b.mu.Lock()
	b.enough = true
	b.mu.Unlock()
}

// parallel runs fn(worker) on every worker and waits.
func (b *bfs[S]) parallel(n int, fn func(w int)) {
	workers := min(len(b.xs), n)
	if workers <= 1 {
		fn(0)
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(w)
		}()
	}
	wg.Wait()
}

// each runs fn(worker, i) for every chunk i, spread over the workers.
func (b *bfs[S]) each(fn func(w, i int)) {
	var next atomic.Int64
	b.parallel(len(b.chunks), func(w int) {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(b.chunks) {
				return
			}
			fn(w, i)
		}
	})
}

// expandLevel expands the frontier into candidates for the next level. In
// probe mode (the level's successors would be beyond MaxDepth) it only looks
// for a successor not seen yet, and for deadlocks.
func (b *bfs[S]) expandLevel(probe bool) {
	e := b.eng
	n := b.front.len()
	if b.init {
		n = 1
	}
	e.frontier.Store(int64(n))
	// Chunks of about 4096 successors, at least 4 per worker.
	size := int(max(1, min(512, 4096/max(1, b.branch), int64(n/(len(b.xs)*4)))))
	nchunks := (n + size - 1) / size
	for len(b.pool) < nchunks {
		b.pool = append(b.pool, &chunk[S]{})
	}
	b.chunks = b.pool[:nchunks]
	for i, c := range b.chunks {
		if b.graph != nil && c.graph == nil {
			c.graph = &graphChunk[S]{}
		}
		c.reset(i*size, min(n, (i+1)*size))
	}
	if b.ext != nil {
		b.ext.close()
		b.ext = nil
	}
	b.level.maxBytes = 0
	if b.wantExternal(n) {
		var err error
		if b.ext, err = newCandSpill(e.opts.Fingerprint128); err != nil {
			b.fail(err)
			return
		}
		// The table of smallest keys only spares writing repeated
		// offers: capped, it lets the others through.
		b.level.maxBytes = max(keysTableFloor, e.opts.spillShare(shareKeys))
		// What the chunks kept of earlier levels' candidates goes back.
		for _, c := range b.pool {
			c.encs, c.fps, c.keys = encoded{}, nil, nil
		}
	}
	for _, x := range b.xs {
		x.cands = nil
		if b.ext != nil {
			x.cands = &candWriter{s: b.ext}
		}
	}
	b.level.Reset()
	b.out.Reset()
	b.expanded.Store(0)
	b.claimed, b.enough = 0, false
	b.newFound.Store(0)
	b.parallel(nchunks, func(w int) {
		for {
			i := b.claim()
			if i < 0 {
				return
			}
			if b.ctx.Err() != nil {
				b.abort.CompareAndSwap(abortNone, abortCtx)
				return
			}
			if e.overMemory() {
				b.abort.CompareAndSwap(abortNone, abortMemory)
				return
			}
			c := b.chunks[i]
			b.expandChunk(b.xs[w], c, probe)
			e.generated.Add(c.gen)
			e.distinct.Store(b.recs.n + b.level.Len())
			// On the queue: the level's states not expanded yet, and the
			// new states found, which wait for the next level.
			done := b.expanded.Add(int64(c.hi - c.lo))
			e.frontier.Store(int64(n) - done + b.level.Len())
		}
	})
	for _, x := range b.xs {
		if x.cands != nil {
			x.cands.flush()
		}
	}
}

func (b *bfs[S]) expandChunk(x *expander[S], c *chunk[S], probe bool) {
	e := b.eng
	need := int64(e.opts.MaxFindings - len(b.findings))
	room := int64(-1) // new states the level may still add (MaxStates), -1: no limit
	if e.opts.MaxStates > 0 {
		room = e.opts.MaxStates - b.recs.n
	}
	var pos int
	var parent *S // the state at pos
	var gc *graphChunk[S]
	if b.graph != nil && !b.init {
		gc = c.graph
		gc.w = x.graph
	}
	// Successors are fingerprinted as they are generated and looked up in
	// the store in batches: the lookups are independent, so the processor
	// overlaps their cache misses.
	bt := &x.batch
	flush := func() {
		if b.ids != nil {
			for i := range bt.fps {
				bt.ids[i], bt.seen[i] = b.ids.Get(bt.fps[i])
			}
		} else {
			for i := range bt.fps {
				bt.seen[i] = b.seen.cached(bt.fps[i])
			}
		}
		for i, fp := range bt.fps {
			if bt.seen[i] {
				continue
			}
			k := key(pos, bt.ords[i])
			if e.bounded {
				if out, v := x.outside(parent, &bt.states[i]); out {
					bt.out[i] = true
					if v.kind != 0 && !b.offerOutside(c, v, pos, bt.ords[i], fp, k, need) {
						break
					}
					continue
				}
			}
			if probe && b.ext != nil {
				x.cands.add(b.seen.mem.norm(fp), k, nil) // looked up after the level
				continue
			}
			if probe {
				if b.delayed() {
					// Seen on disk, perhaps: looked up after the level.
					if _, _, err := b.level.Put(fp, k, minKey); err != nil {
						b.abort.CompareAndSwap(abortNone, abortMemory)
						break
					}
					continue
				}
				b.cutoff.Store(true)
				continue
			}
			old, absent, err := b.level.Put(fp, k, minKey)
			if err != nil {
				if b.ext == nil {
					b.abort.CompareAndSwap(abortNone, abortMemory)
					break
				}
				// The table is at its cap: the candidate goes to disk
				// anyway, and the commit keeps its smallest key.
				absent = true
			}
			if !absent && old <= k {
				continue
			}
			if absent {
				if err := x.recheck(bt.actions[i], parent, bt.path(i), bt.encs.get(i), &bt.states[i]); err != nil {
					ap := &actionPanic{ord: bt.ords[i], action: bt.actions[i], path: append([]int(nil), bt.path(i)...), err: err}
					c.found = append(c.found, pending{verdict: verdict{kind: findings.Nondeterministic, err: err}, at: b.parentOf(pos), panic: ap, key: k})
					b.abort.CompareAndSwap(abortNone, abortNondet)
					break
				}
			}
			if x.cands != nil {
				x.cands.add(b.seen.mem.norm(fp), k, bt.encs.get(i))
			} else {
				c.encs.add(bt.encs.get(i))
				c.fps = append(c.fps, fp)
				c.keys = append(c.keys, k)
			}
			v := x.judge(&bt.states[i])
			if v.kind != 0 {
				c.found = append(c.found, pending{verdict: v, at: b.parentOf(pos), tail: []uint32{bt.ords[i]}, fp: fp, key: k})
				if absent {
					b.noteFound(need)
				}
			}
			if absent && room >= 0 && b.level.Len() > room && !b.deferred() {
				// One state more than MaxStates allows: the level is cut
				// there (see commit). Reaching MaxStates exactly decides
				// nothing, as a later chunk may add states, or none.
				b.stopClaiming()
			}
		}
		if gc != nil {
			gc.flush(e, bt, parent)
		}
		bt.reset()
	}
	// push fingerprints a successor and batches it; false when it could
	// not be fingerprinted (a finding).
	push := func(ord uint32, next *S) bool {
		c.gen++
		fp, err := x.fingerprint(next)
		if err != nil {
			c.found = append(c.found, pending{verdict: verdict{kind: findings.Panicked, property: symmetryName(err), err: err}, at: b.parentOf(pos), tail: []uint32{ord}, key: key(pos, ord)})
			b.noteFound(need)
			return false
		}
		bt.add(ord, fp, next, x.encoding(), x.action, x.path) // see machine.Executor.Enumerate: keeping the successor is safe
		return true
	}
	emit := func(ord uint32, next *S) bool {
		if push(ord, next) && len(bt.fps) >= batchSize {
			flush()
		}
		return b.abort.Load() == abortNone
	}
	if gc != nil {
		// The step's fairness classes are known only while the branch
		// is being emitted: note them before the batch is flushed.
		emit = func(ord uint32, next *S) bool {
			if push(ord, next) {
				gc.branch(x, parent, bt.fps[len(bt.fps)-1])
				if len(bt.fps) >= batchSize {
					flush()
				}
			}
			return b.abort.Load() == abortNone
		}
	}
	onPanic := func(ap actionPanic) {
		c.found = append(c.found, pending{verdict: verdict{kind: findings.Panicked, err: ap.err}, at: b.parentOf(pos), panic: &ap, key: key(pos, ap.ord)})
		b.noteFound(need)
	}
	var onStep func(uint32, verdict, bool)
	if (len(e.refine) > 0 || len(e.steps) > 0) && !probe {
		onStep = func(ord uint32, v verdict, step bool) {
			c.found = append(c.found, pending{verdict: v, at: b.parentOf(pos), tail: []uint32{ord}, key: key(pos, ord), step: step})
			b.noteFound(need)
		}
	}
	if b.spill != nil && !b.init && c.hi > c.lo {
		from, to := b.front.start(c.lo), b.front.ends[c.hi-1]
		var err error
		if x.spilled, err = b.spill.read(x.spilled, int64(from), int64(to)); err != nil {
			b.fail(err)
			return
		}
		x.spillBase = from
	}
	for pos = c.lo; pos < c.hi; pos++ {
		if b.abort.Load() != abortNone {
			return
		}
		var s *S
		if !b.init {
			if err := x.dec.Decode(b.frontier(x, pos), x.cur); err != nil {
				b.fail(err)
				return
			}
			s = x.cur
		}
		parent = s
		if gc != nil {
			gc.beginState(x, s, b.frontier(x, pos))
		}
		before := len(c.found)
		n, _ := x.expand(s, emit, onPanic, onStep)
		flush()
		c.counts = append(c.counts, n)
		if gc != nil {
			gc.endState()
		}
		if n == 0 && len(c.found) == before && !b.init && e.opts.Deadlock {
			c.found = append(c.found, pending{verdict: verdict{kind: findings.Deadlocked}, at: int64(b.frontIdx[pos]), key: key(pos, 0)})
			b.noteFound(need)
		}
	}
}

// offerOutside records a finding on a state outside the model (see
// expander.outside). Such a state is not a candidate for the level, so its
// findings are deduplicated in a table of their own, keeping the smallest
// key as for candidates. It returns false when the memory cap is reached.
func (b *bfs[S]) offerOutside(c *chunk[S], v verdict, pos int, ord uint32, fp fingerprint, k uint64, need int64) bool {
	if _, done := b.outs.Get(fp); done {
		return true // reported by an earlier level
	}
	old, absent, err := b.out.Put(fp, k, minKey)
	if err != nil {
		b.abort.CompareAndSwap(abortNone, abortMemory)
		return false
	}
	if !absent && old <= k {
		return true
	}
	c.found = append(c.found, pending{verdict: v, at: b.parentOf(pos), tail: []uint32{ord}, fp: fp, key: k, out: true})
	if absent {
		b.noteFound(need)
	}
	return true
}

// batchSize is the number of successors looked up in the store at once.
const batchSize = 64

// batch holds successors waiting to be looked up in the store (at most
// batchSize).
type batch[S any] struct {
	ords    []uint32
	fps     []fingerprint
	states  []S
	encs    encoded // each successor's canonical encoding, as it is
	seen    []bool
	ids     [batchSize]uint32 // the record numbers of those seen, when the store keeps them
	out     [batchSize]bool   // outside the model (as far as the lookup went)
	actions []int
	paths   []int // the choices of every successor, end to end
	ends    []int // where each successor's choices end in paths
}

func (bt *batch[S]) add(ord uint32, fp fingerprint, s *S, enc []byte, action int, path []int) {
	bt.ords = append(bt.ords, ord)
	bt.fps = append(bt.fps, fp)
	bt.states = append(bt.states, *s)
	bt.encs.add(enc)
	bt.seen = append(bt.seen, false)
	bt.actions = append(bt.actions, action)
	bt.paths = append(bt.paths, path...)
	bt.ends = append(bt.ends, len(bt.paths))
}

// path returns the choices of successor i.
func (bt *batch[S]) path(i int) []int {
	lo := 0
	if i > 0 {
		lo = bt.ends[i-1]
	}
	return bt.paths[lo:bt.ends[i]]
}

func (bt *batch[S]) reset() {
	var zero S
	for i := range bt.states {
		bt.states[i] = zero
	}
	clear(bt.out[:len(bt.states)])
	bt.ords, bt.fps, bt.states, bt.seen = bt.ords[:0], bt.fps[:0], bt.states[:0], bt.seen[:0]
	bt.encs.reset()
	bt.actions, bt.paths, bt.ends = bt.actions[:0], bt.paths[:0], bt.ends[:0]
}

// parentOf returns the record number of the state at frontier position pos
// (-1 for the virtual root of the initial states).
func (b *bfs[S]) parentOf(pos int) int64 {
	if b.init {
		return -1
	}
	return int64(b.frontIdx[pos])
}

// frontier returns the encoding of frontier state pos, which x's worker
// is expanding: from memory, or from the bytes of x's chunk read back from
// the spill file.
func (b *bfs[S]) frontier(x *expander[S], pos int) []byte {
	if b.spill == nil {
		return b.front.get(pos)
	}
	return x.spilled[b.front.start(pos)-x.spillBase : b.front.ends[pos]-x.spillBase]
}

func key(pos int, ord uint32) uint64 { return uint64(pos)<<32 | uint64(ord) }

// commit makes the winning candidates the next level and reports whether
// it has any state.
func (b *bfs[S]) commit(depth int) bool {
	e := b.eng
	b.chunks = b.chunks[:b.claimed] // the expanded prefix
	if b.ext != nil {
		return b.commitExternal(depth)
	}
	// Keep the candidates that kept their key and were not seen before,
	// and the findings on them.
	old, err := b.seenOnDisk()
	if err != nil {
		b.err = err
		return false
	}
	before := func(fp fingerprint) bool { return len(old) > 0 && b.seen.isIn(old, fp) }
	winner := func(fp fingerprint) (uint64, bool, bool) {
		v, in := b.level.Get(fp)
		return v, in, before(fp)
	}
	b.each(func(w, i int) {
		c := b.chunks[i]
		c.keepCandidates(func(fp fingerprint, k uint64) bool {
			v, _ := b.level.Get(fp)
			return v == k && !before(fp)
		})
		b.keepFindings(c, winner)
	})
	level, limit, gen := b.levelCut()
	base := b.recs.n
	if lim := e.opts.MaxStates; lim > 0 {
		if k, ok := b.nth(lim - base + 1); ok && k < limit {
			limit = k
			b.stopped = findings.StoppedMaxStates
		}
	}
	if limit != ^uint64(0) {
		gen = b.generatedBefore(limit)
		b.cutBefore(limit)
		level = keepBefore(level, limit)
	}
	var total int64
	for _, c := range b.chunks {
		c.offset = total
		total += int64(c.encs.len())
	}
	if err := b.recs.reserve(total); err != nil {
		if !errors.Is(err, errMemory) {
			b.err = err
			return false
		}
		b.stopped = findings.StoppedMemory
		b.cutBefore(0)
		total = 0
	}
	// Store and record the new states.
	if b.seen != nil {
		if err := b.seen.makeRoom(total); err != nil {
			b.err = err
			return false
		}
	}
	var memFail atomic.Bool
	b.each(func(w, i int) {
		c := b.chunks[i]
		for j := range c.keys {
			if err := b.store(c.fps[j], base+c.offset+int64(j)); err != nil {
				memFail.Store(true)
				return
			}
			k := c.keys[j]
			parent := noParent
			if !b.init {
				parent = b.frontIdx[k>>32]
			}
			b.recs.set(base+c.offset+int64(j), record{parent: parent, succ: uint32(k)})
			if e.opts.Visit != nil {
				e.opts.Visit(c.encs.get(j), depth+1)
			}
		}
	})
	if memFail.Load() {
		// Some fingerprints of the level are missing: stop here, reporting
		// only the states stored.
		b.stopped = findings.StoppedMemory
	}
	// Assemble the next level, in memory or, past the spill limit, in a
	// file.
	next := b.front
	next.reset()
	nextIdx := b.frontIdx[:0]
	var size int64
	for _, c := range b.chunks {
		size += int64(len(c.encs.buf))
	}
	var spill *spillFile
	if limit := e.opts.spillShare(shareFrontier); limit > 0 && size > limit {
		bufs := make([][]byte, len(b.chunks))
		for i, c := range b.chunks {
			bufs[i] = c.encs.buf
		}
		var err error
		if spill, err = newSpill(bufs); err != nil {
			b.err = err
			return false
		}
		next.buf = nil // the bytes are in the file; the offsets stay
		at := 0
		for _, c := range b.chunks {
			for _, end := range c.encs.ends {
				next.ends = append(next.ends, at+end)
			}
			at += len(c.encs.buf)
		}
	} else {
		for _, c := range b.chunks {
			next.addAll(&c.encs)
		}
	}
	for _, c := range b.chunks {
		for j := range c.keys {
			nextIdx = append(nextIdx, uint32(base+c.offset+int64(j)))
		}
	}
	return b.advance(depth, next, spill, nextIdx, total, gen, level)
}

// keepFindings keeps, of chunk c's findings, those that are not on a
// state found with a smaller key (winner gives a state's smallest key,
// whether any candidate had it, and whether it was seen in an earlier
// level).
func (b *bfs[S]) keepFindings(c *chunk[S], winner func(fingerprint) (key uint64, in, before bool)) {
	found := c.found[:0]
	for _, p := range c.found {
		if p.fp != (fingerprint{}) && p.panic == nil {
			v, in, before := winner(p.fp)
			if before {
				continue
			}
			if p.out {
				if in && v < p.key {
					// Reached inside the model first (an action
					// constraint excludes only some steps to it).
					continue
				}
				if v, _ := b.out.Get(p.fp); v != p.key {
					continue
				}
			} else if !in || v != p.key {
				continue // a duplicate of a state found with a smaller key
			}
		}
		found = append(found, p)
	}
	c.found = found
}

// levelCut computes the successors per state, the level's findings in
// key order, and where the level ends if the search stops at its
// findings (the key past the last finding reported; all ones if not):
// then the successors generated up to there.
func (b *bfs[S]) levelCut() (level []pending, limit uint64, gen int64) {
	var expanded int64
	for _, c := range b.chunks {
		gen += c.gen
		expanded += int64(c.hi - c.lo)
	}
	b.branch = max(1, gen/max(1, expanded))
	level = b.levelFindings()
	limit = ^uint64(0) // keep the keys below
	if need := b.eng.opts.MaxFindings - len(b.findings); len(level) >= need {
		level = level[:need]
		limit = level[need-1].key + 1
		b.stopped = findings.StoppedFindings
	}
	return level, limit, gen
}

// keepBefore returns the findings whose key is below limit.
func keepBefore(level []pending, limit uint64) []pending {
	kept := level[:0]
	for _, p := range level {
		if p.key < limit {
			kept = append(kept, p)
		}
	}
	return kept
}

// advance makes next (total states, spilled or not, with their record
// numbers) the frontier, and adds the level's counts and findings; it
// reports whether the next level has any state.
func (b *bfs[S]) advance(depth int, next encoded, spill *spillFile, nextIdx []uint32, total, gen int64, level []pending) bool {
	e := b.eng
	b.recs.extend(total)
	if b.graph == nil {
		// The graph reads the records from memory: they stay there.
		// Once the fingerprints are on disk, so are the records: the
		// search is past what memory holds.
		limit := e.opts.spillShare(shareRecords)
		if b.delayed() {
			limit = 1 // every level's
		}
		if err := b.recs.spill(limit); err != nil {
			b.err = err
			return false
		}
	}
	if b.seen != nil {
		if err := b.seen.makeRoom(0); err != nil {
			b.err = err
			return false
		}
	}
	if b.spill != nil {
		b.spill.close() // its level is expanded
	}
	b.front, b.spill, b.frontIdx, b.init = next, spill, nextIdx, false
	b.findings = append(b.findings, level...)
	for _, p := range level {
		if p.out {
			if _, _, err := b.outs.Put(p.fp, struct{}{}, nil); err != nil {
				b.stopped = findings.StoppedMemory
			}
		}
	}
	b.generated += gen
	if total > 0 {
		b.levels = append(b.levels, Level{Depth: depth + 1, Distinct: total, Generated: gen})
		e.depth.Store(int64(depth + 1))
	}
	e.distinct.Store(b.recs.n)
	return next.len() > 0
}

// levelNew returns the number of states in the level's table not seen
// before: all of them, unless some states seen are on disk only.
func (b *bfs[S]) levelNew() (int64, error) {
	if b.ext != nil {
		return b.externalNew()
	}
	n := b.level.Len()
	if !b.delayed() || n == 0 {
		return n, nil
	}
	fps := make([]fingerprint, 0, n)
	b.level.Each(func(fp fingerprint, _ uint64) { fps = append(fps, fp) })
	old, err := b.seen.filterOld(fps)
	return n - int64(len(old)), err
}

// seenOnDisk returns, in the order filterOld gives them, the
// fingerprints of the level's candidates and findings that the
// fingerprints on disk hold: states seen in earlier levels that the
// workers would have skipped had they been in memory (none unless some
// are on disk only).
func (b *bfs[S]) seenOnDisk() ([]fingerprint, error) {
	if !b.delayed() {
		return nil, nil
	}
	var fps []fingerprint
	for _, c := range b.chunks {
		fps = append(fps, c.fps...)
		for _, p := range c.found {
			if p.fp != (fingerprint{}) && p.panic == nil {
				fps = append(fps, p.fp)
			}
		}
	}
	return b.seen.filterOld(fps)
}

// nth returns the key of the level's winner number n (from 1), if there
// are that many.
func (b *bfs[S]) nth(n int64) (uint64, bool) {
	for _, c := range b.chunks {
		if n <= int64(len(c.keys)) {
			return c.keys[n-1], true
		}
		n -= int64(len(c.keys))
	}
	return 0, false
}

// generatedBefore counts the successors generated with keys below limit:
// what the level generated up to where it is cut, whatever the chunks the
// workers happened to expand beyond.
func (b *bfs[S]) generatedBefore(limit uint64) int64 {
	pos, ord := int(limit>>32), uint32(limit)
	var gen int64
	for _, c := range b.chunks {
		for i, n := range c.counts {
			switch p := c.lo + i; {
			case p < pos:
				gen += int64(n)
			case p == pos:
				gen += int64(min(n, ord))
			}
		}
	}
	return gen
}

// cutBefore drops the level's winners whose key is limit or above.
func (b *bfs[S]) cutBefore(limit uint64) {
	for _, c := range b.chunks {
		n := sort.Search(len(c.keys), func(i int) bool { return c.keys[i] >= limit })
		c.encs.truncate(n)
		c.fps, c.keys = c.fps[:n], c.keys[:n]
	}
}

// levelFindings takes the level's findings out of the chunks, in key order.
func (b *bfs[S]) levelFindings() []pending {
	var level []pending
	for _, c := range b.chunks {
		level = append(level, c.found...)
		c.found = c.found[:0]
	}
	sort.SliceStable(level, func(i, j int) bool {
		if level[i].key != level[j].key {
			return level[i].key < level[j].key
		}
		// At one key: a panic in an action before the branch that
		// followed it, a transition's verdict before its state's.
		if ci, cj := level[i].class(), level[j].class(); ci != cj {
			return ci < cj
		}
		return level[i].kind > level[j].kind
	})
	return level
}

// class orders the findings of one key (see levelFindings).
func (p *pending) class() int {
	switch {
	case p.panic != nil:
		return 0
	case p.step:
		return 1
	}
	return 2
}

// resolve turns a finding's record number into successor ordinals from an
// initial state.
func (b *bfs[S]) resolve(p *pending) {
	var ords []uint32
	for i := p.at; i >= 0; {
		r := b.recs.get(i)
		ords = append(ords, r.succ)
		if r.parent == noParent {
			break
		}
		i = int64(r.parent)
	}
	for i, j := 0, len(ords)-1; i < j; i, j = i+1, j-1 {
		ords[i], ords[j] = ords[j], ords[i]
	}
	p.ords = append(ords, p.tail...)
}
