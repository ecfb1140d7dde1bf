package check

import (
	"encoding/binary"
	"slices"
	"sync/atomic"
	"time"

	"github.com/execspec/execspec/findings"
)

// The behaviour graph, built by the breadth-first safety search as it
// goes, instead of by a second exploration (buildGraph) after it.
//
// The worker that expands a state computes what the graph keeps of it:
// its predicate bits, and for each step that does not stutter the
// fairness classes it takes and, for a step to a state inside the model
// (an edge), the successor ordinal, the destination and the drop bits.
// The worker numbers the classes, and the lists of classes of its steps
// and states, in tables of its own, and the chunk keeps, in key order,
// one list number per step and per state. A destination seen in an
// earlier level is known at once (the store keeps each state's record
// number); one new in the next level is known once the level is
// committed, and is resolved then. The graph is then extended chunk after
// chunk, state after state: the classes and sets of classes get their
// numbers in that order, which is the order in which buildGraph numbers
// them, so the graph is the same as buildGraph's (ids are record numbers,
// which are breadth-first ranks too), whatever the number of workers.
//
// It is used when it is simple and sound: BFS without symmetry (the graph
// holds every state) and without checkpoints (a checkpoint does not hold
// the graph). A search that stops, or finds something, drops it: no
// liveness verdict comes of an incomplete search. A panic in a formula's
// predicate, a fairness condition or a Taken drops it too, and Run builds
// the graph again with buildGraph, which reports the first one exactly as
// it does when it is the only builder.

// bfsGraph is the graph a breadth-first search builds.
type bfsGraph[S any] struct {
	spec    *graphSpec[S]
	g       *graph
	table   classTable // the graph's classes
	rows    uint32     // the states whose edges are in g
	elapsed time.Duration
	scratch []uint32
}

// newBFSGraph returns the graph e's breadth-first search builds, or nil
// when it cannot build it (symmetry, checkpoints, nothing temporal to
// check, or a specification buildGraph will report as an error).
func newBFSGraph[S any](e *searcher[S]) *bfsGraph[S] {
	if len(e.temporal) == 0 || e.sym != nil || e.opts.Checkpoint.Dir != "" {
		return nil
	}
	sp, err := newGraphSpec(e.mc, e.temporalFormulas())
	if err != nil {
		return nil
	}
	return &bfsGraph[S]{spec: sp, g: newGraph(sp.npred)}
}

// graphWorker is one worker's part in the graph: its numbering of the
// fairness classes and of the lists of them, and what the sequential
// extension of the graph (bfsGraph.extend) maps them to.
type graphWorker[S any] struct {
	classes stepClasses[S]
	lists   classLists
	cs      []uint32
	union   []uint32
	// batch has, for each successor in the expander's batch, the list
	// of the classes its step takes, or stutters.
	batch    []uint32
	parentFP fingerprint // the fingerprint of the state being expanded
	// For bfsGraph.extend: 1 + the graph's number of each class, 1 +
	// the graph's set of each list, and whether each list's classes are
	// numbered in the graph.
	global []uint32
	set    []uint32
	mapped []bool
}

// stutters marks a stuttering step in graphWorker.batch.
const stutters = ^uint32(0)

func (bg *bfsGraph[S]) newWorker() *graphWorker[S] {
	return &graphWorker[S]{classes: stepClasses[S]{spec: bg.spec}, lists: newClassLists()}
}

// graphChunk is what a chunk's expansion adds to the graph, in key order.
type graphChunk[S any] struct {
	w       *graphWorker[S] // the worker whose lists the chunk's refer to
	nsteps  []uint32        // per state: its steps that do not stutter
	preds   []uint64        // per state: spec.words words of predicate bits
	enabled []uint32        // per state: the list of the classes enabled
	steps   []uint32        // per step: its list << 1, | 1 for an edge
	to, ord []uint32        // per edge
	drop    []uint64        // per edge, when a formula has Taken
	late    []lateEdge      // the edges to states of the next level
	start   int             // the first step of the state being expanded
	failed  bool            // a predicate, a condition or a Taken panicked
}

// lateEdge is an edge whose destination is resolved after the commit.
type lateEdge struct {
	i  int // index in to
	fp fingerprint
}

func (gc *graphChunk[S]) reset() {
	gc.nsteps, gc.preds, gc.enabled, gc.steps = gc.nsteps[:0], gc.preds[:0], gc.enabled[:0], gc.steps[:0]
	gc.to, gc.ord, gc.drop, gc.late = gc.to[:0], gc.ord[:0], gc.drop[:0], gc.late[:0]
	gc.failed = false
}

