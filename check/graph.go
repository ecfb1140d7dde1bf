package check

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"runtime/debug"
	"sort"
	"strconv"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
)

// The behaviour graph that temporal properties are checked on. It is built
// only when a temporal property is checked: by the breadth-first safety
// search as it goes when it can (see bfsGraph), else after the safety
// search by a breadth-first exploration of its own, buildGraph (the
// depth-first searches keep no edges, and under symmetry the safety search
// stores one state per orbit where the graph keeps every state). Both
// compute what they record of a state or a step with one graphSpec, and
// build the same graph.
//
// It stores no states: a state is a uint32 id (its rank in breadth-first
// order, so smaller ids are nearer an initial state), its fingerprint lives
// only in the id table, and the edges are compressed rows (off, to) with,
// per edge, the successor ordinal that rebuilds the step and the fairness
// classes the step takes. Per state it keeps the breadth-first parent
// record (for shortest prefixes), the fairness classes enabled there and
// one bit per predicate of the formulas checked. Steps that leave the state
// unchanged are stuttering steps: they are not edges, and do not count as
// taking or enabling an action, as in TLA+'s WF_vars/SF_vars.

// graph is the behaviour graph.
type graph struct {
	n       uint32
	rec     *records // breadth-first parent and successor ordinal
	off     []uint32 // edges of state v: off[v] .. off[v+1]
	to      []uint32
	ord     []uint32 // the successor ordinal of each edge
	lab     []uint32 // the fairness classes each edge takes (index into sets)
	enabled []uint32 // the fairness classes enabled in each state (index into sets)
	preds   []uint64 // bit 2k (P) and 2k+1 (Q) of formula k, state after state
	// drop has, per edge, bit j set when the step is taken by the
	// formula with Taken number j (see machine.Formula.Taken); nil when
	// no formula has Taken.
	drop  []uint64
	npred int // predicate bits per state

	sets    [][]uint32 // interned sorted sets of fairness classes
	setIdx  map[string]uint32
	single  []uint32 // single[c]: 1 + the index of the set {c}, 0 if none yet
	keyBuf  []byte
	classes []fairClass
}

// newGraph returns an empty graph with npred predicate bits per state.
func newGraph(npred int) *graph {
	g := &graph{setIdx: map[string]uint32{}, npred: npred}
	g.intern(nil) // set 0 is the empty set
	return g
}

// fairClass is one fairness condition: a declaration, and for a Per
// declaration one combination of pick values.
type fairClass struct {
	kind machine.FairnessKind
	decl int
	key  string // the declaration's number and the pick values, "" without Per
}

// intern returns the index of the set of classes cs (sorted, deduplicated
// in place).
func (g *graph) intern(cs []uint32) uint32 {
	if len(cs) == 1 && int(cs[0]) < len(g.single) && g.single[cs[0]] != 0 {
		return g.single[cs[0]] - 1
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	k := 0
	for i, c := range cs {
		if i == 0 || c != cs[k-1] {
			cs[k] = c
			k++
		}
	}
	cs = cs[:k]
	g.keyBuf = g.keyBuf[:0]
	for _, c := range cs {
		g.keyBuf = strconv.AppendUint(g.keyBuf, uint64(c), 10)
		g.keyBuf = append(g.keyBuf, ',')
	}
	if i, ok := g.setIdx[string(g.keyBuf)]; ok {
		return i
	}
	i := uint32(len(g.sets))
	g.sets = append(g.sets, append([]uint32(nil), cs...))
	g.setIdx[string(g.keyBuf)] = i
	if len(cs) == 1 {
		for len(g.single) <= int(cs[0]) {
			g.single = append(g.single, 0)
		}
		g.single[cs[0]] = i + 1
	}
	return i
}

func (g *graph) pred(v uint32, bit int) bool {
	i := uint64(v)*uint64(g.npred) + uint64(bit)
	return g.preds[i/64]&(1<<(i%64)) != 0
}

// addPreds makes room for the predicate bits of states up to v and sets
// those of v: words holds them as graphSpec.preds computes them.
func (g *graph) addPreds(v uint32, words []uint64) {
	if need := (uint64(v+1)*uint64(g.npred) + 63) / 64; uint64(len(g.preds)) < need {
		g.preds = append(g.preds, make([]uint64, need-uint64(len(g.preds)))...)
	}
	for w, word := range words {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			i := uint64(v)*uint64(g.npred) + uint64(64*w+b)
			g.preds[i/64] |= 1 << (i % 64)
		}
	}
}

