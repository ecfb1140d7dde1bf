package layout

import (
	"fmt"
	"slices"
	"strings"

	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

// LockRecord returns the lock TXT record holding l.
func LockRecord(l Lock) wormhole53.Record {
	return wormhole53.Record{Name: LockName, Type: wormhole53.TypeTXT, Value: l.String()}
}

// AliasToPlan returns an ALIAS record at name with plan id as its only target.
func AliasToPlan(name string, id int) wormhole53.Record {
	return wormhole53.Record{Name: name, Type: wormhole53.TypeAlias, Targets: []wormhole53.Target{{Name: PlanName(id), Weight: 1}}}
}

// InitialRecords returns the records of a fresh zone: root and rollback
// aliases to the placeholder plan and the initial lock.
func InitialRecords() []wormhole53.Record {
	return []wormhole53.Record{
		AliasToPlan(Root, Placeholder),
		AliasToPlan(Rollback, Placeholder),
		LockRecord(InitialLock()),
	}
}

// PlanRecords returns plan id's tree: its weighted alias and one A record per
// load balancer. ips lists the known IPs; an IP's 1-based index in it names
// its load balancer.
func PlanRecords(id int, weights map[string]int, ips []string) ([]wormhole53.Record, error) {
	if len(weights) == 0 {
		return nil, fmt.Errorf("plan %d has no load balancers", id)
	}
	alias := wormhole53.Record{Name: PlanName(id), Type: wormhole53.TypeAlias}
	var lbs []wormhole53.Record
	for k, ip := range ips {
		w, ok := weights[ip]
		if !ok {
			continue
		}
		name := LBName(id, k+1)
		alias.Targets = append(alias.Targets, wormhole53.Target{Name: name, Weight: w})
		lbs = append(lbs, wormhole53.Record{Name: name, Type: wormhole53.TypeA, Value: ip})
	}
	if len(lbs) != len(weights) {
		return nil, fmt.Errorf("plan %d names an IP that is not among the known IPs %v", id, ips)
	}
	return append([]wormhole53.Record{alias}, lbs...), nil
}

// TreeRecords returns the records of plan id's tree present in the store: its
// alias and every record under it, sorted by name.
func TreeRecords(store *wormhole53.Store, id int) []wormhole53.Record {
	return slices.DeleteFunc(store.Records(), func(r wormhole53.Record) bool {
		tree, ok := TreeOf(r.Name)
		return !ok || tree != id
	})
}

// TreeOf returns the plan whose tree holds name: the plan alias itself or any
// name under it, such as a load balancer.
func TreeOf(name string) (int, bool) {
	for {
		if id, ok := ParsePlanName(name); ok {
			return id, true
		}
		var found bool
		if _, name, found = strings.Cut(name, "."); !found {
			return 0, false
		}
	}
}

// TreeExists reports whether plan id's tree exists, that is whether its alias
// record is in the store. The placeholder plan always exists.
func TreeExists(store *wormhole53.Store, id int) bool {
	if id == Placeholder {
		return true
	}
	_, ok := store.Get(PlanName(id), wormhole53.TypeAlias)
	return ok
}

// ReadLock reads and parses the lock TXT record.
func ReadLock(store *wormhole53.Store) (Lock, error) {
	r, ok := store.Get(LockName, wormhole53.TypeTXT)
	if !ok {
		return Lock{}, fmt.Errorf("read lock: no TXT record %s", LockName)
	}
	l, err := ParseLock(r.Value)
	if err != nil {
		return Lock{}, fmt.Errorf("read lock: %w", err)
	}
	return l, nil
}

// ReadAlias returns the plan id the alias at name (Root or Rollback) points to.
func ReadAlias(store *wormhole53.Store, name string) (int, error) {
	r, ok := store.Get(name, wormhole53.TypeAlias)
	if !ok {
		return 0, fmt.Errorf("read alias: no ALIAS record %s", name)
	}
	if len(r.Targets) != 1 {
		return 0, fmt.Errorf("read alias %s: %d targets, want 1", name, len(r.Targets))
	}
	id, ok := ParsePlanName(r.Targets[0].Name)
	if !ok {
		return 0, fmt.Errorf("read alias %s: target %s is not a plan", name, r.Targets[0].Name)
	}
	return id, nil
}

// ReadTrees returns the weights of every plan tree present in the store, keyed
// by plan id: each alias target lb-K is mapped back to ips[K-1].
func ReadTrees(store *wormhole53.Store, ips []string) (map[int]map[string]int, error) {
	trees := map[int]map[string]int{}
	for _, r := range store.Records() {
		id, ok := ParsePlanName(r.Name)
		if !ok || r.Type != wormhole53.TypeAlias || id == Placeholder {
			continue
		}
		weights := map[string]int{}
		for _, t := range r.Targets {
			lbPlan, k, ok := ParseLBName(t.Name)
			if !ok || lbPlan != id || k > len(ips) {
				return nil, fmt.Errorf("read plan tree %d: target %s is not a known load balancer of the plan", id, t.Name)
			}
			weights[ips[k-1]] = t.Weight
		}
		trees[id] = weights
	}
	return trees, nil
}