// beginState starts the expansion of s, whose encoding is enc.
func (gc *graphChunk[S]) beginState(x *expander[S], s *S, enc []byte) {
	w := gc.w
	w.parentFP = x.hash(enc)
	sp := w.classes.spec
	n := len(gc.preds)
	gc.preds = append(gc.preds, make([]uint64, sp.words)...)
	if v := sp.preds(s, gc.preds[n:]); v != nil {
		gc.failed = true
	}
	gc.start = len(gc.steps)
}

// branch notes the step of the branch x is emitting, from state from to
// the successor with fingerprint fp (the last one batched).
func (gc *graphChunk[S]) branch(x *expander[S], from *S, fp fingerprint) {
	w := gc.w
	if fp == w.parentFP {
		w.batch = append(w.batch, stutters)
		return
	}
	var err error
	w.cs, err = w.classes.classesOf(x.action, from, x.picks, w.cs[:0])
	if err != nil {
		gc.failed = true
	}
	w.batch = append(w.batch, w.lists.intern(w.cs))
}

// flush records the steps of the batch, once the store has said which
// successors were seen (with their record numbers) and which are outside
// the model.
func (gc *graphChunk[S]) flush(e *searcher[S], bt *batch[S], from *S) {
	w := gc.w
	sp := w.classes.spec
	for i, l := range w.batch {
		if l == stutters {
			continue
		}
		next := &bt.states[i]
		edge := !bt.out[i]
		if bt.seen[i] && len(e.actionConstraints) > 0 {
			// The store does not say whether this step is allowed.
			edge, _, _ = e.mc.Allowed(from, next)
		}
		if !edge {
			gc.steps = append(gc.steps, l<<1)
			continue
		}
		gc.steps = append(gc.steps, l<<1|1)
		if bt.seen[i] {
			gc.to = append(gc.to, bt.ids[i])
		} else {
			gc.late = append(gc.late, lateEdge{len(gc.to), bt.fps[i]})
			gc.to = append(gc.to, 0)
		}
		gc.ord = append(gc.ord, bt.ords[i])
		if len(sp.taken) > 0 {
			d, v := sp.drop(from, next)
			if v != nil {
				gc.failed = true
			}
			gc.drop = append(gc.drop, d)
		}
	}
	w.batch = w.batch[:0]
}

// endState ends the expansion of the state begun last: the classes
// enabled there are those of its steps.
func (gc *graphChunk[S]) endState() {
	w := gc.w
	steps := gc.steps[gc.start:]
	gc.nsteps = append(gc.nsteps, uint32(len(steps)))
	u := w.union[:0]
	one, same := uint32(0), true
	for _, st := range steps {
		l := st >> 1
		if l == 0 {
			continue
		}
		if one == 0 {
			one = l
		} else if l != one {
			same = false
		}
		u = append(u, w.lists.get(l)...)
	}
	w.union = u
	if same {
		gc.enabled = append(gc.enabled, one) // 0, the empty list, when no step takes a class
		return
	}
	slices.Sort(u)
	gc.enabled = append(gc.enabled, w.lists.intern(slices.Compact(u)))
}

// resolve gives the edges to states of the next level their
// destinations, once the level is committed; it reports false when one
// is not in the store (the level was cut short).
func (gc *graphChunk[S]) resolve(ids fpStore[uint32]) bool {
	for _, le := range gc.late {
		id, ok := ids.Get(le.fp)
		if !ok {
			return false
		}
		gc.to[le.i] = id
	}
	return true
}

// extend adds to the graph the states the chunks expanded, in order, and
// reports false when it cannot (a panic, or chunks that do not cover
// their level).
func (bg *bfsGraph[S]) extend(chunks []*chunk[S]) bool {
	start := time.Now()
	defer func() { bg.elapsed += time.Since(start) }()
	g := bg.g
	words := bg.spec.words
	for _, c := range chunks {
		gc := c.graph
		if gc.failed || len(gc.nsteps) != c.hi-c.lo {
			return false
		}
		w := gc.w
		bg.grow(w)
		si, ei := 0, 0
		for j, n := range gc.nsteps {
			v := bg.rows
			bg.rows++
			g.off = append(g.off, uint32(len(g.to)))
			g.addPreds(v, gc.preds[j*words:(j+1)*words])
			for _, st := range gc.steps[si : si+int(n)] {
				l := st >> 1
				bg.mapList(w, l)
				if st&1 == 0 {
					continue
				}
				g.to = append(g.to, gc.to[ei])
				g.ord = append(g.ord, gc.ord[ei])
				if len(bg.spec.taken) > 0 {
					g.drop = append(g.drop, gc.drop[ei])
				}
				g.lab = append(g.lab, bg.setOf(w, l))
				ei++
			}
			si += int(n)
			g.enabled = append(g.enabled, bg.setOf(w, gc.enabled[j]))
		}
	}
	return true
}