// bytes is the graph's memory, without the id table.
func (g *graph) bytes() int64 {
	return int64(g.n)*8 + int64(len(g.off)+len(g.to)+len(g.ord)+len(g.lab)+len(g.enabled))*4 + int64(len(g.preds))*8
}

// fairDecl is a fairness declaration resolved against the machine.
type fairDecl struct {
	kind    machine.FairnessKind
	actions map[int]bool
	per     []string
	when    bool // the declaration has a condition (machine.Fairness.When)
}

// tformula is one formula of a temporal property being checked.
type tformula[S any] struct {
	prop machine.Property[S]
	idx  int
}

// graphSpec is what a behaviour graph records of a model, whichever way
// it is built (buildGraph, or the breadth-first search as it goes; see
// bfsGraph): the predicates of the formulas checked, the fairness classes
// of the steps, and which formulas take which steps (Taken). It is read
// only, shared by the workers.
type graphSpec[S any] struct {
	mc       *machine.Machine[S]
	formulas []tformula[S]
	decls    []fairDecl
	record   bool  // a Per or When declaration needs the picks
	taken    []int // the formulas with Taken, by drop bit
	npred    int   // predicate bits per state
	words    int   // words of predicate bits per state, as preds computes them
}

func newGraphSpec[S any](mc *machine.Machine[S], formulas []tformula[S]) (*graphSpec[S], error) {
	sp := &graphSpec[S]{mc: mc, formulas: formulas, npred: 2 * len(formulas)}
	sp.words = (sp.npred + 63) / 64
	for _, f := range mc.Fairness() {
		d := fairDecl{kind: f.Kind, actions: map[int]bool{}, per: f.PerPick, when: f.When != ""}
		for _, a := range f.Actions {
			i, err := mc.ActionIndex(a)
			if err != nil {
				return nil, fmt.Errorf("fairness %s: %w", &f, err)
			}
			d.actions[i] = true
		}
		sp.record = sp.record || len(d.per) > 0 || d.when
		sp.decls = append(sp.decls, d)
	}
	for k, f := range formulas {
		if f.prop.Formulas[f.idx].Taken != nil {
			sp.taken = append(sp.taken, k)
		}
	}
	if len(sp.taken) > 64 {
		return nil, fmt.Errorf("%d refinement fairness obligations: at most 64 are checked at once", len(sp.taken))
	}
	return sp, nil
}

// preds sets in words (sp.words of them, zero) the predicate bits of s: bit
// 2k for P and 2k+1 for Q of formula k. A panicking predicate is a
// finding on s.
func (sp *graphSpec[S]) preds(s *S, words []uint64) *verdict {
	for k, f := range sp.formulas {
		pv, qv, err := sp.mc.EvalFormula(f.prop, f.idx, s)
		if err != nil {
			return &verdict{kind: findings.Panicked, property: f.prop.Name, err: err}
		}
		if pv {
			words[(2*k)/64] |= 1 << ((2 * k) % 64)
		}
		if qv {
			words[(2*k+1)/64] |= 1 << ((2*k + 1) % 64)
		}
	}
	return nil
}

// drop returns the drop bits of the step from -> to (see graph.drop). A
// panicking Taken is a finding on from.
func (sp *graphSpec[S]) drop(from, to *S) (d uint64, v *verdict) {
	j := 0
	defer func() {
		if r := recover(); r != nil {
			f := sp.formulas[sp.taken[j]]
			v = &verdict{kind: findings.Panicked, property: f.prop.Name, err: &machine.PanicError{Where: "temporal property " + f.prop.Name, Value: r, Stack: string(debug.Stack())}}
		}
	}()
	for ; j < len(sp.taken); j++ {
		if f := sp.formulas[sp.taken[j]]; f.prop.Formulas[f.idx].Taken(from, to) {
			d |= 1 << j
		}
	}
	return d, nil
}

// classTable numbers fairness classes in the order they are first seen.
type classTable struct {
	classes []fairClass
	byKey   map[string]uint32
}

