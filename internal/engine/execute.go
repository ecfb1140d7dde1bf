package engine

import (
	"fmt"

	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Execute re-executes plan p on the model from its initial state, calling
// visit after init (step 0, action machine.InitAction) and after every
// step with the step's index, action, result and the state reached (for a
// step that panicked or was not enabled, the state before it). visit
// returns false to stop. Execute stops by itself after a step that panics
// or is not enabled as the plan says, and returns how many steps it ran
// (init counting 0).
func Execute[S any](mc *machine.Machine[S], ex *machine.Executor[S], p Plan, visit func(i, action int, r machine.Result, s *S) bool) int {
	cur, nxt := new(S), new(S)
	r := ex.Exec(machine.InitAction, nil, cur, machine.Path(p.Init).Choices())
	if !visit(0, machine.InitAction, r, cur) || r.Err != nil || !r.Enabled {
		return 0
	}
	for i, st := range p.Steps {
		r := ex.Exec(st.Action, cur, nxt, machine.Path(st.Path).Choices())
		if r.Enabled && r.Err == nil {
			cur, nxt = nxt, cur
		}
		if !visit(i+1, st.Action, r, cur) || r.Err != nil || r.Enabled != st.Enabled {
			return i + 1
		}
	}
	return len(p.Steps)
}

// TraceOf re-executes p with recording on and returns its trace: each
// step's action, picks and the state reached (a step that panicked shows
// the state before it).
func TraceOf[S any](mc *machine.Machine[S], p Plan) (*trace.Trace, error) {
	ex := mc.NewExecutor()
	ex.Record(true)
	t := mc.NewTrace()
	var err error
	Execute(mc, ex, p, func(i, action int, r machine.Result, s *S) bool {
		if i > 0 && !r.Enabled && r.Err == nil {
			err = fmt.Errorf("step %d (%s) is not enabled: the plan does not replay", i, mc.ActionName(action))
			return false
		}
		st, e := mc.TraceStep(mc.ActionName(action), r.Picks, s)
		if e != nil {
			err = e
			return false
		}
		t.Steps = append(t.Steps, st)
		return true
	})
	return t, err
}
