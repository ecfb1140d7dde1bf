package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sync/atomic"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"

	"github.com/execspec/execspec/trace"
)

// What every search strategy shares: the engine (the compiled model, the
// options and what follows from them), the expander (one worker's way of
// producing a state's successors in the canonical order, fingerprinting
// them and judging them against the properties) and the rebuilding of a
// finding's trace from successor ordinals. BFS and DFS differ only in the
// order in which they take states from their frontier (a level-synchronous
// queue, a stack) and in what they store per state.

// searcher is shared, read-only, by the workers of one search, apart from
// the live counters that progress reports read.
type searcher[S any] struct {
	mc          *machine.Machine[S]
	opts        Options
	props       []machine.Property[S] // checked on every distinct state
	kind        machine.PropertyKind
	constraints []machine.Property[S]
	// steps are the step invariants checked on every transition of the
	// states expanded; actionConstraints exclude transitions. bounded:
	// there are state or action constraints.
	steps             []machine.Property[S]
	actionConstraints []machine.Property[S]
	bounded           bool
	temporal          []machine.Property[S] // checked on the behaviour graph, after the search
	refine            []machine.Property[S] // refinements, checked on every transition
	sym               *symmetryPlan[S]
	reduce            bool // data-pick reduction
	budget            *budget

	// Live counters, written by the workers now and then: kept off the
	// cache lines of the fields above, which every successor reads.
	_         [64]byte
	generated atomic.Int64
	distinct  atomic.Int64
	frontier  atomic.Int64
	depth     atomic.Int64
	resumed   int64 // the distinct states a resumed search restored (set before the workers start)
}

func newSearcher[S any](mc *machine.Machine[S], opts Options) (*searcher[S], error) {
	e := &searcher[S]{mc: mc, opts: opts, budget: &budget{limit: opts.MemoryBytes}}
	switch p, err := mc.Property(opts.Property); {
	case opts.Property == "":
		e.props, e.kind = mc.PropertiesOf(machine.Invariant), machine.Invariant
		e.steps = mc.StepInvariants()
		if opts.ExploreOnly {
			e.props, e.steps = nil, nil
			break
		}
		if !opts.NoRefinement {
			e.refine = mc.PropertiesOf(machine.Refines)
		}
		if !opts.NoTemporal {
			e.temporal = mc.PropertiesOf(machine.Temporal)
			for _, r := range e.refine {
				if len(r.Formulas) > 0 {
					e.temporal = append(e.temporal, r)
				}
			}
		}
	case err != nil:
		return nil, err
	case p.Kind == machine.Temporal:
		e.kind, e.temporal = p.Kind, []machine.Property[S]{p}
	case p.Kind == machine.Refines:
		e.kind, e.refine = p.Kind, []machine.Property[S]{p}
		if len(p.Formulas) > 0 {
			e.temporal = []machine.Property[S]{p}
		}
	case p.Kind == machine.StepInvariant:
		e.kind, e.steps = p.Kind, []machine.Property[S]{p}
	default:
		e.props, e.kind = []machine.Property[S]{p}, p.Kind
	}
	e.constraints = mc.PropertiesOf(machine.Constraint)
	e.actionConstraints = mc.ActionConstraints()
	e.bounded = len(e.constraints) > 0 || len(e.actionConstraints) > 0
	if !opts.NoSymmetry && len(e.refine) == 0 && len(mc.PickedEnabled()) == 0 {
		sym, err := newSymmetryPlan(mc.Symmetries())
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", mc.Name(), err)
		}
		e.sym = sym
	}
	e.reduce = !opts.AllData && len(mc.DataPicks()) > 0
	return e, nil
}

// overMemory reports whether the live Go heap (as of the last garbage
// collection) has outgrown the memory cap. The stores account for their own
// memory exactly; this catches the rest (the states waiting in the frontier
// and the candidates of the next level), whose size only the heap knows.
func (e *searcher[S]) overMemory() bool {
	if e.budget.limit <= 0 {
		return false
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return false
	}
	return int64(sample[0].Value.Uint64()) > e.budget.limit
}

// errTimeout is the cause of the context's cancellation when
// Options.Timeout elapses.
var errTimeout = errors.New("timeout")

