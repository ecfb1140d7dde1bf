// Package allocator is the simple resource allocator of the tlaplus/Examples
// repository (specifications/allocator/SimpleAllocator.tla, by Stephan
// Merz), ported to an execspec model with the specification's names and
// written the way Go code is: an action takes an alias of a client's Set
// out of a map and adds to it or removes from it in place.
//
// Clients request sets of resources whenever all their previous requests
// are satisfied and they hold nothing; the allocator hands out available
// resources, possibly part of a request at a time; clients return
// resources they hold, even before their request is satisfied.
// ResourceMutex says that no resource is allocated to two clients.
//
// The port is also the regression model for a class of engine bugs: a Set
// in a map is empty in the initial state, and every action writes through
// an alias of it (a := s.Alloc[c]; a.Add(r)). An engine that gave an empty
// Set no contents of its own when it copied or decoded a state would lose
// those writes and explore a fraction of the states, reporting a clean
// result that means nothing (see TestAliasOfEmptySet).
package allocator

import "github.com/execspec/execspec"

// State holds the specification's two variables: unsat[c], the resources
// client c has requested and not yet received, and alloc[c], those it
// holds.
type State struct {
	Unsat map[string]execspec.Set[string]
	Alloc map[string]execspec.Set[string]
}

// Fairness selects the liveness part of the specification.
type Fairness int

// The fairness assumptions of the specification's two complete
// specifications.
const (
	// Safety declares no fairness and no temporal property (the instances
	// c3_r2 and c2_r2).
	Safety Fairness = iota
	// Simple is SimpleAllocator: each client returns everything it holds,
	// \A c : WF_vars(Return(c, alloc[c])), and the allocator serves each
	// client, \A c : SF_vars(\E S : Allocate(c, S)).
	Simple
	// Simple2 is SimpleAllocator2, with the weaker fairness of clients
	// that return only once their whole request is satisfied:
	// \A c : WF_vars(unsat[c] = {} /\ Return(c, alloc[c])).
	Simple2
)

// New returns the model for the given clients and resources, safety only.
func New(clients, resources []string) *execspec.Model[State] {
	return NewWith(clients, resources, Safety)
}

// NewWith returns the model with the given fairness; with Simple or
// Simple2 it has the specification's temporal properties
// (ClientsWillReturn, ClientsWillObtain, InfOftenSatisfied), and the
// invariant ReturnEnabled, which asks the engine whether Return(c) is
// enabled.
func NewWith(clients, resources []string, fair Fairness) *execspec.Model[State] {
	m := execspec.NewModel[State]("allocator")
	m.Params(map[string]any{"Clients": execspec.SetOf(clients...), "Resources": execspec.SetOf(resources...)})
	// available == Resources \ UNION {alloc[c] : c \in Clients}
	available := func(s *State) execspec.Set[string] {
		free := execspec.SetOf(resources...)
		for _, c := range clients {
			for _, r := range s.Alloc[c].Elems() {
				free.Remove(r)
			}
		}
		return free
	}
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Unsat = map[string]execspec.Set[string]{}
		c.S.Alloc = map[string]execspec.Set[string]{}
		for _, cl := range clients {
			c.S.Unsat[cl] = execspec.SetOf[string]()
			c.S.Alloc[cl] = execspec.SetOf[string]()
		}
	})
	// Request(c, S): unsat[c] = {} /\ alloc[c] = {} /\ S # {} /\
	// unsat' = [unsat EXCEPT ![c] = S]
	m.Action("Request", func(c *execspec.Ctx[State]) {
		cl := execspec.OneOf(c, "c", clients)
		req := execspec.SubsetOf(c, "S", resources)
		if !c.Assume(len(req) > 0 && c.S.Unsat[cl].IsEmpty() && c.S.Alloc[cl].IsEmpty()) {
			return
		}
		unsat := c.S.Unsat[cl] // an alias: adding to it changes unsat[c]
		for _, r := range req {
			unsat.Add(r)
		}
	})
	// Allocate(c, S): S # {} /\ S \subseteq available \cap unsat[c] /\
	// alloc' = [alloc EXCEPT ![c] = @ \cup S] /\
	// unsat' = [unsat EXCEPT ![c] = @ \ S]
	m.Action("Allocate", func(c *execspec.Ctx[State]) {
		cl := execspec.OneOf(c, "c", clients)
		give := execspec.SubsetOfSet(c, "S", available(c.S).Intersect(c.S.Unsat[cl]))
		if !c.Assume(!give.IsEmpty()) {
			return
		}
		alloc, unsat := c.S.Alloc[cl], c.S.Unsat[cl]
		for _, r := range give.Elems() {
			alloc.Add(r)
			unsat.Remove(r)
		}
	})
	// Return(c, S): S # {} /\ S \subseteq alloc[c] /\
	// alloc' = [alloc EXCEPT ![c] = @ \ S]
	m.Action("Return", func(c *execspec.Ctx[State]) {
		cl := execspec.OneOf(c, "c", clients)
		back := execspec.SubsetOfSet(c, "S", c.S.Alloc[cl])
		if !c.Assume(!back.IsEmpty()) {
			return
		}
		alloc := c.S.Alloc[cl]
		for _, r := range back.Elems() {
			alloc.Remove(r)
		}
	})
	// ResourceMutex == \A c1, c2 \in Clients : c1 # c2 => alloc[c1] \cap alloc[c2] = {}
	m.Invariant("ResourceMutex", func(s *State) bool {
		for i, c1 := range clients {
			for _, c2 := range clients[i+1:] {
				if !s.Alloc[c1].Disjoint(s.Alloc[c2]) {
					return false
				}
			}
		}
		return true
	})
	// TypeInvariant: unsat and alloc map every client to a set of
	// resources.
	m.Invariant("TypeInvariant", func(s *State) bool {
		all := execspec.SetOf(resources...)
		for _, cl := range clients {
			if !s.Unsat[cl].IsSubsetOf(all) || !s.Alloc[cl].IsSubsetOf(all) {
				return false
			}
		}
		return len(s.Unsat) == len(clients) && len(s.Alloc) == len(clients)
	})
	if fair != Safety {
		liveness(m, clients, resources, fair)
	}
	return m
}

