package core

import (
	"sync/atomic"

	"github.com/execspec/execspec/itf"
)

// Probe is one predicate made by execspec.Enabled: whether Action (number
// Index once the model is compiled) has a branch from a state that
// completes and makes every pick of Picks with the value given there.
//
// The predicate itself is the root package's closure; it evaluates the
// probe with the evaluator bound last (see Bind), so that the engine
// running the model decides how the action is executed: package machine
// binds one built on its Executor when it compiles the model, package
// reference its own plain execution while it explores.
type Probe[S any] struct {
	Action string
	Index  int
	Picks  map[string]itf.Value // by label; nil for none
	Show   string               // "grant with c=1", for messages
	eval   atomic.Pointer[ProbeEval[S]]
}

// ProbeEval evaluates a probe on a state; a panic in the action is
// re-panicked, for the engine evaluating the property to report.
type ProbeEval[S any] func(p *Probe[S], s *S) bool

// Bind makes eval the probe's evaluator and returns the one it replaces
// (nil for none).
func (p *Probe[S]) Bind(eval ProbeEval[S]) ProbeEval[S] {
	var old *ProbeEval[S]
	if eval == nil {
		old = p.eval.Swap(nil)
	} else {
		old = p.eval.Swap(&eval)
	}
	if old == nil {
		return nil
	}
	return *old
}

// Eval evaluates the probe on s with its evaluator; ok is false when none
// is bound (the model was never compiled).
func (p *Probe[S]) Eval(s *S) (enabled, ok bool) {
	f := p.eval.Load()
	if f == nil {
		return false, false
	}
	return (*f)(p, s), true
}
