package machine

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/itf"
)

// InitAction is the action number of the model's Init in Executor calls.
const InitAction = -1

// Pick is one labelled nondeterministic choice made by an action: Label is
// the pick's label (a label used twice in one execution is recorded as
// "label#2" the second time, and so on), Value the Go value picked.
type Pick = core.Pick

// Choices is the source of nondeterministic choices for one execution of an
// action: each pick asks it for an index below n (n >= 1), through its
// method Choose(n int) int. Simulation draws them at random, the checker
// enumerates them (Odometer), replay reads them back (Path).
type Choices = core.Choices

// Path is a Choices that replays fixed choice indices; past its end it
// chooses 0.
type Path []int

// Choices returns a Choices reading p from its start.
func (p Path) Choices() Choices { return core.ReplayPath(p) }

// Executor runs a Machine's init and actions. It reuses its buffers between
// calls, so it is cheap to call millions of times, and it is not safe for
// concurrent use: give each goroutine its own.
type Executor[S any] struct {
	_        [64]byte // keep executors of different goroutines off each other's cache lines
	mc       *Machine[S]
	ctx      execspec.Ctx[S]
	x        core.Execution
	panicked *PanicError
	odo      Odometer
	rs       randomSearch
	ex       *S
	// clean is set when *cleanTo is a deep copy of the state the current
	// Enumerate or Random call runs from, owned by the executor: a branch
	// dropped by a guard before it wrote anything leaves it so, and the next
	// branch then starts from it without copying.
	clean   bool
	cleanTo *S
	// copied lists, sorted, what the scratch state referred to right after
	// it was last copied: all of it the copy's own fresh memory. A dropped
	// branch leaves the scratch clean only if it still refers to exactly
	// that, so no branch can have made two parts of it share memory, or
	// made it refer to memory outside it (a global), as a fresh copy would
	// not.
	// copiedRefs holds the same references, unsorted, so that their memory
	// stays allocated, and no other allocation takes an address in copied,
	// while copied is compared with; nowRefs is the scratch for the
	// references after a branch, now their sorted addresses. The walks
	// mostly list the references in the same order (the maps' remembered
	// key orders), so the lists are first compared as they are, and copied
	// is sorted only when that fails (copiedSorted).
	copied, now         []uintptr
	copiedRefs, nowRefs []unsafe.Pointer
	copiedSorted        bool
	// EnumerateEach's callback and current action, and onEachBranch bound.
	eachFn     func(int, Result) bool
	eachAction int
	// moreToCome is set while EnumerateEach has actions left after the
	// current one, which may start from a scratch left clean.
	moreToCome bool
	eachBranch func(Result) bool
	// act is the executor's slot in the machine's Activity table, if any.
	act *activitySlot
	_   [64]byte
}

// NewExecutor returns an Executor for mc.
func (mc *Machine[S]) NewExecutor() *Executor[S] {
	e := &Executor[S]{mc: mc, ex: new(S), act: mc.activity.slot()}
	e.eachBranch = e.onEachBranch
	mc.def.Bind(&e.ctx, &e.x)
	e.x.DataLabels = mc.def.DataPicks
	return e
}

// ReduceData turns data-pick reduction on or off for Enumerate (off by
// default). With it on, once a branch is enabled, Enumerate skips the other
// values of the data picks (see execspec.Model.DataPicks) made after the branch's last
// other choice: each choice of the non-data picks yields one successor, not
// one per value of the data. Exec, Random and directed picks are unaffected.
func (e *Executor[S]) ReduceData(on bool) { e.x.Reduce = on && len(e.x.DataLabels) > 0 }

// Result describes one execution of init or an action. Its slices belong to
// the Executor and are valid until its next call.
type Result struct {
	// Enabled is true when the execution completed without a failed guard:
	// its state is a successor.
	Enabled bool
	// Picks are the labelled picks made, when recording is on (see Record).
	Picks []Pick
	// Path is the sequence of choice indices made; replaying it with
	// Path.Choices reproduces the execution.
	Path []int
	// Err is a *PanicError when user code panicked.
	Err error
	// Mismatch says why a directed pick did not fit the action's candidates
	// (see Direct); empty otherwise.
	Mismatch string
	// DataFrom is where, with ReduceData on, the trailing run of choices
	// made by data picks starts in Path (len(Path) when the last choice was
	// made by another pick).
	DataFrom int
}

// Record turns recording of picks on or off (off by default: recording
// allocates).
func (e *Executor[S]) Record(on bool) { e.x.Record = on }

