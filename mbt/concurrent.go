package mbt

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt/linearize"
	"github.com/execspec/execspec/mbt/yield"
	"github.com/execspec/execspec/trace"
)

// ConcurrentDriver connects an implementation to concurrent model-based
// testing (RunConcurrent). Do is called from several goroutines at once,
// one per client, and must be safe for that; Reset is called alone.
//
// A driver that also implements Observer[S] is observed once every
// operation of a run has returned, and its state must equal the model's
// at the end of the linearization.
type ConcurrentDriver[S any] interface {
	// Reset brings the implementation to its initial state (see Driver).
	Reset(ctx context.Context, init Step) error
	// Do performs op on behalf of client (numbered from 0). op carries the
	// action's input picks only; op.Enabled is true, since whether the
	// model allows it depends on the operations it runs concurrently with.
	//
	// Do returns the values of the action's output picks it observed
	// (ConcurrentOptions.Outputs; made with Output: the pick's label and a
	// Go value of the pick's type), an error wrapping ErrRefused when the
	// implementation refused the operation, an error wrapping ErrNoAnswer
	// (NoAnswerf) when it got no answer and cannot tell whether the
	// operation took effect (a timeout, a crash: the operation is pending,
	// and may take effect at any later point or never), or another error
	// when it could not be tried at all (which fails the test).
	//
	// After a pending operation the client goes on with its next one, as
	// a new process would in Jepsen: the pending one stays concurrent with
	// everything called after it. A driver that observes the final state
	// reads whatever the pending operations left; the checker accepts
	// both outcomes of each.
	Do(ctx context.Context, client int, op Step) ([]Labelled, error)
}

// Output is the observed value of the output pick label, for Do
// (ConcurrentDriver) and StepOutputs (OutputDriver) to return:
// mbt.Output("balance", 5).
func Output[T any](label string, v T) Labelled { return Labelled{Label: label, Value: v} }

// ConcurrentOptions configures RunConcurrent. The zero value works; the
// -execspec.seed, -execspec.traces (runs) and -execspec.steps (operations
// per run) flags and their environment twins override Seed, Runs and Ops.
type ConcurrentOptions struct {
	// Seed selects the operations and the clients' yields.
	Seed uint64
	// Clients is the number of concurrent clients (default 4).
	Clients int
	// Ops is the number of operations per run, shared among the clients
	// (default 40).
	Ops int
	// Runs is the number of runs, each with its own operations (default
	// 20, 2 with -short).
	Runs int
	// Outputs lists the labels of the picks that are outputs: values the
	// implementation returns rather than values a client chooses. A model
	// action exposes a result by picking it among the candidates and
	// constraining it with Assume (for a read: v := OneOf(c, "balance",
	// amounts); c.Assume(v == c.S.Balances[a])). Operations carry the
	// other picks (the inputs) to the driver, and the checker directs the
	// outputs to the values Do returned. Picks labelled here that an
	// action does not make are not outputs of that action.
	Outputs []string
	// ClientOf assigns an operation to a client (0 <= client < Clients);
	// nil deals the operations round-robin.
	ClientOf func(op Step) int
	// Ignore lists state fields left out of the final-state comparison, as
	// in Options.Ignore.
	Ignore []string
	// Dir is where failing histories are saved (default
	// "testdata/execspec"), as Dir/<TestName>/<hash>.history.json with the
	// page drawing it, <hash>.history.html, next to it.
	Dir string
	// ShrinkRuns bounds the runs of the implementation spent shrinking a
	// non-linearizable history (default 500).
	ShrinkRuns int
	// Attempts is how many times shrinking runs each smaller candidate
	// before deciding it does not fail (default 3): a race may need a few
	// tries to show.
	Attempts int
	// MaxNodes bounds each linearizability check (see CheckOptions). A
	// check that reaches it is incomplete: neither a pass nor a failure of
	// the implementation. The run is counted in the report's Incomplete,
	// logged with how to raise the bound, and its history saved as
	// Dir/<TestName>/<hash>.incomplete.json (not replayed by later runs).
	MaxNodes int
	// Partition declares which operations are independent, so that the
	// checker checks each partition's sub-history alone (see
	// CheckOptions.Partition and PartitionBy).
	Partition func(op linearize.Operation) (key string, ok bool)
	// Scheduler selects how the clients interleave: GoScheduler (the
	// default) runs them at once; RandomScheduler and PCTScheduler run one
	// at a time from yield point to yield point (package mbt/yield, in
	// builds with the execspec_yield tag) and choose who runs next, so
	// narrow races show and replay from the seed. With no points in the
	// build, a controlled client runs each operation whole.
	Scheduler Scheduler
	// Depth is PCTScheduler's bug depth d (default 3): d-1 priority
	// change points per run.
	Depth int
	_     struct{}
}

