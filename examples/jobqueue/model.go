package jobqueue

import "github.com/execspec/execspec"

// Jobs and Workers of the model and the tests.
var (
	Jobs    = []string{"j1", "j2"}
	Workers = []string{"w1", "w2"}
)

// Job states.
const (
	Idle    = "idle"
	Pending = "pending"
	Leased  = "leased"
	Done    = "done"
)

// Job is one job's state: its status and, when leased, its worker.
type Job struct {
	Status string `itf:"status"`
	Worker string `itf:"worker"`
}

// State is the model's state: every job by id.
type State struct {
	Jobs map[string]Job `itf:"jobs"`
}

// New returns the queue's sequential specification.
func New() *execspec.Model[State] {
	m := execspec.NewModel[State]("jobqueue")
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Jobs = map[string]Job{}
		for _, j := range Jobs {
			c.S.Jobs[j] = Job{Status: Idle}
		}
	})
	m.Action("enqueue", func(c *execspec.Ctx[State]) {
		j := execspec.OneOf(c, "job", Jobs)
		if s := c.S.Jobs[j].Status; !c.Assume(s == Idle || s == Done) {
			return
		}
		c.S.Jobs[j] = Job{Status: Pending}
	})
	m.Action("lease", func(c *execspec.Ctx[State]) {
		w := execspec.OneOf(c, "worker", Workers)
		j := execspec.OneOf(c, "job", Jobs)
		if !c.Assume(c.S.Jobs[j].Status == Pending) {
			return
		}
		c.S.Jobs[j] = Job{Status: Leased, Worker: w}
	})
	m.Action("complete", func(c *execspec.Ctx[State]) {
		w := execspec.OneOf(c, "worker", Workers)
		j := execspec.OneOf(c, "job", Jobs)
		if !c.Assume(c.S.Jobs[j] == Job{Status: Leased, Worker: w}) {
			return
		}
		c.S.Jobs[j] = Job{Status: Done}
	})
	m.Action("expire", func(c *execspec.Ctx[State]) {
		j := execspec.OneOf(c, "job", Jobs)
		if !c.Assume(c.S.Jobs[j].Status == Leased) {
			return
		}
		c.S.Jobs[j] = Job{Status: Pending}
	})
	m.Invariant("done_jobs_have_no_worker", func(s *State) bool {
		for _, j := range s.Jobs {
			if j.Status != Leased && j.Worker != "" {
				return false
			}
		}
		return true
	})
	return m
}