// Direct makes labelled picks follow recorded values: a pick whose label is
// in picks takes that value (the branch is dropped with a Mismatch when the
// value is not a candidate); other picks come from the Choices. Nil turns
// directing off.
func (e *Executor[S]) Direct(picks map[string]itf.Value) { e.x.Directed = picks }

// Exec runs action (or InitAction) once from state from (ignored for init),
// writing the successor into to, with choices from ch.
func (e *Executor[S]) Exec(action int, from, to *S, ch Choices) Result {
	e.clean = false
	e.run(action, from, to, ch)
	r := e.result()
	if r.Err != nil && !e.x.Record {
		// Re-run with recording on to report the picks that led to the panic.
		path := append([]int(nil), r.Path...)
		e.x.Record = true
		e.run(action, from, to, Path(path).Choices())
		e.x.Record = false
		if pe, ok := e.result().Err.(*PanicError); ok {
			pe.Picks = append([]Pick(nil), e.x.Picks...)
			r.Err = pe
		}
	}
	return r
}

func (e *Executor[S]) result() Result {
	r := Result{
		Enabled:  !e.x.Dropped && e.x.Mismatch == "" && e.panicked == nil,
		Picks:    e.x.Picks,
		Path:     e.x.Path,
		Mismatch: e.x.Mismatch,
		DataFrom: e.x.DataFrom,
	}
	if e.panicked != nil {
		r.Err = e.panicked
	}
	return r
}

func (e *Executor[S]) run(action int, from, to *S, ch Choices) {
	if action != InitAction && (!e.clean || e.cleanTo != to) {
		if e.mc.ops.Refs != nil {
			*to = *from
			e.copiedRefs = e.mc.ops.FixRefs(unsafe.Pointer(to), e.copiedRefs[:0])
			e.copiedSorted = false
		} else {
			e.mc.Copy(to, from)
		}
	}
	e.call(action, from, to, ch)
}

// call runs action (or InitAction, after zeroing *s) on *s itself. from
// is the state *s was copied from, nil when there is none; a Goexit in the
// action is reported with the picks of a re-run from it.
func (e *Executor[S]) call(action int, from, s *S, ch Choices) {
	x := &e.x
	x.Reset(ch)
	e.panicked = nil
	var f func(*execspec.Ctx[S])
	if action == InitAction {
		var zero S
		*s = zero
		f = e.mc.def.Init
	} else {
		f = e.mc.def.Actions[action].Run
	}
	e.clean = false
	e.ctx.S = s
	returned := false
	defer func() {
		e.act.end()
		if r := recover(); r != nil {
			if x.Dropped {
				// A panic on a branch already dropped by a guard is the
				// expected fate of code that went on after Assume.
				return
			}
			pe := newPanicError("action "+e.mc.ActionName(action), nil, r)
			if x.Record {
				pe.Picks = append([]Pick(nil), x.Picks...)
			}
			e.panicked = pe
		} else if !returned {
			e.goexited(action, from) // runtime.Goexit: no recover stops it
		}
	}()
	e.act.begin(action)
	f(&e.ctx)
	returned = true
}

// Apply runs action on *s itself, with no copy of any kind: what the
// action writes, *s holds afterwards, also when a guard drops the branch
// half-way. For InitAction, *s is zeroed first. It is the plain execution
// the reference semantics (package reference) is built on; the engines use
// Exec, Enumerate and Random, which run on a private copy.
func (e *Executor[S]) Apply(action int, s *S, ch Choices) Result {
	e.clean = false
	e.call(action, nil, s, ch)
	return e.result()
}

// keepIfClean runs after a branch of action was dropped: when its scratch
// state to still equals from (the guard failed before anything was
// written, the common case), the next branch may start from it as it is.
// The scratch is the executor's own (no Result handed it out), so it shares
// no memory a caller holds.
func (e *Executor[S]) keepIfClean(action int, from, to *S) {
	if action == InitAction {
		return
	}
	if e.mc.ops.Refs == nil {
		if e.mc.ops.Eq(unsafe.Pointer(to), unsafe.Pointer(from)) {
			e.clean, e.cleanTo = true, to
		}
		return
	}
	var equal bool
	e.nowRefs, equal = e.mc.ops.EqRefs(unsafe.Pointer(to), unsafe.Pointer(from), e.nowRefs[:0])
	same := equal && slices.Equal(e.nowRefs, e.copiedRefs)
	if equal && !same {
		// The same references listed in another order (a map walked by
		// its iterator) still leave the scratch clean.
		if !e.copiedSorted {
			e.copied = sortedAddrs(e.copiedRefs, e.copied)
			e.copiedSorted = true
		}
		e.now = sortedAddrs(e.nowRefs, e.now)
		same = slices.Equal(e.now, e.copied)
	}
	clear(e.nowRefs) // hold nothing of the scratch's
	if same {
		e.clean, e.cleanTo = true, to
	}
}

