package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/execspec/execspec/mbt"

	"github.com/execspec/execspec/cli/scaffold/scheduler"
)

// leaseTable stands in for the implementation under test: a scheduler's
// lease table with a results store that fences commits by attempt, on a
// fake clock. Replace it with your scheduler, called in process.
type leaseTable struct {
	mu      sync.Mutex
	now     int
	ttl     int
	jobs    map[string]*scheduler.Job
	results map[string]int
}

// errStale is the store's answer to a commit from an attempt that no
// longer holds the lease.
var errStale = errors.New("stale attempt")

func newLeaseTable(jobs []string, ttl int) *leaseTable {
	lt := &leaseTable{ttl: ttl, jobs: map[string]*scheduler.Job{}, results: map[string]int{}}
	for _, j := range jobs {
		lt.jobs[j] = &scheduler.Job{Status: scheduler.Pending}
	}
	return lt
}

// Lease gives a pending job to worker and returns the attempt number.
func (lt *leaseTable) Lease(job, worker string) (int, error) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	j := lt.jobs[job]
	if j == nil || j.Status != scheduler.Pending {
		return 0, fmt.Errorf("job %s is not pending", job)
	}
	*j = scheduler.Job{Status: scheduler.Leased, Worker: worker, Attempt: j.Attempt + 1, Expiry: lt.now + lt.ttl}
	return j.Attempt, nil
}

// Heartbeat renews a live lease.
func (lt *leaseTable) Heartbeat(job string, attempt int) error {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	j := lt.jobs[job]
	if j == nil || j.Status != scheduler.Leased || j.Attempt != attempt || lt.now >= j.Expiry {
		return fmt.Errorf("no live lease on %s for attempt %d", job, attempt)
	}
	j.Expiry = lt.now + lt.ttl
	return nil
}

// Reap returns an expired lease's job to the queue.
func (lt *leaseTable) Reap(job string) error {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	j := lt.jobs[job]
	if j == nil || j.Status != scheduler.Leased || lt.now < j.Expiry {
		return fmt.Errorf("the lease on %s has not expired", job)
	}
	*j = scheduler.Job{Status: scheduler.Pending, Attempt: j.Attempt}
	return nil
}

// Commit records a job's result, if attempt still holds the lease.
func (lt *leaseTable) Commit(job string, attempt int) error {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	j := lt.jobs[job]
	if j == nil || j.Status != scheduler.Leased || j.Attempt != attempt {
		return errStale
	}
	lt.results[job]++
	*j = scheduler.Job{Status: scheduler.Done, Attempt: j.Attempt}
	return nil
}

// Advance moves the fake clock on by one tick.
func (lt *leaseTable) Advance() {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.now++
}

// driver maps the model's actions onto the implementation's calls. The
// workers are the driver's: it remembers what each one runs.
type driver struct {
	p       scheduler.Params
	lt      *leaseTable
	workers map[string]scheduler.Run
}

func (d *driver) Reset(ctx context.Context, init mbt.Step) error {
	d.lt = newLeaseTable(d.p.Jobs, d.p.TTL)
	d.workers = map[string]scheduler.Run{}
	for _, w := range d.p.Workers {
		d.workers[w] = scheduler.Run{}
	}
	return nil
}

func (d *driver) Step(ctx context.Context, step mbt.Step) error {
	switch step.Action {
	case "lease":
		job, err := mbt.Pick[string](step, "job")
		if err != nil {
			return err
		}
		w, err := mbt.Pick[string](step, "worker")
		if err != nil {
			return err
		}
		if d.workers[w].Job != "" {
			return mbt.Refusef("%s is busy", w)
		}
		attempt, err := d.lt.Lease(job, w)
		if err != nil {
			return mbt.Refusef("%v", err)
		}
		d.workers[w] = scheduler.Run{Job: job, Attempt: attempt}
	case "heartbeat", "complete":
		w, err := mbt.Pick[string](step, "worker")
		if err != nil {
			return err
		}
		run := d.workers[w]
		if run.Job == "" {
			return mbt.Refusef("%s is idle", w)
		}
		if step.Action == "heartbeat" {
			if err := d.lt.Heartbeat(run.Job, run.Attempt); err != nil {
				return mbt.Refusef("%v", err)
			}
			return nil
		}
		// A stale commit is refused by the store; either way the worker
		// is done with the job.
		if err := d.lt.Commit(run.Job, run.Attempt); err != nil && !errors.Is(err, errStale) {
			return err
		}
		d.workers[w] = scheduler.Run{}
	case "expire":
		job, err := mbt.Pick[string](step, "job")
		if err != nil {
			return err
		}
		if err := d.lt.Reap(job); err != nil {
			return mbt.Refusef("%v", err)
		}
	case "tick":
		d.lt.Advance()
	default:
		return fmt.Errorf("unknown action %q", step.Action)
	}
	return nil
}

// Observe reads the implementation's state, for comparison with the
// model's after every step.
func (d *driver) Observe(ctx context.Context) (scheduler.State, error) {
	d.lt.mu.Lock()
	defer d.lt.mu.Unlock()
	s := scheduler.State{Now: d.lt.now, Jobs: map[string]scheduler.Job{}, Workers: map[string]scheduler.Run{}, Commits: map[string]int{}}
	for j, job := range d.lt.jobs {
		s.Jobs[j] = *job
		s.Commits[j] = d.lt.results[j]
	}
	for w, run := range d.workers {
		s.Workers[w] = run
	}
	return s, nil
}

// TestConformance drives the implementation with traces drawn from the
// fixed model and compares the two after every step; a divergence is
// shrunk, saved under testdata/execspec and replayed first by the next
// go test.
func TestConformance(t *testing.T) {
	p := scheduler.Small(true)
	p.MaxTime = 20
	mbt.Run(t, scheduler.New(p), func(testing.TB) mbt.Driver[scheduler.State] { return &driver{p: p} }, mbt.Options{Seed: 1})
}
