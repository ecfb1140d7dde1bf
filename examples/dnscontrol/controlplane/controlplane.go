// Package controlplane runs the ACME CloudDB DNS control plane: one
// Wormhole53 zone, the planner and the deployers, persisted in one directory,
// behind a Go API and an HTTP handler.
//
// Every mutating operation is serialized, so the control plane is safe for
// concurrent use; each operation is one step of the executable model
// examples/dnsbalancer, and Observe reports the state the model-based tests
// compare with the model's after every step. Handler serves the status page,
// a health check, a resolver and the model-based testing API under /mbt/.
package controlplane

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/execspec/execspec/examples/dnscontrol/deployer"
	"github.com/execspec/execspec/examples/dnscontrol/internal/atomicfile"
	"github.com/execspec/execspec/examples/dnscontrol/internal/plantedrace"
	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/planner"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
	"github.com/execspec/execspec/mbt/yield"
	"github.com/execspec/execspec/tracelog"
)

// ErrUnknownDeployer: the named deployer is not configured.
var ErrUnknownDeployer = errors.New("unknown deployer")

// Names of the entries a control plane owns in its directory.
const (
	zoneFile     = "zone.json"
	plansDir     = "plans"
	deployersDir = "deployers"
)

// ControlPlane is a running control plane.
type ControlPlane struct {
	mu        sync.RWMutex // held for writing by every mutating operation
	cfg       Config
	store     *wormhole53.Store
	plans     *planner.Planner
	deployers map[string]*deployer.Deployer
}

// Open opens the control plane stored in cfg.Dir, creating the directory and
// the initial zone, plans directory and deployer states if they are missing.
func Open(cfg Config) (*ControlPlane, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("controlplane: %w", err)
	}
	c := &ControlPlane{cfg: cfg}
	if err := c.load(); err != nil {
		return nil, err
	}
	return c, nil
}

// Config returns the configuration, with defaults applied.
func (c *ControlPlane) Config() Config {
	cfg := c.cfg
	cfg.Deployers = slices.Clone(cfg.Deployers)
	cfg.IPs = slices.Clone(cfg.IPs)
	return cfg
}

// load opens or initializes every component from the directory.
func (c *ControlPlane) load() error {
	dir := c.cfg.Dir
	if err := os.MkdirAll(filepath.Join(dir, deployersDir), 0o755); err != nil {
		return fmt.Errorf("controlplane: create directory: %w", err)
	}
	if err := c.removeStale(); err != nil {
		return err
	}
	store, err := wormhole53.Open(filepath.Join(dir, zoneFile), layout.Zone)
	if err != nil {
		return fmt.Errorf("controlplane: %w", err)
	}
	if len(store.Records()) == 0 {
		var batch []wormhole53.Change
		for _, r := range layout.InitialRecords() {
			batch = append(batch, wormhole53.Change{Action: wormhole53.Create, Record: r})
		}
		if err := store.Apply(context.Background(), batch); err != nil {
			return fmt.Errorf("controlplane: initialize zone: %w", err)
		}
	}
	plans, err := planner.Open(filepath.Join(dir, plansDir), c.cfg.IPs)
	if err != nil {
		return fmt.Errorf("controlplane: %w", err)
	}
	policy := deployer.Policy{Keep: c.cfg.Keep, Fixed: c.cfg.Fixed, Live: c.cfg.Live}
	deployers := make(map[string]*deployer.Deployer, len(c.cfg.Deployers))
	for _, name := range c.cfg.Deployers {
		d, err := deployer.Open(filepath.Join(dir, deployersDir), name, policy)
		if err != nil {
			return fmt.Errorf("controlplane: %w", err)
		}
		deployers[name] = d
	}
	// A deploy killed between its zone write and its state write is rolled
	// forward before anything else happens (see deployer.Reconcile).
	for _, name := range c.cfg.Deployers {
		if _, err := deployers[name].Reconcile(store); err != nil {
			return fmt.Errorf("controlplane: %w", err)
		}
	}
	c.store, c.plans, c.deployers = store, plans, deployers
	return nil
}

// reconcile rolls forward every deployer's deploy whose state save failed
// (see deployer.Reconcile): an operation runs only on a zone and deployer
// states that agree, and fails, changing nothing, while a save still
// fails. c.mu is held.
func (c *ControlPlane) reconcile() error {
	for _, name := range c.cfg.Deployers {
		if _, err := c.deployers[name].Reconcile(c.store); err != nil {
			return fmt.Errorf("controlplane: %w", err)
		}
	}
	return nil
}

// lagging returns the deployers whose state lags behind a deploy of
// theirs the zone holds (a save that failed, to be reconciled).
func (c *ControlPlane) lagging() ([]string, error) {
	var out []string
	for _, name := range c.cfg.Deployers {
		lag, err := c.deployers[name].Lagging(c.store)
		if err != nil {
			return nil, fmt.Errorf("controlplane: %w", err)
		}
		if lag {
			out = append(out, name)
		}
	}
	return out, nil
}

