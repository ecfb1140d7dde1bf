// Package dnsbalancer models the ACME CloudDB DNS control plane: a planner
// writing immutable numbered plans, and independent deployers that apply them
// to a DNS zone with a compare-and-swap lock and clean up old plans by their
// own counters. The shape follows the public summary of the October 2025
// us-east-1 DynamoDB DNS outage: a delayed deployer applies an old plan just as
// another deployer's cleanup deletes that plan, so the endpoint resolves to
// nothing and every later deploy fails its safety check. The scenario, its
// parts and its instances are described in docs/flagship.md, at the root of
// the execspec repository.
//
// The instances are the workshop's (deployers _ plan ids _ plans kept):
// n3_5_3, n3_20_3 and n3_30_20, each with three load-balancer IPs and weights
// 100..120. The *_fixed instances add the fix, shared with the implementation
// in examples/dnscontrol: cleanup never deletes the plan the root or the
// rollback points at, and a deployer refuses to apply a plan older than the
// one the root points at. The fixed instances keep the invariants but not
// the liveness property no_stuck_deployer: a deployer that falls behind the
// root is refused for ever. The *_live instances add a second fix: such a
// deployer deploys the newest plan instead, skipping the ones in between.
//
// Run it with
//
//	execspec run ./examples/dnsbalancer --instance n3_5_3 --property no_inconsistent_root
package dnsbalancer

//go:generate go run github.com/execspec/execspec/cmd/execspec native

import (
	"sort"

	"github.com/execspec/execspec"
)

// Lock is the value of the lock TXT record: who moved it last, and how often
// it has moved.
type Lock struct {
	Owner string `itf:"owner"`
	Epoch int    `itf:"epoch"`
}

// Plan is one immutable plan: each load-balancer IP it uses and its weight.
type Plan struct {
	ID      int            `itf:"id"`
	Weights map[string]int `itf:"weights"`
}

// Zone is the part of the hosted zone the control plane manages.
type Zone struct {
	Lock     Lock `itf:"lock"`
	Root     int  `itf:"root"`     // the plan the endpoint's alias points at; 0 is the placeholder
	Rollback int  `itf:"rollback"` // the plan the rollback alias points at
	// Trees holds the plan trees present in the zone: plan id -> the
	// weights of its load-balancer targets.
	Trees map[int]map[string]int `itf:"trees"`
}

// Deployer is one deployer's own state: the next plan it will apply and
// what it last observed of the zone.
type Deployer struct {
	Next     int  `itf:"next"`
	Lock     Lock `itf:"lock"`
	Root     int  `itf:"root"`
	Rollback int  `itf:"rollback"`
}

// State is the model state.
type State struct {
	Plans     []Plan              `itf:"plans"`
	Zone      Zone                `itf:"zone"`
	Deployers map[string]Deployer `itf:"deployers"`
}

// Params are an instance's constants.
type Params struct {
	Deployers []string
	MaxPlans  int      // plan ids 1..MaxPlans
	IPs       []string // load-balancer IPs a plan may use
	MinWeight int
	MaxWeight int
	Keep      int  // plans kept before cleanup
	Fixed     bool // apply the fix
	// Live adds the second fix (it implies Fixed): a deployer whose next
	// plan is older than the plan the root points at deploys the newest
	// plan instead, skipping the plans in between, rather than being
	// refused for ever.
	Live bool
}

// DefaultIPs are the load balancers' addresses (documentation range).
var DefaultIPs = []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}

// DefaultDeployers are the three deployers' names.
var DefaultDeployers = []string{"deployer-a", "deployer-b", "deployer-c"}

// Instance returns the parameters of the workshop's instance with the given
// number of plan ids and plans kept.
func Instance(maxPlans, keep int, fixed bool) Params {
	return Params{
		Deployers: DefaultDeployers,
		MaxPlans:  maxPlans,
		IPs:       DefaultIPs,
		MinWeight: 100,
		MaxWeight: 120,
		Keep:      keep,
		Fixed:     fixed,
	}
}