// stopReason says why the context was cancelled.
func stopReason(ctx context.Context) findings.Stop {
	if context.Cause(ctx) == errTimeout {
		return findings.StoppedTimeout
	}
	return findings.StoppedInterrupted
}

// padded holds a value written often by one worker away from the cache
// lines of anything else.
type padded[T any] struct {
	_ [64]byte
	v T
	_ [64]byte
}

// expander is one worker's successor generator. Its fields are written for
// every successor, so it is padded against false sharing with the other
// workers' expanders.
type expander[S any] struct {
	_     [64]byte
	eng   *searcher[S]
	ex    *machine.Executor[S]
	next  *S
	enc   []byte
	canon *canonicalizer[S]
	memo  canonMemo // under symmetry
	// actions are the action numbers, in the canonical order.
	actions []int
	// spilled holds the bytes of the chunk being expanded when the BFS
	// frontier is spilled, from offset spillBase of the spill file.
	spilled   []byte
	spillBase int

	// The state of the expansion in progress (see expand).
	branch     func(machine.Result) bool
	eachBranch func(int, machine.Result) bool
	emit       func(ord uint32, next *S) bool
	onPanic    func(actionPanic)
	onStep     func(ord uint32, v verdict, step bool) // see judgeTransition
	from       *S                                     // the state being expanded, nil for init
	refine     []*machine.RefinementChecker[S]
	action     int
	path       []int          // the choices of the branch being emitted
	picks      []machine.Pick // its picks, when the executor records them
	n          uint32
	stopped    bool

	// The determinism check (see recheck): its own executor, since it runs
	// while ex is enumerating.
	verify *machine.Executor[S]
	vnext  *S
	venc   []byte // vnext's encoding

	batch batch[S]        // BFS's successors awaiting lookup
	cands *candWriter     // BFS's candidates, when a level's wait on disk
	graph *graphWorker[S] // BFS's part in the behaviour graph, when it builds it

	// BFS keeps its frontier encoded: dec decodes the state to expand
	// into cur.
	dec *machine.Decoder[S]
	cur *S
	_   [64]byte
}

func (e *searcher[S]) newExpander() *expander[S] {
	x := &expander[S]{eng: e, ex: e.mc.NewExecutor(), next: &new(padded[S]).v, dec: e.mc.NewDecoder(), cur: new(S)}
	x.ex.ReduceData(e.reduce)
	if e.sym != nil {
		x.canon = e.sym.newCanonicalizer(e.mc)
	}
	x.branch = x.onBranch
	x.eachBranch = x.onEachBranch
	x.refine = e.newRefiners()
	if !e.opts.NoDeterminismCheck {
		x.verify = e.mc.NewExecutor()
		x.verify.ReduceData(e.reduce)
		x.vnext = new(S)
	}
	x.actions = make([]int, len(e.mc.Actions()))
	for i := range x.actions {
		x.actions[i] = i
	}
	return x
}

// fingerprint returns the fingerprint of s (of its canonical representative
// under symmetry).
func (x *expander[S]) fingerprint(s *S) (fingerprint, error) {
	if x.canon == nil {
		x.enc = x.eng.mc.AppendEncoding(x.enc[:0], s)
		return x.hash(x.enc), nil
	}
	c := x.canon
	c.id = x.eng.mc.AppendEncoding(c.id[:0], s)
	raw := x.hash(c.id)
	if fp, ok := x.memo.get(raw); ok {
		return fp, nil
	}
	var err error
	x.enc, err = c.appendCanonical(x.enc[:0], s)
	if err != nil {
		return fingerprint{}, err
	}
	fp := x.hash(x.enc)
	x.memo.put(raw, fp)
	return fp, nil
}

// hash returns the fingerprint of an encoding, of the search's width.
func (x *expander[S]) hash(enc []byte) fingerprint {
	if x.eng.opts.Fingerprint128 {
		hi, lo := machine.Fingerprint128(enc)
		return fingerprint{hi, lo}
	}
	return fingerprint{hi: machine.Fingerprint(enc)}
}