const (
	defaultClients    = 4
	defaultOps        = 40
	defaultRuns       = 20
	defaultAttempts   = 3
	defaultConcShrink = 500
	defaultDepth      = 3
)

// ConcurrentReport summarises a concurrent run.
type ConcurrentReport struct {
	// Seed is the seed the runs used.
	Seed uint64
	// Runs counts the runs made, Ops their operations in all.
	Runs, Ops int
	// Clients is the number of clients of each run.
	Clients int
	// Refused counts the operations the implementation refused, Pending
	// those that got no answer (ErrNoAnswer).
	Refused, Pending int
	// Saved counts the saved histories replayed first.
	Saved int
	// Scheduler is the scheduler that interleaved the clients, and Points
	// how many yield points of the implementation they reached in all.
	Scheduler Scheduler
	Points    int
	// Incomplete counts the runs whose check reached MaxNodes: neither
	// proved linearizable nor refuted, and saved in Undecided.
	Incomplete int
	Undecided  []string
	// Failure is the minimal non-linearizable history found, nil if none.
	Failure *linearize.History
	// Prefix is the longest linearizable prefix of Failure the checker
	// found (indices into Failure.Ops).
	Prefix []int
	// Files are the saved history and its page, when there is a failure.
	Files []string
}

// String is the report's one-line summary.
func (r *ConcurrentReport) String() string {
	s := fmt.Sprintf("execspec mbt concurrent: seed %d, %d runs, %d operations over %d clients, %d refused", r.Seed, r.Runs, r.Ops, r.Clients, r.Refused)
	if r.Pending > 0 {
		s += fmt.Sprintf(", %d without an answer", r.Pending)
	}
	if r.Saved > 0 {
		s += fmt.Sprintf(", %d saved histories replayed", r.Saved)
	}
	if r.Scheduler != GoScheduler {
		s += fmt.Sprintf("; %s scheduler, %d yield points reached", r.Scheduler, r.Points)
		if r.Points == 0 {
			s += " (none: build with -tags execspec_yield, and mark points with yield.Point)"
		}
	}
	if r.Incomplete > 0 {
		s += fmt.Sprintf("; INCOMPLETE: %d of the runs' checks ran out of MaxNodes, undecided (saved: %s)", r.Incomplete, strings.Join(r.Undecided, ", "))
	}
	if r.Failure != nil {
		s += fmt.Sprintf("; NOT LINEARIZABLE (%d operations)", len(r.Failure.Ops))
	}
	return s
}

// script is the operations each client performs, in order.
type script struct {
	init    Step
	clients [][]Step
}

func (s script) size() int {
	n := 0
	for _, c := range s.clients {
		n += len(c)
	}
	return n
}

