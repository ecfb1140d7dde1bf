package mbt_test

import (
	"context"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/mbt"
)

// A ticket dispenser whose implementation chooses the next ticket: the
// model allows any ticket up to 9 (an output) and states the property
// that matters as a step invariant, "tickets never go down".
type dispenser struct{ Last int }

func dispenserModel() *execspec.Model[dispenser] {
	m := execspec.NewModel[dispenser]("dispenser")
	m.Init(func(c *execspec.Ctx[dispenser]) {})
	m.Action("take", func(c *execspec.Ctx[dispenser]) {
		c.S.Last = execspec.IntRange(c, "ticket", 0, 9)
	})
	m.StepInvariant("never_down", func(before, after *dispenser) bool { return after.Last >= before.Last })
	return m
}

// counterImpl hands out 1, 2, 3, ...; with wrap, it starts over at 0 after
// 2: its third ticket breaks the invariant.
type counterImpl struct {
	wrap bool
	next int
}

func (d *counterImpl) Reset(context.Context, mbt.Step) error { d.next = 1; return nil }
func (d *counterImpl) Step(context.Context, mbt.Step) error  { panic("StepOutputs is called") }
func (d *counterImpl) StepOutputs(context.Context, mbt.Step) ([]mbt.Labelled, error) {
	t := d.next
	d.next++
	if d.wrap && d.next > 2 {
		d.next = 0
	}
	return []mbt.Labelled{mbt.Output("ticket", min(t, 9))}, nil
}

func TestStepInvariant(t *testing.T) {
	for _, wrap := range []bool{false, true} {
		rt := newRecTB(t, "TestDispenser")
		rep := mbt.Run(rt, dispenserModel(), func(testing.TB) mbt.Driver[dispenser] { return &counterImpl{wrap: wrap} },
			mbt.Options{Seed: 1, Traces: 20, Steps: 6, Outputs: []string{"ticket"}, Dir: t.TempDir()})
		d := rep.Divergence
		if !wrap {
			if d != nil || rt.Failed() {
				t.Fatalf("the correct implementation diverges: %v\n%s", d, rt.errors())
			}
			continue
		}
		if d == nil {
			t.Fatalf("the wrapping implementation passes:\n%s", rt.errors())
		}
		if d.Kind != mbt.StepViolated || d.Step != 3 || !strings.Contains(d.Err.Error(), "never_down") {
			t.Errorf("divergence %v at step %d (%v), want a step invariant broken at step 3", d.Kind, d.Step, d.Err)
		}
	}
}