// encoding returns the canonical encoding of the state last passed to
// fingerprint, as it is (not its representative under symmetry), valid
// until the next call of fingerprint.
func (x *expander[S]) encoding() []byte {
	if x.canon != nil {
		return x.canon.id
	}
	return x.enc
}

// actionPanic is a panic in init or an action while expanding a state: the
// action, the choices that led to it, and the ordinal the branch would have
// had had it been enabled.
type actionPanic struct {
	ord    uint32
	action int
	path   []int
	err    error
}

// expand enumerates the successors of s, or the initial states when s is
// nil, in the canonical order: actions in definition order, each action's
// branches in machine.Executor.Enumerate order. It calls emit for each
// enabled branch with its ordinal in that order and the successor, which is
// valid until emit returns; emit returns false to stop. A panicking branch
// is passed to onPanic and does not count. When onStep is set, every
// enabled branch is judged by judgeTransition first, and each finding
// passed to onStep with the branch's ordinal. expand returns the number of
// enabled branches and whether it ran to the end.
func (x *expander[S]) expand(s *S, emit func(ord uint32, next *S) bool, onPanic func(actionPanic), onStep func(ord uint32, v verdict, step bool)) (uint32, bool) {
	x.emit, x.onPanic, x.onStep, x.from, x.n, x.stopped = emit, onPanic, onStep, s, 0, false
	defer func() { x.emit, x.onPanic, x.onStep, x.from = nil, nil, nil, nil }()
	if s == nil {
		x.action = machine.InitAction
		x.ex.Enumerate(machine.InitAction, nil, x.next, x.branch)
		return x.n, !x.stopped
	}
	return x.n, x.ex.EnumerateEach(x.actions, s, x.next, x.eachBranch)
}

// onEachBranch is the EnumerateEach callback of expand (bound once, as
// x.eachBranch).
func (x *expander[S]) onEachBranch(a int, r machine.Result) bool {
	x.action = a
	return x.onBranch(r)
}

// onBranch is the Enumerate callback of expand (bound once, as x.branch, so
// that expanding a state allocates nothing).
func (x *expander[S]) onBranch(r machine.Result) bool {
	if r.Err != nil {
		x.onPanic(actionPanic{ord: x.n, action: x.action, path: append([]int(nil), r.Path...), err: r.Err})
		return true
	}
	ord := x.n
	x.n++
	x.path, x.picks = r.Path, r.Picks
	if x.onStep != nil {
		x.judgeTransition(ord)
	}
	if !x.emit(ord, x.next) {
		x.stopped = true
		return false
	}
	return true
}

// recheck executes action again from state from with the same choices and
// returns a *NondeterminismError when the result differs from the
// successor got the first time (state first, whose encoding, as it is, not
// its representative under symmetry, is enc). The engines
// call it once for every new state, so that a model whose actions are not
// functions of their state and picks (an action ranging over a Go map,
// reading the clock, a global or a random source) is reported where it
// happens, instead of making a search look clean or a trace fail to
// rebuild. It returns nil when the check is off.
func (x *expander[S]) recheck(action int, from *S, path []int, enc []byte, first *S) error {
	if x.verify == nil {
		return nil
	}
	ch := machine.Path(path).Choices()
	r := x.verify.Exec(action, from, x.vnext, ch)
	if r.Enabled && r.Err == nil {
		// The same state, not merely one equal under symmetry: comparing
		// the encodings spares the renamings a fingerprint would try.
		x.venc = x.eng.mc.AppendEncoding(x.venc[:0], x.vnext)
		if bytes.Equal(x.venc, enc) {
			return nil
		}
	}
	nd := x.eng.nondeterminism(action, first, x.vnext, r, "the second execution", "the two executions")
	// Once more with recording on, for the picks to report.
	x.verify.Record(true)
	r = x.verify.Exec(action, from, x.vnext, machine.Path(path).Choices())
	x.verify.Record(false)
	nd.Picks = append(nd.Picks, r.Picks...)
	return nd
}

