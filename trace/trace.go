// Package trace holds execspec's trace type, a model-independent sequence of
// states (as ITF values) with the action and picks that produced each one,
// its conversion to and from ITF files, and its readable printing: per step
// the action, its picks, and only what changed.
package trace

import (
	"fmt"
	"sort"

	"github.com/execspec/execspec/itf"
)

// Pick is one labelled nondeterministic choice of a step.
type Pick struct {
	Label string
	Value itf.Value
}

// Step is one state of a trace and how it was reached.
type Step struct {
	// Action is the name of the action that produced the state; "init" for
	// the first state. Empty when the trace does not say (a plain ITF file).
	Action string
	Picks  []Pick
	// State maps each variable name to its value.
	State map[string]itf.Value
}

// Trace is a sequence of steps over the same variables.
type Trace struct {
	Vars  []string
	Steps []Step
	// Loop is the index of the step where a lasso's loop starts; nil when
	// the trace is not a lasso.
	Loop *int
	// Meta is written as the ITF trace's "#meta": tool, model, instance,
	// property, seed, sample, status, replay command and whatever the trace
	// came with.
	Meta map[string]any
	// Params are the ITF "params" names, when the trace came with them.
	Params []string
}

// Meta keys execspec writes.
const (
	MetaTool     = "tool"
	MetaModel    = "model"
	MetaInstance = "instance"
	MetaProperty = "property"
	MetaSeed     = "seed"
	MetaSample   = "sample"
	MetaStatus   = "status"
	MetaReplay   = "replay"
	MetaStrategy = "strategy"
)

// Len returns the number of steps.
func (t *Trace) Len() int { return len(t.Steps) }

// ToITF converts the trace to an ITF trace. Action names and picks become
// the variables mbt::actionTaken and mbt::nondetPicks in Quint's convention:
// the picks record has a field for every pick label used anywhere in the
// trace, Some(value) where the step made that pick and None elsewhere.
func (t *Trace) ToITF() *itf.Trace {
	out := &itf.Trace{Params: t.Params, Loop: t.Loop}
	out.Meta = map[string]any{
		"format":             "ITF",
		"format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
	}
	for k, v := range t.Meta {
		out.Meta[k] = v
	}
	withMBT := false
	labels := map[string]bool{}
	for _, s := range t.Steps {
		if s.Action != "" {
			withMBT = true
		}
		for _, p := range s.Picks {
			labels[p.Label] = true
		}
	}
	sorted := make([]string, 0, len(labels))
	for l := range labels {
		sorted = append(sorted, l)
	}
	sort.Strings(sorted)
	out.Vars = append([]string(nil), t.Vars...)
	if withMBT {
		out.Vars = append(out.Vars, itf.ActionTakenVar, itf.NondetPicksVar)
	}
	for i, s := range t.Steps {
		st := itf.State{Meta: map[string]any{"index": i}, Values: make(map[string]itf.Value, len(out.Vars))}
		for _, v := range t.Vars {
			st.Values[v] = s.State[v]
		}
		if withMBT {
			st.Values[itf.ActionTakenVar] = itf.String(s.Action)
			fields := make([]itf.Field, 0, len(sorted))
			for _, l := range sorted {
				val := itf.None()
				for _, p := range s.Picks {
					if p.Label == l {
						val = itf.Some(p.Value)
					}
				}
				fields = append(fields, itf.Field{Name: l, Value: val})
			}
			st.Values[itf.NondetPicksVar] = itf.Record(fields...)
		}
		out.States = append(out.States, st)
	}
	return out
}

// FromITF converts an ITF trace. mbt::actionTaken and mbt::nondetPicks, when
// present, become each step's action and picks (None picks are dropped) and
// are removed from the variables.
func FromITF(it *itf.Trace) (*Trace, error) {
	t := &Trace{Loop: it.Loop, Meta: it.Meta, Params: it.Params}
	for _, v := range it.Vars {
		if v != itf.ActionTakenVar && v != itf.NondetPicksVar {
			t.Vars = append(t.Vars, v)
		}
	}
	for i, st := range it.States {
		s := Step{State: make(map[string]itf.Value, len(t.Vars))}
		for _, v := range t.Vars {
			val, ok := st.Values[v]
			if !ok {
				return nil, fmt.Errorf("state %d: variable %q missing", i, v)
			}
			s.State[v] = val
		}
		if a, ok := itf.ActionTaken(st); ok {
			s.Action = a
		}
		if picks, ok := itf.NondetPicks(st); ok {
			labels := make([]string, 0, len(picks))
			for l := range picks {
				labels = append(labels, l)
			}
			sort.Strings(labels)
			for _, l := range labels {
				s.Picks = append(s.Picks, Pick{Label: l, Value: picks[l]})
			}
		}
		t.Steps = append(t.Steps, s)
	}
	return t, nil
}

// Project returns a copy of the trace keeping only the named variables.
func (t *Trace) Project(vars []string) (*Trace, error) {
	keep := map[string]bool{}
	for _, v := range vars {
		found := false
		for _, w := range t.Vars {
			if w == v {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown variable %q; the trace has: %v", v, t.Vars)
		}
		keep[v] = true
	}
	out := *t
	out.Vars = nil
	for _, v := range t.Vars {
		if keep[v] {
			out.Vars = append(out.Vars, v)
		}
	}
	out.Steps = make([]Step, len(t.Steps))
	for i, s := range t.Steps {
		ns := s
		ns.State = make(map[string]itf.Value, len(out.Vars))
		for _, v := range out.Vars {
			ns.State[v] = s.State[v]
		}
		out.Steps[i] = ns
	}
	return &out, nil
}