// id returns the number of the class of declaration decl with key,
// numbering it if new.
func (t *classTable) id(kind machine.FairnessKind, decl int, key []byte) uint32 {
	c, ok := t.byKey[string(key)]
	if !ok {
		if t.byKey == nil {
			t.byKey = map[string]uint32{}
		}
		c = uint32(len(t.classes))
		t.classes = append(t.classes, fairClass{kind: kind, decl: decl, key: string(key)})
		t.byKey[string(key)] = c
	}
	return c
}

// stepClasses computes the fairness classes of steps, numbered in its own
// table: buildGraph's is the graph's, each breadth-first worker has one
// (see bfsGraph).
type stepClasses[S any] struct {
	spec  *graphSpec[S]
	table classTable
	key   []byte
}

// classesOf appends to cs the fairness classes a step of action a from
// state from with the given picks takes (or, in from, makes enabled), in
// the order of their declarations (one class per declaration at most),
// numbering the classes of new pick values. A pick a Per declaration names
// that the step does not make counts as the value "-"; a declaration with
// a condition counts only the steps that satisfy it. The error is a panic
// in a condition.
func (sc *stepClasses[S]) classesOf(a int, from *S, picks []machine.Pick, cs []uint32) ([]uint32, error) {
	for i, d := range sc.spec.decls {
		if !d.actions[a] {
			continue
		}
		if d.when {
			ok, err := sc.spec.mc.FairWhen(i, from, picks)
			if err != nil {
				return cs, err
			}
			if !ok {
				continue
			}
		}
		key := strconv.AppendInt(sc.key[:0], int64(i), 10)
		for _, l := range d.per {
			key = append(key, '|')
			found := false
			for _, p := range picks {
				if p.Label == l {
					key = fmt.Append(key, p.Value)
					found = true
					break
				}
			}
			if !found {
				key = append(key, '-')
			}
		}
		sc.key = key
		cs = append(cs, sc.table.id(d.kind, i, key))
	}
	return cs, nil
}

// errMaxStates stops the graph at Options.MaxStates states.
var errMaxStates = errors.New("max states reached")

