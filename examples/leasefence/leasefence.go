// Package leasefence models clients that take turns writing to a shared
// storage service under a lease from a lock service, without fencing.
//
// The system: a lock service grants a lease for TTL clock ticks to one
// client at a time and hands out a token that grows with every grant; the
// holder renews the lease between writes. To write, a client checks that
// its lease is still valid and then sends the write to the storage, which
// applies it.
//
// The bug: between the check and the write the client can stall (a
// stop-the-world garbage collection, a paged-out process, a slow network):
// it cannot renew while stalled, its lease expires, another client acquires
// the lease and writes, and then the stalled write lands, after the new
// holder's. Two holders' writes interleave: the storage's history goes back
// to an older holder.
//
// The fix (the *_fixed instances): fencing. Every write carries the
// client's lease token and the storage refuses a write whose token is lower
// than one it has already accepted.
//
// Why it is deep: a write that has been checked is normally sent at once.
// The interleaving needs TTL clock ticks in a row during which the stalled
// write is not delivered, before the other client can even acquire the
// lease; with a realistic TTL, uniform random choice almost never leaves
// the common delivery idle that long.
//
// Instances (clients _ lease TTL in ticks): c2_t3 (shortest violation: 9
// steps) and c2_t30 (36 steps), each with a _fixed twin.
//
// Find the bug on the realistic instance with
//
//	execspec run ./examples/leasefence --instance c2_t30 --property writes_in_lease_order --strategy swarm
package leasefence

import (
	"github.com/execspec/execspec"
)

// Client is one client's state.
type Client struct {
	// Token and Expiry are the lease the client holds, as it believes
	// (Token 0: none).
	Token  int `itf:"token"`
	Expiry int `itf:"expiry"`
	// Pending is the token of a checked write on its way to the storage
	// (0: none). While a write is pending the client does not renew.
	Pending int `itf:"pending"`
}

// Lease is the lock service's record.
type Lease struct {
	Holder string `itf:"holder"` // "" when never granted
	Token  int    `itf:"token"`  // grows with every grant
	Expiry int    `itf:"expiry"`
}

// State is the model state.
type State struct {
	Now     int               `itf:"now"`
	Lease   Lease             `itf:"lease"`
	Clients map[string]Client `itf:"clients"`
	// Writes are the tokens of the writes the storage accepted, in order.
	Writes []int `itf:"writes"`
}

// Params are an instance's constants.
type Params struct {
	Clients   []string
	TTL       int  // ticks a lease lasts after a grant or a renewal
	MaxTime   int  // the clock stops here (bounds the state space)
	MaxWrites int  // writes the storage accepts (bounds the state space)
	Fixed     bool // the storage fences writes by token
}

// Instance returns the parameters with the given number of clients and
// lease TTL.
func Instance(clients, ttl int, fixed bool) Params {
	names := []string{"worker-a", "worker-b", "worker-c"}[:clients]
	return Params{Clients: names, TTL: ttl, MaxTime: ttl + 2, MaxWrites: 3, Fixed: fixed}
}

// Spec lists the model's instances for the execspec command.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("leasefence").Doc("A lease lock without fencing: a stalled holder's write lands after the next holder's.")
	for _, in := range []struct {
		name         string
		clients, ttl int
	}{{"c2_t3", 2, 3}, {"c2_t30", 2, 30}} {
		s.Instance(in.name, func() *execspec.Model[State] { return New(Instance(in.clients, in.ttl, false)) })
		s.Instance(in.name+"_fixed", func() *execspec.Model[State] { return New(Instance(in.clients, in.ttl, true)) })
	}
	return s
}

// New builds the model for p.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("leasefence")
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Clients = make(map[string]Client, len(p.Clients))
		for _, n := range p.Clients {
			c.S.Clients[n] = Client{}
		}
	})

	// acquire: the lock service grants the lease to a client when nobody
	// holds a live one.
	m.Action("acquire", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(cl.Pending == 0 && (s.Lease.Holder == "" || s.Now >= s.Lease.Expiry)) {
			return
		}
		s.Lease = Lease{Holder: n, Token: s.Lease.Token + 1, Expiry: s.Now + p.TTL}
		cl.Token, cl.Expiry = s.Lease.Token, s.Lease.Expiry
		s.Clients[n] = cl
	})

	// renew: the holder of a live lease, with no write pending, extends it.
	m.Action("renew", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(cl.Pending == 0 && s.Lease.Holder == n && cl.Token == s.Lease.Token && s.Now < s.Lease.Expiry && s.Now+p.TTL > s.Lease.Expiry) {
			return
		}
		s.Lease.Expiry = s.Now + p.TTL
		cl.Expiry = s.Lease.Expiry
		s.Clients[n] = cl
	})

	// check: a client whose lease is valid by its own view starts a write.
	m.Action("check", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(cl.Pending == 0 && cl.Token > 0 && s.Now < cl.Expiry && len(s.Writes) < p.MaxWrites) {
			return
		}
		cl.Pending = cl.Token
		s.Clients[n] = cl
	})

	// write: a pending write reaches the storage. Fenced storage refuses a
	// token lower than one it accepted.
	m.Action("write", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(cl.Pending > 0) {
			return
		}
		fenced := false
		for _, w := range s.Writes {
			fenced = fenced || w > cl.Pending
		}
		if !(p.Fixed && fenced) && len(s.Writes) < p.MaxWrites {
			s.Writes = append(s.Writes, cl.Pending)
		}
		cl.Pending = 0
		s.Clients[n] = cl
	})

	// tick: the clock advances.
	m.Action("tick", func(c *execspec.Ctx[State]) {
		if !c.Assume(c.S.Now < p.MaxTime) {
			return
		}
		c.S.Now++
	})

	m.Invariant("writes_in_lease_order", func(s *State) bool {
		for i := 1; i < len(s.Writes); i++ {
			if s.Writes[i] < s.Writes[i-1] {
				return false
			}
		}
		return true
	})
	m.Example("handover", func(s *State) bool { return s.Lease.Token >= 2 })
	return m
}