// LiveInstance returns the parameters of the workshop's instance with both
// fixes: the guards of the fixed instance, and a deployer that falls
// behind skipping to the newest plan.
func LiveInstance(maxPlans, keep int) Params {
	p := Instance(maxPlans, keep, true)
	p.Live = true
	return p
}

// Spec lists the model's instances for the execspec command.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("dnsbalancer").Doc("ACME CloudDB DNS control plane: planner, deployers with a lock and cleanup (execspec's docs/flagship.md).")
	for _, in := range []struct {
		name        string
		plans, keep int
	}{{"n3_5_3", 5, 3}, {"n3_20_3", 20, 3}, {"n3_30_20", 30, 20}} {
		s.Instance(in.name, func() *execspec.Model[State] { return New(Instance(in.plans, in.keep, false)) })
		s.Instance(in.name+"_fixed", func() *execspec.Model[State] { return New(Instance(in.plans, in.keep, true)) })
		s.Instance(in.name+"_live", func() *execspec.Model[State] { return New(LiveInstance(in.plans, in.keep)) })
	}
	return s
}

// New builds the model for p.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("dnsbalancer")
	m.Params(p)
	weights := make([]int, 0, p.MaxWeight-p.MinWeight+1)
	for w := p.MinWeight; w <= p.MaxWeight; w++ {
		weights = append(weights, w)
	}

	m.Init(func(c *execspec.Ctx[State]) {
		none := Lock{Owner: "none"}
		c.S.Zone = Zone{Lock: none, Trees: map[int]map[string]int{}}
		c.S.Deployers = make(map[string]Deployer, len(p.Deployers))
		for _, d := range p.Deployers {
			c.S.Deployers[d] = Deployer{Next: 1, Lock: none}
		}
	})

	// plan: the planner writes plan len(Plans)+1 over a non-empty subset of
	// the IPs with a weight for each.
	m.Action("plan", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(len(s.Plans) < p.MaxPlans) {
			return
		}
		ips := execspec.SubsetOf(c, "ips", p.IPs)
		if !c.Assume(len(ips) > 0) {
			return
		}
		w := execspec.FunctionOf(c, "weights", ips, weights)
		s.Plans = append(s.Plans, Plan{ID: len(s.Plans) + 1, Weights: w})
	})

	// sync: a deployer observes the lock, the root and the rollback.
	m.Action("sync", func(c *execspec.Ctx[State]) {
		s := c.S
		d := execspec.OneOf(c, "deployer", p.Deployers)
		st := s.Deployers[d]
		st.Lock, st.Root, st.Rollback = s.Zone.Lock, s.Zone.Root, s.Zone.Rollback
		s.Deployers[d] = st
	})

	// deploy: one batch moving the lock from the observed value to the
	// deployer's own (compare-and-swap), writing the plan's tree, pointing
	// the root at it and the rollback at the previously observed root. Before
	// the batch, the safety check: the observed root must still exist.
	m.Action("deploy", func(c *execspec.Ctx[State]) {
		s := c.S
		d := execspec.OneOf(c, "deployer", p.Deployers)
		st := s.Deployers[d]
		if !c.Assume(st.Next <= len(s.Plans)) { // nothing to deploy
			return
		}
		if !c.Assume(st.Root == 0 || hasTree(s.Zone, st.Root)) { // safety check
			return
		}
		next := st.Next
		if p.Live && next < s.Zone.Root { // behind: skip to the newest plan
			next = len(s.Plans)
		}
		if p.Fixed && !c.Assume(next >= s.Zone.Root) { // stale plan
			return
		}
		if !c.Assume(st.Lock == s.Zone.Lock) { // the lock moved: batch rejected
			return
		}
		plan := s.Plans[next-1]
		lock := Lock{Owner: d, Epoch: st.Lock.Epoch + 1}
		tree := make(map[string]int, len(plan.Weights))
		for ip, w := range plan.Weights {
			tree[ip] = w
		}
		s.Zone.Lock = lock
		s.Zone.Trees[plan.ID] = tree
		s.Zone.Rollback = st.Root
		s.Zone.Root = plan.ID
		st.Next = next + 1
		st.Lock = lock
		st.Rollback = st.Root
		st.Root = plan.ID
		s.Deployers[d] = st
	})

	// cleanup: a deployer deletes the trees of plans older than its own
	// next plan minus Keep.
	m.Action("cleanup", func(c *execspec.Ctx[State]) {
		s := c.S
		d := execspec.OneOf(c, "deployer", p.Deployers)
		victims := Victims(s, p, d)
		if !c.Assume(len(victims) > 0) {
			return
		}
		for _, id := range victims {
			delete(s.Zone.Trees, id)
		}
	})

	// The IPs and weights of a plan are data: the deployers copy them into
	// the zone and no guard or property looks at them, so the checker may
	// explore one choice of them per plan (see execspec.Model.DataPicks;
	// `execspec check --all-data` explores all 10,647 per plan step).
	m.DataPicks("ips", "weights")

	// The deployers are interchangeable: renaming them maps behaviours to
	// behaviours and leaves every property's value unchanged, so the checker
	// may keep one state per renaming (see execspec.Model.Symmetry; `execspec
	// check --no-symmetry` keeps them all).
	m.Symmetry("deployers", len(p.Deployers), func(s *State, perm []int) {
		rename := func(name string) string {
			for i, d := range p.Deployers {
				if d == name {
					return p.Deployers[perm[i]]
				}
			}
			return name // "none"
		}
		s.Zone.Lock.Owner = rename(s.Zone.Lock.Owner)
		ds := make(map[string]Deployer, len(s.Deployers))
		for name, d := range s.Deployers {
			d.Lock.Owner = rename(d.Lock.Owner)
			ds[rename(name)] = d
		}
		s.Deployers = ds
	})

	m.Invariant("no_inconsistent_root", func(s *State) bool {
		return s.Zone.Root == 0 || hasTree(s.Zone, s.Zone.Root)
	})
	m.Invariant("no_inconsistent_rollback", func(s *State) bool {
		return s.Zone.Rollback == 0 || hasTree(s.Zone, s.Zone.Rollback)
	})
	// no_stuck_deployer: every deployer eventually applies or skips every
	// plan that exists. Plans are bounded (MaxPlans) and a deployer's
	// counter only grows, so "infinitely often, deployer d has dealt with
	// every plan written so far" ([]<>(next > len(plans)), one formula per
	// deployer) says that once the planner stops, d catches up with its
	// last plan; it is the same as "plan k exists ~> d's next > k" for
	// every k. It holds only if the deployers are not starved: sync and
	// deploy are weakly fair for each deployer (the planner and cleanup
	// need no fairness: the planner may stop at any time). The fixed
	// instances violate it: a deployer that fell behind the root has its
	// every deploy refused as stale, for ever.
	var caughtUp []execspec.Formula[State]
	for _, d := range p.Deployers {
		caughtUp = append(caughtUp, execspec.AlwaysEventually(func(s *State) bool { return s.Deployers[d].Next > len(s.Plans) }).Named(d))
	}
	m.Temporal("no_stuck_deployer", caughtUp...)
	m.WeakFair("sync").Per("deployer")
	m.WeakFair("deploy").Per("deployer")

	m.Example("epoch5", func(s *State) bool { return s.Zone.Lock.Epoch >= 5 })
	m.Example("plans3", func(s *State) bool { return len(s.Plans) >= 3 })
	return m
}

// Victims returns, in increasing order, the plans deployer d's cleanup
// deletes in state s.
func Victims(s *State, p Params, d string) []int {
	cutoff := s.Deployers[d].Next - p.Keep
	var out []int
	for id := range s.Zone.Trees {
		if id < 1 || id >= cutoff {
			continue
		}
		if p.Fixed && (id == s.Zone.Root || id == s.Zone.Rollback) {
			continue
		}
		out = append(out, id)
	}
	sort.Ints(out)
	return out
}

func hasTree(z Zone, id int) bool {
	_, ok := z.Trees[id]
	return ok
}
