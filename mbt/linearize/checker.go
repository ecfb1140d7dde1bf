package linearize

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt/internal/statediff"
	"github.com/execspec/execspec/trace"
)

// A concurrent history is checked for linearizability against the model,
// which serves as the sequential specification: the history is
// linearizable when some order of its operations that respects real time
// (an operation that returned before another was called comes first) is a
// behaviour of the model in which every operation has the outcome observed.
//
// An operation is one action of the model. Its inputs are the action's
// picks as the client issued them; its outputs are the values the
// implementation returned for the picks declared as outputs
// (ConcurrentOptions.Outputs). Replaying an operation on the model
// directs every input and output pick to its recorded value
// (machine.Executor.Direct) and searches the picks recorded by neither:
// the operation fits a state when some branch is enabled, and each enabled
// branch's state is a possible successor. An operation the implementation
// refused fits a state only when no branch with its inputs is enabled
// there, and leaves the state unchanged. When the driver observes, the
// implementation's final state must also equal the model's state after
// the whole linearization.
//
// An operation may be pending: called, with no answer (a client that timed
// out or crashed, whose effect may or may not have happened). It has no
// return and no outputs; a linearization may place it anywhere after its
// call, or leave it out (it never took effect), and an observed final
// state does not force either: the check asks only that some choice
// explains every answered operation and the final state.
//
// The search is the backtracking search of Wing and Gong with the
// memoization of Lowe: from each configuration (the operations linearized
// so far and the model's state after them) it may linearize any operation
// called before the first return of an operation not yet linearized, tries
// them in order of their returns, gives a configuration up when none
// fits, and never revisits a pair (set of linearized operations, model
// state), the set kept as a 128-bit Zobrist hash and the state as its
// 64-bit fingerprint. With CheckOptions.Partition each partition is
// searched alone.

// Arg is one labelled value of an operation: an input pick or an observed
// output, as an ITF value.
type Arg struct {
	Label string    `json:"label"`
	Value itf.Value `json:"value"`
}

// Operation is one operation of a concurrent history.
type Operation struct {
	// Client is the client (goroutine) that issued the operation, from 0.
	Client int `json:"client"`
	// Action is the model action.
	Action string `json:"action"`
	// Inputs are the action's input picks, as issued.
	Inputs []Arg `json:"inputs,omitempty"`
	// Outputs are the values the implementation returned for output picks.
	Outputs []Arg `json:"outputs,omitempty"`
	// Refused is true when the implementation refused the operation.
	Refused bool `json:"refused,omitempty"`
	// Pending is true when the operation got no answer (the driver
	// returned ErrNoAnswer: a timeout, a crash): it may have taken effect
	// at any point after its call, or never. A pending operation has no
	// outputs and no return (Return is 0).
	Pending bool `json:"pending,omitempty"`
	// Call and Return are the logical times at which the client called the
	// implementation and got its answer; every time in a history is
	// distinct and Call < Return.
	Call   int64 `json:"call"`
	Return int64 `json:"return,omitempty"`
}

// String formats the operation as `c1 deposit(account="alice", amount=2) -> ok`.
func (o Operation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "c%d %s(", o.Client, o.Action)
	for i, a := range o.Inputs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%s", a.Label, a.Value)
	}
	b.WriteString(") -> ")
	switch {
	case o.Pending:
		b.WriteString("no answer")
	case o.Refused:
		b.WriteString("refused")
	case len(o.Outputs) == 0:
		b.WriteString("ok")
	default:
		for i, a := range o.Outputs {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s=%s", a.Label, a.Value)
		}
	}
	return b.String()
}

// History is what a concurrent run recorded: the initial step and every
// operation with its call and return times.
type History struct {
	// Model names the model the history is checked against.
	Model string `json:"model"`
	// Clients is the number of clients.
	Clients int `json:"clients"`
	// Init holds the picks of the model's init, when it makes any.
	Init []Arg `json:"init,omitempty"`
	// Ops are the operations, in order of their call times.
	Ops []Operation `json:"ops"`
	// Final is the implementation's observed state once every operation
	// returned, by state variable; nil when the driver does not observe.
	Final map[string]itf.Value `json:"final,omitempty"`
	// Seed and Run say which generated run recorded the history.
	Seed uint64 `json:"seed"`
	Run  int    `json:"run"`
	// Schedule is the interleaving a controlled scheduler chose (see
	// ConcurrentOptions.Scheduler); nil when the Go runtime interleaved
	// the clients. Running the saved history replays it.
	Schedule *Schedule `json:"schedule,omitempty"`
}