// buildGraph explores every reachable state (within the constraints) and
// returns the graph, or why it stopped early (findings.Exhausted when it did
// not), or a finding (a predicate of a formula, a fairness condition or a
// Taken that panicked). It is the behaviour graph's own breadth-first
// search, for when the safety search cannot build it (see bfsGraph).
func buildGraph[S any](ctx context.Context, e *searcher[S], formulas []tformula[S]) (*graph, findings.Stop, *pending, error) {
	sp, err := newGraphSpec(e.mc, formulas)
	if err != nil {
		return nil, 0, nil, err
	}
	sc := &stepClasses[S]{spec: sp}
	g := newGraph(sp.npred)
	g.rec = &records{}
	defer func() { g.classes = sc.table.classes }()
	ids, err := newMemTable[uint32](e.opts.Fingerprint128, 1<<10, e.budget)
	if err != nil {
		return nil, findings.StoppedMemory, nil, nil
	}
	defer ids.Close()
	x := e.newExpander()
	ex := e.mc.NewExecutor()
	ex.ReduceData(e.reduce)
	ex.Record(sp.record)
	type queued struct {
		s  S
		fp fingerprint
	}
	var queue []queued
	head := 0
	var enabled, taken []uint32
	predBits := make([]uint64, sp.words)
	next := new(S)
	// add gives s an id when it is new, and queues it.
	add := func(s *S, fp fingerprint, r record) (uint32, bool, *pending, error) {
		if id, ok := ids.Get(fp); ok {
			return id, false, nil, nil
		}
		if e.opts.MaxStates > 0 && int64(g.n) >= e.opts.MaxStates {
			return 0, false, nil, errMaxStates
		}
		if uint64(g.n) >= uint64(maxStates) {
			return 0, false, nil, fmt.Errorf("more than %d states: graph ids are 32 bits", maxStates)
		}
		id := g.n
		if _, _, err := ids.Put(fp, id, nil); err != nil {
			return 0, false, nil, err
		}
		if err := g.rec.add(r); err != nil {
			return 0, false, nil, err
		}
		g.n++
		clear(predBits)
		v := sp.preds(s, predBits)
		g.addPreds(id, predBits)
		if v != nil {
			return id, true, &pending{verdict: *v, at: int64(id)}, nil
		}
		var c S
		e.mc.Copy(&c, s)
		queue = append(queue, queued{c, fp})
		return id, true, nil, nil
	}
	stop := func() (findings.Stop, bool) {
		switch {
		case ctx.Err() != nil:
			return stopReason(ctx), true
		case e.overMemory():
			return findings.StoppedMemory, true
		}
		return findings.Exhausted, false
	}
	var ord uint32
	var failure *pending
	var addErr error
	ex.Enumerate(machine.InitAction, nil, next, func(r machine.Result) bool {
		if r.Err != nil {
			return true // the safety search reported it
		}
		o := ord
		ord++
		fp, err := x.fingerprint(next)
		if err != nil {
			addErr = err
			return false
		}
		if out, _ := x.outside(nil, next); out {
			return true // outside the model, as in the safety search
		}
		_, _, failure, addErr = add(next, fp, record{parent: noParent, succ: o})
		return failure == nil && addErr == nil
	})
	base := 0 // the id of queue[0]
	for failure == nil && addErr == nil && head < len(queue) {
		if v := base + head; v%1024 == 0 {
			if why, stopped := stop(); stopped {
				return g, why, nil, nil
			}
		}
		cur := &queue[head]
		v := uint32(base + head)
		head++
		g.off = append(g.off, uint32(len(g.to)))
		enabled = enabled[:0]
		ord = 0
		for a := range e.mc.Actions() {
			ex.Enumerate(a, &cur.s, next, func(r machine.Result) bool {
				if r.Err != nil {
					return true // the safety search reported it
				}
				o := ord
				ord++
				fp, err := x.fingerprint(next)
				if err != nil {
					addErr = err
					return false
				}
				if fp == cur.fp {
					return true // a stuttering step
				}
				taken, err = sc.classesOf(a, &cur.s, r.Picks, taken[:0])
				if err != nil {
					failure = &pending{verdict: verdict{kind: findings.Panicked, property: formulas[0].prop.Name, err: err}, at: int64(v)}
					return false
				}
				enabled = append(enabled, taken...)
				for _, c := range e.constraints {
					if ok, err := e.mc.Eval(c, next); err != nil || !ok {
						return true // outside the model: no edge, but the action is enabled
					}
				}
				if len(e.actionConstraints) > 0 {
					if ok, _, _ := e.mc.Allowed(&cur.s, next); !ok {
						return true // a step the action constraints exclude: likewise
					}
				}
				var w uint32
				w, _, failure, addErr = add(next, fp, record{parent: v, succ: o})
				if failure != nil || addErr != nil {
					return false
				}
				if len(sp.taken) > 0 {
					d, fv := sp.drop(&cur.s, next)
					if fv != nil {
						failure = &pending{verdict: *fv, at: int64(v)}
						return false
					}
					g.drop = append(g.drop, d)
				}
				g.to = append(g.to, w)
				g.ord = append(g.ord, o)
				g.lab = append(g.lab, g.intern(append([]uint32(nil), taken...)))
				return true
			})
			if failure != nil || addErr != nil {
				break
			}
		}
		g.enabled = append(g.enabled, g.intern(enabled))
		if head > 4096 && 2*head > len(queue) {
			// Drop the expanded states.
			queue = append([]queued(nil), queue[head:]...)
			base += head
			head = 0
		}
	}
	if addErr != nil {
		switch addErr {
		case errMemory:
			return g, findings.StoppedMemory, nil, nil
		case errMaxStates:
			return g, findings.StoppedMaxStates, nil, nil
		}
		return nil, 0, nil, addErr
	}
	if failure != nil {
		return g, findings.Exhausted, failure, nil
	}
	g.off = append(g.off, uint32(len(g.to)))
	return g, findings.Exhausted, nil, nil
}

// without returns the graph without the edges whose drop bit is set: the
// same states, with their records, fairness and predicates.
func (g *graph) without(bit int) *graph {
	h := *g
	h.drop = nil
	h.off = make([]uint32, 0, len(g.off))
	h.to, h.ord, h.lab = nil, nil, nil
	for v := uint32(0); v < g.n; v++ {
		h.off = append(h.off, uint32(len(h.to)))
		for e := g.off[v]; e < g.off[v+1]; e++ {
			if g.drop[e]&(1<<bit) != 0 {
				continue
			}
			h.to = append(h.to, g.to[e])
			h.ord = append(h.ord, g.ord[e])
			h.lab = append(h.lab, g.lab[e])
		}
	}
	h.off = append(h.off, uint32(len(h.to)))
	return &h
}
