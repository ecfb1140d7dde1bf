package controlplane

import (
	"fmt"

	"github.com/execspec/execspec/examples/dnscontrol/layout"
)

// Lock is the value of the zone's lock TXT record: its owner ("none"
// initially) and its epoch.
type Lock = layout.Lock

// Observation is the state of the control plane as the model-based tests
// compare it with the model, read from the zone, the plan files and the
// deployers' state. Its JSON form is:
//
//	{"plans":[{"id":1,"weights":{"192.0.2.1":100}}],
//	 "zone":{"lock":{"owner":"deployer-a","epoch":1},"root":1,"rollback":0,
//	         "trees":{"1":{"192.0.2.1":100}}},
//	 "deployers":{"deployer-a":{"next":2,"lock":{"owner":"deployer-a","epoch":1},"root":1,"rollback":0}}}
type Observation struct {
	Plans     []PlanView              `json:"plans"`     // every plan, by id
	Zone      ZoneView                `json:"zone"`      // the zone's records
	Deployers map[string]DeployerView `json:"deployers"` // by deployer name
}

// PlanView is one plan written by the planner.
type PlanView struct {
	ID      int            `json:"id"`
	Weights map[string]int `json:"weights"` // load-balancer IP -> weight
}

// ZoneView is the zone as seen through the CloudDB layout. Its ITF form
// (itf tags) is the dnsbalancer model's zone, for trace logs.
type ZoneView struct {
	Lock     Lock `json:"lock" itf:"lock"`
	Root     int  `json:"root" itf:"root"`         // plan the root alias points at (0: placeholder)
	Rollback int  `json:"rollback" itf:"rollback"` // plan the rollback alias points at
	// Trees holds each plan tree present in the zone, by plan id, with the
	// weights of its alias targets mapped back to IPs. The placeholder plan 0
	// has no tree and never appears.
	Trees map[int]map[string]int `json:"trees" itf:"trees"`
}

// DeployerView is one deployer's state.
type DeployerView struct {
	Next     int  `json:"next"`     // next plan to deploy
	Lock     Lock `json:"lock"`     // observed lock
	Root     int  `json:"root"`     // observed root
	Rollback int  `json:"rollback"` // observed rollback
}

// Observe reads the current state. It fails only if a file cannot be read or
// the zone does not follow the CloudDB layout.
func (c *ControlPlane) Observe() (Observation, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.observe()
}

// observe is Observe with c.mu held.
func (c *ControlPlane) observe() (Observation, error) {
	plans, err := c.plans.List()
	if err != nil {
		return Observation{}, fmt.Errorf("controlplane: observe: %w", err)
	}
	obs := Observation{
		Plans:     make([]PlanView, 0, len(plans)),
		Deployers: make(map[string]DeployerView, len(c.deployers)),
	}
	for _, p := range plans {
		obs.Plans = append(obs.Plans, PlanView{ID: p.ID, Weights: p.Weights})
	}
	if obs.Zone.Lock, err = layout.ReadLock(c.store); err != nil {
		return Observation{}, fmt.Errorf("controlplane: observe: %w", err)
	}
	if obs.Zone.Root, err = layout.ReadAlias(c.store, layout.Root); err != nil {
		return Observation{}, fmt.Errorf("controlplane: observe: %w", err)
	}
	if obs.Zone.Rollback, err = layout.ReadAlias(c.store, layout.Rollback); err != nil {
		return Observation{}, fmt.Errorf("controlplane: observe: %w", err)
	}
	if obs.Zone.Trees, err = layout.ReadTrees(c.store, c.cfg.IPs); err != nil {
		return Observation{}, fmt.Errorf("controlplane: observe: %w", err)
	}
	for name, d := range c.deployers {
		s := d.State()
		obs.Deployers[name] = DeployerView{Next: s.Next, Lock: s.Lock, Root: s.Root, Rollback: s.Rollback}
	}
	return obs, nil
}