// RunConcurrent tests that the implementation behind newDriver is
// linearizable with respect to the model m, taken as its sequential
// specification. Each run draws Ops operations from a seeded random walk of
// the model, deals them to Clients clients, and runs the clients at once,
// recording each operation's call and return on a logical clock (an atomic
// counter) with the outcome Do observed; then it checks the history (see
// Checker). Saved failing histories of the test are run again first.
//
// A non-linearizable history is shrunk by running the implementation again
// without the operations called after the failure, without those it
// refused (they change nothing), then without whole clients, chunks of
// operations and single operations, while it stays non-linearizable.
// Under a controlled scheduler each smaller script is first run with the
// failing schedule less the dropped operations' steps, so the operations
// kept meet as they met; then without the switches between clients it
// does not need. The smallest history found
// is saved as JSON with an HTML page drawing the clients' timelines and the
// longest linearizable prefix, and reported with the command that reruns
// the test. RunConcurrent returns nil after failing t when the options or
// the model are unusable.
func RunConcurrent[S any](t testing.TB, m *execspec.Model[S], newDriver func(testing.TB) ConcurrentDriver[S], opts ConcurrentOptions) *ConcurrentReport {
	t.Helper()
	o, err := resolveConcurrent(opts)
	if err != nil {
		t.Errorf("execspec mbt: options: %v", err)
		return nil
	}
	mc, err := machine.Compile(m)
	if err != nil {
		t.Errorf("execspec mbt: %v", err)
		return nil
	}
	chk, err := linearize.NewMachineChecker(mc, linearize.CheckOptions{Ignore: o.Ignore, MaxNodes: o.MaxNodes, Partition: o.Partition})
	if err != nil {
		t.Errorf("execspec mbt: %v", err)
		return nil
	}
	c := &concRunner[S]{t: t, ctx: t.Context(), mc: mc, chk: chk, o: o, drv: newDriver(t)}
	if obs, ok := c.drv.(Observer[S]); ok {
		c.obs = obs
	}
	c.outputs = map[string]bool{}
	for _, l := range o.Outputs {
		c.outputs[l] = true
	}
	rep := &ConcurrentReport{Seed: o.Seed, Clients: o.Clients, Scheduler: o.Scheduler}
	c.rep = rep
	defer func() { t.Helper(); t.Logf("%s", rep) }()
	if !c.runSaved() {
		return rep
	}
	for i := 0; i < o.Runs; i++ {
		sc, err := c.generate(i)
		if err != nil {
			t.Errorf("execspec mbt: model %s: generating run %d: %v", mc.Name(), i, err)
			return rep
		}
		h, lin, err := c.runOnce(sc, i, c.chooser(i, 0, nil, c.o.Ops))
		rep.Runs++
		if errors.Is(err, linearize.ErrIncomplete) {
			c.incomplete(h, lin, i, err)
			rep.Ops += len(h.Ops)
			continue
		}
		if err != nil {
			t.Errorf("execspec mbt: run %d of seed %d: %v", i, o.Seed, err)
			return rep
		}
		rep.Ops += len(h.Ops)
		if h.Schedule != nil {
			rep.Points += h.Schedule.Points
		}
		for _, op := range h.Ops {
			if op.Refused {
				rep.Refused++
			}
			if op.Pending {
				rep.Pending++
			}
		}
		if !lin.OK {
			h, lin = c.shrink(sc, h, lin, i)
			c.fail(h, lin)
			return rep
		}
	}
	return rep
}

type concSettings struct {
	ConcurrentOptions
}

func resolveConcurrent(opts ConcurrentOptions) (concSettings, error) {
	s := concSettings{opts}
	var err error
	if s.Seed, _, _, err = engine.SeedSetting(opts.Seed); err != nil {
		return s, err
	}
	if s.Runs, _, err = engine.TracesSetting(opts.Runs, defaultRuns); err != nil {
		return s, err
	}
	if s.Ops, err = engine.StepsSetting(opts.Ops, defaultOps); err != nil {
		return s, err
	}
	if s.Clients == 0 {
		s.Clients = defaultClients
	}
	if s.Dir == "" {
		s.Dir = defaultDir
	}
	s.Dir = engine.AbsPath(s.Dir) // the files a failure names open from wherever go test ran
	if s.ShrinkRuns == 0 {
		s.ShrinkRuns = defaultConcShrink
	}
	if s.Attempts == 0 {
		s.Attempts = defaultAttempts
	}
	if s.Depth == 0 {
		s.Depth = defaultDepth
	}
	switch {
	case s.Clients < 0 || s.Ops < 0 || s.Runs < 0:
		return s, fmt.Errorf("Clients, Ops and Runs must be positive")
	case s.ShrinkRuns < 0 || s.Attempts < 0 || s.MaxNodes < 0 || s.Depth < 0:
		return s, fmt.Errorf("ShrinkRuns, Attempts, MaxNodes and Depth must be positive")
	case s.Scheduler < GoScheduler || s.Scheduler > PCTScheduler:
		return s, fmt.Errorf("unknown Scheduler %d", int(s.Scheduler))
	}
	return s, nil
}

