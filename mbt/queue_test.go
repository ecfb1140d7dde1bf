package mbt_test

import (
	"context"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/mbt"
)

// Queue is a FIFO queue model's state: pushes append 1, 2, 3, ...
type Queue struct {
	Items  []int `itf:"items"`
	Pushed int   `itf:"pushed"`
}

func queueModel() *execspec.Model[Queue] {
	m := execspec.NewModel[Queue]("queue")
	m.Init(func(*execspec.Ctx[Queue]) {})
	m.Action("push", func(c *execspec.Ctx[Queue]) {
		if c.Assume(len(c.S.Items) < 4) {
			c.S.Pushed++
			c.S.Items = append(c.S.Items, c.S.Pushed)
		}
	})
	m.Action("pop", func(c *execspec.Ctx[Queue]) {
		if c.Assume(len(c.S.Items) > 0) {
			c.S.Items = c.S.Items[1:]
		}
	})
	return m
}

// stuckQueue is a queue whose pop, from three items on, answers without
// removing the head.
type stuckQueue struct {
	items  []int
	pushed int
}

func (q *stuckQueue) Reset(context.Context, mbt.Step) error {
	q.items, q.pushed = nil, 0
	return nil
}

func (q *stuckQueue) Step(_ context.Context, op mbt.Step) error {
	switch {
	case op.Action == "push" && len(q.items) < 4:
		q.pushed++
		q.items = append(q.items, q.pushed)
	case op.Action == "pop" && len(q.items) >= 3:
		// The bug: the head stays.
	case op.Action == "pop" && len(q.items) > 0:
		q.items = q.items[1:]
	default:
		return mbt.ErrRefused
	}
	return nil
}

func (q *stuckQueue) Observe(context.Context) (Queue, error) {
	return Queue{Items: append([]int(nil), q.items...), Pushed: q.pushed}, nil
}

// TestDivergenceShowsListEdits: a divergence on a list shows the
// elements removed and added, not a change at every index: the head the
// implementation failed to pop is one line, and so is the model's pop in
// the trace.
func TestDivergenceShowsListEdits(t *testing.T) {
	rt := newRecTB(t, "TestQueue")
	rep := mbt.Run(rt, queueModel(), func(testing.TB) mbt.Driver[Queue] { return &stuckQueue{} }, mbt.Options{Seed: 1, Traces: 200, Dir: t.TempDir()})
	if rep == nil || rep.Divergence == nil {
		t.Fatalf("the stuck pop was not found: %v\n%s", rep, rt.errors())
	}
	msg := rt.errors()
	t.Logf("the failure as reported:\n%s", msg)
	if rep.Divergence.Kind != mbt.StateMismatch || rep.Divergence.Action != "pop" {
		t.Fatalf("divergence %s at %s, want a state mismatch at pop", rep.Divergence.Kind, rep.Divergence.Action)
	}
	if want := "    items[0]:\n      model:          (absent)\n      implementation: 1\n"; !strings.Contains(msg, want) {
		t.Errorf("the message does not show one removal at the front (%q):\n%s", want, msg)
	}
	if diff, _, _ := strings.Cut(msg, "trace (model states)"); strings.Contains(diff, "items[1]:") {
		t.Errorf("the message shows a change at every index:\n%s", msg)
	}
	// The trace shows the model's pop the same way: one removal.
	if want := "pop  <-- diverged\n      items[0]: - 1\n"; !strings.Contains(msg, want) {
		t.Errorf("the trace does not show the pop as one removal at the front (%q):\n%s", want, msg)
	}
}
