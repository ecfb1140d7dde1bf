package mbt

import (
	"fmt"
	"strings"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Outputs in sequential runs (Options.Outputs): the driver hands the
// implementation a step's inputs, the implementation chooses the outputs,
// and the model takes the branch of the action with both. Whether the
// model allows a step is a question about its inputs alone: it does when
// some branch with exactly those inputs is enabled, whatever its outputs.
// Each question is an enumeration of the action with the inputs directed
// (machine.Executor.Direct), so only the outputs (and nothing the driver
// was not told) vary.

// maxExpected bounds the alternatives a mismatch lists.
const maxExpected = 8

// outputs answers the model's side of steps with outputs.
type outputs[S any] struct {
	mc     *machine.Machine[S]
	ex     *machine.Executor[S]
	labels map[string]bool
	tmp    *S
}

// newOutputs returns the outputs of labels, nil when there are none.
func newOutputs[S any](mc *machine.Machine[S], labels []string) *outputs[S] {
	if len(labels) == 0 {
		return nil
	}
	o := &outputs[S]{mc: mc, ex: mc.NewExecutor(), labels: map[string]bool{}, tmp: new(S)}
	o.ex.Record(true)
	for _, l := range labels {
		o.labels[l] = true
	}
	return o
}

// inputs returns the picks that are not outputs, in a slice of their own.
func (o *outputs[S]) inputs(picks []Labelled) []Labelled {
	var in []Labelled
	for _, p := range picks {
		if !o.labels[p.Label] {
			in = append(in, p)
		}
	}
	return in
}

// outputsOf returns the picks that are outputs.
func (o *outputs[S]) outputsOf(picks []Labelled) []Labelled {
	var out []Labelled
	for _, p := range picks {
		if o.labels[p.Label] {
			out = append(out, p)
		}
	}
	return out
}

// directed returns picks as the ITF values Executor.Direct follows.
func directed(picks ...[]Labelled) (map[string]itf.Value, error) {
	d := map[string]itf.Value{}
	for _, ps := range picks {
		for _, p := range ps {
			v, err := itf.Marshal(p.Value)
			if err != nil {
				return nil, fmt.Errorf("pick %s: %w", p.Label, err)
			}
			d[p.Label] = v
		}
	}
	return d, nil
}

// exact reports whether a branch's picks have exactly the inputs in (its
// outputs aside): a branch that picks an input the step does not carry is
// not a branch of that step.
func (o *outputs[S]) exact(picks []Labelled, in map[string]itf.Value) bool {
	for _, p := range picks {
		if _, ok := in[p.Label]; !ok && !o.labels[p.Label] {
			return false
		}
	}
	return true
}

// branches enumerates the enabled branches of action from state from with
// the picks of d directed and exactly the inputs of d, calling fn with each
// (the successor is in to); fn returns false to stop.
func (o *outputs[S]) branches(action int, from, to *S, d map[string]itf.Value, fn func(machine.Result) bool) error {
	o.ex.Direct(d)
	defer o.ex.Direct(nil)
	var perr error
	o.ex.Enumerate(action, from, to, func(r machine.Result) bool {
		if r.Err != nil {
			perr = r.Err
			return false
		}
		if !o.exact(r.Picks, d) {
			return true
		}
		return fn(r)
	})
	if perr != nil {
		return fmt.Errorf("model %s: %w", o.mc.Name(), perr)
	}
	return nil
}

// allows reports whether some value of the outputs enables action at from
// for the inputs in, and returns the path of the first such branch.
func (o *outputs[S]) allows(action int, from *S, in []Labelled) (bool, []int, error) {
	d, err := directed(in)
	if err != nil {
		return false, nil, err
	}
	return o.allowsDirected(action, from, d)
}

// allowsDirected is allows for inputs given as ITF values.
func (o *outputs[S]) allowsDirected(action int, from *S, d map[string]itf.Value) (bool, []int, error) {
	var path []int
	err := o.branches(action, from, o.tmp, d, func(r machine.Result) bool {
		path = append([]int(nil), r.Path...)
		return false
	})
	return path != nil, path, err
}

// refusedPath returns the path of a disabled execution of action at from
// that makes every pick of d (the inputs a trace records for a step the
// model does not allow) and no other input, for a plan to hand the driver
// those inputs again; false when there is none.
func (o *outputs[S]) refusedPath(action int, from *S, d map[string]itf.Value) ([]int, bool) {
	o.ex.Direct(d)
	defer o.ex.Direct(nil)
	var od machine.Odometer
	for {
		r := o.ex.Exec(action, from, o.tmp, &od)
		if r.Err == nil && !r.Enabled && r.Mismatch == "" && o.exact(r.Picks, d) {
			made := 0
			for _, p := range r.Picks {
				if _, ok := d[p.Label]; ok {
					made++
				}
			}
			if made == len(d) {
				return append([]int(nil), r.Path...), true
			}
		}
		if !od.Next() {
			return nil, false
		}
	}
}

// expected lists the outputs of the enabled branches of action at from for
// the inputs in: distinct, at most maxExpected, in the model's order.
func (o *outputs[S]) expected(action int, from *S, in []Labelled) ([][]trace.Pick, error) {
	d, err := directed(in)
	if err != nil {
		return nil, err
	}
	var alts [][]trace.Pick
	seen := map[string]bool{}
	var merr error
	err = o.branches(action, from, o.tmp, d, func(r machine.Result) bool {
		alt, err := machine.TracePicks(o.outputsOf(r.Picks))
		if err != nil {
			merr = err
			return false
		}
		if k := trace.FormatPicks(alt); !seen[k] {
			seen[k] = true
			alts = append(alts, alt)
		}
		return len(alts) < maxExpected
	})
	if err == nil {
		err = merr
	}
	return alts, err
}

// follow takes the branch of action at from with the inputs in and the
// outputs outs, writing its successor into to. It reports false when the
// model has no such branch (the implementation chose what the model does
// not allow), and an error when outs holds a label that is not an output
// the branch picks, or leaves out one it picks.
func (o *outputs[S]) follow(action int, from, to *S, in, outs []Labelled) (machine.Result, bool, error) {
	for _, p := range outs {
		if !o.labels[p.Label] {
			return machine.Result{}, false, fmt.Errorf("the driver returned output %q, which Options.Outputs does not declare", p.Label)
		}
	}
	d, err := directed(in, outs)
	if err != nil {
		return machine.Result{}, false, fmt.Errorf("output %w", err)
	}
	var got machine.Result
	found := false
	if err := o.branches(action, from, to, d, func(r machine.Result) bool {
		got, found = r, true
		return false
	}); err != nil || !found {
		return machine.Result{}, false, err
	}
	made := map[string]bool{}
	for _, p := range got.Picks {
		made[p.Label] = true
		if _, ok := d[p.Label]; !ok {
			return machine.Result{}, false, fmt.Errorf("the driver returned no value for output %q, which the model picks", p.Label)
		}
	}
	for _, p := range outs {
		if !made[p.Label] {
			return machine.Result{}, false, fmt.Errorf("the driver returned output %q, which %s does not pick", p.Label, o.mc.ActionName(action))
		}
	}
	got.Path = append([]int(nil), got.Path...)
	return got, true, nil
}

// OutputError is the error of a Mismatch divergence that the model found:
// the implementation chose outputs (Options.Outputs) that no branch of the
// step allows for its inputs.
type OutputError struct {
	// Step is the step with its inputs, as `claim(worker="w1")`.
	Step string
	// Outputs are the values the implementation chose.
	Outputs []trace.Pick
	// Expected lists the outputs the model allows instead (at most 8).
	Expected [][]trace.Pick
}

func (e *OutputError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the implementation answered %s with %s, which the model does not allow", e.Step, trace.FormatPicks(e.Outputs))
	if len(e.Expected) > 0 {
		alts := make([]string, len(e.Expected))
		for i, a := range e.Expected {
			alts[i] = trace.FormatPicks(a)
			if alts[i] == "" {
				alts[i] = "no output"
			}
		}
		fmt.Fprintf(&b, "; it allows %s", strings.Join(alts, " or "))
		if len(e.Expected) == maxExpected {
			b.WriteString(" or more")
		}
	}
	return b.String()
}
