package jobqueue

import (
	"context"
	"errors"
	"sync"

	"github.com/execspec/execspec/mbt/yield"
)

// ErrRefused is returned for an operation the queue's state does not
// allow.
var ErrRefused = errors.New("jobqueue: refused")

// Queue is the job queue, safe for concurrent use. Leases and job states
// are kept under two locks, leaseMu before stateMu when both are held.
type Queue struct {
	// Racy makes Complete check the lease and write the state under two
	// separate lock holds: the planted race.
	Racy bool

	leaseMu sync.Mutex
	leases  map[string]string // job -> worker holding its lease

	stateMu sync.Mutex
	status  map[string]string // job -> Idle, Pending, Leased or Done
}

// NewQueue returns a queue with every job of Jobs idle.
func NewQueue(racy bool) *Queue {
	q := &Queue{Racy: racy, leases: map[string]string{}, status: map[string]string{}}
	for _, j := range Jobs {
		q.status[j] = Idle
	}
	return q
}

// The locks, with a yield point before and after each: op names the
// operation in the points' labels ("complete: leases locked").

func (q *Queue) lockLeases(ctx context.Context, op string) {
	yield.Point(ctx, op+": lock leases")
	q.leaseMu.Lock()
	yield.Point(ctx, op+": leases locked")
}

func (q *Queue) unlockLeases(ctx context.Context, op string) {
	q.leaseMu.Unlock()
	yield.Point(ctx, op+": leases unlocked")
}

func (q *Queue) lockState(ctx context.Context, op string) {
	yield.Point(ctx, op+": lock state")
	q.stateMu.Lock()
	yield.Point(ctx, op+": state locked")
}

func (q *Queue) unlockState(ctx context.Context, op string) {
	q.stateMu.Unlock()
	yield.Point(ctx, op+": state unlocked")
}

// Enqueue makes an idle or done job pending.
func (q *Queue) Enqueue(ctx context.Context, job string) error {
	q.lockState(ctx, "enqueue")
	defer q.unlockState(ctx, "enqueue")
	if s := q.status[job]; s != Idle && s != Done {
		return ErrRefused
	}
	yield.Point(ctx, "enqueue: checked")
	q.status[job] = Pending
	return nil
}

// Lease gives a pending job to worker.
func (q *Queue) Lease(ctx context.Context, job, worker string) error {
	q.lockLeases(ctx, "lease")
	defer q.unlockLeases(ctx, "lease")
	q.lockState(ctx, "lease")
	defer q.unlockState(ctx, "lease")
	if q.status[job] != Pending {
		return ErrRefused
	}
	yield.Point(ctx, "lease: checked")
	q.status[job] = Leased
	q.leases[job] = worker
	return nil
}

// Expire returns a leased job to pending.
func (q *Queue) Expire(ctx context.Context, job string) error {
	q.lockLeases(ctx, "expire")
	defer q.unlockLeases(ctx, "expire")
	if _, ok := q.leases[job]; !ok {
		return ErrRefused
	}
	yield.Point(ctx, "expire: checked")
	delete(q.leases, job)
	q.lockState(ctx, "expire")
	q.status[job] = Pending
	q.unlockState(ctx, "expire")
	return nil
}

// Complete marks worker's leased job done.
func (q *Queue) Complete(ctx context.Context, job, worker string) error {
	q.lockLeases(ctx, "complete")
	ok := q.leases[job] == worker
	yield.Point(ctx, "complete: lease checked")
	if q.Racy {
		// The planted race: the lease lock is released between the
		// check and the write, so the lease can expire and go to another
		// worker in between.
		q.unlockLeases(ctx, "complete")
		if !ok {
			return ErrRefused
		}
		q.lockState(ctx, "complete")
		q.status[job] = Done
		q.unlockState(ctx, "complete")
		q.lockLeases(ctx, "complete")
		if q.leases[job] == worker {
			delete(q.leases, job)
		}
		q.unlockLeases(ctx, "complete")
		return nil
	}
	defer q.unlockLeases(ctx, "complete")
	if !ok {
		return ErrRefused
	}
	q.lockState(ctx, "complete")
	q.status[job] = Done
	q.unlockState(ctx, "complete")
	delete(q.leases, job)
	return nil
}

// Snapshot returns the queue's state as the model's.
func (q *Queue) Snapshot() State {
	q.leaseMu.Lock()
	defer q.leaseMu.Unlock()
	q.stateMu.Lock()
	defer q.stateMu.Unlock()
	s := State{Jobs: map[string]Job{}}
	for j, st := range q.status {
		job := Job{Status: st}
		if st == Leased {
			job.Worker = q.leases[j]
		}
		s.Jobs[j] = job
	}
	return s
}
