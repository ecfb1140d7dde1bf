package jobqueue

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/execspec/execspec/mbt"
)

// Driver drives a Queue for mbt.RunConcurrent: an mbt.ConcurrentDriver and
// mbt.Observer of State.
type Driver struct {
	Racy bool
	q    *Queue
}

// Reset implements mbt.ConcurrentDriver with a fresh queue.
func (d *Driver) Reset(context.Context, mbt.Step) error {
	d.q = NewQueue(d.Racy)
	return nil
}

// Do implements mbt.ConcurrentDriver.
func (d *Driver) Do(ctx context.Context, _ int, op mbt.Step) ([]mbt.Labelled, error) {
	job, err := mbt.Pick[string](op, "job")
	if err != nil {
		return nil, err
	}
	worker := func() (string, error) { return mbt.Pick[string](op, "worker") }
	switch op.Action {
	case "enqueue":
		err = d.q.Enqueue(ctx, job)
	case "expire":
		err = d.q.Expire(ctx, job)
	case "lease", "complete":
		w, werr := worker()
		if werr != nil {
			return nil, werr
		}
		if op.Action == "lease" {
			err = d.q.Lease(ctx, job, w)
		} else {
			err = d.q.Complete(ctx, job, w)
		}
	default:
		return nil, fmt.Errorf("jobqueue: unknown action %q", op.Action)
	}
	if errors.Is(err, ErrRefused) {
		return nil, mbt.Refusef("%s %s: %v", op.Action, job, err)
	}
	return nil, err
}

// Observe implements mbt.Observer.
func (d *Driver) Observe(context.Context) (State, error) { return d.q.Snapshot(), nil }

// ClientOf gives each worker a client of its own (1, 2, ...) and the
// enqueuer and reaper client 0: with it, RunConcurrent needs
// len(Workers)+1 clients.
func ClientOf(op mbt.Step) int {
	w, err := mbt.Pick[string](op, "worker")
	if err != nil {
		return 0
	}
	return slices.Index(Workers, w) + 1
}
