package validate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// DefaultMaxExecutions is the default of Options.MaxExecutions.
const DefaultMaxExecutions = 100000

// Options configures Trace. The zero value works.
type Options struct {
	// MaxExecutions caps the executions of the model spent looking for the
	// transition to one state (default DefaultMaxExecutions). With every
	// pick recorded a step costs one execution; a pick that is not
	// recorded multiplies the cost by its number of candidates, and a step
	// without a recorded action tries every action.
	MaxExecutions int
	_             struct{}
}

// Reason says why a state of the trace is not reached.
type Reason int

const (
	// PickMismatch: a recorded pick is not one of the model's candidates
	// for it (its value, or the branch of an Either); see Failure.Detail.
	PickMismatch Reason = iota + 1
	// Disabled: the action is not enabled in the previous state with the
	// recorded picks (every branch fails a guard). For the first state:
	// Init has no branch compatible with the recorded picks.
	Disabled
	// NoMatch: the action is enabled, but none of its successors equals the
	// recorded state; see Failure.Closest and Failure.Diff.
	NoMatch
	// Panicked: the model panicked on every branch it could have taken;
	// Failure.Err is the *machine.PanicError.
	Panicked
	// Incomplete: Options.MaxExecutions ran out before a matching successor
	// was found; the trace may still be valid.
	Incomplete
	// Interrupted: the context was cancelled.
	Interrupted
	// StepViolated: the state is reached, but the transition to it
	// violates a step invariant (execspec.Model.StepInvariant), named by
	// Failure.Property: the trace is a behaviour of the model's actions
	// that breaks a property of its steps.
	StepViolated
)

var reasonNames = [...]string{
	PickMismatch: "pick_mismatch",
	Disabled:     "disabled",
	NoMatch:      "no_match",
	Panicked:     "panicked",
	Incomplete:   "incomplete",
	Interrupted:  "interrupted",
	StepViolated: "step_violated",
}

