package mbt

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
)

// seatState is a hall of two seats, where the seat a booking gets is an
// output.
type seatState struct{ Taken map[string]bool }

func seatModel() *execspec.Model[seatState] {
	m := execspec.NewModel[seatState]("seats")
	m.Init(func(c *execspec.Ctx[seatState]) { c.S.Taken = map[string]bool{} })
	m.Action("book", func(c *execspec.Ctx[seatState]) {
		execspec.OneOf(c, "patron", []string{"ann", "bob"})
		s := execspec.OneOf(c, "seat", []string{"s1", "s2"})
		if !c.Assume(!c.S.Taken[s]) {
			return
		}
		c.S.Taken[s] = true
	})
	return m
}

// With outputs, the walker proposes a step for refusal only when no value
// of the outputs enables it; without, whenever its own picks fail.
func TestRefusableWithOutputs(t *testing.T) {
	mc, err := machine.Compile(seatModel())
	if err != nil {
		t.Fatal(err)
	}
	book, _ := mc.ActionIndex("book")
	picks := []Labelled{{Label: "patron", Value: "ann"}, {Label: "seat", Value: "s1"}}
	for _, tc := range []struct {
		outputs []string
		taken   map[string]bool
		want    bool
	}{
		{[]string{"seat"}, map[string]bool{"s1": true}, false}, // s2 is free
		{[]string{"seat"}, map[string]bool{"s1": true, "s2": true}, true},
		{nil, map[string]bool{"s1": true}, true}, // the model picked s1
	} {
		w := newWalker(mc, settings{Options: Options{Budget: 100}}, newOutputs(mc, tc.outputs), pickLabels{})
		w.labels.note(book, w.inputs(picks))
		got, err := w.refusable(book, &seatState{Taken: tc.taken}, picks)
		if err != nil || got != tc.want {
			t.Errorf("outputs %v, taken %v: refusable %v (%v), want %v", tc.outputs, tc.taken, got, err, tc.want)
		}
	}
}

// Coverage's refusal goals with outputs are steps no value of the outputs
// enables: here, a booking in the full hall only.
func TestCoverageRefusalsWithOutputs(t *testing.T) {
	set, err := resolve(Options{Outputs: []string{"seat"}, Strategy: Coverage, Steps: 4})
	if err != nil {
		t.Fatal(err)
	}
	r, err := newRunner(t, seatModel(), set)
	if err != nil {
		t.Fatal(err)
	}
	plans, err := r.coveragePlans()
	if err != nil {
		t.Fatal(err)
	}
	refusals := 0
	for _, p := range plans {
		w := engine.NewWalk(r.mc, 0)
		if !w.Replay(engine.Plan{Init: p.Init, Steps: p.Steps[:len(p.Steps)-1]}, func(int, machine.Result) {}) {
			t.Fatalf("plan %v does not replay", p.Plan)
		}
		last := w.State()
		if st := p.Steps[len(p.Steps)-1]; !st.Enabled {
			refusals++
			if len(last.Taken) != 2 {
				t.Errorf("a booking proposed for refusal with seats %v taken: a free seat allows it", last.Taken)
			}
		}
	}
	if refusals != 1 {
		t.Errorf("%d refusal goals, want 1 (book in the full hall)", refusals)
	}
}

// smaller orders plans as shrinking descends, and no plan is smaller than
// itself, so a candidate that runs as the plan it came from is no progress.
func TestSmallerPlans(t *testing.T) {
	step := func(a int, path ...int) engine.PlanStep { return engine.PlanStep{Action: a, Path: path, Enabled: true} }
	p := engine.Plan{Init: []int{1}, Steps: []engine.PlanStep{step(0, 2, 1), step(1, 0)}}
	for _, tc := range []struct {
		a    engine.Plan
		want bool
	}{
		{engine.Plan{Init: []int{1}, Steps: []engine.PlanStep{step(0, 2, 1)}}, true},
		{engine.Plan{Init: []int{0}, Steps: []engine.PlanStep{step(1, 2, 1), step(1, 0)}}, true},
		{engine.Plan{Init: []int{1}, Steps: []engine.PlanStep{step(0, 2), step(1, 0)}}, true},
		{engine.Plan{Init: []int{1}, Steps: []engine.PlanStep{step(0, 1, 5), step(1, 3)}}, true},
		{p, false},
		{engine.Plan{Init: []int{1}, Steps: []engine.PlanStep{step(0, 2, 1), step(1, 0), step(0)}}, false},
		{engine.Plan{Init: []int{1}, Steps: []engine.PlanStep{step(1, 0, 0), step(0)}}, false},
	} {
		if got := smaller(tc.a, p); got != tc.want {
			t.Errorf("smaller(%v, %v) = %v, want %v", tc.a, p, got, tc.want)
		}
	}
}