// nondeterminism describes action's execution r, whose successor is
// second, which differed from an execution from the same state with the
// same choices, whose successor is first: one names r in the message
// ("the second execution"), both the two.
func (e *searcher[S]) nondeterminism(action int, first, second *S, r machine.Result, one, both string) *NondeterminismError {
	mc := e.mc
	nd := &NondeterminismError{Action: mc.ActionName(action)}
	switch {
	case r.Err != nil:
		nd.Detail = fmt.Sprintf("%s panicked: %v", one, r.Err)
	case !r.Enabled:
		nd.Detail = one + " was disabled (a guard failed)"
	default:
		nd.Detail = both + " produced different states"
		a, err1 := mc.ToITF(first)
		b, err2 := mc.ToITF(second)
		if err1 == nil && err2 == nil {
			nd.Changes = trace.DiffStates(mc.Vars(), a, b)
		}
	}
	return nd
}

// verdict is what the properties say of a state.
type verdict struct {
	kind     findings.Kind // 0: nothing to report
	property string
	err      error
}

// judge evaluates the target properties on s.
func (x *expander[S]) judge(s *S) verdict {
	mc := x.eng.mc
	for _, p := range x.eng.props {
		ok, err := mc.Eval(p, s)
		switch {
		case err != nil:
			return verdict{kind: findings.Panicked, property: p.Name, err: err}
		case p.Kind == machine.Invariant && !ok:
			return verdict{kind: findings.InvariantViolated, property: p.Name}
		case p.Kind == machine.Example && ok:
			return verdict{kind: findings.ExampleFound, property: p.Name}
		}
	}
	return verdict{}
}

// judgeTransition judges the branch being emitted, the transition from
// x.from (nil for an initial state) to x.next, and passes each finding to
// x.onStep: the refinements' verdict, then the step invariants' (step
// true). A strategy passes onStep only when a refinement or a step
// invariant is checked: a model without one pays nothing. Every enabled
// branch is judged, to a state seen before or outside the constraints too
// (TLC checks an action property so).
func (x *expander[S]) judgeTransition(ord uint32) {
	if v := x.checkTransition(x.from, x.next); v.kind != 0 {
		x.onStep(ord, v, false)
	}
	if x.from == nil {
		return
	}
	if v := x.judgeStep(x.from, x.next); v.kind != 0 {
		x.onStep(ord, v, true)
	}
}

// judgeStep evaluates the step invariants on the transition from s to
// next: the successor as the action left it (not its representative under
// symmetry) from the state as the trace holds it, so that a finding's
// trace is the transition judged.
func (x *expander[S]) judgeStep(s, next *S) verdict {
	v := engine.JudgeStep(x.eng.mc, x.eng.steps, s, next)
	return verdict{kind: v.Kind, property: v.Property, err: v.Err}
}

// outside reports whether the state constraints put s outside the model,
// or the action constraints exclude the transition from from (nil for an
// initial state) to s, with the verdict on s. A state outside the model is
// what TLC's CONSTRAINT and ACTION_CONSTRAINT make of it: its properties
// are checked (and a violation is reported), but it is never stored,
// counted or expanded, so it is judged again each time it is generated. A
// panicking constraint puts s outside and is itself the verdict.
func (x *expander[S]) outside(from, s *S) (bool, verdict) {
	// Every constraint is evaluated, state constraints first, so that a
	// panic in any is reported, as the reference semantics does.
	out := false
	for _, c := range x.eng.constraints {
		ok, err := x.eng.mc.Eval(c, s)
		if err != nil {
			return true, verdict{kind: findings.Panicked, property: c.Name, err: err}
		}
		out = out || !ok
	}
	if from != nil {
		for _, c := range x.eng.actionConstraints {
			ok, err := x.eng.mc.EvalStep(c, from, s)
			if err != nil {
				return true, verdict{kind: findings.Panicked, property: c.Name, err: err}
			}
			out = out || !ok
		}
	}
	if out {
		return true, x.judge(s)
	}
	return false, verdict{}
}

