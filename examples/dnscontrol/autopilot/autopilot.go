// Package autopilot runs the CloudDB control plane on its own: the planner
// writes a plan every so often and each deployer syncs, deploys and cleans
// up on its own timer, all with random jitter. One deployer can be made slow,
// which is how the outage happens "in production".
//
// The autopilot is a discrete-event loop in one goroutine: events are kept
// in time order and run one at a time when the injected Clock says their time
// has come. Given the same seeded random source and a fake clock, a run is
// exactly reproducible.
package autopilot

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/execspec/execspec/examples/dnscontrol/deployer"
)

// Actions is what the autopilot drives; *controlplane.ControlPlane
// implements it.
type Actions interface {
	Plan(weights map[string]int) (int, error)
	Sync(ctx context.Context, name string) error
	Deploy(ctx context.Context, name string) (int, error)
	Cleanup(ctx context.Context, name string) ([]int, error)
}

// Step names an autopilot action.
type Step string

// The steps the autopilot runs.
const (
	StepPlan    Step = "plan"
	StepSync    Step = "sync"
	StepDeploy  Step = "deploy"
	StepCleanup Step = "cleanup"
)

// Event reports one step the autopilot ran.
type Event struct {
	At      time.Time // scheduled time of the step
	Actor   string    // "planner" or a deployer name
	Step    Step
	Plan    int   // plan created or deployed
	Deleted []int // plans deleted by a cleanup
	Err     error // the refusal, if the step was refused
}

// String formats the event for a log.
func (e Event) String() string {
	s := fmt.Sprintf("%s %s %s", e.At.Format("15:04:05.000"), e.Actor, e.Step)
	switch {
	case e.Err != nil:
		return s + " refused: " + e.Err.Error()
	case e.Step == StepPlan || e.Step == StepDeploy:
		return fmt.Sprintf("%s plan %d", s, e.Plan)
	case e.Step == StepCleanup:
		return fmt.Sprintf("%s deleted plans %v", s, e.Deleted)
	}
	return s
}

// Autopilot schedules and runs the steps.
type Autopilot struct {
	actions Actions
	cfg     Config
	clock   Clock
	rng     *rand.Rand
	queue   schedule
	seq     int // tie-breaker keeping equal times in scheduling order
	plans   int // plans created
}

// New returns an autopilot driving actions with the rhythm of cfg, reading
// time from clock and drawing jitter and plans from rng.
func New(actions Actions, cfg Config, clock Clock, rng *rand.Rand) (*Autopilot, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	a := &Autopilot{actions: actions, cfg: cfg, clock: clock, rng: rng}
	now := clock.Now()
	a.at(now.Add(a.jitter(cfg.PlanEvery, cfg.PlanJitter)), "planner", StepPlan)
	for _, d := range cfg.Deployers {
		a.at(now.Add(a.jitter(cfg.CycleEvery, cfg.CycleJitter)), d, StepSync)
	}
	return a, nil
}

// Run runs steps as the clock reaches their time and passes each to onEvent
// (if not nil) until ctx is done, then returns ctx.Err(). It stops early with
// an error if a step fails for a reason other than a refusal by the rules.
func (a *Autopilot) Run(ctx context.Context, onEvent func(Event)) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		next := a.queue[0]
		if wait := next.at.Sub(a.clock.Now()); wait > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-a.clock.After(wait):
			}
		}
		heap.Pop(&a.queue)
		ev := a.run(ctx, next)
		if onEvent != nil {
			onEvent(ev)
		}
		if ev.Err != nil && !deployer.IsRefusal(ev.Err) {
			return fmt.Errorf("autopilot: %w", ev.Err)
		}
	}
}

// run runs one step and schedules the actor's next one.
func (a *Autopilot) run(ctx context.Context, t task) Event {
	ev := Event{At: t.at, Actor: t.actor, Step: t.step}
	cfg := a.cfg
	switch t.step {
	case StepPlan:
		ev.Plan, ev.Err = a.actions.Plan(a.randomPlan())
		a.plans++
		if cfg.MaxPlans == 0 || a.plans < cfg.MaxPlans {
			a.at(t.at.Add(a.jitter(cfg.PlanEvery, cfg.PlanJitter)), t.actor, StepPlan)
		}
	case StepSync:
		ev.Err = a.actions.Sync(ctx, t.actor)
		delay := cfg.Think
		if t.actor == cfg.Slow {
			delay = a.jitter(cfg.SlowDelay, cfg.CycleJitter)
		}
		a.at(t.at.Add(delay), t.actor, StepDeploy)
	case StepDeploy:
		ev.Plan, ev.Err = a.actions.Deploy(ctx, t.actor)
		a.at(t.at.Add(cfg.Think), t.actor, StepCleanup)
	case StepCleanup:
		ev.Deleted, ev.Err = a.actions.Cleanup(ctx, t.actor)
		a.at(t.at.Add(a.jitter(cfg.CycleEvery, cfg.CycleJitter)), t.actor, StepSync)
	}
	return ev
}

// randomPlan picks a non-empty subset of the IPs and a weight for each.
func (a *Autopilot) randomPlan() map[string]int {
	weights := map[string]int{}
	for _, ip := range a.cfg.IPs {
		if a.rng.IntN(2) == 0 {
			weights[ip] = a.weight()
		}
	}
	if len(weights) == 0 {
		weights[a.cfg.IPs[a.rng.IntN(len(a.cfg.IPs))]] = a.weight()
	}
	return weights
}

func (a *Autopilot) weight() int {
	return a.cfg.MinWeight + a.rng.IntN(a.cfg.MaxWeight-a.cfg.MinWeight+1)
}

// jitter returns base varied uniformly by up to ±j, and at least 1ms.
func (a *Autopilot) jitter(base, j time.Duration) time.Duration {
	d := base
	if j > 0 {
		d += time.Duration(a.rng.Int64N(int64(2*j)+1)) - j
	}
	return max(d, time.Millisecond)
}

// at schedules a step.
func (a *Autopilot) at(when time.Time, actor string, step Step) {
	a.seq++
	heap.Push(&a.queue, task{at: when, seq: a.seq, actor: actor, step: step})
}
