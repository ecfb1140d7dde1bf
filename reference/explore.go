package reference

import (
	"context"
	"errors"
	"fmt"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
)

// DefaultMaxStates is the default of Options.MaxStates.
const DefaultMaxStates = 100_000

// Options configures Explore. The zero value explores every invariant
// without symmetry, data-pick reduction or deadlock detection.
type Options struct {
	// Property is the invariant or example to judge every state by; empty
	// judges every invariant.
	Property string
	// Symmetry identifies states by their orbit under the model's
	// symmetry declarations.
	Symmetry bool
	// Data applies the data-pick reduction the checker applies by default
	// (see execspec.Model.DataPicks): after an enabled branch, the other
	// values of the data picks that end it are not explored.
	Data bool
	// Deadlock reports the states, within the constraints, with no
	// enabled branch.
	Deadlock bool
	// MaxStates stops the exploration, incomplete, after this many
	// distinct states (default DefaultMaxStates; the reference is slow on
	// purpose, for small instances).
	MaxStates int
	_         struct{}
}

// State is one distinct state (one orbit under symmetry), with the first
// path that reached it in breadth-first order.
type State struct {
	// Key is the state's identity (see Key); under symmetry, its orbit's:
	// the smallest key of the renamings of the state.
	Key string
	// Depth follows TLC's convention: initial states are at depth 1.
	Depth int
	// Parent is the index in Result.States of the state this one was first
	// reached from, -1 for an initial state; Action (machine.InitAction
	// for an initial state) and Choices are the branch that reached it.
	Parent  int
	Action  int
	Choices []int
}

// Finding is a state, or a branch, the properties or the model's code
// single out.
type Finding struct {
	Kind     findings.Kind
	Property string // the invariant or example; empty for a panic in init or an action, and for a deadlock
	// Key and Depth are the state's. For a state outside the constraints,
	// which is judged but never stored, State is -1 and Parent, Action and
	// Choices say how it was reached; otherwise State is its index in
	// Result.States. For a panic in init or an action, Key is the key of
	// the state the action ran from ("" for init), State its index (-1
	// for init), and Action and Choices are the branch that panicked.
	Key     string
	Depth   int
	State   int
	Parent  int
	Action  int
	Choices []int
	Err     error
}

// Result is what Explore found.
type Result struct {
	// States are the distinct states in the order breadth-first search
	// reaches them.
	States []State
	// Index maps a state's Key to its index in States.
	Index map[string]int
	// Generated counts the initial states and every enabled branch from
	// every state expanded, duplicates included (TLC's "states
	// generated").
	Generated int64
	// Deadlocked lists, with Options.Deadlock, the indexes of the states
	// within the constraints that have no enabled branch.
	Deadlocked []int
	// Findings are every invariant violated, example satisfied and panic,
	// in the order breadth-first search meets them; a state outside the
	// constraints is reported once, where it is first generated.
	Findings []Finding
	// Complete is false when MaxStates stopped the exploration.
	Complete bool
}

// ErrAmbiguousProperty is returned (wrapped) when a property gives one
// verdict on a successor as its action left it and another on the same
// state as an action would see it (empty maps made, empty slices nil):
// its verdict would depend on the path to the state.
var ErrAmbiguousProperty = errors.New("property tells apart forms of a value that are one state")