// sortedAddrs returns the addresses of refs, sorted, in out's memory.
func sortedAddrs(refs []unsafe.Pointer, out []uintptr) []uintptr {
	out = out[:0]
	for _, r := range refs {
		out = append(out, uintptr(r))
	}
	slices.Sort(out)
	return out
}

// Enumerate runs every branch of action (or InitAction) from state from: one
// execution per sequence of choices, in a fixed order. For each branch that
// is enabled or panicked it calls fn with to holding the successor; fn
// returns false to stop. Enumerate reports whether it ran to the end.
// With ReduceData on, branches differing only in trailing data picks are
// represented by the first enabled one.
//
// Every execution starts from a deep copy of from in to that nothing else
// refers to: a fresh one, or, after a branch a guard dropped, that branch's
// when it wrote nothing and made no part of it refer elsewhere. So fn may
// keep a successor by a shallow copy (v := *to): later branches never write
// into what it refers to.
func (e *Executor[S]) Enumerate(action int, from, to *S, fn func(Result) bool) bool {
	e.clean = false
	return e.enumerate(action, from, to, fn)
}

// EnumerateEach is Enumerate for each of actions in turn from one state,
// as expanding a state in a search does; fn gets each branch's action as
// well. *from must not change during the call. Within it, a branch dropped
// by a guard before it wrote anything costs no copy of the state, across
// actions as within one.
func (e *Executor[S]) EnumerateEach(actions []int, from, to *S, fn func(action int, r Result) bool) bool {
	e.clean = false
	e.eachFn = fn
	defer func() { e.eachFn, e.moreToCome = nil, false }()
	for i, a := range actions {
		e.eachAction = a
		e.moreToCome = i < len(actions)-1
		if !e.enumerate(a, from, to, e.eachBranch) {
			return false
		}
	}
	return true
}

// onEachBranch passes a branch of EnumerateEach on with its action (bound
// once, as eachBranch, so that enumerating allocates nothing).
func (e *Executor[S]) onEachBranch(r Result) bool { return e.eachFn(e.eachAction, r) }

func (e *Executor[S]) enumerate(action int, from, to *S, fn func(Result) bool) bool {
	o := &e.odo
	o.Reset()
	for {
		e.run(action, from, to, o)
		// Count the choices the odometer was asked for: picks directed by
		// recorded values (Direct) make none.
		used := o.Used()
		if e.panicked == nil && (e.x.Dropped || e.x.Mismatch != "") {
			// Disabled: the common case, without building a Result.
			if !o.Advance(used) {
				if e.moreToCome {
					// The next action may start from the scratch as it is.
					e.keepIfClean(action, from, to)
				}
				return true
			}
			e.keepIfClean(action, from, to)
			continue
		}
		r := e.result()
		if r.Enabled || r.Err != nil {
			if trailing := len(e.x.Path) - e.x.DataFrom; e.x.Reduce && trailing > 0 {
				// The trailing data choices exist for this branch: skip
				// their other values. They were all asked of the odometer,
				// since a directed pick ends a run of data choices.
				used -= trailing
			}
			if r.Err != nil && !e.x.Record {
				r = e.Exec(action, from, to, Path(append([]int(nil), r.Path...)).Choices())
			}
			if !fn(r) {
				return false
			}
		}
		if !o.Advance(used) {
			return true
		}
	}
}

// Rand is the source of randomness for Random: math/rand/v2's *Rand fits.
type Rand interface {
	IntN(n int) int
}