// String returns the reason's name in snake case ("no_match"), as used in
// JSON output.
func (r Reason) String() string {
	if r > 0 && int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// Report is the outcome of validating one trace.
type Report struct {
	// Steps describes, for each state that was reached (all of them when
	// the trace is valid), the model's transition to it: Steps[0] is the
	// Init branch.
	Steps []Step
	// Closing is the transition from the last state back to the loop start
	// of a lasso, when the trace has a loop and it was checked.
	Closing *Step
	// Failure is the first state that is not reached; nil when the trace is
	// valid.
	Failure *Failure
	// IgnoredVars are the trace's variables that the model does not have
	// (Quint's mbt:: variables excepted); they take no part in validation.
	IgnoredVars []string
	// Notes are remarks worth showing, such as picks the trace records
	// that the model's action does not make.
	Notes []string
}

// Valid reports whether the trace is a behaviour of the model whose every
// transition keeps the model's step invariants.
func (r *Report) Valid() bool { return r.Failure == nil }

// Transitions returns the number of transitions validated (states reached
// minus one, plus the closing transition of a lasso).
func (r *Report) Transitions() int {
	n := max(len(r.Steps)-1, 0)
	if r.Closing != nil {
		n++
	}
	return n
}

// Step is the model's transition to one state of the trace.
type Step struct {
	// Action is the model's action; "init" for the first state.
	Action string
	// Picks are the picks the model made, as ITF values: the recorded ones
	// and those validation found.
	Picks []trace.Pick
	// Inferred is true when the trace did not name the action and
	// validation found it by search.
	Inferred bool
	// Executions is the number of executions of the model it took.
	Executions int
}

// Failure describes the first state of a trace that the model does not
// reach.
type Failure struct {
	// Step is the index of the state that is not reached: 0 for an initial
	// state the model does not have, len(states) for the closing transition
	// of a lasso back to state LoopTo.
	Step int
	// LoopTo is the lasso's loop start when Step is the closing transition,
	// -1 otherwise.
	LoopTo int
	// Action is the action the trace records for the state ("" when it
	// records none and every action was tried; "init" for the first state).
	Action string
	// Picks are the picks the trace records for the state.
	Picks  []trace.Pick
	Reason Reason
	// Property is the step invariant violated (StepViolated), or the one
	// that panicked (Panicked, with Err).
	Property string
	// Detail explains the reason in words: the mismatch of a recorded pick,
	// what was tried.
	Detail string
	// Err is the model's *machine.PanicError when Reason is Panicked (or
	// when some branches panicked and others did not match).
	Err error
	// Closest is the enabled successor with the fewest differences from
	// the recorded state; nil when there is none (Disabled, PickMismatch).
	Closest *Successor
	// Diff lists those differences over the model's variables: Old is the
	// model's value (what was expected), New the recorded one (what the
	// trace shows), as in every comparison of expected and actual values.
	Diff []trace.Change
	// Executions is the number of executions of the model spent on it.
	Executions int
}

// Successor is one state the model can reach, with how.
type Successor struct {
	Action string
	Picks  []trace.Pick
	State  map[string]itf.Value
}

// Error returns a one-line summary, so that a Failure can be used as an
// error.
func (f *Failure) Error() string {
	return fmt.Sprintf("%s: %s", f.Where(), f.Summary())
}

// Where names the failing transition: "state 3 (deposit [amount=3])".
func (f *Failure) Where() string {
	switch {
	case f.LoopTo >= 0:
		return fmt.Sprintf("the lasso's closing transition (from state %d back to state %d)", f.Step-1, f.LoopTo)
	case f.Step == 0:
		return "state 0 (initial state" + picksSuffix(f.Picks) + ")"
	case f.Action == "":
		return fmt.Sprintf("state %d (action not recorded%s)", f.Step, picksSuffix(f.Picks))
	}
	return fmt.Sprintf("state %d (%s%s)", f.Step, f.Action, picksSuffix(f.Picks))
}

// Summary says why the state is not reached, in one line.
func (f *Failure) Summary() string {
	what := "action " + f.Action
	switch {
	case f.Step == 0 && f.LoopTo < 0:
		what = "Init"
	case f.Action == "":
		what = "any action"
	}
	switch f.Reason {
	case PickMismatch:
		return "a recorded pick is not one of the model's candidates: " + f.Detail
	case Disabled:
		if f.Step == 0 && f.LoopTo < 0 {
			return "Init has no branch with the recorded picks (every branch fails a guard)"
		}
		if len(f.Picks) > 0 {
			return what + " is not enabled in the previous state with the recorded picks"
		}
		return what + " is not enabled in the previous state"
	case NoMatch:
		if f.Step == 0 && f.LoopTo < 0 {
			return "not an initial state of the model: " + f.Detail
		}
		return "no successor of " + what + " equals the recorded state: " + f.Detail
	case Panicked:
		return "the model panicked: " + errString(f.Err)
	case Incomplete:
		return "undecided: " + f.Detail
	case Interrupted:
		return "validation interrupted"
	case StepViolated:
		return "step invariant " + f.Property + " does not hold on the transition to the recorded state"
	}
	return f.Reason.String()
}

func errString(err error) string {
	if err == nil {
		return "(no error)"
	}
	return err.Error()
}

// Describe renders the failure for people: the summary, then the closest
// successor and what differs, one change per line ("path: recorded ->
// model"), each line prefixed by indent.
func (f *Failure) Describe(indent string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s\n", indent, f.Summary())
	if f.Err != nil && f.Reason != Panicked {
		fmt.Fprintf(&b, "%s(some branches panicked: %v)\n", indent, f.Err)
	}
	if f.Closest != nil {
		fmt.Fprintf(&b, "%sclosest successor: %s%s, %d difference(s) (model -> recorded):\n", indent, f.Closest.Action, picksSuffix(f.Closest.Picks), len(f.Diff))
		for _, c := range f.Diff {
			fmt.Fprintf(&b, "%s    %s\n", indent, trace.FormatChange(c))
		}
	}
	return b.String()
}

func picksSuffix(picks []trace.Pick) string {
	if len(picks) == 0 {
		return ""
	}
	return " [" + trace.FormatPicks(picks) + "]"
}

// Trace validates t against the model: see the package documentation. It
// returns an error, not a Report, when t cannot be validated at all: it has
// no states, lacks a variable of the model, names an action the model does
// not have, or the model's states cannot be converted to ITF. Cancelling
// ctx stops the validation; the Report then fails with Interrupted.
func Trace[S any](ctx context.Context, mc *machine.Machine[S], t *trace.Trace, opts Options) (*Report, error) {
	if opts.MaxExecutions <= 0 {
		opts.MaxExecutions = DefaultMaxExecutions
	}
	if t == nil || len(t.Steps) == 0 {
		return nil, errors.New("the trace has no states")
	}
	rep := &Report{}
	if err := checkVars(mc, t, rep); err != nil {
		return nil, err
	}
	actions := make([]int, len(t.Steps))
	actions[0] = machine.InitAction
	for i := 1; i < len(t.Steps); i++ {
		a := t.Steps[i].Action
		if a == "" {
			actions[i] = anyAction
			continue
		}
		ai, err := mc.ActionIndex(a)
		if err != nil {
			return nil, fmt.Errorf("state %d: the trace's action is not in model %s: %w", i, mc.Name(), err)
		}
		actions[i] = ai
	}
	if t.Loop != nil && (*t.Loop < 0 || *t.Loop >= len(t.Steps)) {
		return nil, fmt.Errorf("loop %d is out of range for %d states", *t.Loop, len(t.Steps))
	}

	v := &validator[S]{ctx: ctx, mc: mc, ex: mc.NewExecutor(), vars: mc.Vars(), opts: opts, to: new(S)}
	v.ex.Record(true)
	defer v.ex.Direct(nil)
	var cur *S
	for i, st := range t.Steps {
		if v.interrupted() {
			rep.Failure = &Failure{Step: i, LoopTo: -1, Action: st.Action, Picks: st.Picks, Reason: Interrupted}
			return rep, nil
		}
		recorded := picksMap(st.Picks)
		o, err := v.step(actions[i], cur, recorded, st.State)
		if err != nil {
			return nil, fmt.Errorf("state %d: %w", i, err)
		}
		if o.failure != nil {
			f := o.failure
			f.Step, f.LoopTo, f.Picks = i, -1, st.Picks
			f.Action = st.Action
			if i == 0 {
				f.Action = "init"
			}
			rep.Failure = f
			return rep, nil
		}
		if unused := unusedPicks(st.Picks, o.step.Picks); len(unused) > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("state %d: the trace records pick(s) %s, which %s does not make (ignored)",
				i, strings.Join(unused, ", "), o.step.Action))
		}
		o.step.Inferred = i > 0 && actions[i] == anyAction
		rep.Steps = append(rep.Steps, o.step)
		if f := v.judgeStep(cur, o.state); f != nil {
			f.Step, f.LoopTo, f.Action, f.Picks = i, -1, st.Action, st.Picks
			rep.Failure = f
			return rep, nil
		}
		cur = o.state
	}
	if t.Loop != nil {
		k, last := *t.Loop, len(t.Steps)-1
		if !sameState(v.vars, t.Steps[k].State, t.Steps[last].State) {
			o, err := v.step(anyAction, cur, nil, t.Steps[k].State)
			if err != nil {
				return nil, fmt.Errorf("closing transition of the lasso: %w", err)
			}
			if o.failure != nil {
				f := o.failure
				f.Step, f.LoopTo = len(t.Steps), k
				rep.Failure = f
				return rep, nil
			}
			o.step.Inferred = true
			rep.Closing = &o.step
			if f := v.judgeStep(cur, o.state); f != nil {
				f.Step, f.LoopTo = len(t.Steps), k
				rep.Failure = f
				return rep, nil
			}
		}
	}
	return rep, nil
}

