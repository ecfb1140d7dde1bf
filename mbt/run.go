package mbt

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt/internal/statediff"
	"github.com/execspec/execspec/trace"
)

// Strategy says how Run draws traces from the model.
type Strategy int

const (
	// RandomWalks draws seeded random walks of up to Steps steps: at each
	// step an action uniformly among the enabled ones, its picks uniformly;
	// with probability DisabledRate a step the model does not allow instead.
	RandomWalks Strategy = iota
	// BFS runs every trace of up to Steps steps: it enumerates them level
	// by level, without merging equal states (the implementation may
	// remember how it got to one), and runs those of the deepest level whose
	// number fits in Traces, plus those that end early in a deadlock; they
	// contain every shorter trace. The report says when Traces cut the
	// depth. It proposes no steps the model does not allow.
	BFS
	// Coverage searches breadth-first (up to depth Steps) for the shortest
	// traces that perform every action, reach every Example of the model,
	// and try every action where the model does not allow it (unless
	// DisabledRate is negative); it tests those traces only.
	Coverage
)

func (s Strategy) String() string {
	switch s {
	case RandomWalks:
		return "random walks"
	case BFS:
		return "bfs"
	case Coverage:
		return "coverage"
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

// Options configures Run (and, for Ignore, Replay). The zero value works:
// zero fields take the defaults given, and the -execspec.* flags and their
// environment twins override Seed, Traces and Steps.
type Options struct {
	// Seed selects the random traces, 0 included: the same seed gives the
	// same traces. -execspec.seed (EXECSPEC_SEED) overrides it; the value
	// "random" draws a fresh seed, which the report and any failure print.
	Seed uint64
	// Traces is the number of traces to generate (default 100, a tenth with
	// -short; -execspec.traces, EXECSPEC_TRACES). For BFS it caps the
	// number of transitions tested.
	Traces int
	// Steps bounds the length of a trace, and the depth of BFS and Coverage
	// (default 50; -execspec.steps, EXECSPEC_STEPS).
	Steps int
	// Strategy selects how traces are drawn (default RandomWalks).
	Strategy Strategy
	// DisabledRate is the probability that a random-walk step is one the
	// model does not allow (its guard fails for the picks drawn), to check
	// that the implementation refuses it (default 0.05; negative: never,
	// and Coverage then tries no such step either). Only steps whose
	// inputs are complete are proposed: the action must have made all the
	// picks it makes when it is enabled, its outputs aside. With Outputs,
	// a step is proposed only when no value of its outputs enables it.
	DisabledRate float64
	// Ignore lists state fields left out of comparisons, as paths from a
	// state variable: "version", "zone.lock.epoch", `balances["alice"]`,
	// "deployers[*].lock" ([*] is any map key, list index or set element,
	// .* any record field). Use it for generated ids, timestamps and
	// variables the implementation does not have.
	Ignore []string
	// Dir is where failing traces are saved and read back from, one
	// directory per test: Dir/<TestName>/<hash>.itf.json (default
	// "testdata/execspec", relative to the package under test).
	Dir string
	// ShrinkRuns bounds the re-runs spent shrinking a divergence (default
	// 1000).
	ShrinkRuns int
	// Budget caps the model executions spent deciding whether one action is
	// enabled at one step of a random walk (default 10,000).
	Budget int
	// MaxStates caps the states BFS and Coverage keep (default 100,000).
	MaxStates int
	// Outputs lists the labels of the picks that are outputs: values the
	// implementation chooses rather than the test (which job a claim hands
	// out, whether a completion succeeded), declared as for
	// ConcurrentOptions.Outputs; the other picks are inputs. The driver
	// must be an OutputDriver: it gets each step's inputs and returns the
	// outputs, and the model takes the branch with both, or reports a
	// Mismatch when it has none. Random walks draw each step from the
	// state the implementation's answers led to; the traces of BFS,
	// Coverage, saved files and fuzzing give each step's action and
	// inputs, and the model judges each in the state reached. A step is
	// one the model does not allow only when no value of its outputs
	// enables it for its inputs. Init's picks are all inputs.
	Outputs []string
	_       struct{}
}

// Run tests the implementation behind newDriver against the model m. It
// first replays the traces saved under Options.Dir for this test; when they
// all pass it generates Options.Traces traces (see Strategy) and drives each
// through a freshly Reset driver, comparing after every step: the step's
// outcome (performed or refused) with the model's, and the observed state
// with the model's when the driver is an Observer[S].
//
// At the first divergence Run shrinks the trace, fails t with the shortest
// trace found and a field-level diff, saves it as ITF (replayed first by
// every later run) and prints the go test command that reproduces it. It
// logs a report (traces, steps, distinct model states, per-action coverage)
// and returns it; it returns nil when the options, the model or the driver
// are unusable, after failing t.
//
// newDriver is called once per Run; it may use t (Cleanup, TempDir) to set
// up the implementation, and Fatal on failure.
func Run[S any](t testing.TB, m *execspec.Model[S], newDriver func(testing.TB) Driver[S], opts Options) *Report {
	t.Helper()
	set, err := resolve(opts)
	if err != nil {
		t.Errorf("execspec mbt: options: %v", err)
		return nil
	}
	r, err := newRunner(t, m, set)
	if err != nil {
		t.Errorf("execspec mbt: %v", err)
		return nil
	}
	if err := r.setDriver(newDriver(t)); err != nil {
		t.Errorf("execspec mbt: %v", err)
		return nil
	}
	rep := r.rep
	start := time.Now()
	defer func() {
		t.Helper()
		rep.Elapsed = time.Since(start)
		t.Logf("%s", rep)
	}()
	if !r.runSaved() {
		return rep
	}
	gen, err := r.generator()
	if err != nil {
		t.Errorf("execspec mbt: %v", err)
		return rep
	}
	for i := 0; ; i++ {
		p, more, ok, err := gen.next(i)
		if err != nil {
			t.Errorf("execspec mbt: model %s: generating trace %d: %v", r.mc.Name(), i, err)
			return rep
		}
		if !ok {
			break
		}
		out := r.runPlan(p, true, more)
		switch {
		case out.err != nil:
			t.Errorf("execspec mbt: %s, %v", p.origin, out.err)
			return rep
		case out.reject != "":
			t.Errorf("execspec mbt: internal error: generated %s is not accepted by the model: %s", p.origin, out.reject)
			return rep
		case out.div != nil:
			r.fail(out)
			return rep
		}
	}
	return rep
}

// plan is a trace as the choices that produce it: init's choice path, then
// per step the action, its choice path and whether the model allows it.
// Executing a plan against the model gives the states and picks; it is
// what shrinking edits.
type plan struct {
	engine.Plan
	origin string // "trace 12 of seed 7", or the file it came from
	sample int    // the trace's index in the run; -1 when it came from a file
}

func (p plan) clone() plan {
	p.Plan = p.Plan.Clone()
	return p
}

// runner runs plans against the model and the driver.
type runner[S any] struct {
	t    testing.TB
	ctx  context.Context
	mc   *machine.Machine[S]
	ex   *machine.Executor[S]
	set  settings
	drv  Driver[S]
	odrv OutputDriver // drv, when it reports outputs
	obs  Observer[S]
	outs *outputs[S] // nil without Options.Outputs
	cmp  *statediff.Comparator[S]
	rep  *Report
	name string // the test's name

	// labels are the pick labels of the enabled steps seen, from the
	// generator and from the steps run.
	labels pickLabels

	cur, nxt *S
	enc      []byte
	seen     map[uint64]bool
	examples []machine.Property[S]
}

func newRunner[S any](t testing.TB, m *execspec.Model[S], set settings) (*runner[S], error) {
	mc, err := machine.Compile(m)
	if err != nil {
		return nil, err
	}
	cmp, err := statediff.New(mc, set.Ignore)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", mc.Name(), err)
	}
	r := &runner[S]{
		t: t, ctx: t.Context(), mc: mc, ex: mc.NewExecutor(), set: set, cmp: cmp,
		name: t.Name(), cur: new(S), nxt: new(S), seen: map[uint64]bool{},
		examples: mc.PropertiesOf(machine.Example), outs: newOutputs(mc, set.Outputs), labels: pickLabels{},
	}
	r.ex.Record(true)
	r.rep = newReport(mc, set)
	return r, nil
}

func (r *runner[S]) setDriver(d Driver[S]) error {
	r.drv = d
	if o, ok := d.(Observer[S]); ok {
		r.obs = o
	}
	r.odrv, _ = d.(OutputDriver)
	r.rep.Observed = r.obs != nil
	if r.outs != nil && r.odrv == nil {
		return fmt.Errorf("Options.Outputs declares outputs (%s), but the driver %T has no StepOutputs method to report them (see OutputDriver)", strings.Join(r.set.Outputs, ", "), d)
	}
	return nil
}

// outcome is what running a plan gave.
type outcome struct {
	div    *Divergence // the implementation diverged (nil: it did not)
	err    error       // the driver failed, or the model panicked
	reject string      // the model does not accept the plan
	// skip: the step cannot be handed to the driver (see runStep), and is
	// left out of the run.
	skip bool
	// ran is the plan as run, up to the divergence: each step with the
	// branch the model took (with outputs, the one the implementation's
	// answers select) and whether the model allows it in the state
	// reached.
	ran plan
}

// extender proposes the next step of a random walk from the model state
// the run reached; ok is false when the walk ends.
type extender[S any] func(cur *S) (st engine.PlanStep, ok bool, err error)

// runPlan executes p against the model and the driver, then, with more,
// the steps more proposes from the states reached. With collect it counts
// the steps, states and actions in the report.
func (r *runner[S]) runPlan(p plan, collect bool, more extender[S]) (out outcome) {
	mc, ex := r.mc, r.ex
	out.ran = plan{Plan: engine.Plan{Init: p.Init}, origin: p.origin, sample: p.sample}
	res := ex.Exec(machine.InitAction, nil, r.cur, machine.Path(p.Init).Choices())
	if res.Err != nil {
		out.err = fmt.Errorf("model %s: %w", mc.Name(), res.Err)
		return out
	}
	if !res.Enabled {
		out.reject = "init is not enabled for the recorded choices"
		return out
	}
	st, err := r.step(0, "init", res.Picks, true)
	if err != nil {
		out.err = err
		return out
	}
	if collect {
		r.rep.Traces++
		r.visit(r.cur)
	}
	if pv, err := r.call(func() error { return r.drv.Reset(r.ctx, st) }); pv != nil {
		out.div = &Divergence{Kind: Panicked, Step: 0, Action: "init", Err: pv}
		return out
	} else if err != nil {
		out.err = fmt.Errorf("driver Reset: %w", err)
		return out
	}
	if out.div, out.err = r.observe(0, "init"); out.div != nil || out.err != nil {
		return out
	}
	for i := 0; ; i++ {
		var ps engine.PlanStep
		switch {
		case i < len(p.Steps):
			ps = p.Steps[i]
		case more != nil:
			next, ok, err := more(r.cur)
			if err != nil {
				out.err = fmt.Errorf("step %d: model %s: %w", len(out.ran.Steps)+1, mc.Name(), err)
				return out
			}
			if !ok {
				return out
			}
			ps = next
		default:
			return out
		}
		ran, o := r.runStep(len(out.ran.Steps)+1, ps, collect)
		if o.reject != "" || o.err != nil {
			o.ran = out.ran
			return o
		}
		if o.skip {
			continue
		}
		out.ran.Steps = append(out.ran.Steps, ran)
		if o.div != nil {
			out.div = o.div
			return out
		}
		if out.div, out.err = r.observe(len(out.ran.Steps), mc.ActionName(ps.Action)); out.div != nil || out.err != nil {
			return out
		}
	}
}

// runStep drives step idx, ps, from the model state r.cur: it executes ps
// on the model, hands the step to the driver and judges the outcome; when
// the model allows the step and the implementation performed it, r.cur
// moves to the state reached. It returns the step as run (see
// outcome.ran). Without outputs, a plan step the model judges otherwise
// than the plan is rejected; with outputs the model judges each step in
// the state the implementation's answers led to, and a step it does not
// allow there before it has picked every input (a plan drawn ahead from
// the model's own outputs may hold one) is skipped: the driver could not
// be handed it.
func (r *runner[S]) runStep(idx int, ps engine.PlanStep, collect bool) (ran engine.PlanStep, out outcome) {
	mc := r.mc
	name := mc.ActionName(ps.Action)
	res := r.ex.Exec(ps.Action, r.cur, r.nxt, machine.Path(ps.Path).Choices())
	if res.Err != nil {
		out.err = fmt.Errorf("step %d: model %s: %w", idx, mc.Name(), res.Err)
		return ps, out
	}
	ran = engine.PlanStep{Action: ps.Action, Path: append([]int(nil), res.Path...), Enabled: res.Enabled}
	picks := res.Picks
	switch {
	case r.outs != nil:
		picks = r.outs.inputs(res.Picks)
		if !res.Enabled {
			ok, path, err := r.outs.allows(ps.Action, r.cur, picks)
			if err != nil {
				out.err = fmt.Errorf("step %d: %w", idx, err)
				return ps, out
			}
			if ok {
				ran.Path, ran.Enabled = path, true
			}
		}
		if !ran.Enabled && r.labels.known(ps.Action) && !r.labels.complete(ps.Action, picks) {
			out.skip = true
			return ran, out
		}
	case res.Enabled != ps.Enabled:
		verb := "does not allow"
		if res.Enabled {
			verb = "allows"
		}
		out.reject = fmt.Sprintf("step %d (%s): the model %s it", idx, name, verb)
		return ps, out
	}
	if ran.Enabled {
		r.labels.note(ps.Action, picks)
	}
	st, err := r.step(idx, name, picks, ran.Enabled)
	if err != nil {
		out.err = err
		return ps, out
	}
	st.Environment = mc.IsEnvironment(ps.Action)
	if collect {
		r.rep.Steps++
		if ran.Enabled {
			r.rep.Actions[ps.Action].Performed++
		} else {
			r.rep.Refusals++
			r.rep.Actions[ps.Action].Refused++
		}
	}
	var outs []Labelled
	pv, err := r.call(func() error {
		if r.odrv == nil {
			return r.drv.Step(r.ctx, st)
		}
		var err error
		outs, err = r.odrv.StepOutputs(r.ctx, st)
		return err
	})
	refused := errors.Is(err, ErrRefused)
	diverged := func(k DivergenceKind, err error) (engine.PlanStep, outcome) {
		out.div = &Divergence{Kind: k, Step: idx, Action: name, Err: err}
		return ran, out
	}
	switch {
	case pv != nil:
		return diverged(Panicked, pv)
	case ran.Enabled && refused && st.Environment:
		out.err = fmt.Errorf("step %d, %s: the driver refused %s, an environment action the implementation cannot refuse (a clock tick, a crash): make the driver perform it: %w", idx, st, name, err)
		return ran, out
	case ran.Enabled && refused:
		return diverged(Refused, err)
	case errors.Is(err, ErrMismatch):
		return diverged(Mismatch, err)
	case !ran.Enabled && err == nil:
		var chose error
		if tp, err := machine.TracePicks(outs); err == nil && len(tp) > 0 {
			chose = fmt.Errorf("it answered %s", trace.FormatPicks(tp))
		}
		return diverged(Performed, chose)
	case err != nil && !refused:
		out.err = fmt.Errorf("step %d, %s: driver: %w", idx, st, err)
		return ran, out
	case !ran.Enabled:
		return ran, out // refused, as the model says
	}
	switch {
	case r.outs != nil:
		fres, ok, err := r.outs.follow(ps.Action, r.cur, r.nxt, picks, outs)
		if err != nil {
			out.err = fmt.Errorf("step %d, %s: %w", idx, st, err)
			return ran, out
		}
		if !ok {
			return diverged(Mismatch, r.outputError(idx, ps.Action, st, picks, outs))
		}
		ran.Path = fres.Path
	case len(outs) > 0:
		out.err = fmt.Errorf("step %d, %s: the driver returned outputs, but Options.Outputs declares none", idx, st)
		return ran, out
	}
	if steps := mc.StepInvariants(); len(steps) > 0 {
		// The model's transition for the step performed: with outputs,
		// the branch the implementation's answers chose.
		switch v := engine.JudgeStep(mc, steps, r.cur, r.nxt); v.Kind {
		case findings.Panicked:
			out.err = fmt.Errorf("step %d: model %s: %w", idx, mc.Name(), v.Err)
			return ran, out
		case findings.StepViolated:
			return diverged(StepViolated, fmt.Errorf("step invariant %s does not hold on step %d (%s)", v.Property, idx, st))
		}
	}
	r.cur, r.nxt = r.nxt, r.cur
	if collect {
		r.visit(r.cur)
	}
	return ran, out
}

// outputError describes outputs the model does not allow at step idx.
func (r *runner[S]) outputError(idx, action int, st Step, in, outs []Labelled) error {
	got, err := machine.TracePicks(outs)
	if err != nil {
		return fmt.Errorf("step %d: output %w", idx, err)
	}
	exp, err := r.outs.expected(action, r.cur, in)
	if err != nil {
		return fmt.Errorf("step %d: %w", idx, err)
	}
	st.Enabled = true // not "(expect refusal)"
	return &OutputError{Step: st.String(), Outputs: got, Expected: exp}
}

// step builds the driver's Step from the model's picks.
func (r *runner[S]) step(idx int, action string, picks []Labelled, enabled bool) (Step, error) {
	st := Step{Index: idx, Action: action, Enabled: enabled}
	if len(picks) > 0 {
		st.Picks = append([]Labelled(nil), picks...)
		st.Values = make([]trace.Pick, len(picks))
		for i, p := range picks {
			v, err := itf.Marshal(p.Value)
			if err != nil {
				return st, fmt.Errorf("step %d, %s: pick %s: %w", idx, action, p.Label, err)
			}
			st.Values[i] = trace.Pick{Label: p.Label, Value: v}
		}
	}
	return st, nil
}

// modelTrace executes p against the model alone and returns its trace and
// the indices of the steps the model does not allow.
func (r *runner[S]) modelTrace(p plan) (*trace.Trace, []int, error) {
	mc, ex := r.mc, r.ex
	cur, nxt := new(S), new(S)
	tr := mc.NewTrace()
	var disabled []int
	res := ex.Exec(machine.InitAction, nil, cur, machine.Path(p.Init).Choices())
	if res.Err != nil || !res.Enabled {
		return nil, nil, fmt.Errorf("init is not enabled for the recorded choices")
	}
	st, err := mc.TraceStep("init", res.Picks, cur)
	if err != nil {
		return nil, nil, err
	}
	tr.Steps = append(tr.Steps, st)
	for i, ps := range p.Steps {
		res := ex.Exec(ps.Action, cur, nxt, machine.Path(ps.Path).Choices())
		if res.Err != nil || res.Enabled != ps.Enabled {
			return nil, nil, fmt.Errorf("step %d: the model no longer agrees with the plan", i+1)
		}
		s := nxt
		if !ps.Enabled {
			s = cur
			disabled = append(disabled, i+1)
		}
		picks := res.Picks
		if r.outs != nil && !ps.Enabled {
			picks = r.outs.inputs(picks) // the outputs of a refused step mean nothing
		}
		st, err := mc.TraceStep(mc.ActionName(ps.Action), picks, s)
		if err != nil {
			return nil, nil, err
		}
		tr.Steps = append(tr.Steps, st)
		if ps.Enabled {
			cur, nxt = nxt, cur
		}
	}
	return tr, disabled, nil
}

// observe compares the implementation's state with the model's after step
// idx, when the driver observes.
func (r *runner[S]) observe(idx int, action string) (*Divergence, error) {
	if r.obs == nil {
		return nil, nil
	}
	var got S
	pv, err := r.call(func() error {
		var err error
		got, err = r.obs.Observe(r.ctx)
		return err
	})
	switch {
	case pv != nil:
		return &Divergence{Kind: Panicked, Step: idx, Action: action, Err: pv}, nil
	case errors.Is(err, ErrNotObserved):
		r.obs = nil
		r.rep.Observed = false
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("after step %d (%s): driver Observe: %w", idx, action, err)
	}
	diff, err := r.cmp.Diff(r.cur, &got)
	if err != nil {
		return nil, fmt.Errorf("after step %d (%s): %w", idx, action, err)
	}
	if len(diff) > 0 {
		return &Divergence{Kind: StateMismatch, Step: idx, Action: action, Diff: diff}, nil
	}
	return nil, nil
}

// call runs a driver method, turning a panic into a *DriverPanic.
func (r *runner[S]) call(f func() error) (pv *DriverPanic, err error) {
	defer func() {
		if v := recover(); v != nil {
			pv = &DriverPanic{Value: v, Stack: string(debug.Stack())}
		}
	}()
	return nil, f()
}

// visit counts a model state reached by a generated trace.
func (r *runner[S]) visit(s *S) {
	r.enc = r.mc.AppendEncoding(r.enc[:0], s)
	fp := machine.Fingerprint(r.enc)
	if r.seen[fp] {
		return
	}
	r.seen[fp] = true
	r.rep.States++
	for i, p := range r.examples {
		if ok, err := r.mc.Eval(p, s); err == nil && ok {
			r.rep.Examples[i].States++
		}
	}
}

// DriverPanic is the error of a Panicked divergence: what the driver (or
// the implementation it called) panicked with.
type DriverPanic struct {
	Value any
	Stack string
}

func (p *DriverPanic) Error() string { return fmt.Sprintf("panic: %v", p.Value) }
