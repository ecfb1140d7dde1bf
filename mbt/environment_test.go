package mbt_test

import (
	"context"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt"
)

// clock is a model with a tick the environment drives and a job the
// system may refuse.
type clock struct{ Now, Done int }

func clockModel() *execspec.Model[clock] {
	m := execspec.NewModel[clock]("clock")
	m.Init(func(c *execspec.Ctx[clock]) {})
	m.Action("tick", func(c *execspec.Ctx[clock]) {
		if c.Assume(c.S.Now < 5) {
			c.S.Now++
		}
	})
	m.Action("job", func(c *execspec.Ctx[clock]) {
		if c.Assume(c.S.Done < c.S.Now) {
			c.S.Done++
		}
	})
	m.Environment("tick")
	return m
}

// clockDriver implements the model; with refuseTicks it (wrongly) refuses
// the clock.
type clockDriver struct {
	refuseTicks bool
	now, done   int
	steps       []mbt.Step
}

func (d *clockDriver) Reset(context.Context, mbt.Step) error { d.now, d.done = 0, 0; return nil }
func (d *clockDriver) Step(_ context.Context, st mbt.Step) error {
	d.steps = append(d.steps, st)
	switch st.Action {
	case "tick":
		if d.refuseTicks || d.now >= 5 {
			return mbt.Refusef("no more time")
		}
		d.now++
	case "job":
		if d.done >= d.now {
			return mbt.Refusef("nothing to do")
		}
		d.done++
	}
	return nil
}

func TestEnvironmentActions(t *testing.T) {
	d := &clockDriver{}
	rt := newRecTB(t, "TestEnvironmentActions/ok")
	mbt.Run(rt, clockModel(), func(testing.TB) mbt.Driver[clock] { return d }, mbt.Options{Seed: 1, Traces: 200, Steps: 20, DisabledRate: 0.5, Dir: t.TempDir()})
	if rt.Failed() {
		t.Fatalf("a correct driver failed:\n%s", rt.errors())
	}
	refusedJobs := 0
	for _, st := range d.steps {
		if st.Action == "tick" && (!st.Enabled || !st.Environment) {
			t.Fatalf("a tick was handed to the driver as %+v: the environment's actions are never proposed for refusal", st)
		}
		if st.Action == "job" && !st.Enabled {
			refusedJobs++
		}
	}
	if refusedJobs == 0 {
		t.Error("no job was proposed for refusal: the test does not exercise proposals")
	}

	// A driver that refuses the clock is a broken test, not a divergence.
	rt = newRecTB(t, "TestEnvironmentActions/refuses")
	rep := mbt.Run(rt, clockModel(), func(testing.TB) mbt.Driver[clock] { return &clockDriver{refuseTicks: true} }, mbt.Options{Seed: 1, Traces: 20, Dir: t.TempDir()})
	if !rt.Failed() || rep.Divergence != nil || !strings.Contains(rt.errors(), "an environment action the implementation cannot refuse") {
		t.Fatalf("refused tick: divergence %v, errors:\n%s", rep.Divergence, rt.errors())
	}
}

func TestEnvironmentUnknownAction(t *testing.T) {
	m := clockModel()
	m.Environment("crash")
	if _, err := machine.Compile(m); err == nil || !strings.Contains(err.Error(), `environment action "crash" is not declared`) {
		t.Fatalf("Compile: %v", err)
	}
}