// Linearization is the verdict of a linearizability check.
type Linearization struct {
	// OK is true when the history is linearizable.
	OK bool
	// Order is a linearization (indices into History.Ops) when OK, and
	// otherwise the longest linearizable prefix the search found: the
	// operations it could explain, in the order it explained them.
	Order []int
	// FinalMismatch is true when every operation could be linearized but
	// no linearization ends in the implementation's observed final state.
	FinalMismatch bool
	// FinalDiff shows, when FinalMismatch, how the model's state at the end
	// of the first complete order tried differs from the observed one.
	FinalDiff string
	// Nodes counts the linearization attempts of the search.
	Nodes int
	// Partitions is the number of sub-histories (1 when the history was
	// checked whole). With more than one, Order lists each partition's
	// linearization in turn (their operations commute, so the sequence is
	// a behaviour of the model), and when the history is not linearizable
	// Partition names the first partition that is not (by its first
	// operation), Order ending with its longest prefix; the partitions
	// after it are not searched, and their operations are in no order.
	Partitions int
	Partition  string
}

// ErrIncomplete is returned (wrapped) by a linearizability check stopped
// by its budget: the history was neither proved linearizable nor refuted.
var ErrIncomplete = errors.New("linearizability check incomplete")

// CheckOptions configures a Checker. The zero value works.
type CheckOptions struct {
	// Ignore lists state fields left out of the final-state comparison,
	// as in Options.Ignore.
	Ignore []string
	// MaxNodes bounds the search's linearization attempts (default
	// 10,000,000); a search that reaches it returns ErrIncomplete.
	MaxNodes int
	// Partition, when set, declares which operations are independent: two
	// operations with different keys touch disjoint parts of the state and
	// commute, so the history is linearizable when each key's
	// sub-history is (P-compositionality), and each is checked alone.
	// PartitionBy("key") partitions by an input pick. An operation for
	// which it returns false touches every part: the history is checked
	// whole. See Linearization for how the verdicts combine.
	Partition func(op Operation) (key string, ok bool)
	_         struct{}
}

const defaultMaxNodes = 10_000_000

// Checker checks histories for linearizability against one model. It is
// not safe for concurrent use.
type Checker[S any] struct {
	mc   *machine.Machine[S]
	ex   *machine.Executor[S]
	cmp  *statediff.Comparator[S]
	opts CheckOptions
	enc  []byte
	tmp  *S // the successors' scratch state
}

// NewChecker compiles m and returns a Checker for its histories.
func NewChecker[S any](m *execspec.Model[S], opts CheckOptions) (*Checker[S], error) {
	mc, err := machine.Compile(m)
	if err != nil {
		return nil, fmt.Errorf("linearize: %w", err)
	}
	return NewMachineChecker(mc, opts)
}

// NewMachineChecker returns a Checker for the histories of a model already
// compiled (what an engine that runs the model itself, as mbt's concurrent
// runner does, has at hand).
func NewMachineChecker[S any](mc *machine.Machine[S], opts CheckOptions) (*Checker[S], error) {
	cmp, err := statediff.New(mc, opts.Ignore)
	if err != nil {
		return nil, fmt.Errorf("linearize: model %s: %w", mc.Name(), err)
	}
	if opts.MaxNodes <= 0 {
		opts.MaxNodes = defaultMaxNodes
	}
	return &Checker[S]{mc: mc, ex: mc.NewExecutor(), cmp: cmp, opts: opts}, nil
}

// Options returns the checker's options, defaults filled in.
func (c *Checker[S]) Options() CheckOptions { return c.opts }

// checkOp is an operation prepared for the search.
type checkOp struct {
	action   int
	directed map[string]itf.Value
	refused  bool
	pending  bool
}

// event is a call or a return in the search's doubly linked event list.
type event struct {
	op         int
	call       bool
	match      *event // the call's return (nil for a pending operation), the return's call
	prev, next *event
}

