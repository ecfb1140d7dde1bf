package machine

import (
	"errors"

	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/itf"
)

// Refinement is a refinement declared with execspec.Refines: the machine's
// model implements the high model under a mapping of states.
type Refinement[S any] struct {
	// Name is the refinement's property name.
	Name string
	// High is the high model's name; HighVars its variables, as the
	// mapped states show them.
	High     string
	HighVars []string
	// HighFairness are the high model's fairness declarations; Unverified
	// the ones the checker does not verify (declared Per or When), rendered as
	// Fairness.String renders them.
	HighFairness []Fairness
	Unverified   []string
	def          *core.Refinement[S]
}

func newRefinement[S any](name string, def *core.Refinement[S]) *Refinement[S] {
	r := &Refinement[S]{Name: name, High: def.High, HighVars: def.HighVars, Unverified: def.Unverified, def: def}
	for _, f := range def.HighFairness {
		r.HighFairness = append(r.HighFairness, Fairness{Kind: FairnessKind(f.Kind), Actions: f.Actions, PerPick: f.PerPick, When: f.When})
	}
	return r
}

// NewChecker returns a checker of the refinement for one goroutine.
func (r *Refinement[S]) NewChecker() *RefinementChecker[S] {
	return &RefinementChecker[S]{c: r.def.New()}
}

// RefinementChecker checks initial states and steps of a model against the
// high model of one of its refinements. It remembers the high model's
// successors of the mapped states it met. It is not safe for concurrent
// use.
type RefinementChecker[S any] struct {
	c core.RefinementChecker[S]
}

// RefinementStep is what the high model says of one mapped initial state
// or step.
type RefinementStep struct {
	// OK is true when the high model allows it.
	OK bool
	// Stutter is true for a step whose mapped state did not change.
	Stutter bool
	// Action is the high action that takes the step ("init" for an
	// initial state); Picks its picks, when explained.
	Action string
	Picks  []Pick
}

// Init checks that s maps to an initial state of the high model. A panic
// in the mapping or in the high model's init is a *PanicError.
func (c *RefinementChecker[S]) Init(s *S) (RefinementStep, error) {
	st, err := c.c.Init(s)
	return RefinementStep(st), panicOf(err)
}

// Step checks that the step from -> to maps to a step of the high model or
// to a stuttering step; with explain, the result names the high action
// and its picks. A panic in the mapping or in a high action is a
// *PanicError.
func (c *RefinementChecker[S]) Step(from, to *S, explain bool) (RefinementStep, error) {
	st, err := c.c.Step(from, to, explain)
	return RefinementStep(st), panicOf(err)
}

// Mapped returns the high state s maps to, as ITF values by variable.
func (c *RefinementChecker[S]) Mapped(s *S) (map[string]itf.Value, error) {
	m, err := c.c.Mapped(s)
	return m, panicOf(err)
}

// panicOf turns a panic recovered by the refinement checker into a
// *PanicError.
func panicOf(err error) error {
	var p *core.Panic
	if errors.As(err, &p) {
		return &PanicError{Where: p.Where, Picks: p.Picks, Value: p.Value, Stack: p.Stack}
	}
	return err
}
