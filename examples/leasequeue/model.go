package leasequeue

import "github.com/execspec/execspec"

// Lease is a job's lease: who holds it, and the tick at which it ends.
type Lease struct {
	Worker  string `itf:"worker"`
	Expires int    `itf:"expires"`
}

// State is the model's state: the clock, the leases by job, the jobs done,
// and the job each worker believes it holds ("" for none).
type State struct {
	Now     int               `itf:"now"`
	Leases  map[string]Lease  `itf:"leases"`
	Done    map[string]bool   `itf:"done"`
	Holding map[string]string `itf:"holding"`
}

// Params sizes the model: the jobs, the workers, the lease's TTL in ticks,
// and the tick the clock stops at (so that a model checker terminates).
type Params struct {
	Jobs, Workers []string
	TTL, Horizon  int
}

// Small is the instance the tests use: three jobs, two workers, leases of
// two ticks, and a clock that stops at tick 6.
func Small() Params {
	return Params{Jobs: []string{"j1", "j2", "j3"}, Workers: []string{"w1", "w2"}, TTL: 2, Horizon: 6}
}

// live reports whether the lease of job is held by worker and not over.
func live(s *State, job, worker string) bool {
	l, ok := s.Leases[job]
	return ok && l.Worker == worker && s.Now < l.Expires
}

// free reports whether job can be claimed: not done, and its lease absent
// or over.
func free(s *State, job string) bool {
	l, ok := s.Leases[job]
	return !s.Done[job] && (!ok || s.Now >= l.Expires)
}

// New returns the model of the queue. The picks labelled "job" in claim
// and "ok" in complete are outputs: the queue chooses them.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("leasequeue")
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Leases = map[string]Lease{}
		c.S.Done = map[string]bool{}
		c.S.Holding = map[string]string{}
		for _, w := range p.Workers {
			c.S.Holding[w] = ""
		}
	})
	m.Action("claim", func(c *execspec.Ctx[State]) {
		w := execspec.OneOf(c, "worker", p.Workers)
		if !c.Assume(c.S.Holding[w] == "") {
			return
		}
		j := execspec.OneOf(c, "job", p.Jobs) // output: the queue chooses
		if !c.Assume(free(c.S, j)) {
			return
		}
		c.S.Leases[j] = Lease{Worker: w, Expires: c.S.Now + p.TTL}
		c.S.Holding[w] = j
	})
	m.Action("complete", func(c *execspec.Ctx[State]) {
		w := execspec.OneOf(c, "worker", p.Workers)
		j := c.S.Holding[w] // the worker completes the job it holds
		if !c.Assume(j != "") {
			return
		}
		ok := execspec.OneOf(c, "ok", []bool{true, false}) // output: did it count?
		if !c.Assume(ok == live(c.S, j, w)) {
			return
		}
		if ok {
			c.S.Done[j] = true
			delete(c.S.Leases, j)
		}
		c.S.Holding[w] = ""
	})
	m.Action("tick", func(c *execspec.Ctx[State]) {
		if !c.Assume(c.S.Now < p.Horizon) {
			return
		}
		c.S.Now++
	})
	m.Environment("tick")
	m.Invariant("done_jobs_are_not_leased", func(s *State) bool {
		for j := range s.Leases {
			if s.Done[j] {
				return false
			}
		}
		return true
	})
	m.Example("all_done", func(s *State) bool { return len(s.Done) == len(p.Jobs) })
	return m
}

// Spec names the instances for the execspec command.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("leasequeue").Instance("small", func() *execspec.Model[State] { return New(Small()) })
}
