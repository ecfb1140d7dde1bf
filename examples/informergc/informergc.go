// Package informergc models a garbage collector that deletes dependent
// objects whose owner is gone, judging by informer caches.
//
// The system: an API server stores owners and dependents; a dependent names
// its owner. The garbage collector watches both kinds through two
// independent informers, each a cache that a sync (a watch event batch or a
// re-list) brings up to date with the API server. It scans its caches
// periodically and, to ride out short staleness, deletes a dependent only
// after its owner has been missing from the owner cache in Strikes scans in
// a row. Owners may be deleted, and their dependents must then be
// collected.
//
// The bug: the two caches are stale independently. A controller creates an
// owner and then its dependent; the dependent informer syncs, the owner
// informer does not (its watch stalled). Scan after scan the dependent's
// owner is missing from the owner cache, and after Strikes scans the
// collector deletes a dependent whose owner exists.
//
// The fix (the *_fixed instances): before deleting, the collector looks the
// owner up at the API server itself (a live read, not the cache); an owner
// that exists resets the dependent's strikes.
//
// Why it is deep: syncing the owner informer is a common event, and any
// sync while the owner exists clears the strikes. The wrong deletion needs
// Strikes scans in a row with no owner sync in between; with a realistic
// number of strikes, uniform random choice almost never leaves the owner
// informer idle that long.
//
// Instances (owners _ strikes): o1_s3 (shortest violation: 7 steps) and
// o2_s30 (34 steps), each with a _fixed twin.
//
// Find the bug on the realistic instance with
//
//	execspec run ./examples/informergc --instance o2_s30 --property no_live_owner_dependent_collected --strategy swarm
package informergc

import (
	"github.com/execspec/execspec"
)

// State is the model state.
type State struct {
	// Owners are the owners at the API server; Created the owners ever
	// created (each is created once).
	Owners  execspec.Set[string] `itf:"owners"`
	Created execspec.Set[string] `itf:"created"`
	// Deps maps each dependent at the API server to its owner.
	Deps map[string]string `itf:"deps"`
	// OwnerCache and DepCache are the collector's informer caches.
	OwnerCache execspec.Set[string] `itf:"ownerCache"`
	DepCache   map[string]string    `itf:"depCache"`
	// Strikes counts, per cached dependent, the scans in a row that found
	// its owner missing from the owner cache.
	Strikes map[string]int `itf:"strikes"`
	// Wrongful are the dependents the collector deleted while their owner
	// existed at the API server.
	Wrongful execspec.Set[string] `itf:"wrongful"`
}

// Params are an instance's constants.
type Params struct {
	// Owners lists the owners; dependent i belongs to owner i.
	Owners     []string
	Dependents []string
	Strikes    int  // scans in a row an owner must be missing
	Fixed      bool // confirm with a live read before deleting
}

// Instance returns the parameters with the given number of owners (each
// with one dependent) and strikes.
func Instance(owners, strikes int, fixed bool) Params {
	return Params{
		Owners:     []string{"deploy-1", "deploy-2", "deploy-3"}[:owners],
		Dependents: []string{"pod-1", "pod-2", "pod-3"}[:owners],
		Strikes:    strikes,
		Fixed:      fixed,
	}
}

// Spec lists the model's instances for the execspec command.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("informergc").Doc("A garbage collector that trusts a stale owner cache and deletes a live owner's dependent.")
	for _, in := range []struct {
		name            string
		owners, strikes int
	}{{"o1_s3", 1, 3}, {"o2_s30", 2, 30}} {
		s.Instance(in.name, func() *execspec.Model[State] { return New(Instance(in.owners, in.strikes, false)) })
		s.Instance(in.name+"_fixed", func() *execspec.Model[State] { return New(Instance(in.owners, in.strikes, true)) })
	}
	return s
}

// New builds the model for p.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("informergc")
	ownerOf := make(map[string]string, len(p.Dependents))
	for i, d := range p.Dependents {
		ownerOf[d] = p.Owners[i]
	}
	m.Init(func(c *execspec.Ctx[State]) {
		s := c.S
		s.Deps, s.DepCache, s.Strikes = map[string]string{}, map[string]string{}, map[string]int{}
	})

	// create_owner: a user creates an owner.
	m.Action("create_owner", func(c *execspec.Ctx[State]) {
		s := c.S
		o := execspec.OneOf(c, "owner", p.Owners)
		if !c.Assume(!s.Created.Has(o)) {
			return
		}
		s.Owners, s.Created = s.Owners.With(o), s.Created.With(o)
	})

	// create_dependent: the owner's controller creates its dependent.
	m.Action("create_dependent", func(c *execspec.Ctx[State]) {
		s := c.S
		d := execspec.OneOf(c, "dependent", p.Dependents)
		_, exists := s.Deps[d]
		if !c.Assume(!exists && s.Owners.Has(ownerOf[d])) {
			return
		}
		s.Deps[d] = ownerOf[d]
	})

	// delete_owner: a user deletes an owner; its dependents become garbage.
	m.Action("delete_owner", func(c *execspec.Ctx[State]) {
		s := c.S
		o := execspec.OneOfSet(c, "owner", s.Owners)
		if !c.Alive() {
			return
		}
		s.Owners = s.Owners.Without(o)
	})

	// sync_owners: the owner informer catches up with the API server.
	m.Action("sync_owners", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(!s.OwnerCache.Equal(s.Owners)) {
			return
		}
		s.OwnerCache = s.Owners.Clone()
	})

	// sync_dependents: the dependent informer catches up with the API
	// server.
	m.Action("sync_dependents", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(!sameMap(s.DepCache, s.Deps)) {
			return
		}
		s.DepCache = make(map[string]string, len(s.Deps))
		for d, o := range s.Deps {
			s.DepCache[d] = o
		}
		for d := range s.Strikes {
			if _, ok := s.DepCache[d]; !ok {
				delete(s.Strikes, d)
			}
		}
	})

	// scan: the collector's periodic scan counts a strike for every cached
	// dependent whose owner is missing from the owner cache, and clears the
	// strikes of the others.
	m.Action("scan", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(len(s.DepCache) > 0) {
			return
		}
		for d, o := range s.DepCache {
			if s.OwnerCache.Has(o) {
				s.Strikes[d] = 0
			} else {
				s.Strikes[d] = min(s.Strikes[d]+1, p.Strikes)
			}
		}
	})

	// collect: the collector deletes a dependent with Strikes strikes (with
	// the fix, only when a live read confirms its owner is gone).
	m.Action("collect", func(c *execspec.Ctx[State]) {
		s := c.S
		d := execspec.OneOf(c, "dependent", p.Dependents)
		_, live := s.Deps[d]
		if !c.Assume(live && s.Strikes[d] >= p.Strikes) {
			return
		}
		o := s.Deps[d]
		if p.Fixed && s.Owners.Has(o) {
			s.Strikes[d] = 0
			return
		}
		delete(s.Deps, d)
		if s.Owners.Has(o) {
			s.Wrongful = s.Wrongful.With(d)
		}
	})

	m.Invariant("no_live_owner_dependent_collected", func(s *State) bool { return s.Wrongful.IsEmpty() })
	m.Example("garbage_collected", func(s *State) bool {
		return s.Created.Len() > 0 && s.Owners.IsEmpty() && len(s.Deps) == 0 && len(s.DepCache) == 0
	})
	return m
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
