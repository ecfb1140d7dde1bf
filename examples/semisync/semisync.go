// Package semisync models a primary database with semi-synchronous
// replication and an orchestrator that fails over to the most advanced
// replica when the primary dies.
//
// The system: the primary appends each commit to its binary log and, in
// semi-synchronous mode, answers the client only once a replica has
// acknowledged receiving the event. Replicas pull the log one event at a
// time. When the primary dies, the orchestrator promotes the replica that has
// received the most events.
//
// The bug: when no replica acknowledges within the wait timeout, the primary
// silently falls back to asynchronous replication and answers the client
// anyway. A failover after that promotes a replica that lacks a commit the
// client was told is durable: an acknowledged transaction is lost.
//
// The fix (the *_fixed instances): no fallback; a commit waits for a replica
// acknowledgement however long it takes (an infinite wait timeout), so
// every acknowledged commit is on at least one replica, and the most
// advanced replica has them all.
//
// Why it is deep: replication is the most common event in the system. The
// fallback needs Timeout clock ticks in a row during which no replica pulls
// the waiting event, and then a failover, a rare event, before any replica
// catches up. With a realistic timeout (ticks of a millisecond clock against
// replicas that answer in one), uniform random choice almost never leaves
// replication idle that long.
//
// Instances (replicas _ wait timeout in ticks): r2_t3 (shortest violation: 6
// steps) and r2_t30 (33 steps), each with a _fixed twin.
//
// Find the bug on the realistic instance with
//
//	execspec run ./examples/semisync --instance r2_t30 --property no_acked_commit_lost --strategy swarm
package semisync

import (
	"github.com/execspec/execspec"
)

// Params are an instance's constants.
type Params struct {
	Replicas []string
	Timeout  int  // clock ticks a commit waits for an acknowledgement
	MaxTxns  int  // commits the clients make
	Fixed    bool // never fall back to asynchronous replication
}

// State is the model state.
type State struct {
	// Binlog is the primary's log: the number of commits it has written.
	Binlog int `itf:"binlog"`
	// Received is how many log events each replica has received.
	Received map[string]int `itf:"received"`
	// Waiting is true while the last commit waits for an acknowledgement;
	// Waited counts the ticks it has waited.
	Waiting bool `itf:"waiting"`
	Waited  int  `itf:"waited"`
	// Async is true once the primary has fallen back to asynchronous
	// replication.
	Async bool `itf:"async"`
	// Acked is how many commits the clients were told are durable.
	Acked int `itf:"acked"`
	// Promoted is the replica promoted by the failover ("" before it).
	Promoted string `itf:"promoted"`
}

// Instance returns the parameters with the given number of replicas and
// wait timeout.
func Instance(replicas, timeout int, fixed bool) Params {
	names := []string{"replica-1", "replica-2", "replica-3"}[:replicas]
	return Params{Replicas: names, Timeout: timeout, MaxTxns: 2, Fixed: fixed}
}

// Spec lists the model's instances for the execspec command.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("semisync").Doc("Semi-synchronous replication that falls back to async before a failover loses an acknowledged commit.")
	for _, in := range []struct {
		name              string
		replicas, timeout int
	}{{"r2_t3", 2, 3}, {"r2_t30", 2, 30}} {
		s.Instance(in.name, func() *execspec.Model[State] { return New(Instance(in.replicas, in.timeout, false)) })
		s.Instance(in.name+"_fixed", func() *execspec.Model[State] { return New(Instance(in.replicas, in.timeout, true)) })
	}
	return s
}

// New builds the model for p.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("semisync")
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Received = make(map[string]int, len(p.Replicas))
		for _, r := range p.Replicas {
			c.S.Received[r] = 0
		}
	})

	// commit: a client commits a transaction on the primary. In async mode
	// it is acknowledged at once; otherwise it waits for a replica.
	m.Action("commit", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.Promoted == "" && !s.Waiting && s.Binlog < p.MaxTxns) {
			return
		}
		s.Binlog++
		if s.Async {
			s.Acked = s.Binlog
			return
		}
		s.Waiting, s.Waited = true, 0
	})

	// replicate: a replica receives the next log event and acknowledges it.
	// The acknowledgement of the waiting commit releases it; a replica that
	// catches up switches the primary back to semi-synchronous mode.
	m.Action("replicate", func(c *execspec.Ctx[State]) {
		s := c.S
		r := execspec.OneOf(c, "replica", p.Replicas)
		if !c.Assume(s.Promoted == "" && s.Received[r] < s.Binlog) {
			return
		}
		s.Received[r]++
		if s.Received[r] == s.Binlog {
			if s.Waiting {
				s.Waiting, s.Waited, s.Acked = false, 0, s.Binlog
			}
			s.Async = false
		}
	})

	// tick: the clock advances while a commit waits.
	m.Action("tick", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.Promoted == "" && s.Waiting && s.Waited < p.Timeout) {
			return
		}
		s.Waited++
	})

	// fallback: the wait timed out; the primary switches to asynchronous
	// replication and acknowledges the commit without a replica.
	m.Action("fallback", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(!p.Fixed && s.Promoted == "" && s.Waiting && s.Waited >= p.Timeout) {
			return
		}
		s.Async, s.Waiting, s.Waited, s.Acked = true, false, 0, s.Binlog
	})

	// failover: the primary dies and the orchestrator promotes the replica
	// with the most events (the first in name order on a tie).
	m.Action("failover", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.Promoted == "") {
			return
		}
		best := p.Replicas[0]
		for _, r := range p.Replicas[1:] {
			if s.Received[r] > s.Received[best] {
				best = r
			}
		}
		s.Promoted = best
		s.Waiting, s.Waited = false, 0
	})
	// A primary dies far less often than anything else happens.
	m.Weight("failover", 0.1)

	m.Invariant("no_acked_commit_lost", func(s *State) bool {
		return s.Promoted == "" || s.Received[s.Promoted] >= s.Acked
	})
	m.Example("fell_back", func(s *State) bool { return s.Async })
	return m
}