// grow sizes w's maps for its classes and lists.
func (bg *bfsGraph[S]) grow(w *graphWorker[S]) {
	if n := len(w.classes.table.classes); len(w.global) < n {
		w.global = append(w.global, make([]uint32, n-len(w.global))...)
	}
	if n := w.lists.len(); len(w.set) < n {
		if len(w.set) == 0 {
			w.set = append(w.set, 1) // the empty list is the empty set, set 0
		}
		w.set = append(w.set, make([]uint32, n-len(w.set))...)
		w.mapped = append(w.mapped, make([]bool, n-len(w.mapped))...)
	}
}

// classOf returns the graph's number of w's class c, numbering it if new.
func (bg *bfsGraph[S]) classOf(w *graphWorker[S], c uint32) uint32 {
	if id := w.global[c]; id != 0 {
		return id - 1
	}
	fc := w.classes.table.classes[c]
	id := bg.table.id(fc.kind, fc.decl, []byte(fc.key))
	w.global[c] = id + 1
	return id
}

// mapList numbers in the graph the classes of w's list l, in order.
func (bg *bfsGraph[S]) mapList(w *graphWorker[S], l uint32) {
	if w.mapped[l] {
		return
	}
	for _, c := range w.lists.get(l) {
		bg.classOf(w, c)
	}
	w.mapped[l] = true
}

// setOf returns the graph's set of the classes of w's list l, interning
// it if new (its classes are numbered already).
func (bg *bfsGraph[S]) setOf(w *graphWorker[S], l uint32) uint32 {
	if s := w.set[l]; s != 0 {
		return s - 1
	}
	cs := bg.scratch[:0]
	for _, c := range w.lists.get(l) {
		cs = append(cs, bg.classOf(w, c))
	}
	bg.scratch = cs
	s := bg.g.intern(cs)
	w.set[l] = s + 1
	return s
}

// finish returns the graph of a search that expanded every state, whose
// records are recs, or nil when some state was not expanded.
func (bg *bfsGraph[S]) finish(recs *records) *graph {
	if int64(bg.rows) != recs.n {
		return nil
	}
	g := bg.g
	g.n = bg.rows
	g.off = append(g.off, uint32(len(g.to)))
	g.classes = bg.table.classes
	g.rec = &records{blocks: recs.blocks, n: recs.n}
	return g
}

// classLists numbers lists of fairness classes: list 0 is the empty list.
type classLists struct {
	items  []uint32
	ends   []uint32 // list i is items[ends[i]:ends[i+1]]
	byKey  map[string]uint32
	single []uint32 // single[c]: 1 + the list {c}, 0 if none yet
	key    []byte
}

func newClassLists() classLists {
	return classLists{ends: []uint32{0, 0}, byKey: map[string]uint32{"": 0}}
}

func (l *classLists) len() int { return len(l.ends) - 1 }

func (l *classLists) get(i uint32) []uint32 { return l.items[l.ends[i]:l.ends[i+1]] }

// intern returns the number of the list cs.
func (l *classLists) intern(cs []uint32) uint32 {
	switch {
	case len(cs) == 0:
		return 0
	case len(cs) == 1 && int(cs[0]) < len(l.single) && l.single[cs[0]] != 0:
		return l.single[cs[0]] - 1
	}
	key := l.key[:0]
	for _, c := range cs {
		key = binary.LittleEndian.AppendUint32(key, c)
	}
	l.key = key
	if i, ok := l.byKey[string(key)]; ok {
		return i
	}
	i := uint32(l.len())
	l.items = append(l.items, cs...)
	l.ends = append(l.ends, uint32(len(l.items)))
	l.byKey[string(key)] = i
	if len(cs) == 1 {
		for len(l.single) <= int(cs[0]) {
			l.single = append(l.single, 0)
		}
		l.single[cs[0]] = i + 1
	}
	return i
}

// addToGraph adds the level just expanded to the graph; it drops the
// graph when the search will not check it (it stopped, or found
// something) or cannot (see extend).
func (b *bfs[S]) addToGraph() {
	if b.stopped != findings.Exhausted || len(b.findings) > 0 {
		b.dropGraph()
		return
	}
	var missing atomic.Bool
	b.each(func(_, i int) {
		if !b.chunks[i].graph.resolve(b.ids) {
			missing.Store(true)
		}
	})
	if missing.Load() || !b.graph.extend(b.chunks) {
		b.dropGraph()
	}
}

// dropGraph stops building the graph, and frees it.
func (b *bfs[S]) dropGraph() {
	b.graph = nil
	for _, c := range b.pool {
		c.graph = nil
	}
}
