package deployer

import (
	"context"
	"errors"
	"fmt"

	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/planner"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

// Deploy applies the deployer's next plan and returns its id.
//
// It is refused (nothing changes) with ErrNothingToDeploy if the plan does
// not exist yet, ErrSafetyCheck if the observed root is not the placeholder
// and its tree is gone from the zone, ErrStalePlan in fixed mode if the plan
// is older than the plan the root points at (in live mode the deployer
// deploys the newest plan instead), and ErrLockMoved if the zone's lock is
// not the observed one.
//
// Otherwise it sends one batch: replace the observed lock by its own lock
// with the next epoch (the compare-and-swap fence), upsert the plan's tree,
// point the root at the plan and the rollback at the observed root.
func (d *Deployer) Deploy(ctx context.Context, store *wormhole53.Store, plans *planner.Planner) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.state
	fail := func(err error) (int, error) {
		return 0, fmt.Errorf("deployer %s: deploy plan %d: %w", d.name, s.Next, err)
	}
	plan, err := plans.Get(s.Next)
	if errors.Is(err, planner.ErrNotFound) {
		return fail(ErrNothingToDeploy)
	}
	if err != nil {
		return fail(err)
	}
	if s.Root != layout.Placeholder && !layout.TreeExists(store, s.Root) {
		return fail(fmt.Errorf("%w: observed root %s missing", ErrSafetyCheck, planLabel(s.Root)))
	}
	if d.policy.Fixed || d.policy.Live {
		current, err := layout.ReadAlias(store, layout.Root)
		if err != nil {
			return fail(err)
		}
		if s.Next < current && d.policy.Live {
			// Behind the root: skip to the newest plan.
			if plan, err = plans.Latest(); err != nil {
				return fail(err)
			}
		}
		if plan.ID < current {
			return fail(fmt.Errorf("%w: root already points at %s", ErrStalePlan, planLabel(current)))
		}
	}
	tree, err := layout.PlanRecords(plan.ID, plan.Weights, plans.IPs())
	if err != nil {
		return fail(err)
	}
	lock := s.Lock.Next(d.name)
	batch := []wormhole53.Change{
		{Action: wormhole53.Delete, Record: layout.LockRecord(s.Lock)},
		{Action: wormhole53.Create, Record: layout.LockRecord(lock)},
	}
	for _, r := range tree {
		batch = append(batch, wormhole53.Change{Action: wormhole53.Upsert, Record: r})
	}
	batch = append(batch,
		wormhole53.Change{Action: wormhole53.Upsert, Record: layout.AliasToPlan(layout.Root, plan.ID)},
		wormhole53.Change{Action: wormhole53.Upsert, Record: layout.AliasToPlan(layout.Rollback, s.Root)},
	)
	if err := store.Apply(ctx, batch); err != nil {
		var ce *wormhole53.ChangeError
		if errors.As(err, &ce) && ce.Index == 0 && (errors.Is(err, wormhole53.ErrMismatch) || errors.Is(err, wormhole53.ErrNotFound)) {
			return fail(fmt.Errorf("%w: observed %q: %w", ErrLockMoved, s.Lock, err))
		}
		return fail(err)
	}
	if err := d.commit(State{Next: plan.ID + 1, Lock: lock, Root: plan.ID, Rollback: s.Root}); err != nil {
		return plan.ID, fmt.Errorf("deploy plan %d applied: %w", plan.ID, err)
	}
	return plan.ID, nil
}

// planLabel names a plan tree the way the zone does, e.g. plan-007.
func planLabel(id int) string { return fmt.Sprintf("plan-%03d", id) }