// Check reports whether h is linearizable with respect to the model. It
// returns an error for a malformed history (an unknown action, a return
// before its call), when the model panics, and, wrapping ErrIncomplete,
// when the search exceeds CheckOptions.MaxNodes.
func (c *Checker[S]) Check(h *History) (Linearization, error) {
	ops, err := c.prepare(h)
	if err != nil {
		return Linearization{}, err
	}
	init, err := c.initial(h)
	if err != nil {
		return Linearization{}, err
	}
	var final *S
	if h.Final != nil {
		f, err := c.mc.FromITF(h.Final)
		if err != nil {
			return Linearization{}, fmt.Errorf("linearize: history's final state: %w", err)
		}
		final = &f
	}
	budget := c.opts.MaxNodes
	lin, err := c.checkPartitions(h, ops, init, final, &budget)
	if errors.Is(err, errBudget) {
		return lin, fmt.Errorf("linearize: %w after %d attempts (CheckOptions.MaxNodes %d; raise it, or declare a Partition)", ErrIncomplete, lin.Nodes, c.opts.MaxNodes)
	}
	return lin, err
}

// errBudget stops a search that spent its budget, errStopped one that
// was told to stop.
var (
	errBudget  = errors.New("budget spent")
	errStopped = errors.New("stopped")
)

// whole searches every operation of h, the final state included.
func (c *Checker[S]) whole(h *History, ops []checkOp, init, final *S, budget *int) (Linearization, error) {
	idx := make([]int, len(ops))
	for i := range idx {
		idx[i] = i
	}
	var end func(*S) ([]trace.Change, error)
	if final != nil {
		end = func(s *S) ([]trace.Change, error) { return c.cmp.Diff(s, final) }
	}
	return c.search(h, ops, idx, init, end, budget, nil)
}

// prepare resolves the actions and the directed picks of h's operations.
func (c *Checker[S]) prepare(h *History) ([]checkOp, error) {
	ops := make([]checkOp, len(h.Ops))
	times := make(map[int64]int, 2*len(h.Ops))
	for i, o := range h.Ops {
		a, err := c.mc.ActionIndex(o.Action)
		if err != nil {
			return nil, fmt.Errorf("linearize: history operation %d: %w", i, err)
		}
		events := []int64{o.Call, o.Return}
		switch {
		case o.Pending && (o.Refused || len(o.Outputs) > 0 || o.Return != 0):
			return nil, fmt.Errorf("linearize: history operation %d (%s) is pending (no answer) but has a return, outputs or a refusal", i, o)
		case o.Pending:
			events = events[:1]
		case o.Return <= o.Call:
			return nil, fmt.Errorf("linearize: history operation %d (%s) returns at %d, not after its call at %d", i, o, o.Return, o.Call)
		}
		for _, t := range events {
			if j, dup := times[t]; dup {
				return nil, fmt.Errorf("linearize: history operations %d and %d both have time %d: every call and return time must be distinct (equal times leave open which came first; stamp them from one counter, as RunConcurrent does)", j, i, t)
			}
			times[t] = i
		}
		d := make(map[string]itf.Value, len(o.Inputs)+len(o.Outputs)+1)
		d[core.TerseLabel] = itf.Value{} // only whether the picks fit matters here
		for _, p := range o.Inputs {
			d[p.Label] = p.Value
		}
		if !o.Refused {
			for _, p := range o.Outputs {
				d[p.Label] = p.Value
			}
		}
		ops[i] = checkOp{action: a, directed: d, refused: o.Refused, pending: o.Pending}
	}
	return ops, nil
}

// initial executes init with the history's init picks.
func (c *Checker[S]) initial(h *History) (*S, error) {
	d := map[string]itf.Value{}
	for _, p := range h.Init {
		d[p.Label] = p.Value
	}
	c.ex.Direct(d)
	defer c.ex.Direct(nil)
	s, tmp := new(S), new(S)
	found := false
	var perr error
	c.ex.Enumerate(machine.InitAction, nil, tmp, func(r machine.Result) bool {
		if r.Err != nil {
			perr = r.Err
			return false
		}
		c.mc.Copy(s, tmp)
		found = true
		return false
	})
	switch {
	case perr != nil:
		return nil, fmt.Errorf("linearize: model %s: %w", c.mc.Name(), perr)
	case !found:
		return nil, fmt.Errorf("linearize: model %s: init is not enabled for the history's init picks", c.mc.Name())
	}
	return s, nil
}

// succ is a successor state with its fingerprint.
type succ[S any] struct {
	s  *S
	fp uint64
}

