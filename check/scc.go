package check

import "github.com/execspec/execspec/machine"

// Checking one temporal formula on the behaviour graph.
//
// Every formula's violation has the same shape: a behaviour reaches a
// trigger state t, then stays forever in a region B of states, and visits
// an accepting state infinitely often, while respecting every fairness
// condition. Per form (P, Q the formula's predicates):
//
//	<>P        t: an initial state with ¬P   B: ¬P   accepting: all
//	[]<>P      t: any state with ¬P          B: ¬P   accepting: all
//	<>[]P      t: any state                  B: all  accepting: ¬P
//	P ~> Q     t: a state with P ∧ ¬Q        B: ¬Q   accepting: all
//	P ~> []Q   t: a state with P             B: all  accepting: ¬Q
//
// The infinite part of such a behaviour either stutters forever in one
// accepting state where no fairness condition's action is enabled, or
// eventually moves around inside one strongly connected component of B,
// visiting all of it: a fair component. A component is fair when it holds
// an accepting state and an edge, and every weak fairness condition is
// taken by one of its edges or disabled in one of its states, and every
// strong one is taken by one of its edges or disabled in all its states.
// When only strong conditions fail, the states enabling them are removed
// and the components of what remains are tried in turn (the usual
// refinement for strong fairness). The states of B from which a fair
// component or a stuttering state is reachable inside B are found from the
// condensation (Tarjan's algorithm emits a component after every component
// it reaches); the trigger nearest an initial state that is one of them
// gives the shortest prefix, a breadth-first search inside B the shortest
// way on to the loop, and the loop is a shortest cycle through an accepting
// state extended by detours until it satisfies every fairness condition.

// region says, for one formula, which states are triggers, in B, and
// accepting.
type region struct {
	g    *graph
	k    int // formula index: predicate bits 2k, 2k+1
	form machine.TemporalForm
}

func (r region) p(v uint32) bool { return r.g.pred(v, 2*r.k) }
func (r region) q(v uint32) bool { return r.g.pred(v, 2*r.k+1) }

func (r region) inB(v uint32) bool {
	switch r.form {
	case machine.FormEventually, machine.FormAlwaysEventually:
		return !r.p(v)
	case machine.FormLeadsTo:
		return !r.q(v)
	}
	return true
}

func (r region) trigger(v uint32) bool {
	switch r.form {
	case machine.FormEventually:
		return r.g.rec.get(int64(v)).parent == noParent && !r.p(v)
	case machine.FormAlwaysEventually:
		return !r.p(v)
	case machine.FormLeadsTo:
		return r.p(v) && !r.q(v)
	case machine.FormLeadsToAlways:
		return r.p(v)
	}
	return true
}

func (r region) accepting(v uint32) bool {
	switch r.form {
	case machine.FormEventuallyAlways:
		return !r.p(v)
	case machine.FormLeadsToAlways:
		return !r.q(v)
	}
	return true
}

// lasso is a violation: the states from the trigger on, as edges.
type lasso struct {
	trigger uint32
	path    []uint32 // edges from the trigger to the loop's first state
	loop    []uint32 // edges of the loop; empty: the loop stutters
}

// analyzer holds the scratch space of the searches on one graph.
type analyzer struct {
	g     *graph
	mark  []uint32 // mark[v] == stamp: v is in the set being worked on
	stamp uint32
	// Tarjan's algorithm.
	index, low []int32
	onStack    []bool
	stack      []uint32
	// Breadth-first searches.
	seen    []uint32 // seen[v] == seenStamp
	seenAt  uint32
	parEdge []uint32
	parent  []uint32
}

func newAnalyzer(g *graph) *analyzer {
	a := &analyzer{g: g, mark: make([]uint32, g.n), index: make([]int32, g.n), low: make([]int32, g.n),
		onStack: make([]bool, g.n), seen: make([]uint32, g.n), parEdge: make([]uint32, g.n), parent: make([]uint32, g.n)}
	for i := range a.index {
		a.index[i] = -1
	}
	return a
}

