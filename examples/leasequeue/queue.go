package leasequeue

import (
	"errors"
	"sort"
)

// ErrNoJob is Claim's answer when no job is free.
var ErrNoJob = errors.New("no job is free")

// Queue is the implementation under test: a job queue that leases jobs to
// workers for ttl ticks of a clock the caller advances with Tick. It is
// not safe for concurrent use.
type Queue struct {
	// LateExpiry plants the bug: a lease counts as expired one tick late
	// (now > expires instead of now >= expires).
	LateExpiry bool

	ttl    int
	now    int
	jobs   []string
	leases map[string]Lease
	done   map[string]bool
	// last is the job the latest claim handed out: claims go round the
	// jobs from there, spreading the work, so the queue's choice is seldom
	// the model's first candidate.
	last int
}

// NewQueue returns a queue of jobs with leases of ttl ticks.
func NewQueue(jobs []string, ttl int) *Queue {
	return &Queue{ttl: ttl, jobs: append([]string(nil), jobs...), leases: map[string]Lease{}, done: map[string]bool{}, last: -1}
}

// expired reports whether lease l is over.
func (q *Queue) expired(l Lease) bool {
	if q.LateExpiry {
		return q.now > l.Expires
	}
	return q.now >= l.Expires
}

// Claim leases a free job to worker (one not done, whose lease is absent
// or expired) and returns it, or ErrNoJob.
func (q *Queue) Claim(worker string) (string, error) {
	for k := 1; k <= len(q.jobs); k++ {
		i := (q.last + k) % len(q.jobs)
		j := q.jobs[i]
		if l, leased := q.leases[j]; q.done[j] || leased && !q.expired(l) {
			continue
		}
		q.leases[j] = Lease{Worker: worker, Expires: q.now + q.ttl}
		q.last = i
		return j, nil
	}
	return "", ErrNoJob
}

// Complete marks job done if worker's lease on it is still live, and
// reports whether it did; a completion that comes too late does not count.
func (q *Queue) Complete(worker, job string) bool {
	l, ok := q.leases[job]
	if !ok || l.Worker != worker || q.expired(l) {
		return false
	}
	delete(q.leases, job)
	q.done[job] = true
	return true
}

// Tick advances the clock by one tick.
func (q *Queue) Tick() { q.now++ }

// Now is the clock's tick.
func (q *Queue) Now() int { return q.now }

// Leases returns the leases by job, expired ones included.
func (q *Queue) Leases() map[string]Lease {
	out := make(map[string]Lease, len(q.leases))
	for j, l := range q.leases {
		out[j] = l
	}
	return out
}

// Done returns the jobs done, sorted.
func (q *Queue) Done() []string {
	var out []string
	for j := range q.done {
		out = append(out, j)
	}
	sort.Strings(out)
	return out
}
