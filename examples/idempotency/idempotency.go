// Package idempotency models a payment API that deduplicates client retries
// with idempotency keys stored for a limited time.
//
// The system: each client sends one charge request under its own
// idempotency key and retries until it gets an answer; the network may lose
// the server's answer. The server charges on the first request with a key,
// stores the key with its result for TTL clock ticks, and answers a request
// whose key it still holds with the stored result instead of charging
// again.
//
// The bug: the key expires. A retry that arrives after the key's TTL (the
// client was partitioned, backed off, or its process was restarted from a
// queue) looks like a new request, and the customer is charged twice.
//
// The fix (the *_fixed instances): the request carries the time its key was
// created, and the server refuses, without charging, a request whose key is
// older than the TTL; the client must then look the payment up instead of
// retrying blindly.
//
// Why it is deep: retrying is what a client without an answer does all the
// time, and answers are seldom lost. The double charge needs TTL clock
// ticks during which the client neither retries nor has a retry answered;
// with a realistic TTL against a retry loop, uniform random choice almost
// never gets there.
//
// Instances (clients _ TTL in ticks): c2_t3 (shortest violation: 8 steps)
// and c2_t40 (45 steps), each with a _fixed twin.
//
// Find the bug on the realistic instance with
//
//	execspec run ./examples/idempotency --instance c2_t40 --property charged_at_most_once --strategy swarm
package idempotency

import (
	"github.com/execspec/execspec"
)

// Client is one client's view of its request.
type Client struct {
	Sent    bool `itf:"sent"`    // the first request was sent
	Created int  `itf:"created"` // the clock when its key was created
	Done    bool `itf:"done"`    // the client has its answer
	// InFlight counts its requests in the network.
	InFlight int `itf:"inFlight"`
	// Answering is true while the server's answer is in the network.
	Answering bool `itf:"answering"`
}

// State is the model state.
type State struct {
	Now     int               `itf:"now"`     // the clock, in ticks
	Clients map[string]Client `itf:"clients"` // by client (and key) name
	// Keys maps each stored idempotency key to the tick it expires at.
	Keys map[string]int `itf:"keys"`
	// Charges counts the charges made for each client's request.
	Charges map[string]int `itf:"charges"`
}

// Params are an instance's constants.
type Params struct {
	Clients []string
	TTL     int  // ticks a key is kept
	MaxTime int  // the clock stops here (bounds the state space)
	Fixed   bool // refuse requests whose key is older than the TTL
}

// Instance returns the parameters with the given number of clients and key
// TTL.
func Instance(clients, ttl int, fixed bool) Params {
	names := []string{"alice", "bob", "carol"}[:clients]
	return Params{Clients: names, TTL: ttl, MaxTime: ttl + 2, Fixed: fixed}
}

// Spec lists the model's instances for the execspec command.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("idempotency").Doc("Idempotency keys that expire before a late retry: a double charge.")
	for _, in := range []struct {
		name         string
		clients, ttl int
	}{{"c2_t3", 2, 3}, {"c2_t40", 2, 40}} {
		s.Instance(in.name, func() *execspec.Model[State] { return New(Instance(in.clients, in.ttl, false)) })
		s.Instance(in.name+"_fixed", func() *execspec.Model[State] { return New(Instance(in.clients, in.ttl, true)) })
	}
	return s
}

// New builds the model for p.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("idempotency")
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Clients = make(map[string]Client, len(p.Clients))
		c.S.Charges = make(map[string]int, len(p.Clients))
		for _, n := range p.Clients {
			c.S.Clients[n] = Client{}
			c.S.Charges[n] = 0
		}
		c.S.Keys = map[string]int{}
	})

	// send: a client sends its first request, creating its key.
	m.Action("send", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(!cl.Sent) {
			return
		}
		cl.Sent, cl.Created, cl.InFlight = true, s.Now, 1
		s.Clients[n] = cl
	})

	// retry: a client that sent and has no answer and no request in flight
	// (its wait timed out) sends the request again, same key.
	m.Action("retry", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(cl.Sent && !cl.Done && cl.InFlight == 0 && !cl.Answering) {
			return
		}
		cl.InFlight = 1
		s.Clients[n] = cl
	})

	// deliver: the server handles a client's request: a stored key's result
	// is returned as is; an unknown (or expired) key is charged and stored.
	// The answer goes back through the network.
	m.Action("deliver", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(cl.InFlight > 0) {
			return
		}
		cl.InFlight--
		exp, stored := s.Keys[n]
		switch {
		case stored && s.Now < exp:
			// a duplicate: the stored result, no new charge
		case p.Fixed && s.Now-cl.Created >= p.TTL:
			// the key is too old to be deduplicated: refused
		default:
			s.Charges[n]++
			s.Keys[n] = s.Now + p.TTL
		}
		cl.Answering = true
		s.Clients[n] = cl
	})

	// respond: an answer reaches its client.
	m.Action("respond", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(cl.Answering) {
			return
		}
		cl.Answering, cl.Done = false, true
		s.Clients[n] = cl
	})

	// lose: the network loses an answer; the client will time out and
	// retry.
	m.Action("lose", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "client", p.Clients)
		cl := s.Clients[n]
		if !c.Assume(cl.Answering) {
			return
		}
		cl.Answering = false
		s.Clients[n] = cl
	})
	// The network loses a message far less often than it delivers one.
	m.Weight("lose", 0.1)

	// tick: the clock advances while some client has no answer.
	m.Action("tick", func(c *execspec.Ctx[State]) {
		s := c.S
		waiting := false
		for _, cl := range s.Clients {
			waiting = waiting || (cl.Sent && !cl.Done)
		}
		if !c.Assume(waiting && s.Now < p.MaxTime) {
			return
		}
		s.Now++
	})

	m.Invariant("charged_at_most_once", func(s *State) bool {
		for _, n := range s.Charges {
			if n > 1 {
				return false
			}
		}
		return true
	})
	m.Example("answered", func(s *State) bool {
		for _, cl := range s.Clients {
			if !cl.Done {
				return false
			}
		}
		return true
	})
	return m
}