type concRunner[S any] struct {
	t       testing.TB
	ctx     context.Context
	mc      *machine.Machine[S]
	chk     *linearize.Checker[S]
	o       concSettings
	drv     ConcurrentDriver[S]
	obs     Observer[S]
	outputs map[string]bool
	rep     *ConcurrentReport
	// steps is the most steps a controlled run took so far: PCT's k.
	steps int
}

// chooser returns the scheduler's chooser for run (attempt > 0: a retry
// while shrinking), or the replay of a recorded schedule; nil for
// GoScheduler.
func (c *concRunner[S]) chooser(run, attempt int, replay *linearize.Schedule, ops int) chooser {
	if replay != nil {
		return &replayChooser{steps: replay.Steps}
	}
	rnd := rng.New(c.o.Seed, uint64(run)<<8|uint64(attempt)|1<<61)
	switch c.o.Scheduler {
	case RandomScheduler:
		return &randomChooser{rnd: rnd}
	case PCTScheduler:
		k := c.steps
		if k == 0 {
			k = 2 * ops // a guess until a run has counted them
		}
		return newPCT(rnd, c.o.Clients, c.o.Depth, k)
	}
	return nil
}

// generate draws run i's operations from a random walk of the model and
// deals them to the clients.
func (c *concRunner[S]) generate(i int) (script, error) {
	rnd := rng.New(c.o.Seed, uint64(i))
	w := engine.NewWalk(c.mc, defaultBudget)
	w.Executor().Record(true)
	res := w.Start(rnd)
	if res.Err != nil {
		return script{}, res.Err
	}
	if !res.Enabled {
		return script{}, errors.New("init is not enabled")
	}
	sc := script{clients: make([][]Step, c.o.Clients)}
	var err error
	if sc.init, err = c.step(0, "init", res.Picks); err != nil {
		return sc, err
	}
	for k := 0; k < c.o.Ops; k++ {
		a, res := w.Step(rnd)
		if a < 0 {
			break // a deadlock: the model can do nothing more
		}
		if res.Err != nil {
			return sc, res.Err
		}
		st, err := c.step(k+1, c.mc.ActionName(a), res.Picks)
		if err != nil {
			return sc, err
		}
		cl := k % c.o.Clients
		if c.o.ClientOf != nil {
			cl = c.o.ClientOf(st)
			if cl < 0 || cl >= c.o.Clients {
				return sc, fmt.Errorf("ClientOf(%s) = %d, not a client (0 to %d)", st, cl, c.o.Clients-1)
			}
		}
		sc.clients[cl] = append(sc.clients[cl], st)
	}
	return sc, nil
}

// step builds a driver Step of the input picks.
func (c *concRunner[S]) step(idx int, action string, picks []Labelled) (Step, error) {
	st := Step{Index: idx, Action: action, Enabled: true}
	for _, p := range picks {
		if c.outputs[p.Label] {
			continue
		}
		v, err := itf.Marshal(p.Value)
		if err != nil {
			return st, fmt.Errorf("%s: pick %s: %w", action, p.Label, err)
		}
		st.Picks = append(st.Picks, p)
		st.Values = append(st.Values, trace.Pick{Label: p.Label, Value: v})
	}
	return st, nil
}