// liveness adds the fairness and the temporal properties of
// SimpleAllocator (or SimpleAllocator2), and ReturnEnabled.
func liveness(m *execspec.Model[State], clients, resources []string, fair Fairness) {
	// Return(c, alloc[c]): the branch of Return that gives back all that
	// c holds; for Simple2, only once unsat[c] = {}.
	returnsAll := func(s *State, p execspec.Picks) bool {
		c, _ := execspec.Picked[string](p, "c")
		back, _ := execspec.Picked[execspec.Set[string]](p, "S")
		return back.Equal(s.Alloc[c])
	}
	name := "returns_all"
	if fair == Simple2 {
		name = "satisfied_returns_all"
		all := returnsAll
		returnsAll = func(s *State, p execspec.Picks) bool {
			c, _ := execspec.Picked[string](p, "c")
			return s.Unsat[c].IsEmpty() && all(s, p)
		}
	}
	m.WeakFair("Return").Per("c").When(name, returnsAll)
	m.StrongFair("Allocate").Per("c")
	var willReturn, willObtain, infOften []execspec.Formula[State]
	for _, c := range clients {
		willReturn = append(willReturn, execspec.LeadsTo(
			func(s *State) bool { return s.Unsat[c].IsEmpty() },
			func(s *State) bool { return s.Alloc[c].IsEmpty() }).Named(c))
		for _, r := range resources {
			willObtain = append(willObtain, execspec.LeadsTo(
				func(s *State) bool { return s.Unsat[c].Has(r) },
				func(s *State) bool { return s.Alloc[c].Has(r) }).Named(c+" "+r))
		}
		infOften = append(infOften, execspec.AlwaysEventually(func(s *State) bool { return s.Unsat[c].IsEmpty() }).Named(c))
	}
	m.Temporal("ClientsWillReturn", willReturn...)
	m.Temporal("ClientsWillObtain", willObtain...)
	m.Temporal("InfOftenSatisfied", infOften...)
	// ReturnEnabled: a client can return resources exactly when it holds
	// some, asked of the engine, which runs Return for that client.
	returnOf := map[string]func(*State) bool{}
	for _, c := range clients {
		returnOf[c] = execspec.Enabled(m, "Return", execspec.Pick("c", c))
	}
	m.Invariant("ReturnEnabled", func(s *State) bool {
		for _, c := range clients {
			if returnOf[c](s) == s.Alloc[c].IsEmpty() {
				return false
			}
		}
		return true
	})
}

// Spec exposes the model to the execspec command. The instance c3_r2 is
// SimpleAllocator.cfg's configuration, three clients and two resources,
// for safety; c3_r2_live is the whole of SimpleAllocator.cfg, whose
// temporal properties hold, and c3_r2_live2 the same under
// SimpleAllocator2's weaker fairness, under which ClientsWillObtain and
// InfOftenSatisfied do not.
func Spec() *execspec.Spec[State] {
	c3, r2 := []string{"c1", "c2", "c3"}, []string{"r1", "r2"}
	return execspec.NewSpec[State]("allocator").Instance("c3_r2", func() *execspec.Model[State] {
		return New(c3, r2)
	}).Instance("c2_r2", func() *execspec.Model[State] {
		return New([]string{"c1", "c2"}, r2)
	}).Instance("c3_r2_live", func() *execspec.Model[State] {
		return NewWith(c3, r2, Simple)
	}).Instance("c3_r2_live2", func() *execspec.Model[State] {
		return NewWith(c3, r2, Simple2)
	})
}