// removeStale removes the temporary files a killed process left behind:
// only those of the files the control plane itself writes (the zone, plan
// files, deployer states).
func (c *ControlPlane) removeStale() error {
	deployers := make(map[string]bool, len(c.cfg.Deployers))
	for _, name := range c.cfg.Deployers {
		deployers[name+".json"] = true
	}
	for _, d := range []struct {
		dir  string
		owns func(string) bool
	}{
		{c.cfg.Dir, func(t string) bool { return t == zoneFile }},
		{filepath.Join(c.cfg.Dir, plansDir), func(t string) bool { return planner.IsFileName(t) }},
		{filepath.Join(c.cfg.Dir, deployersDir), func(t string) bool { return deployers[t] }},
	} {
		_, err := atomicfile.RemoveStale(d.dir, d.owns)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("controlplane: %w", err)
		}
	}
	return nil
}

// Reset deletes the zone, the plans and the deployer states and starts again
// from the initial state. Other files in the directory are left alone.
func (c *ControlPlane) Reset() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, name := range []string{zoneFile, plansDir, deployersDir} {
		if err := os.RemoveAll(filepath.Join(c.cfg.Dir, name)); err != nil {
			return fmt.Errorf("controlplane: reset: %w", err)
		}
	}
	if err := c.load(); err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	if tracelog.Enabled {
		c.logStep("init")
	}
	return nil
}

// Plan creates the next plan with the given weights and returns its id.
// Invalid weights give an error wrapping planner.ErrInvalidPlan.
func (c *ControlPlane) Plan(weights map[string]int) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	plan, err := c.plans.Create(weights)
	if err != nil {
		return 0, fmt.Errorf("controlplane: %w", err)
	}
	if tracelog.Enabled {
		c.logStep("plan", tracelog.Pick("weights", weights))
	}
	return plan.ID, nil
}

// Sync makes deployer name observe the zone's lock, root and rollback.
func (c *ControlPlane) Sync(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("controlplane: sync: %w", err)
	}
	defer c.lockDeployer()()
	d, err := c.deployer(name)
	if err != nil {
		return err
	}
	if err := c.reconcile(); err != nil {
		return err
	}
	yield.Point(ctx, "sync: reconciled")
	if err := d.Sync(c.store); err != nil {
		return fmt.Errorf("controlplane: %w", err)
	}
	if tracelog.Enabled {
		c.logStep("sync", tracelog.Pick("deployer", name))
	}
	return nil
}

// Deploy makes deployer name deploy its next plan and returns the plan's id.
// A refusal by the rules satisfies deployer.IsRefusal.
func (c *ControlPlane) Deploy(ctx context.Context, name string) (int, error) {
	defer c.lockDeployer()()
	d, err := c.deployer(name)
	if err != nil {
		return 0, err
	}
	if err := c.reconcile(); err != nil {
		return 0, err
	}
	yield.Point(ctx, "deploy: reconciled")
	id, err := d.Deploy(ctx, c.store, c.plans)
	if err != nil {
		return id, fmt.Errorf("controlplane: %w", err)
	}
	if tracelog.Enabled {
		c.logStep("deploy", tracelog.Pick("deployer", name))
	}
	return id, nil
}

// Cleanup makes deployer name delete the trees of its old plans and returns
// their ids. A refusal by the rules satisfies deployer.IsRefusal.
func (c *ControlPlane) Cleanup(ctx context.Context, name string) ([]int, error) {
	defer c.lockDeployer()()
	d, err := c.deployer(name)
	if err != nil {
		return nil, err
	}
	if err := c.reconcile(); err != nil {
		return nil, err
	}
	yield.Point(ctx, "cleanup: reconciled")
	ids, err := d.Cleanup(ctx, c.store)
	if err != nil {
		return nil, fmt.Errorf("controlplane: %w", err)
	}
	if tracelog.Enabled {
		c.logStep("cleanup", tracelog.Pick("deployer", name))
	}
	return ids, nil
}

// Resolve resolves a DNS name in the zone (see wormhole53.Store.Resolve).
func (c *ControlPlane) Resolve(name string) []wormhole53.Address {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.store.Resolve(name)
}

// logStep logs a step the control plane performed, in builds with the
// execspec_tracelog tag (see package tracelog), with the zone as the
// dnsbalancer model names it: what the store shows, not the deployers'
// private state, which validation searches. When the zone cannot be read
// the event carries the action and picks alone. c.mu is held.
func (c *ControlPlane) logStep(action string, picks ...tracelog.Field) {
	if obs, err := c.observe(); err == nil {
		picks = append(picks, tracelog.Var("zone", obs.Zone))
	}
	tracelog.Step(action, picks...)
}

// lockDeployer locks the control plane for a deployer's operation and
// returns the unlock. Every operation holds the lock for writing; in builds
// with the planted race (see plantedrace) deployers share it for reading.
func (c *ControlPlane) lockDeployer() (unlock func()) {
	if plantedrace.On {
		c.mu.RLock()
		return c.mu.RUnlock
	}
	c.mu.Lock()
	return c.mu.Unlock
}

// deployer returns the deployer called name.
func (c *ControlPlane) deployer(name string) (*deployer.Deployer, error) {
	d, ok := c.deployers[name]
	if !ok {
		return nil, fmt.Errorf("controlplane: %w %q (known: %v)", ErrUnknownDeployer, name, c.cfg.Deployers)
	}
	return d, nil
}