// successors returns the states op can lead to from s, whose fingerprint
// is fp (none: op does not fit s). A refused operation leads to s itself
// when no branch is enabled.
func (c *Checker[S]) successors(op checkOp, s *S, fp uint64) ([]succ[S], error) {
	c.ex.Direct(op.directed)
	defer c.ex.Direct(nil)
	if c.tmp == nil {
		c.tmp = new(S)
	}
	tmp := c.tmp
	var out []succ[S]
	enabled := false
	var perr error
	c.ex.Enumerate(op.action, s, tmp, func(r machine.Result) bool {
		if r.Err != nil {
			perr = r.Err
			return false
		}
		enabled = true
		if op.refused {
			return false // the refusal does not fit
		}
		f := c.fingerprint(tmp)
		for _, o := range out {
			if o.fp == f {
				return true
			}
		}
		if f == fp {
			// The operation left the state as it was (a read): share it.
			out = append(out, succ[S]{s, f})
			return true
		}
		out = append(out, succ[S]{c.mc.Clone(tmp), f})
		return true
	})
	switch {
	case perr != nil:
		return nil, fmt.Errorf("linearize: model %s: %w", c.mc.Name(), perr)
	case op.refused && enabled:
		return nil, nil
	case op.refused:
		return []succ[S]{{s, fp}}, nil
	}
	return out, nil
}

func (c *Checker[S]) fingerprint(s *S) uint64 {
	c.enc = c.mc.AppendEncoding(c.enc[:0], s)
	return machine.Fingerprint(c.enc)
}

