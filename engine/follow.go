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
	if len(tr.Steps) == 0 {
		return fmt.Errorf("the trace has no states")
	}
	ex := mc.NewExecutor()
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
		vals, err := mc.ToITF(cur)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if diff := trace.DiffStates(tr.Vars, vals, st.State); len(diff) > 0 {
			return fmt.Errorf("%s: the model's state differs from the trace's: %s", what, trace.FormatChange(diff[0]))
		}
		if !visit(i, cur) {
			return nil
		}
	}
	return nil
}
