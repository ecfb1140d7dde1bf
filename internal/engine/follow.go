package engine

import (
	"fmt"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Follow re-executes a trace on the model: each step's recorded action
// with its recorded picks (as execspec writes them, and Quint with --mbt),
// from the model's initial state. It calls visit with every state reached,
// the initial one first; visit returns false to stop. It returns an error
// when the trace is not a behaviour of the model as recorded: an unknown
// action, a pick the model does not make or cannot take, a guard that
// fails, a panic, or a state that differs from the recorded one on the
// trace's variables. Each error names the step.
func Follow[S any](mc *machine.Machine[S], tr *trace.Trace, visit func(i int, s *S) bool) error {
	return follow(mc, tr, true, func(i int, _, s *S, _ machine.Result) bool { return visit(i, s) })
}

// FollowSteps is Follow for engines that judge transitions (step
// invariants): visit gets the state each step started from too, nil for
// the initial state. Both are valid during the call only.
func FollowSteps[S any](mc *machine.Machine[S], tr *trace.Trace, visit func(i int, before, s *S) bool) error {
	return follow(mc, tr, true, func(i int, before, s *S, _ machine.Result) bool { return visit(i, before, s) })
}

// Rewrite re-executes a trace's actions and picks as Follow does, but
// takes the model's states instead of comparing them with the recorded
// ones, and returns the trace that records them: a trace saved before the
// model's state changed (a variable added, a value computed otherwise),
// brought up to date. It fails when the actions and picks no longer replay.
func Rewrite[S any](mc *machine.Machine[S], tr *trace.Trace) (*trace.Trace, error) {
	out := mc.NewTrace()
	out.Meta = tr.Meta
	var err error
	ferr := follow(mc, tr, false, func(i int, _, s *S, r machine.Result) bool {
		name := "init"
		if i > 0 {
			name = tr.Steps[i].Action
		}
		st, e := mc.TraceStep(name, r.Picks, s)
		if e != nil {
			err = e
			return false
		}
		out.Steps = append(out.Steps, st)
		return true
	})
	if ferr != nil {
		return nil, ferr
	}
	return out, err
}

// follow is Follow, comparing the states reached with the recorded ones
// when compare is set; visit gets each step's result too (with its picks
// recorded).
func follow[S any](mc *machine.Machine[S], tr *trace.Trace, compare bool, visit func(i int, before, s *S, r machine.Result) bool) error {
	if len(tr.Steps) == 0 {
		return fmt.Errorf("the trace has no states")
	}
	ex := mc.NewExecutor()
	ex.Record(!compare)
	cur, nxt := new(S), new(S)
	for i, st := range tr.Steps {
		action := machine.InitAction
		if i > 0 {
			if st.Action == "" {
				return fmt.Errorf("state %d records no action (%s)", i, itf.ActionTakenVar)
			}
			a, err := mc.ActionIndex(st.Action)
			if err != nil {
				return fmt.Errorf("state %d: %w", i, err)
			}
			action = a
		}
		recorded := make(map[string]itf.Value, len(st.Picks))
		for _, pk := range st.Picks {
			recorded[pk.Label] = pk.Value
		}
		ex.Direct(recorded)
		from := cur
		if i == 0 {
			from = nil
		}
		res := ex.Exec(action, from, nxt, machine.Path(nil).Choices())
		what := fmt.Sprintf("state %d (%s)", i, mc.ActionName(action))
		switch {
		case res.Err != nil:
			return fmt.Errorf("%s: the model panicked: %w", what, res.Err)
		case res.Mismatch != "":
			return fmt.Errorf("%s: %s", what, res.Mismatch)
		case !res.Enabled:
			return fmt.Errorf("%s: the model does not allow this step (a guard fails)", what)
		}
		cur, nxt = nxt, cur
		if compare {
			vals, err := mc.ToITF(cur)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if diff := trace.DiffStates(tr.Vars, vals, st.State); len(diff) > 0 {
				return fmt.Errorf("%s: the model's state differs from the trace's: %s", what, trace.FormatChange(diff[0]))
			}
		}
		before := nxt // the state the step started from, after the swap
		if i == 0 {
			before = nil
		}
		if !visit(i, before, cur, res) {
			return nil
		}
	}
	return nil
}