// execute runs the script's clients at once, or one at a time under ch,
// and records the history.
func (c *concRunner[S]) execute(sc script, run int, ch chooser) (*linearize.History, error) {
	if err := callDriver(func() error { return c.drv.Reset(c.ctx, sc.init) }); err != nil {
		return nil, fmt.Errorf("driver Reset: %w", err)
	}
	h := &linearize.History{Model: c.mc.Name(), Clients: len(sc.clients), Seed: c.o.Seed, Run: run}
	for _, v := range sc.init.Values {
		h.Init = append(h.Init, linearize.Arg{Label: v.Label, Value: v.Value})
	}
	var clock atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	recs := make([][]linearize.Operation, len(sc.clients))
	errs := make([]error, len(sc.clients))
	var ctl *controller
	if ch != nil {
		ctl = newController(len(sc.clients), ch, c.o.Scheduler.String())
	}
	for cl, ops := range sc.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rng.New(c.o.Seed^uint64(run), uint64(cl)|1<<62)
			ctx := c.ctx
			<-start
			if ctl != nil {
				ctx = yield.With(ctx, clientYielder{ctl, cl})
				ctl.start(cl)
				defer ctl.finish(cl)
			}
			for k, op := range ops {
				if ctl != nil && k > 0 {
					ctl.park(cl, opPoint)
				}
				rec := linearize.Operation{Client: cl, Action: op.Action}
				for _, v := range op.Values {
					rec.Inputs = append(rec.Inputs, linearize.Arg{Label: v.Label, Value: v.Value})
				}
				var outs []Labelled
				rec.Call = clock.Add(1)
				err := callDriver(func() error {
					var err error
					outs, err = c.drv.Do(ctx, cl, op)
					return err
				})
				rec.Return = clock.Add(1)
				switch {
				case errors.Is(err, ErrNoAnswer):
					rec.Pending, rec.Return, outs = true, 0, nil
				case errors.Is(err, ErrRefused):
					rec.Refused = true
				case err != nil:
					errs[cl] = fmt.Errorf("client %d, %s: driver: %w", cl, op, err)
					return
				}
				for _, p := range outs {
					v, err := itf.Marshal(p.Value)
					if err != nil {
						errs[cl] = fmt.Errorf("client %d, %s: output %s: %w", cl, op, p.Label, err)
						return
					}
					rec.Outputs = append(rec.Outputs, linearize.Arg{Label: p.Label, Value: v})
				}
				recs[cl] = append(recs[cl], rec)
				if ctl == nil && rnd.IntN(2) == 0 {
					runtime.Gosched() // vary the interleavings
				}
			}
		}()
	}
	close(start)
	if ctl != nil {
		if err := ctl.run(); err != nil {
			return nil, err // the blocked clients cannot be waited for
		}
		h.Schedule = &ctl.sched
		c.steps = max(c.steps, len(ctl.sched.Steps))
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, r := range recs {
		h.Ops = append(h.Ops, r...)
	}
	sort.Slice(h.Ops, func(i, j int) bool { return h.Ops[i].Call < h.Ops[j].Call })
	if c.obs != nil {
		var got S
		err := callDriver(func() error {
			var err error
			got, err = c.obs.Observe(c.ctx)
			return err
		})
		switch {
		case errors.Is(err, ErrNotObserved):
			c.obs = nil
		case err != nil:
			return nil, fmt.Errorf("driver Observe: %w", err)
		default:
			if h.Final, err = c.mc.ToITF(&got); err != nil {
				return nil, fmt.Errorf("observed state: %w", err)
			}
		}
	}
	return h, nil
}

// callDriver runs a driver method, turning a panic into a *DriverPanic.
func callDriver(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &DriverPanic{Value: v}
		}
	}()
	return f()
}

func (c *concRunner[S]) runOnce(sc script, run int, ch chooser) (*linearize.History, linearize.Linearization, error) {
	h, err := c.execute(sc, run, ch)
	if err != nil {
		return nil, linearize.Linearization{}, err
	}
	lin, err := c.chk.Check(h)
	if err != nil {
		return h, lin, err
	}
	return h, lin, nil
}