// pending is a finding whose trace is still to be rebuilt.
type pending struct {
	verdict
	// ords are the successor ordinals from the initial state to the state
	// found: ords[0] picks the initial state among the init outcomes.
	ords []uint32
	// fp is the found state's fingerprint, to verify the rebuilt trace.
	fp fingerprint
	// panic is set for a panic in init or an action, which happened when
	// expanding the state ords leads to.
	panic *actionPanic
	// key orders the findings of one BFS level.
	key uint64
	// out: the state found is outside the model (see expander.outside).
	out bool
	// step: the finding is a transition's (a step invariant's verdict),
	// not a state's.
	step bool
	// BFS records where the finding is until its ords are resolved: the
	// record number of the state (for a panic in an action, of the state
	// expanded; -1 for the virtual root of the initial states), and the
	// ordinals to follow from there.
	at   int64
	tail []uint32
}

// rebuild re-executes a finding's steps from the initial state, with
// recording on, and returns the finding with its trace and the plan of
// that trace.
func (e *searcher[S]) rebuild(p *pending) (*findings.Finding, engine.Plan, error) {
	var plan engine.Plan
	mc := e.mc
	ex := mc.NewExecutor()
	ex.ReduceData(e.reduce)
	x := e.newExpander()
	cur, nxt := new(S), new(S)
	t := mc.NewTrace()
	var states []S // for a refinement's mapped trace
	mapped := p.panic == nil && e.isRefinement(p.property)
	for i, ord := range p.ords {
		from := cur
		actions := []int{machine.InitAction}
		if i > 0 {
			actions = x.actions
		} else {
			from = nil
		}
		action, path, ok := nthBranch(ex, actions, from, nxt, ord)
		if !ok {
			return nil, plan, e.diagnose(plan, fmt.Errorf("rebuilding the trace: step %d has no successor number %d: the model is not deterministic in its picks", i, ord))
		}
		ex.Record(true)
		r := ex.Exec(action, from, nxt, machine.Path(path).Choices())
		ex.Record(false)
		if !r.Enabled {
			return nil, plan, e.diagnose(plan, fmt.Errorf("rebuilding the trace: step %d (%s) did not replay: the model is not deterministic in its picks", i, mc.ActionName(action)))
		}
		if i == 0 {
			plan.Init = path
		} else {
			plan.Steps = append(plan.Steps, engine.PlanStep{Action: action, Path: path, Enabled: true})
		}
		st, err := mc.TraceStep(mc.ActionName(action), r.Picks, nxt)
		if err != nil {
			return nil, plan, fmt.Errorf("rebuilding the trace: %w", err)
		}
		t.Steps = append(t.Steps, st)
		if mapped {
			states = append(states, *mc.Clone(nxt))
		}
		cur, nxt = nxt, cur
	}
	if p.panic == nil && p.fp != (fingerprint{}) {
		fp, err := x.fingerprint(cur)
		if err == nil && fp != p.fp {
			return nil, plan, e.diagnose(plan, fmt.Errorf("rebuilding the trace: the state reached differs from the state found: the model is not deterministic in its picks"))
		}
	}
	if p.kind == findings.Panicked && p.err == nil && p.panic == nil {
		// A finding restored from a checkpoint, which keeps no Go value.
		var prev *S
		if len(p.ords) > 1 {
			prev = nxt // the state before the last step (see the swap above)
		}
		p.err = x.panicAgain(p.property, prev, cur)
	}
	if ap := p.panic; ap != nil {
		from := cur
		if ap.action == machine.InitAction {
			from = nil
		}
		ex.Record(true)
		r := ex.Exec(ap.action, from, nxt, machine.Path(ap.path).Choices())
		ex.Record(false)
		shown := cur
		if from == nil {
			shown = nxt
		}
		st, err := mc.TraceStep(mc.ActionName(ap.action), r.Picks, shown)
		if err != nil {
			return nil, plan, fmt.Errorf("rebuilding the trace: %w", err)
		}
		t.Steps = append(t.Steps, st)
		if r.Err != nil {
			p.err = r.Err
		}
		plan.Steps = append(plan.Steps, engine.PlanStep{Action: ap.action, Path: ap.path, Enabled: true})
	}
	f := &findings.Finding{Kind: p.kind, Property: p.property, Err: p.err, Trace: t}
	if mapped {
		f.Mapped = e.mappedTrace(p.property, states)
	}
	return f, plan, nil
}