// Explore computes, with the reference semantics, what an exhaustive
// search of mc must find: every reachable state within the model's
// constraints, each one's depth, the generated count and the verdicts of
// the properties.
//
// The reference semantics is the model's Go code run as plainly as
// possible. A state is a Go value, identified by Key. Every branch of init
// and of every action, in the order of their choices, runs (through
// machine.Executor.Apply, no copy) on a fresh copy of the state it starts
// from (see fresh): the copy is built anew for each branch with package
// reflect, so nothing a branch writes, nothing two places of a state share
// and nothing outside the state can reach another branch or state. The
// search is breadth-first, states are never encoded, fingerprinted or
// reused, and every property is evaluated on every state. A constraint
// keeps TLC's CONSTRAINT semantics: a successor outside it is judged, but
// neither stored nor expanded, and so does an action constraint (TLC's
// ACTION_CONSTRAINT) for the successor of a step it excludes. Step
// invariants judge every transition from a state expanded, to a state new,
// seen or outside.
//
// It is slow on purpose (a reflective deep copy per branch), meant for
// instances of up to some hundred thousand states.
func Explore[S any](ctx context.Context, mc *machine.Machine[S], opts Options) (*Result, error) {
	if opts.MaxStates <= 0 {
		opts.MaxStates = DefaultMaxStates
	}
	x := &explorer[S]{mc: mc, opts: opts, sem: New(mc, opts.Symmetry, opts.Data), res: &Result{Index: map[string]int{}}, outside: map[string]bool{}}
	switch p, err := mc.Property(opts.Property); {
	case opts.Property == "":
		x.props = mc.PropertiesOf(machine.Invariant)
		x.steps = mc.StepInvariants()
	case err != nil:
		return nil, err
	case p.Kind == machine.Temporal:
		return nil, fmt.Errorf("temporal property %s: the reference semantics judges states, not behaviours", p.Name)
	case p.Kind == machine.StepInvariant:
		x.steps = []machine.Property[S]{p}
	default:
		x.props = []machine.Property[S]{p}
	}
	x.constraints = mc.PropertiesOf(machine.Constraint)
	x.actionConstraints = mc.ActionConstraints()
	// The model's Enabled predicates run the actions by the reference
	// semantics too, while Explore runs.
	defer mc.UseEnabled(x.sem.Enabled)()
	if err := x.run(ctx); err != nil {
		return nil, fmt.Errorf("reference semantics of model %s: %w", mc.Name(), err)
	}
	return x.res, nil
}

type explorer[S any] struct {
	mc          *machine.Machine[S]
	opts        Options
	sem         *Semantics[S]
	props       []machine.Property[S]
	constraints []machine.Property[S]
	// steps are the step invariants judged on every transition;
	// actionConstraints put the successors of the steps they exclude
	// outside, as constraints do.
	steps             []machine.Property[S]
	actionConstraints []machine.Property[S]
	res               *Result
	values            []*S // the states still to expand, by index; nil once expanded
	outside           map[string]bool
}

func (x *explorer[S]) run(ctx context.Context) error {
	if err := x.expand(-1); err != nil {
		return err
	}
	for i := 0; i < len(x.res.States); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := x.expand(i); err != nil {
			return err
		}
		if len(x.res.States) >= x.opts.MaxStates && i+1 < len(x.res.States) {
			return nil // incomplete: Complete stays false
		}
	}
	x.res.Complete = true
	return nil
}

// expand runs every branch of every action from state i (of init when i
// is -1), in the canonical order: actions in definition order, each
// action's branches in the order of their choices.
func (x *explorer[S]) expand(i int) error {
	actions := []int{machine.InitAction}
	var from *S
	fromKey, depth := "", 1
	if i >= 0 {
		actions = make([]int, len(x.mc.Actions()))
		for a := range actions {
			actions[a] = a
		}
		from, x.values[i] = x.values[i], nil
		fromKey, depth = x.res.States[i].Key, x.res.States[i].Depth+1
	}
	enabled, before := 0, len(x.res.Findings)
	for _, a := range actions {
		var o odometer
		for {
			s, r := x.sem.run(from, a, &o)
			choices := append([]int(nil), r.Path...)
			switch {
			case r.Err != nil:
				x.res.Findings = append(x.res.Findings, Finding{Kind: findings.Panicked, Key: fromKey, Depth: depth - 1, State: i, Parent: i, Action: a, Choices: choices, Err: r.Err})
			case r.Enabled:
				enabled++
				if err := x.successor(from, s, i, depth, a, choices); err != nil {
					return err
				}
				if x.opts.Data {
					// The other values of the data picks that end the
					// branch are skipped: count on from its last other
					// choice.
					o.pos = r.DataFrom
				}
			}
			if !o.next() {
				break
			}
		}
	}
	if i >= 0 && enabled == 0 && x.opts.Deadlock && len(x.res.Findings) == before {
		// A state whose every branch panics is reported for the panics
		// only, as the checker does.
		st := x.res.States[i]
		x.res.Deadlocked = append(x.res.Deadlocked, i)
		x.res.Findings = append(x.res.Findings, Finding{Kind: findings.Deadlocked, Key: fromKey, Depth: depth - 1, State: i, Parent: st.Parent, Action: st.Action, Choices: st.Choices})
	}
	return nil
}