// shrink runs smaller scripts while they give non-linearizable histories.
func (c *concRunner[S]) shrink(sc script, h *linearize.History, lin linearize.Linearization, run int) (*linearize.History, linearize.Linearization) {
	budget := c.o.ShrinkRuns
	attempt := 0
	// try runs cand, under a controlled scheduler first with the schedule
	// of the smallest failure so far without the steps of the operations
	// drop names (cand's difference from sc), then with fresh ones.
	try := func(cand script, drop func(client, op int) bool) bool {
		sched := withoutOps(h.Schedule, drop)
		if sched == nil {
			sched = h.Schedule
		}
		for a := 0; a < c.o.Attempts && budget > 0; a++ {
			budget--
			var ch chooser
			if c.o.Scheduler != GoScheduler {
				if a == 0 {
					ch = c.chooser(run, 0, sched, cand.size())
				} else {
					attempt++
					ch = c.chooser(run, attempt, nil, cand.size())
				}
			}
			nh, nl, err := c.runOnce(cand, run, ch)
			if err == nil && !nl.OK {
				sc, h, lin = cand, nh, nl
				return true
			}
		}
		return false
	}
	// First drop what was called after the first operation the checker
	// could not place returned: the failure is before it.
	if cand, ok := cutAfterFailure(sc, h, lin, c.o.Partition); ok {
		try(cand, keptFirst(cand))
	}
	// Then the operations the implementation refused: they change
	// nothing, and a failure seldom needs them.
	if cand, drop, ok := withoutRefused(sc, h); ok {
		try(cand, drop)
	}
	for progress := true; progress && budget > 0; {
		progress = false
		// Prefixes in time first: a half, three quarters, seven eighths
		// of the history.
		for _, frac := range []float64{0.5, 0.75, 0.875} {
			k := int(frac * float64(len(h.Ops)))
			if k == 0 || k >= len(h.Ops) || budget <= 0 {
				continue
			}
			if cand, ok := cutAt(sc, h, h.Ops[k].Call); ok && try(cand, keptFirst(cand)) {
				progress = true
				break
			}
		}
		// Then whole clients.
		for cl := 0; cl < len(sc.clients) && budget > 0; cl++ {
			if len(sc.clients[cl]) == 0 {
				continue
			}
			cand := sc.clone()
			cand.clients[cl] = nil
			if try(cand, func(c, _ int) bool { return c == cl }) {
				progress = true
			}
		}
		// Then chunks of operations of each client, halving down to one.
		for cl := range sc.clients {
			for k := len(sc.clients[cl]) / 2; k >= 1; k /= 2 {
				for i := 0; i+k <= len(sc.clients[cl]) && budget > 0; {
					cand := sc.clone()
					cand.clients[cl] = append(cand.clients[cl][:i], cand.clients[cl][i+k:]...)
					if try(cand, func(c, op int) bool { return c == cl && op >= i && op < i+k }) {
						progress = true
						continue
					}
					i++
				}
			}
		}
	}
	// Then the schedule's switches, last first: each one the failure
	// does without is one fewer preemption to read.
	if h.Schedule != nil {
		for sw := h.Schedule.Switches(); len(sw) > 0 && budget > 0; sw = sw[:len(sw)-1] {
			i := sw[len(sw)-1]
			if i >= len(h.Schedule.Steps) {
				continue
			}
			budget--
			cand := withoutSwitch(h.Schedule, i)
			nh, nl, err := c.runOnce(sc, run, c.chooser(run, 0, cand, sc.size()))
			if err == nil && !nl.OK {
				h, lin = nh, nl
			}
		}
	}
	return h, lin
}

// cutAfterFailure returns sc without the operations called after the
// return of the first operation (by call time) outside lin's longest
// linearizable prefix (in lin's failing partition, with a partition);
// false when there is no such operation or nothing to cut.
func cutAfterFailure(sc script, h *linearize.History, lin linearize.Linearization, part func(linearize.Operation) (string, bool)) (script, bool) {
	placed := map[int]bool{}
	for _, i := range lin.Order {
		placed[i] = true
	}
	for i, op := range h.Ops {
		if lin.Partition != "" && part != nil {
			if k, _ := part(op); k != lin.Partition {
				continue
			}
		}
		if !placed[i] && !op.Pending {
			return cutAt(sc, h, op.Return)
		}
	}
	return sc, false
}

// keptFirst names the operations a prefix cut of a script leaves out:
// those past the length of each client's operations in cand.
func keptFirst(cand script) func(client, op int) bool {
	return func(c, op int) bool { return c >= len(cand.clients) || op >= len(cand.clients[c]) }
}

// withoutRefused returns sc without the operations h shows refused, and
// names them by client and index; false when there are none.
func withoutRefused(sc script, h *linearize.History) (script, func(client, op int) bool, bool) {
	refused := make([][]bool, len(sc.clients))
	for c := range refused {
		refused[c] = make([]bool, len(sc.clients[c]))
	}
	ops := slices.Clone(h.Ops)
	slices.SortStableFunc(ops, func(a, b linearize.Operation) int { return cmp.Compare(a.Call, b.Call) })
	next := make([]int, len(sc.clients))
	found := false
	for _, op := range ops {
		c := op.Client
		if c < 0 || c >= len(sc.clients) || next[c] >= len(sc.clients[c]) {
			return sc, nil, false // h is not a run of sc
		}
		if op.Refused {
			refused[c][next[c]], found = true, true
		}
		next[c]++
	}
	if !found {
		return sc, nil, false
	}
	out := script{init: sc.init, clients: make([][]Step, len(sc.clients))}
	for c, steps := range sc.clients {
		for i, st := range steps {
			if !refused[c][i] {
				out.clients[c] = append(out.clients[c], st)
			}
		}
	}
	return out, func(c, op int) bool { return c < len(refused) && op < len(refused[c]) && refused[c][op] }, true
}