// panicAgain judges the last state of a rebuilt trace, and the step to it
// from from (nil for an initial state), as the search did, and returns the
// error of the first panic of property name: the error of a finding
// restored from a checkpoint. It says so when nothing panics again.
func (x *expander[S]) panicAgain(name string, from, s *S) error {
	_, out := x.outside(from, s)
	vs := []verdict{out, x.judge(s), x.checkTransition(from, s)}
	if from != nil {
		vs = append(vs, x.judgeStep(from, s))
	}
	for _, v := range vs {
		if v.kind == findings.Panicked && v.property == name && v.err != nil {
			return v.err
		}
	}
	if _, err := x.fingerprint(s); err != nil && symmetryName(err) == name {
		return err
	}
	return fmt.Errorf("%s panicked when the search found it, before a checkpoint, but not when its trace was rebuilt after resuming: the model is not deterministic", name)
}

// isRefinement reports whether name is a refinement of the model.
func (e *searcher[S]) isRefinement(name string) bool {
	if name == "" {
		return false
	}
	p, err := e.mc.Property(name)
	return err == nil && p.Kind == machine.Refines
}

// diagnoseRuns is how many times diagnose executes each step again.
const diagnoseRuns = 16

// diagnose looks for the step of plan that is not deterministic, once a
// path failed to rebuild (err): the determinism check, when on, executes
// each transition to a new state twice, and two executions of a step that
// ranges over a Go map agree by chance often enough (one in eight, over
// eight keys) to let a search go on. It executes each step again up to
// diagnoseRuns times and returns, for the first whose executions differ,
// a *NondeterminismError naming the action, its picks and what differed;
// err when every step agreed with itself.
func (e *searcher[S]) diagnose(plan engine.Plan, err error) error {
	mc := e.mc
	ex, again := mc.NewExecutor(), mc.NewExecutor()
	ex.ReduceData(e.reduce)
	again.ReduceData(e.reduce)
	cur, nxt, other := new(S), new(S), new(S)
	var enc, enc2 []byte
	steps := append([]engine.PlanStep{{Action: machine.InitAction, Path: plan.Init, Enabled: true}}, plan.Steps...)
	for i, st := range steps {
		from := cur
		if i == 0 {
			from = nil
		}
		ch := machine.Path(st.Path).Choices()
		if r := ex.Exec(st.Action, from, nxt, ch); !r.Enabled || r.Err != nil {
			return err
		}
		enc = mc.AppendEncoding(enc[:0], nxt)
		for range diagnoseRuns {
			again.Record(true)
			r := again.Exec(st.Action, from, other, machine.Path(st.Path).Choices())
			again.Record(false)
			if r.Enabled && r.Err == nil {
				if enc2 = mc.AppendEncoding(enc2[:0], other); bytes.Equal(enc, enc2) {
					continue
				}
			}
			nd := e.nondeterminism(st.Action, nxt, other, r, "another execution", "two executions")
			nd.Picks = append(nd.Picks, r.Picks...)
			return nd
		}
		cur, nxt = nxt, cur
	}
	return err
}

// nthBranch finds the enabled branch number ord among the branches of the
// actions from state from, in the canonical order, leaving its successor
// in to; it returns the branch's action and choices.
func nthBranch[S any](ex *machine.Executor[S], actions []int, from, to *S, ord uint32) (int, []int, bool) {
	var n uint32
	var path []int
	found := false
	for _, a := range actions {
		ex.Enumerate(a, from, to, func(r machine.Result) bool {
			if !r.Enabled {
				return true
			}
			if n == ord {
				path = append([]int(nil), r.Path...)
				found = true
				return false
			}
			n++
			return true
		})
		if found {
			return a, path, true
		}
	}
	return 0, nil, false
}

// progress calls opts.Progress periodically with the live counters until
// the returned function is called.
func (e *searcher[S]) progress(start time.Time) (stop func()) {
	if e.opts.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(e.opts.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				e.opts.Progress(e.liveStats(start))
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (e *searcher[S]) liveStats(start time.Time) Stats {
	return Stats{
		Generated: e.generated.Load(),
		Distinct:  e.distinct.Load(),
		Resumed:   e.resumed,
		Frontier:  e.frontier.Load(),
		Depth:     int(e.depth.Load()),
		Elapsed:   time.Since(start),
	}
}
