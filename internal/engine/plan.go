package engine

// Plan is a trace as the choices that produce it: the choices of init and,
// for each step, the action and its choices (machine.Path). Re-executing a
// plan on the model gives the same trace, which is how traces are shrunk,
// replayed and handed to drivers without storing states.
type Plan struct {
	Init  []int
	Steps []PlanStep
}

// PlanStep is one step of a Plan.
type PlanStep struct {
	Action int
	Path   []int
	// Enabled is false for a step the model does not allow (model-based
	// testing proposes such steps; the implementation must refuse them).
	Enabled bool
}

// Clone returns a deep copy of p.
func (p Plan) Clone() Plan {
	q := Plan{Init: append([]int(nil), p.Init...), Steps: make([]PlanStep, len(p.Steps))}
	for i, s := range p.Steps {
		q.Steps[i] = PlanStep{s.Action, append([]int(nil), s.Path...), s.Enabled}
	}
	return q
}

// Cut returns p ending after step n (p itself when it has no more).
func (p Plan) Cut(n int) Plan {
	if n < len(p.Steps) {
		p.Steps = p.Steps[:n]
	}
	return p
}