// cutAt returns sc without the operations h shows called at or after
// cutoff; false when that removes nothing.
func cutAt(sc script, h *linearize.History, cutoff int64) (script, bool) {
	keep := make([]int, len(sc.clients))
	for _, op := range h.Ops {
		if op.Call < cutoff && op.Client < len(keep) {
			keep[op.Client]++
		}
	}
	out, cut := sc.clone(), false
	for c := range out.clients {
		if keep[c] < len(out.clients[c]) {
			out.clients[c], cut = out.clients[c][:keep[c]], true
		}
	}
	return out, cut
}

func (s script) clone() script {
	out := script{init: s.init, clients: make([][]Step, len(s.clients))}
	for i, c := range s.clients {
		out.clients[i] = append([]Step(nil), c...)
	}
	return out
}

// incomplete saves and logs a history whose check ran out of budget: it
// is not a failure of the implementation, and not a pass either.
func (c *concRunner[S]) incomplete(h *linearize.History, lin linearize.Linearization, run int, err error) {
	c.t.Helper()
	c.rep.Incomplete++
	files, serr := linearize.SaveIncomplete(engine.TestDir(c.o.Dir, c.t.Name()), h, lin)
	where := "not saved: " + fmt.Sprint(serr)
	if serr == nil {
		where = "saved: " + files[0]
		c.rep.Undecided = append(c.rep.Undecided, files[0])
	}
	c.t.Logf("execspec mbt: run %d of seed %d (%d operations over %d clients) is undecided: %v.\n"+
		"Not a failure of the implementation: the check stopped before proving or refuting the history (%s).\n"+
		"Raise ConcurrentOptions.MaxNodes (now %d), declare a Partition if operations on different keys are independent, or run fewer Clients or Ops.",
		run, c.o.Seed, len(h.Ops), h.Clients, err, where, c.chk.Options().MaxNodes)
}

// fail saves and reports a non-linearizable history.
func (c *concRunner[S]) fail(h *linearize.History, lin linearize.Linearization) {
	c.t.Helper()
	c.rep.Failure, c.rep.Prefix = h, lin.Order
	dir := engine.TestDir(c.o.Dir, c.t.Name())
	exp, eerr := c.chk.Explain(h, lin)
	if eerr != nil {
		exp = nil // the page goes without states
	}
	files, err := linearize.SaveHistory(dir, h, lin, exp)
	c.rep.Files = files
	var b strings.Builder
	fmt.Fprintf(&b, "execspec mbt: model %s: the implementation is not linearizable: no order of these %d operations consistent with real time is a behaviour of the model\n", c.mc.Name(), len(h.Ops))
	b.WriteString(linearize.FormatHistory(h, lin))
	if s := h.Schedule; s != nil {
		fmt.Fprintf(&b, "\ninterleaving: chosen by the %s scheduler, %d steps, %d switches between clients, %d yield points reached; running the saved history replays it", s.Scheduler, len(s.Steps), len(s.Switches()), s.Points)
		b.WriteString(formatSwitches(s))
	}
	if err != nil {
		fmt.Fprintf(&b, "\nsaving the history: %v", err)
	} else {
		fmt.Fprintf(&b, "\nsaved: %s\npage:  %s", files[0], files[1])
	}
	fmt.Fprintf(&b, "\nrerun: %s", testCommand(h, c.t.Name(), fmt.Sprintf("-execspec.seed=%d", c.o.Seed)))
	c.t.Errorf("%s", b.String())
}

// maxSwitchLines bounds the switches a failure message lists.
const maxSwitchLines = 24