// search runs the backtracking search over linearization points.
//
// It searches the operations idx of h (all of them, or one partition's),
// spending nodes from *budget. end judges each complete linearization's
// state (nil: any is fine): it returns what differs when it rejects it.
//
// A configuration is the set of operations linearized so far and the
// model's state after them. Its candidates are the operations called
// before the first return not yet passed: that return's operation, the
// due one, must be linearized before it, and any called operation may
// come first. The order in which they are tried changes the time to a
// verdict, never the verdict (every candidate is tried before a
// configuration is given up, and a configuration seen before is never
// searched again), but it decides whether a verdict comes at all: a wrong
// choice is found out only when some operation can no longer be
// linearized, possibly dozens of operations later, and everything in
// between is searched again in every order before the search gets back
// to it. So the order follows what the history says about when each
// operation took effect:
//
//  1. Reads that fit the state. A read is an operation of an action that
//     has not changed a state it was tried from (a refused operation
//     always is one). Linearizing a read as soon as it fits loses
//     nothing: a read that leaves every state as it is can be moved ahead
//     in any linearization, to any point after its call where it fits,
//     without changing what the others see. Leaving it for later is a bet
//     that the state comes back to what it read: a client that read early
//     but answered late (it lost the processor before its return was
//     recorded) stays a candidate until the end of the history, and the
//     state it read is long gone.
//  2. When the due operation does not fit, the operations after which it
//     does: it cannot wait, so what it needs comes first. A write whose
//     client answered late, long after it took effect, is found through
//     the reads that saw it.
//  3. The rest in order of their returns: an operation that waited before
//     taking effect (for a lock, in a queue) took effect near its return,
//     so this order is usually right at the first try where call order is
//     not. Pending operations come last.
//
// Whether an action is a read is learned while searching, so the order is
// a heuristic; it never makes the search unsound.
//
// pause, when not nil, is called after every node; when it returns false
// the search stops with errStopped.
func (c *Checker[S]) search(h *History, ops []checkOp, idx []int, init *S, end func(*S) ([]trace.Change, error), budget *int, pause func() bool) (Linearization, error) {
	n := len(ops)
	// The event list, in logical-time order, behind a sentinel head.
	evs := make([]*event, 0, 2*len(idx))
	returns := 0 // the returns still in the list
	for _, i := range idx {
		call := &event{op: i, call: true}
		evs = append(evs, call)
		if ops[i].pending {
			continue // no return: it may be linearized at any later point, or never
		}
		ret := &event{op: i, match: call}
		call.match = ret
		evs = append(evs, ret)
		returns++
	}
	time := func(e *event) int64 {
		if e.call {
			return h.Ops[e.op].Call
		}
		return h.Ops[e.op].Return
	}
	sort.SliceStable(evs, func(i, j int) bool { return time(evs[i]) < time(evs[j]) })
	head := &event{op: -1}
	prev := head
	for _, e := range evs {
		prev.next, e.prev = e, prev
		prev = e
	}
	lift := func(e *event) {
		e.prev.next = e.next
		if e.next != nil {
			e.next.prev = e.prev
		}
		if m := e.match; m != nil {
			m.prev.next = m.next
			if m.next != nil {
				m.next.prev = m.prev
			}
			returns--
		}
	}
	unlift := func(e *event) {
		if m := e.match; m != nil {
			m.prev.next = m
			if m.next != nil {
				m.next.prev = m
			}
			returns++
		}
		e.prev.next = e
		if e.next != nil {
			e.next.prev = e
		}
	}
	returnOf := func(op int) int64 {
		if ops[op].pending {
			return math.MaxInt64
		}
		return h.Ops[op].Return
	}

	// The set of linearized operations is kept as a 128-bit sum of
	// per-operation random keys (Zobrist hashing: adding and removing an
	// operation is one xor), so a memo key is three words.
	zob := make([][2]uint64, n)
	for _, i := range idx {
		zob[i] = [2]uint64{splitmix(uint64(2 * i)), splitmix(uint64(2*i + 1))}
	}
	var set [2]uint64
	toggle := func(op int) { set[0] ^= zob[op][0]; set[1] ^= zob[op][1] }
	seen := make(map[[3]uint64]struct{}, len(idx))
	memo := func(fp uint64) bool { // reports whether (set, fp) is new, and records it
		k := [3]uint64{set[0], set[1], fp}
		if _, ok := seen[k]; ok {
			return false
		}
		seen[k] = struct{}{}
		return true
	}

	res := Linearization{}
	// The successors of an operation from a state, by state fingerprint:
	// backtracking, and ordering the candidates, ask for the same ones
	// again and again.
	type succKey struct {
		op int
		fp uint64
	}
	succCache := make(map[succKey][]succ[S], len(idx))
	// writes[a] records that action a changed a state it was tried from;
	// until then its operations count as reads.
	writes := make([]bool, len(c.mc.Actions()))
	read := func(op int) bool { return ops[op].refused || !writes[ops[op].action] }
	// try returns op's successors from s, whose fingerprint is fp,
	// spending a node.
	try := func(op int, s *S, fp uint64) ([]succ[S], error) {
		if *budget <= 0 {
			return nil, errBudget
		}
		res.Nodes++
		*budget--
		if pause != nil && !pause() {
			return nil, errStopped
		}
		sk := succKey{op, fp}
		if succs, ok := succCache[sk]; ok {
			return succs, nil
		}
		succs, err := c.successors(ops[op], s, fp)
		if err != nil {
			return nil, fmt.Errorf("operation %d (%s): %w", op, h.Ops[op], err)
		}
		succCache[sk] = succs
		for _, sc := range succs {
			if sc.fp != fp {
				writes[ops[op].action] = true
			}
		}
		return succs, nil
	}

	// A candidate is a call event with, once tried, its successors from
	// its configuration's state.
	type candidate struct {
		ev    *event
		succs []succ[S]
		tried bool
		rank  int // the group it is tried in: 0 fitting reads, 1 what the due operation needs, 2 the rest
	}
	// A level is a configuration on the search's path: its state, the call
	// event linearized to reach it (nil at the root), the operation due
	// (-1: none), its candidates, the one being tried (k) and which of its
	// successors (choice).
	type level struct {
		state   *S
		fp      uint64
		via     *event
		due     int
		cands   []candidate
		ordered bool // cands are in the order they are tried
		k       int
		choice  int
	}
	var free []*level // popped levels, for reuse
	push := func(stack []*level, s *S, fp uint64, via *event) []*level {
		l := &level{}
		if len(free) > 0 {
			l, free = free[len(free)-1], free[:len(free)-1]
		}
		*l = level{state: s, fp: fp, via: via, due: -1, cands: l.cands[:0]}
		e := head.next
		for ; e != nil && e.call; e = e.next {
			l.cands = append(l.cands, candidate{ev: e})
		}
		if e != nil {
			l.due = e.op
		}
		return append(stack, l)
	}
	tryCand := func(l *level, cd *candidate) error {
		if cd.tried {
			return nil
		}
		succs, err := try(cd.ev.op, l.state, l.fp)
		if err != nil {
			return err
		}
		cd.succs, cd.tried = succs, true
		return nil
	}
	// order sorts l's candidates into the order they are tried.
	order := func(l *level) error {
		var due *candidate
		for i := range l.cands {
			cd := &l.cands[i]
			if cd.ev.op == l.due {
				due = cd
			}
			if read(cd.ev.op) {
				if err := tryCand(l, cd); err != nil {
					return err
				}
			}
		}
		if due != nil {
			if err := tryCand(l, due); err != nil {
				return err
			}
		}
		needy := due != nil && len(due.succs) == 0
		for i := range l.cands {
			cd := &l.cands[i]
			switch {
			case read(cd.ev.op) && len(cd.succs) > 0:
				cd.rank = 0
			case needy && cd != due && !read(cd.ev.op):
				if err := tryCand(l, cd); err != nil {
					return err
				}
				cd.rank = 2
				for _, sc := range cd.succs {
					after, err := try(l.due, sc.s, sc.fp)
					if err != nil {
						return err
					}
					if len(after) > 0 {
						cd.rank = 1
						break
					}
				}
			default:
				cd.rank = 2
			}
		}
		slices.SortStableFunc(l.cands, func(a, b candidate) int {
			if a.rank != b.rank {
				return cmp.Compare(a.rank, b.rank)
			}
			return cmp.Compare(returnOf(a.ev.op), returnOf(b.ev.op))
		})
		l.ordered = true
		return nil
	}

	var best []int
	path := func(stack []*level) []int {
		out := make([]int, 0, len(stack)-1)
		for _, l := range stack[1:] {
			out = append(out, l.via.op)
		}
		return out
	}
	// judge reports whether a new configuration is a complete
	// linearization the end state check accepts.
	judge := func(s *S) (bool, error) {
		if returns > 0 {
			return false, nil // answered operations are left
		}
		if end == nil {
			return true, nil
		}
		diff, err := end(s)
		if err != nil || len(diff) == 0 {
			return err == nil, err
		}
		if !res.FinalMismatch {
			res.FinalMismatch = true
			res.FinalDiff = statediff.Format(diff, "model", "observed")
		}
		return false, nil // pending operations not linearized yet may still end in it
	}

	initFP := c.fingerprint(init)
	memo(initFP)
	stack := push(nil, init, initFP, nil)
	ok, err := judge(init)
	if err != nil {
		return res, err
	}
	for !ok && len(stack) > 0 {
		l := stack[len(stack)-1]
		var next *level
		err := func() error {
			if !l.ordered {
				if err := order(l); err != nil {
					return err
				}
			}
			for next == nil && l.k < len(l.cands) {
				cd := &l.cands[l.k]
				if err := tryCand(l, cd); err != nil {
					return err
				}
				toggle(cd.ev.op)
				for l.choice < len(cd.succs) {
					sc := cd.succs[l.choice]
					l.choice++
					if memo(sc.fp) {
						lift(cd.ev)
						stack = push(stack, sc.s, sc.fp, cd.ev)
						next = stack[len(stack)-1]
						break
					}
				}
				if next == nil {
					toggle(cd.ev.op)
					l.k++
					l.choice = 0
				}
			}
			return nil
		}()
		if err != nil {
			if errors.Is(err, errBudget) {
				res.Order = best
				if len(stack)-1 > len(best) {
					res.Order = path(stack)
				}
			}
			return res, err
		}
		if next == nil {
			// Every candidate tried: give the configuration up. The
			// longest prefix is recorded here, when it is left, not at
			// each new depth: that would copy the path at every step.
			if len(stack)-1 > len(best) {
				best = path(stack)
			}
			stack = stack[:len(stack)-1]
			free = append(free, l)
			if l.via != nil {
				unlift(l.via)
				toggle(l.via.op)
			}
			continue
		}
		if ok, err = judge(next.state); err != nil {
			return res, err
		}
	}
	if ok {
		res.OK = true
		res.Order = path(stack)
		res.FinalMismatch, res.FinalDiff = false, ""
	} else {
		res.Order = best
	}
	if res.Order == nil {
		res.Order = []int{}
	}
	return res, nil
}

// splitmix is SplitMix64's output function: a fixed, well-mixed key per
// operation index.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