// source returns the state edge e leaves.
func (g *graph) source(e uint32) uint32 {
	lo, hi := uint32(0), g.n
	for lo < hi { // the last v with off[v] <= e
		m := lo + (hi-lo)/2
		if g.off[m+1] <= e {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// sccs returns the strongly connected components of the subgraph induced
// by the states of members for which in holds, in the order Tarjan's
// algorithm emits them (a component after every component it reaches), as
// a flat list of states and the start of each component in it.
func (a *analyzer) sccs(members []uint32, in func(uint32) bool) (order []uint32, starts []int) {
	g := a.g
	type frame struct{ v, e uint32 }
	var frames []frame
	var counter int32
	push := func(v uint32) {
		a.index[v], a.low[v] = counter, counter
		counter++
		a.stack = append(a.stack, v)
		a.onStack[v] = true
		frames = append(frames, frame{v, g.off[v]})
	}
	for _, root := range members {
		if a.index[root] != -1 || !in(root) {
			continue
		}
		push(root)
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			v := f.v
			if f.e < g.off[v+1] {
				w := g.to[f.e]
				f.e++
				if !in(w) {
					continue
				}
				if a.index[w] == -1 {
					push(w)
				} else if a.onStack[w] && a.index[w] < a.low[v] {
					a.low[v] = a.index[w]
				}
				continue
			}
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				p := frames[len(frames)-1].v
				if a.low[v] < a.low[p] {
					a.low[p] = a.low[v]
				}
			}
			if a.low[v] == a.index[v] {
				starts = append(starts, len(order))
				for {
					w := a.stack[len(a.stack)-1]
					a.stack = a.stack[:len(a.stack)-1]
					a.onStack[w] = false
					order = append(order, w)
					if w == v {
						break
					}
				}
			}
		}
	}
	for _, v := range members {
		a.index[v] = -1
	}
	return order, starts
}

// markSet makes vs the current set.
func (a *analyzer) markSet(vs []uint32) {
	a.stamp++
	for _, v := range vs {
		a.mark[v] = a.stamp
	}
}

func (a *analyzer) marked(v uint32) bool { return a.mark[v] == a.stamp }

// fairIn returns a fair component inside comp (see the comment at the top
// of the file), or nil.
func (a *analyzer) fairIn(r region, comp []uint32) []uint32 {
	g := a.g
	hasAcc := false
	for _, v := range comp {
		hasAcc = hasAcc || r.accepting(v)
	}
	if !hasAcc || len(comp) < 2 {
		return nil // a single state has no edge to itself: stuttering is handled apart
	}
	a.markSet(comp)
	nc := len(g.classes)
	taken := make([]bool, nc)
	count := make([]int, nc)
	for _, v := range comp {
		for _, c := range g.sets[g.enabled[v]] {
			count[c]++
		}
		for e := g.off[v]; e < g.off[v+1]; e++ {
			if a.marked(g.to[e]) {
				for _, c := range g.sets[g.lab[e]] {
					taken[c] = true
				}
			}
		}
	}
	var bad []bool
	for c, fc := range g.classes {
		if taken[c] || count[c] == 0 {
			continue
		}
		if fc.kind == machine.Weak {
			if count[c] == len(comp) {
				return nil // enabled everywhere, never taken: no sub-cycle helps
			}
			continue
		}
		if bad == nil {
			bad = make([]bool, nc)
		}
		bad[c] = true
	}
	if bad == nil {
		return comp
	}
	var rest []uint32
	for _, v := range comp {
		keep := true
		for _, c := range g.sets[g.enabled[v]] {
			keep = keep && !bad[c]
		}
		if keep {
			rest = append(rest, v)
		}
	}
	a.markSet(rest)
	stamp := a.stamp
	order, starts := a.sccs(rest, func(v uint32) bool { return a.mark[v] == stamp })
	for i, s := range starts {
		end := len(order)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		if f := a.fairIn(r, order[s:end]); f != nil {
			return f
		}
	}
	return nil
}

// stutters reports whether a behaviour may stutter forever in v: no
// fairness condition's action is enabled there.
func (g *graph) stutters(v uint32) bool { return len(g.sets[g.enabled[v]]) == 0 }

// violation searches for a lasso violating the formula of r; nil when the
// formula holds.
func (a *analyzer) violation(r region) *lasso {
	g := a.g
	var members []uint32
	for v := uint32(0); v < g.n; v++ {
		if r.inB(v) {
			members = append(members, v)
		}
	}
	order, starts := a.sccs(members, r.inB)
	// comp[v]: v's component; good[c]: a fair component or a stuttering
	// state is reachable from component c inside B; goal[v]: 1 for a state
	// where the loop may stutter, k+2 for a state of fair component k.
	comp := make([]int32, g.n)
	for i := range comp {
		comp[i] = -1
	}
	goal := make([]int32, g.n)
	good := make([]bool, len(starts))
	var fair [][]uint32
	for i, s := range starts {
		end := len(order)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		c := order[s:end]
		for _, v := range c {
			comp[v] = int32(i)
		}
		if f := a.fairIn(r, c); f != nil {
			fair = append(fair, f)
			for _, v := range f {
				goal[v] = int32(len(fair)) + 1
			}
			good[i] = true
		}
		for _, v := range c {
			if goal[v] == 0 && r.accepting(v) && g.stutters(v) {
				goal[v] = 1
				good[i] = true
			}
		}
		for _, v := range c {
			for e := g.off[v]; e < g.off[v+1] && !good[i]; e++ {
				if w := g.to[e]; comp[w] >= 0 && comp[w] != int32(i) && good[comp[w]] {
					good[i] = true
				}
			}
		}
	}
	inGood := func(w uint32) bool { return comp[w] >= 0 && good[comp[w]] }
	t, end, path, ok := a.nearest(r, inGood, func(v uint32) bool { return goal[v] != 0 })
	if !ok {
		return nil
	}
	l := &lasso{trigger: t, path: path}
	if goal[end] == 1 {
		return l // stutter in end forever
	}
	f := fair[goal[end]-2]
	l.loop = a.cycle(r, f, end)
	return l
}

// nearest finds the trigger and the way from it inside B to a goal state
// that make the shortest prefix: it minimizes the steps from an initial
// state to the trigger plus the steps from the trigger to the goal. It is a
// breadth-first search inside B from every trigger at once, each trigger
// joining the frontier at the level of its own breadth-first depth (ids are
// in breadth-first order, so depths grow with ids).
func (a *analyzer) nearest(r region, inGood, isGoal func(uint32) bool) (trigger, end uint32, path []uint32, ok bool) {
	g := a.g
	depth := make([]uint32, g.n)
	for v := uint32(0); v < g.n; v++ {
		if p := g.rec.get(int64(v)).parent; p != noParent {
			depth[v] = depth[p] + 1
		}
	}
	const none = ^uint32(0)
	a.seenAt++
	var frontier, next []uint32
	v := uint32(0) // the next candidate trigger
	for level := uint32(0); ; level++ {
		for ; v < g.n && depth[v] <= level; v++ {
			if !inGood(v) || !r.trigger(v) || a.seen[v] == a.seenAt {
				continue
			}
			a.seen[v], a.parEdge[v], a.parent[v] = a.seenAt, none, v
			if isGoal(v) {
				return v, v, nil, true
			}
			frontier = append(frontier, v)
		}
		if len(frontier) == 0 && v >= g.n {
			return 0, 0, nil, false
		}
		next = next[:0]
		for _, u := range frontier {
			for e := g.off[u]; e < g.off[u+1]; e++ {
				w := g.to[e]
				if !inGood(w) || a.seen[w] == a.seenAt {
					continue
				}
				a.seen[w], a.parEdge[w], a.parent[w] = a.seenAt, e, u
				if isGoal(w) {
					var edges []uint32
					x := w
					for a.parEdge[x] != none {
						edges = append(edges, a.parEdge[x])
						x = a.parent[x]
					}
					for i, j := 0, len(edges)-1; i < j; i, j = i+1, j-1 {
						edges[i], edges[j] = edges[j], edges[i]
					}
					return x, w, edges, true
				}
				next = append(next, w)
			}
		}
		frontier, next = next, frontier
	}
}

// bfs searches breadth-first from src along edges to states where allowed
// holds, for a state where stopState holds (src itself too, unless
// nonEmpty) or an edge where stopEdge holds, and returns the edges of the
// path and the state it ends in. The caller knows the target is
// reachable.
func (a *analyzer) bfs(src uint32, allowed, stopState func(uint32) bool, stopEdge func(uint32) bool, nonEmpty bool) ([]uint32, uint32) {
	g := a.g
	if !nonEmpty && stopState != nil && stopState(src) {
		return nil, src
	}
	a.seenAt++
	a.seen[src] = a.seenAt
	queue := []uint32{src}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for e := g.off[v]; e < g.off[v+1]; e++ {
			w := g.to[e]
			if !allowed(w) {
				continue
			}
			if (stopEdge != nil && stopEdge(e)) || (stopState != nil && stopState(w)) {
				return append(a.pathTo(src, v), e), w
			}
			if a.seen[w] == a.seenAt {
				continue
			}
			a.seen[w] = a.seenAt
			a.parent[w], a.parEdge[w] = v, e
			queue = append(queue, w)
		}
	}
	return nil, src
}