// formatSwitches lists where a schedule switched clients, and from which
// yield point each one resumed.
func formatSwitches(s *linearize.Schedule) string {
	if len(s.At) != len(s.Steps) {
		return ""
	}
	var b strings.Builder
	sw := append([]int{0}, s.Switches()...)
	for n, i := range sw {
		if n == maxSwitchLines {
			fmt.Fprintf(&b, "\n    ... %d more switches", len(sw)-n)
			break
		}
		fmt.Fprintf(&b, "\n    step %3d: client %d resumes at %q", i, s.Steps[i], s.At[i])
	}
	return b.String()
}

// testCommand is engine.TestCommand, which names this build's tags, and
// the tag of the yield points for a history a controlled scheduler
// interleaved should the binary not record its tags: a rerun without them
// would not interleave the same way.
func testCommand(h *linearize.History, name string, extra ...string) string {
	cmd := engine.TestCommand(name, extra...)
	if yield.Enabled && h.Schedule != nil && !strings.Contains(cmd, "execspec_yield") {
		cmd = strings.Replace(cmd, "go test ", "go test -tags execspec_yield ", 1)
	}
	return cmd
}

// runSaved runs the saved histories' scripts again; it reports whether
// none failed.
func (c *concRunner[S]) runSaved() bool {
	c.t.Helper()
	files, err := linearize.SavedHistories(engine.TestDir(c.o.Dir, c.t.Name()))
	if err != nil {
		c.t.Errorf("execspec mbt: saved histories: %v", err)
		return false
	}
	for _, f := range files {
		h, err := linearize.ReadHistory(f)
		if err != nil {
			if engine.Stale(c.t, "execspec mbt", "saved history", f, c.mc.Name(), err) {
				return false
			}
			continue
		}
		sc, err := c.scriptOf(h)
		if err != nil {
			if !engine.Stale(c.t, "execspec mbt", "saved history", f, c.mc.Name(), err) {
				continue
			}
			return false
		}
		c.rep.Saved++
		for a := 0; a < c.o.Attempts; a++ {
			var ch chooser
			switch {
			case h.Schedule != nil:
				ch = &replayChooser{steps: h.Schedule.Steps} // the saved interleaving
			case c.o.Scheduler != GoScheduler:
				ch = c.chooser(h.Run, a, nil, sc.size())
			}
			h2, lin, err := c.runOnce(sc, h.Run, ch)
			if errors.Is(err, linearize.ErrIncomplete) {
				c.incomplete(h2, lin, h.Run, err)
				continue
			}
			if err != nil {
				c.t.Errorf("execspec mbt: saved history %s: %v", f, err)
				return false
			}
			if !lin.OK {
				c.rep.Failure, c.rep.Prefix, c.rep.Files = h2, lin.Order, []string{f}
				c.t.Errorf("execspec mbt: saved history %s is still not linearizable:\n%s\nrerun: %s", f, linearize.FormatHistory(h2, lin), testCommand(h2, c.t.Name()))
				return false
			}
		}
	}
	return true
}

// scriptOf rebuilds the clients' operations from a history.
func (c *concRunner[S]) scriptOf(h *linearize.History) (script, error) {
	sc := script{clients: make([][]Step, h.Clients)}
	init, err := c.stepOf(0, "init", h.Init)
	if err != nil {
		return sc, err
	}
	sc.init = init
	for i, op := range h.Ops {
		if op.Client < 0 || op.Client >= h.Clients {
			return sc, fmt.Errorf("operation %d: client %d out of range", i, op.Client)
		}
		if _, err := c.mc.ActionIndex(op.Action); err != nil {
			return sc, err
		}
		st, err := c.stepOf(i+1, op.Action, op.Inputs)
		if err != nil {
			return sc, err
		}
		sc.clients[op.Client] = append(sc.clients[op.Client], st)
	}
	return sc, nil
}

// stepOf builds a Step from recorded inputs. Without a model state to
// execute the action in, the picks' Go values are their ITF values: a
// driver reads them with Pick, which converts through the ITF form.
func (c *concRunner[S]) stepOf(idx int, action string, args []linearize.Arg) (Step, error) {
	st := Step{Index: idx, Action: action, Enabled: true}
	for _, a := range args {
		st.Picks = append(st.Picks, Labelled{Label: a.Label, Value: a.Value})
		st.Values = append(st.Values, trace.Pick{Label: a.Label, Value: a.Value})
	}
	return st, nil
}