// Random searches, in a random order, for an enabled branch of action from
// state from: each pick is drawn uniformly among its candidates, and when a
// guard fails the search backtracks to the most recent pick with candidates
// left. It stops at the first enabled (or panicking) branch, or after budget
// executions (budget <= 0: no limit). It returns that branch's result (not
// Enabled if none was found) and the number of executions it took; exhausted
// is true when every branch was tried, so the action is known to be disabled.
//
// A branch whose step an action constraint excludes (see
// execspec.Model.ActionConstraint) counts as disabled: a random walk does
// not take it and chooses among the others. A panicking action constraint
// is the result's Err.
func (e *Executor[S]) Random(action int, from, to *S, rng Rand, budget int) (r Result, runs int, exhausted bool) {
	s := &e.rs
	s.start(rng)
	e.clean = false
	for {
		runs++
		e.run(action, from, to, s)
		used := len(e.x.Path)
		r = e.result()
		if r.Enabled && action != InitAction && len(e.mc.actionConstraints) > 0 {
			ok, _, err := e.mc.Allowed(from, to)
			switch {
			case err != nil:
				r.Enabled, r.Err = false, err
			case !ok:
				r.Enabled = false
			}
		}
		if r.Enabled || r.Err != nil {
			if r.Err != nil && !e.x.Record && e.panicked != nil {
				r = e.Exec(action, from, to, Path(append([]int(nil), r.Path...)).Choices())
			}
			return r, runs, false
		}
		if !s.backtrack(used) {
			return r, runs, true
		}
		if budget > 0 && runs >= budget {
			return r, runs, false
		}
		e.keepIfClean(action, from, to)
	}
}

// Odometer is a Choices that enumerates every sequence of choices an action
// can make, depth-first, as a mixed-radix counter whose digits and radixes
// are discovered by running the action: execute the action with it, then
// call Next, and repeat while Next returns true. Picks directed by recorded
// values (Executor.Direct) ask it for nothing, so they do not disturb it.
// Enumerate is built on it; engines that need every branch, disabled ones
// included, use it with Exec.
type Odometer = core.Odometer

// randomSearch is a Choices that explores the tree of choices depth-first in
// a random order, without trying a branch twice.
type randomSearch struct {
	rng   Rand
	nodes []searchNode // one per choice made on the current path
	pos   int
}

// searchNode is one choice point: a lazily shuffled sequence of the
// candidates 0..n-1 (a sparse Fisher-Yates shuffle), of which the first
// drawn are the ones tried so far.
type searchNode struct {
	n      int
	drawn  int
	cur    int
	swaps  map[int]int
	pooled map[int]int
}

func (s *randomSearch) start(rng Rand) {
	s.rng = rng
	s.nodes = s.nodes[:0]
	s.pos = 0
}

func (s *randomSearch) Choose(n int) int {
	if s.pos < len(s.nodes) {
		nd := &s.nodes[s.pos]
		s.pos++
		if nd.cur >= n {
			return n - 1
		}
		return nd.cur
	}
	if len(s.nodes) < cap(s.nodes) {
		s.nodes = s.nodes[:len(s.nodes)+1]
	} else {
		s.nodes = append(s.nodes, searchNode{})
	}
	nd := &s.nodes[len(s.nodes)-1]
	nd.n, nd.drawn = n, 0
	if nd.swaps == nil {
		nd.swaps = nd.pooled
	}
	clear(nd.swaps)
	nd.draw(s.rng)
	s.pos++
	return nd.cur
}

// draw takes the next candidate of the node's shuffled sequence.
func (nd *searchNode) draw(rng Rand) bool {
	if nd.drawn >= nd.n {
		return false
	}
	k := nd.drawn
	j := k + rng.IntN(nd.n-k)
	if nd.swaps == nil {
		nd.swaps = make(map[int]int)
		nd.pooled = nd.swaps
	}
	vj, ok := nd.swaps[j]
	if !ok {
		vj = j
	}
	vk, ok := nd.swaps[k]
	if !ok {
		vk = k
	}
	nd.swaps[j] = vk
	nd.drawn++
	nd.cur = vj
	return true
}

// backtrack prepares the next branch after a dropped one that made used
// choices: the deepest choice point with untried candidates draws another.
func (s *randomSearch) backtrack(used int) bool {
	if used < len(s.nodes) {
		s.nodes = s.nodes[:used]
	}
	s.pos = 0
	for len(s.nodes) > 0 {
		nd := &s.nodes[len(s.nodes)-1]
		if nd.draw(s.rng) {
			return true
		}
		s.nodes = s.nodes[:len(s.nodes)-1]
	}
	return false
}

// String describes a result for debugging.
func (r Result) String() string {
	switch {
	case r.Err != nil:
		return "panic: " + r.Err.Error()
	case r.Mismatch != "":
		return "mismatch: " + r.Mismatch
	case r.Enabled:
		return fmt.Sprintf("enabled %v", r.Path)
	}
	return "disabled"
}