// pathTo returns the edges of the breadth-first tree from src to v.
func (a *analyzer) pathTo(src, v uint32) []uint32 {
	var edges []uint32
	for v != src {
		edges = append(edges, a.parEdge[v])
		v = a.parent[v]
	}
	for i, j := 0, len(edges)-1; i < j; i, j = i+1, j-1 {
		edges[i], edges[j] = edges[j], edges[i]
	}
	return edges
}

// cycle returns a cycle through start inside the fair component f that
// visits an accepting state and satisfies every fairness condition.
func (a *analyzer) cycle(r region, f []uint32, start uint32) []uint32 {
	g := a.g
	a.markSet(f)
	stamp := a.stamp
	inF := func(v uint32) bool { return a.mark[v] == stamp }
	// via returns a cycle start -> (a state or an edge) -> start.
	via := func(stopState func(uint32) bool, stopEdge func(uint32) bool) []uint32 {
		out, mid := a.bfs(start, inF, stopState, stopEdge, true)
		back, _ := a.bfs(mid, inF, func(v uint32) bool { return v == start }, nil, false)
		return append(out, back...)
	}
	var loop []uint32
	if r.accepting(start) {
		loop = via(func(v uint32) bool { return v == start }, nil)
	} else {
		loop = via(r.accepting, nil)
	}
	for range len(g.classes) + 1 {
		states := []uint32{start}
		taken := make([]bool, len(g.classes))
		count := make([]int, len(g.classes))
		for _, e := range loop {
			states = append(states, g.to[e])
			for _, c := range g.sets[g.lab[e]] {
				taken[c] = true
			}
		}
		states = states[:len(states)-1] // the last is start again
		for _, v := range states {
			for _, c := range g.sets[g.enabled[v]] {
				count[c]++
			}
		}
		fixed := false
		for c, fc := range g.classes {
			if taken[c] || count[c] == 0 || (fc.kind == machine.Weak && count[c] < len(states)) {
				continue
			}
			cc := uint32(c)
			takes := func(e uint32) bool {
				for _, x := range g.sets[g.lab[e]] {
					if x == cc {
						return true
					}
				}
				return false
			}
			var detour []uint32
			if fc.kind == machine.Weak {
				disabled := func(v uint32) bool {
					for _, x := range g.sets[g.enabled[v]] {
						if x == cc {
							return false
						}
					}
					return true
				}
				detour = via(disabled, takes)
			} else {
				detour = via(nil, takes)
			}
			loop = append(detour, loop...)
			fixed = true
			break
		}
		if !fixed {
			break
		}
	}
	return loop
}
