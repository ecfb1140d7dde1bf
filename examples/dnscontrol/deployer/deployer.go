// Package deployer implements one CloudDB deployer: an independent, redundant
// agent that applies the planner's plans to the zone in order.
//
// A deployer keeps its own counter of the next plan to apply and its last
// observation of the zone (lock, root, rollback). Sync refreshes the
// observation; Deploy applies the next plan in one compare-and-swap batch
// fenced by the observed lock; Cleanup deletes the trees of plans older than
// its own counter minus the number of plans kept. Refusals are typed errors
// (see IsRefusal) that leave the deployer and the zone unchanged.
//
// With Policy.Fixed unset the deployer has the bug of the October 2025
// outage: a deployer far behind may point the root at an old plan whose tree
// another deployer's cleanup then deletes. Policy.Fixed adds the two guards
// that prevent it: no deploy of a plan older than the current root, and no
// cleanup of the plans the root or rollback point at. Policy.Live adds the
// second fix: a deployer that fell behind the root skips to the newest plan
// instead of staying stuck.
//
// A deployer's state is persisted in a small JSON file, so it survives a
// restart. Every operation saves the new state before it changes the state
// in memory: when the save fails (a full disk), the operation fails and the
// deployer is as it was. A deploy writes two files, the zone and then the
// deployer's state; a crash, or a failed save, between the two leaves the
// zone holding the deploy's lock while the deployer's file keeps the lock
// it observed. Reconcile rolls such a deploy forward, from the zone: the
// state it makes is the one the completed deploy would have saved, so the
// model (examples/dnsbalancer, where a deploy is one atomic step) describes
// every state a reconciled deployer can be in. The control plane reconciles
// every deployer when it opens and before every deployer operation.
package deployer

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

// DefaultKeep is the number of plans kept by cleanup when Policy.Keep is 0.
const DefaultKeep = 3

// Policy configures a deployer's rules. The zero value keeps DefaultKeep
// plans and has the outage bug.
type Policy struct {
	// Keep is the number of recent plans cleanup keeps: it deletes the trees
	// of plans older than next-Keep. 0 means DefaultKeep.
	Keep int
	// Fixed refuses stale deploys and protects the plans the root and the
	// rollback point at from cleanup.
	Fixed bool
	// Live, with Fixed, is the second fix: a deployer whose next plan is
	// older than the plan the root points at deploys the newest plan
	// instead (skipping the ones in between) rather than being refused as
	// stale for ever.
	Live bool
}

// keep returns the effective number of plans kept.
func (p Policy) keep() int {
	if p.Keep == 0 {
		return DefaultKeep
	}
	return p.Keep
}

// State is what a deployer remembers: its next plan and its last observation
// of the zone.
type State struct {
	Next     int         `json:"next"`     // next plan to deploy
	Lock     layout.Lock `json:"lock"`     // observed lock
	Root     int         `json:"root"`     // observed root plan
	Rollback int         `json:"rollback"` // observed rollback plan
}

// InitialState is the state of a new deployer: next plan 1, and the
// observation of a fresh zone.
func InitialState() State {
	return State{Next: 1, Lock: layout.InitialLock(), Root: layout.Placeholder, Rollback: layout.Placeholder}
}

// Deployer is one deployer. It is safe for concurrent use; its actions are
// serialized.
type Deployer struct {
	mu     sync.Mutex
	name   string
	path   string
	policy Policy
	state  State
}

// Open returns deployer name with its state file in dir, loading the state if
// the file exists and writing the initial state otherwise.
func Open(dir, name string, policy Policy) (*Deployer, error) {
	if err := layout.ValidDeployerName(name); err != nil {
		return nil, fmt.Errorf("deployer: %w", err)
	}
	if policy.Keep < 0 {
		return nil, fmt.Errorf("deployer %s: keep %d is negative", name, policy.Keep)
	}
	d := &Deployer{name: name, path: filepath.Join(dir, name+".json"), policy: policy}
	state, found, err := load(d.path, name)
	if err != nil {
		return nil, err
	}
	if !found {
		state = InitialState()
		if err := save(d.path, name, state); err != nil {
			return nil, err
		}
	}
	d.state = state
	return d, nil
}

// Name returns the deployer's name, which is also its lock owner name.
func (d *Deployer) Name() string { return d.name }

// State returns the deployer's current state.
func (d *Deployer) State() State {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state
}

// commit records a new state on disk and then, once it is saved, in
// memory: a state that could not be saved never shows.
func (d *Deployer) commit(s State) error {
	if err := save(d.path, d.name, s); err != nil {
		return err
	}
	d.state = s
	return nil
}

// Lagging reports whether the zone holds a deploy of d's that d's state
// does not: the zone's lock is the one d would write from the lock it
// observed. Only d writes locks it owns, each one epoch past the lock it
// replaces (a compare-and-swap), and d observes the lock it wrote when it
// saves its deploy, so nothing else makes the zone so.
func (d *Deployer) Lagging(store *wormhole53.Store) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lagging(store)
}

func (d *Deployer) lagging(store *wormhole53.Store) (bool, error) {
	lock, err := layout.ReadLock(store)
	if err != nil {
		return false, fmt.Errorf("deployer %s: %w", d.name, err)
	}
	return lock == d.state.Lock.Next(d.name), nil
}

// Reconcile rolls forward a deploy of d whose zone batch was applied but
// whose state was not saved (see Lagging): d's state becomes the one that
// deploy saves, read back from the zone (the lock, the root at the plan
// deployed, the rollback), with the next plan after the root. It reports
// whether it did; a deployer that is not lagging is left alone.
func (d *Deployer) Reconcile(store *wormhole53.Store) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.reconcile(store)
}

// reconcile is Reconcile with d.mu held.
func (d *Deployer) reconcile(store *wormhole53.Store) (bool, error) {
	lagging, err := d.lagging(store)
	if err != nil || !lagging {
		return false, err
	}
	fail := func(err error) (bool, error) {
		return false, fmt.Errorf("deployer %s: reconcile with the zone: %w", d.name, err)
	}
	lock, err := layout.ReadLock(store)
	if err != nil {
		return fail(err)
	}
	root, err := layout.ReadAlias(store, layout.Root)
	if err != nil {
		return fail(err)
	}
	rollback, err := layout.ReadAlias(store, layout.Rollback)
	if err != nil {
		return fail(err)
	}
	if err := d.commit(State{Next: root + 1, Lock: lock, Root: root, Rollback: rollback}); err != nil {
		return fail(err)
	}
	return true, nil
}