// successor handles the successor s of state parent, from (-1 and nil:
// an initial state), reached at depth by action a with choices.
func (x *explorer[S]) successor(from, s *S, parent, depth, a int, choices []int) error {
	x.res.Generated++
	key, err := x.sem.Key(s)
	if err != nil {
		return err
	}
	if from != nil {
		// Every transition is judged by the step invariants, whether its
		// successor is new, seen or outside the constraints.
		for _, p := range x.steps {
			holds, err := x.mc.EvalStep(p, from, s)
			if err == nil && holds {
				continue
			}
			f := Finding{Kind: findings.StepViolated, Property: p.Name, Key: key, Depth: depth, State: -1, Parent: parent, Action: a, Choices: choices, Err: err}
			if err != nil {
				f.Kind = findings.Panicked
			}
			x.res.Findings = append(x.res.Findings, f)
			break
		}
	}
	if _, seen := x.res.Index[key]; seen {
		return nil
	}
	verdicts, err := x.judge(s, x.constraints)
	if err != nil {
		return err
	}
	if from != nil {
		// An action constraint judges the step, not the state: one that
		// excludes it puts the successor outside, as a constraint does.
		for _, c := range x.actionConstraints {
			holds, err := x.mc.EvalStep(c, from, s)
			verdicts = append(verdicts, verdict{name: c.Name, kind: c.Kind, holds: holds, err: err})
		}
	}
	out := false
	for _, v := range verdicts {
		if v.err != nil {
			// A panicking constraint puts the state outside, and is the
			// finding.
			if !x.outside[key] {
				x.outside[key] = true
				x.res.Findings = append(x.res.Findings, Finding{Kind: findings.Panicked, Property: v.name, Key: key, Depth: depth, State: -1, Parent: parent, Action: a, Choices: choices, Err: v.err})
			}
			return nil
		}
		out = out || !v.holds
	}
	idx := -1
	if out {
		if x.outside[key] {
			return nil // judged where first generated
		}
		x.outside[key] = true
	} else {
		idx = len(x.res.States)
		x.res.Index[key] = idx
		x.res.States = append(x.res.States, State{Key: key, Depth: depth, Parent: parent, Action: a, Choices: choices})
		x.values = append(x.values, s)
	}
	verdicts, err = x.judge(s, x.props)
	if err != nil {
		return err
	}
	// A state's verdict is that of the first property, in definition
	// order, that panics, is violated (an invariant) or holds (an
	// example).
	for _, v := range verdicts {
		f := Finding{Property: v.name, Key: key, Depth: depth, State: idx, Parent: parent, Action: a, Choices: choices, Err: v.err}
		switch {
		case v.err != nil:
			f.Kind = findings.Panicked
		case v.kind == machine.Invariant && !v.holds:
			f.Kind = findings.InvariantViolated
		case v.kind == machine.Example && v.holds:
			f.Kind = findings.ExampleFound
		default:
			continue
		}
		x.res.Findings = append(x.res.Findings, f)
		break
	}
	return nil
}

// verdict is one property's verdict on a state.
type verdict struct {
	name  string
	kind  machine.PropertyKind
	holds bool
	err   error
}

// judge evaluates props on s, as the action left it, and on a fresh copy
// of it, the state as an action would see it; a property whose two
// verdicts differ is an error.
func (x *explorer[S]) judge(s *S, props []machine.Property[S]) ([]verdict, error) {
	var canon *S
	out := make([]verdict, 0, len(props))
	for _, p := range props {
		holds, err := x.mc.Eval(p, s)
		if err == nil {
			if canon == nil {
				canon = x.sem.Fresh(s)
			}
			if again, err2 := x.mc.Eval(p, canon); err2 == nil && again != holds {
				return nil, fmt.Errorf("%s %s: %w: it is %v on a successor as its action left it and %v on the same state with its empty maps and sets made and its empty slices nil", p.Kind, p.Name, ErrAmbiguousProperty, holds, again)
			}
		}
		out = append(out, verdict{name: p.Name, kind: p.Kind, holds: holds, err: err})
	}
	return out, nil
}