// anyAction stands for "the trace does not say": every action is tried.
const anyAction = -2

func checkVars[S any](mc *machine.Machine[S], t *trace.Trace, rep *Report) error {
	have := make(map[string]bool, len(t.Vars))
	for _, v := range t.Vars {
		have[v] = true
	}
	var missing []string
	model := make(map[string]bool, len(mc.Vars()))
	for _, v := range mc.Vars() {
		model[v] = true
		if !have[v] {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the trace lacks variable(s) %s of model %s (the model's variables: %s; the trace's: %s)",
			quoteList(missing), mc.Name(), quoteList(mc.Vars()), quoteList(t.Vars))
	}
	for _, v := range t.Vars {
		if !model[v] && !strings.HasPrefix(v, "mbt::") {
			rep.IgnoredVars = append(rep.IgnoredVars, v)
		}
	}
	sort.Strings(rep.IgnoredVars)
	for i, st := range t.Steps {
		for _, v := range mc.Vars() {
			if !st.State[v].IsValid() {
				return fmt.Errorf("state %d: variable %q missing", i, v)
			}
		}
	}
	return nil
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

func picksMap(picks []trace.Pick) map[string]itf.Value {
	if len(picks) == 0 {
		return nil
	}
	m := make(map[string]itf.Value, len(picks))
	for _, p := range picks {
		m[p.Label] = p.Value
	}
	return m
}

// unusedPicks returns the recorded labels the model's transition did not
// pick.
func unusedPicks(recorded, made []trace.Pick) []string {
	var out []string
	for _, r := range recorded {
		found := false
		for _, m := range made {
			if m.Label == r.Label {
				found = true
				break
			}
		}
		if !found {
			out = append(out, r.Label)
		}
	}
	return out
}

func sameState(vars []string, a, b map[string]itf.Value) bool {
	for _, v := range vars {
		if !itf.Equal(a[v], b[v]) {
			return false
		}
	}
	return true
}

type validator[S any] struct {
	ctx  context.Context
	mc   *machine.Machine[S]
	ex   *machine.Executor[S]
	vars []string
	opts Options
	to   *S
	odo  machine.Odometer
}

// judgeStep judges the transition from cur (nil: none, an initial state)
// to next by the model's step invariants; the Failure of the first that
// does not hold or panics, nil when all hold. Action constraints, like
// state constraints, bound searches and are not judged here: validation
// asks whether the trace is a behaviour of the model.
func (v *validator[S]) judgeStep(cur, next *S) *Failure {
	switch vd := engine.JudgeStep(v.mc, v.mc.StepInvariants(), cur, next); vd.Kind {
	case findings.Panicked:
		return &Failure{Reason: Panicked, Property: vd.Property, Err: vd.Err}
	case findings.StepViolated:
		return &Failure{Reason: StepViolated, Property: vd.Property}
	}
	return nil
}

func (v *validator[S]) interrupted() bool { return v.ctx.Err() != nil }

// outcome is the result of looking for the transition to one state.
type outcome[S any] struct {
	step    Step
	state   *S // the matching successor
	failure *Failure
}

// search is what step accumulates over the branches it runs.
type search struct {
	runs        int
	mismatch    string
	panicked    error
	enabled     int
	closest     *Successor
	closestDiff []trace.Change
}

// step looks for a transition by action (InitAction, or anyAction for
// every action) from cur to a state equal to want, with the recorded picks
// imposed.
func (v *validator[S]) step(action int, cur *S, recorded map[string]itf.Value, want map[string]itf.Value) (outcome[S], error) {
	var s search
	actions := []int{action}
	if action == anyAction {
		actions = make([]int, len(v.mc.Actions()))
		for i := range actions {
			actions[i] = i
		}
	}
	if cur == nil {
		cur = new(S)
	}
	v.ex.Direct(recorded)
	stop := Reason(0)
	for _, a := range actions {
		o, r, err := v.searchAction(a, cur, want, &s)
		if err != nil || o.state != nil {
			o.step.Executions = s.runs
			return o, err
		}
		if r != 0 {
			stop = r
			break
		}
	}
	f := &Failure{Executions: s.runs, Err: s.panicked}
	tried := fmt.Sprintf("%d execution(s), %d enabled successor(s)", s.runs, s.enabled)
	switch {
	case stop == Interrupted:
		f.Reason = Interrupted
	case stop == Incomplete:
		f.Reason = Incomplete
		f.Detail = fmt.Sprintf("no matching successor within the budget of %d executions (%d enabled successor(s) seen); raise the budget (--max-executions) to search further", v.opts.MaxExecutions, s.enabled)
	case s.enabled > 0:
		f.Reason = NoMatch
		f.Detail = tried
		if action == anyAction {
			f.Detail = fmt.Sprintf("%s over actions %s", tried, strings.Join(v.mc.Actions(), ", "))
		}
	case s.panicked != nil:
		f.Reason = Panicked
	case s.mismatch != "":
		f.Reason = PickMismatch
		f.Detail = s.mismatch
	default:
		f.Reason = Disabled
		f.Detail = tried
	}
	if f.Reason == NoMatch || f.Reason == Incomplete {
		f.Closest, f.Diff = s.closest, s.closestDiff
	}
	return outcome[S]{failure: f}, nil
}

// searchAction runs the branches of one action. It returns the matching
// successor in outcome.state, or a non-zero Reason when the search must
// stop (budget, interruption).
func (v *validator[S]) searchAction(action int, cur *S, want map[string]itf.Value, s *search) (outcome[S], Reason, error) {
	o := &v.odo
	o.Reset()
	for {
		if s.runs >= v.opts.MaxExecutions {
			return outcome[S]{}, Incomplete, nil
		}
		if s.runs&1023 == 1023 && v.interrupted() {
			return outcome[S]{}, Interrupted, nil
		}
		s.runs++
		res := v.ex.Exec(action, cur, v.to, o)
		switch {
		case res.Err != nil:
			if s.panicked == nil {
				s.panicked = res.Err
			}
		case res.Mismatch != "":
			if s.mismatch == "" {
				s.mismatch = res.Mismatch
			}
		case res.Enabled:
			s.enabled++
			vals, err := v.mc.ToITF(v.to)
			if err != nil {
				return outcome[S]{}, 0, err
			}
			picks, err := machine.TracePicks(res.Picks)
			if err != nil {
				return outcome[S]{}, 0, err
			}
			name := v.mc.ActionName(action)
			if sameState(v.vars, want, vals) {
				return outcome[S]{
					step:  Step{Action: name, Picks: picks},
					state: v.mc.Clone(v.to),
				}, 0, nil
			}
			if s.closest == nil || diffCountBelow(v.vars, want, vals, len(s.closestDiff)) {
				s.closest = &Successor{Action: name, Picks: picks, State: vals}
				s.closestDiff = trace.DiffStates(v.vars, vals, want)
			}
		}
		if !o.Next() {
			return outcome[S]{}, 0, nil
		}
	}
}

// diffCountBelow reports whether a and b differ in fewer than n changes,
// without computing more of the diff than needed when they do not.
func diffCountBelow(vars []string, a, b map[string]itf.Value, n int) bool {
	count := 0
	for _, v := range vars {
		if itf.Equal(a[v], b[v]) {
			continue
		}
		count += len(trace.Diff(v, a[v], b[v]))
		if count >= n {
			return false
		}
	}
	return true
}
