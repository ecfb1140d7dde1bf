// Package tcp is the TCP connection state machine of RFC 9293 (its
// diagram of the states from CLOSED to TIME-WAIT, without sequence
// numbers), as specified in TLA+ by Markus Kuppe: the modules tcp and
// MCtcp of the tlaplus/Examples repository (specifications/tcp), ported to
// an execspec model with their names.
//
// Two peers, A and B, each hold a connection state, whether they have a
// transmission control block, and the queue of segments sent to them.
// User commands (ACTIVE_OPEN, PASSIVE_OPEN, SEND and the CLOSE of each
// state) and segment arrivals (SynSent, SynReceived, Listen, ...) move a
// peer along the diagram; Note2 and Note3 are the RFC's notes on a FIN
// acknowledged at once and on resets.
//
// The model checked is MCtcp.cfg's: one peer starts in SYN-SENT, its SYN
// on its way, the other in LISTEN (MCInit); the state constraint
// NoRetransmission keeps a segment from being queued twice in a row, and
// the action constraint SingleActiveOpen (TLC's ACTION_CONSTRAINT; see
// execspec.Model.ActionConstraint) excludes every step that is an active
// or passive open or a SEND, so that the first open, in the initial state,
// is the only one. TLC finds 1,182 distinct states and 6,322 states
// generated, search depth 14 (the repository's manifest.json), checking
// TypeOK and Inv; the steps the action constraint excludes count among the
// states generated, as TLC counts them. The configuration's liveness
// property Prop (a peer in SYN-SENT leads to ESTABLISHED, LISTEN or
// CLOSED, under the spec's fairness) is ported as a temporal property.
//
// A TLA+ action constraint is a predicate of the step, not of the action
// that took it: SingleActiveOpen excludes any step that satisfies
// ACTIVE_OPEN, PASSIVE_OPEN or SEND for some pair of peers, which it
// evaluates on the states before and after the step, as TLC does.
package tcp

import "github.com/execspec/execspec"

// The connection states of RFC 9293.
const (
	Listen      = "LISTEN"
	Closed      = "CLOSED"
	SynSent     = "SYN-SENT"
	SynReceived = "SYN-RECEIVED"
	Established = "ESTABLISHED"
	FinWait1    = "FIN-WAIT-1"
	FinWait2    = "FIN-WAIT-2"
	Closing     = "CLOSING"
	CloseWait   = "CLOSE-WAIT"
	LastAck     = "LAST-ACK"
	TimeWait    = "TIME-WAIT"
)

// States are the connection states, for TypeOK.
var States = []string{Listen, Closed, SynSent, SynReceived, Established, FinWait1, FinWait2, Closing, CloseWait, LastAck, TimeWait}

// Segments are the segments the peers send each other.
var Segments = []string{"SYN", "SYN,ACK", "ACK", "RST", "FIN", "ACKofFIN"}

// Peers are A (0) and B (1); the spec's Peers has two elements.
var Peers = []int{A, B}

// The peers.
const (
	A = 0
	B = 1
)

// State is the specification's state: functions from Peers, as arrays
// indexed by peer.
type State struct {
	Tcb       [2]bool     `itf:"tcb"`
	Connstate [2]string   `itf:"connstate"`
	Network   [2][]string `itf:"network"`
}

// Spec returns the model with its instance mc (MCtcp.cfg).
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("tcp").
		Doc("The TCP connection state machine of RFC 9293 (TLA+ by Markus Kuppe), tcp.tla and MCtcp.cfg from tlaplus/Examples: a state constraint and an action constraint.").
		Instance("mc", New)
}

// prefix reports whether the queue q starts with the segments p
// (IsPrefix(p, q)).
func prefix(p []string, q []string) bool {
	if len(q) < len(p) {
		return false
	}
	for i := range p {
		if q[i] != p[i] {
			return false
		}
	}
	return true
}

// sendTo appends segment m to the queue of peer r (network' = [network
// EXCEPT ![r] = Append(@, m)]).
func sendTo(s *State, r int, m string) {
	s.Network[r] = append(s.Network[r], m)
}

// receive drops the first n segments of peer l's queue (Tail, or SubSeq
// from n+1).
func receive(s *State, l, n int) {
	s.Network[l] = s.Network[l][n:]
}

// New builds the model of MCtcp.cfg.
func New() *execspec.Model[State] {
	m := execspec.NewModel[State]("tcp")
	// MCInit: one node has received the active open command and sent its
	// SYN; the other has received the passive open command.
	m.Init(func(c *execspec.Ctx[State]) {
		node := execspec.OneOf(c, "node", Peers)
		other := 1 - node
		c.S.Tcb = [2]bool{true, true}
		c.S.Connstate[node], c.S.Connstate[other] = SynSent, Listen
		c.S.Network[other] = []string{"SYN"}
	})
	// local picks the peer an action is about; remote is the other one
	// (\E local, remote \in Peers : local # remote /\ ...).
	local := func(c *execspec.Ctx[State]) (int, int) {
		l := execspec.OneOf(c, "local", Peers)
		return l, 1 - l
	}
	in := func(c *execspec.Ctx[State], l int, st string) bool {
		return c.Assume(c.S.Connstate[l] == st)
	}

	// User commands.
	m.Action("ACTIVE_OPEN", func(c *execspec.Ctx[State]) {
		if l, r := local(c); in(c, l, Closed) {
			sendTo(c.S, r, "SYN")
			c.S.Connstate[l], c.S.Tcb[l] = SynSent, true
		}
	})
	m.Action("PASSIVE_OPEN", func(c *execspec.Ctx[State]) {
		if l, _ := local(c); in(c, l, Closed) {
			c.S.Connstate[l], c.S.Tcb[l] = Listen, true
		}
	})
	m.Action("CLOSE_SYN_SENT", func(c *execspec.Ctx[State]) {
		if l, _ := local(c); in(c, l, SynSent) {
			c.S.Connstate[l], c.S.Tcb[l] = Closed, false
		}
	})
	m.Action("CLOSE_SYN_RECEIVED", func(c *execspec.Ctx[State]) {
		if l, r := local(c); in(c, l, SynReceived) {
			sendTo(c.S, r, "FIN")
			c.S.Connstate[l] = FinWait1
		}
	})
	m.Action("CLOSE_LISTEN", func(c *execspec.Ctx[State]) {
		if l, _ := local(c); in(c, l, Listen) {
			c.S.Connstate[l], c.S.Tcb[l] = Closed, false
		}
	})
	m.Action("CLOSE_ESTABLISHED", func(c *execspec.Ctx[State]) {
		if l, r := local(c); in(c, l, Established) {
			sendTo(c.S, r, "FIN")
			c.S.Connstate[l] = FinWait1
		}
	})
	m.Action("CLOSE_CLOSE_WAIT", func(c *execspec.Ctx[State]) {
		if l, r := local(c); in(c, l, CloseWait) {
			sendTo(c.S, r, "FIN")
			c.S.Connstate[l] = LastAck
		}
	})
	m.Action("SEND", func(c *execspec.Ctx[State]) {
		if l, r := local(c); in(c, l, Listen) {
			sendTo(c.S, r, "SYN")
			c.S.Connstate[l] = SynSent
		}
	})

	// Segment arrivals (System).
	m.Action("SynSent", func(c *execspec.Ctx[State]) {
		l, r := local(c)
		if !in(c, l, SynSent) {
			return
		}
		switch q := c.S.Network[l]; {
		case prefix([]string{"SYN"}, q):
			sendTo(c.S, r, "SYN,ACK")
			receive(c.S, l, 1)
			c.S.Connstate[l] = SynReceived
		case prefix([]string{"SYN,ACK"}, q):
			sendTo(c.S, r, "ACK")
			receive(c.S, l, 1)
			c.S.Connstate[l] = Established
		default:
			c.Assume(false)
		}
	})
	m.Action("SynReceived", func(c *execspec.Ctx[State]) {
		l, _ := local(c)
		if !in(c, l, SynReceived) {
			return
		}
		switch q := c.S.Network[l]; {
		case prefix([]string{"RST"}, q):
			receive(c.S, l, 1)
			c.S.Connstate[l] = Listen
		case prefix([]string{"ACK"}, q):
			receive(c.S, l, 1)
			c.S.Connstate[l] = Established
		default:
			c.Assume(false)
		}
	})
	m.Action("Listen", func(c *execspec.Ctx[State]) {
		l, r := local(c)
		if in(c, l, Listen) && c.Assume(prefix([]string{"SYN"}, c.S.Network[l])) {
			sendTo(c.S, r, "SYN,ACK")
			receive(c.S, l, 1)
			c.S.Connstate[l] = SynReceived
		}
	})
	m.Action("Established", func(c *execspec.Ctx[State]) {
		l, r := local(c)
		if in(c, l, Established) && c.Assume(prefix([]string{"FIN"}, c.S.Network[l])) {
			sendTo(c.S, r, "ACKofFIN")
			receive(c.S, l, 1)
			c.S.Connstate[l] = CloseWait
		}
	})
	m.Action("FinWait1", func(c *execspec.Ctx[State]) {
		l, r := local(c)
		if !in(c, l, FinWait1) {
			return
		}
		switch q := c.S.Network[l]; {
		case prefix([]string{"FIN"}, q):
			sendTo(c.S, r, "ACKofFIN")
			receive(c.S, l, 1)
			c.S.Connstate[l] = Closing
		case prefix([]string{"ACKofFIN"}, q):
			receive(c.S, l, 1)
			c.S.Connstate[l] = FinWait2
		default:
			c.Assume(false)
		}
	})
	m.Action("FinWait2", func(c *execspec.Ctx[State]) {
		l, r := local(c)
		if in(c, l, FinWait2) && c.Assume(prefix([]string{"FIN"}, c.S.Network[l])) {
			sendTo(c.S, r, "ACKofFIN")
			receive(c.S, l, 1)
			c.S.Connstate[l] = TimeWait
		}
	})
	m.Action("Closing", func(c *execspec.Ctx[State]) {
		l, _ := local(c)
		if in(c, l, Closing) && c.Assume(prefix([]string{"ACKofFIN"}, c.S.Network[l])) {
			receive(c.S, l, 1)
			c.S.Connstate[l] = TimeWait
		}
	})
	m.Action("LastAck", func(c *execspec.Ctx[State]) {
		l, _ := local(c)
		if in(c, l, LastAck) && c.Assume(prefix([]string{"ACKofFIN"}, c.S.Network[l])) {
			receive(c.S, l, 1)
			c.S.Connstate[l] = Closed
		}
	})
	m.Action("TimeWait", func(c *execspec.Ctx[State]) {
		l, _ := local(c)
		if in(c, l, TimeWait) && c.Assume(c.S.Tcb[l]) {
			c.S.Connstate[l], c.S.Tcb[l] = Closed, false
		}
	})
	m.Action("Note2", func(c *execspec.Ctx[State]) {
		l, r := local(c)
		if in(c, l, FinWait1) && c.Assume(prefix([]string{"FIN", "ACKofFIN"}, c.S.Network[l])) {
			sendTo(c.S, r, "ACKofFIN")
			receive(c.S, l, 2)
			c.S.Connstate[l] = TimeWait
		}
	})

	// Resets (Reset): a peer with a TCB may send a RST from any state,
	// and a peer receiving one goes to LISTEN or to CLOSED.
	m.Action("Note3", func(c *execspec.Ctx[State]) {
		l, r := local(c)
		c.Either("do",
			execspec.Alt("send", func(c *execspec.Ctx[State]) {
				if c.Assume(c.S.Tcb[l]) {
					sendTo(c.S, r, "RST")
					c.S.Connstate[l] = TimeWait
				}
			}),
			execspec.Alt("receive", func(c *execspec.Ctx[State]) {
				if !c.Assume(prefix([]string{"RST"}, c.S.Network[l])) {
					return
				}
				receive(c.S, l, 1)
				c.S.Connstate[l] = execspec.OneOf(c, "to", []string{Listen, Closed})
			}))
	})

	m.Invariant("TypeOK", typeOK)
	m.Invariant("Inv", inv)
	m.Constraint("NoRetransmission", noRetransmission)
	m.ActionConstraint("SingleActiveOpen", func(before, after *State) bool {
		for _, l := range Peers {
			r := 1 - l
			if activeOpen(before, after, l, r) || passiveOpen(before, after, l) || send(before, after, l, r) {
				return false
			}
		}
		return true
	})
	// Prop: a peer in SYN-SENT eventually gets to ESTABLISHED, LISTEN or
	// CLOSED.
	var props []execspec.Formula[State]
	for _, p := range Peers {
		props = append(props, execspec.LeadsTo(
			func(s *State) bool { return s.Connstate[p] == SynSent },
			func(s *State) bool {
				st := s.Connstate[p]
				return st == Established || st == Listen || st == Closed
			}).Named([]string{"A", "B"}[p]))
	}
	m.Temporal("Prop", props...)
	// Spec's fairness: WF_vars(System), and WF of CLOSE_SYN_SENT.
	m.WeakFair("SynSent", "SynReceived", "Listen", "Established", "FinWait1", "FinWait2", "Closing", "LastAck", "TimeWait", "Note2")
	m.WeakFair("CLOSE_SYN_SENT")
	return m
}

// typeOK is TypeOK.
func typeOK(s *State) bool {
	for _, p := range Peers {
		if !contains(States, s.Connstate[p]) {
			return false
		}
		for _, m := range s.Network[p] {
			if !contains(Segments, m) {
				return false
			}
		}
	}
	return true
}

// inv is Inv: when no segment is in flight, one peer is ESTABLISHED
// exactly when the other is.
func inv(s *State) bool {
	if len(s.Network[A]) == 0 && len(s.Network[B]) == 0 {
		return (s.Connstate[A] == Established) == (s.Connstate[B] == Established)
	}
	return true
}

// noRetransmission is NoRetransmission: no queue holds the same segment
// twice in a row.
func noRetransmission(s *State) bool {
	for _, p := range Peers {
		q := s.Network[p]
		for i := 0; i+1 < len(q); i++ {
			if q[i] == q[i+1] {
				return false
			}
		}
	}
	return true
}

// activeOpen reports whether the step from s to t satisfies
// ACTIVE_OPEN(l, r).
func activeOpen(s, t *State, l, r int) bool {
	want := *s
	want.Network[r] = append(append([]string(nil), s.Network[r]...), "SYN")
	want.Connstate[l], want.Tcb[l] = SynSent, true
	return s.Connstate[l] == Closed && equal(&want, t)
}

// passiveOpen reports whether the step from s to t satisfies
// PASSIVE_OPEN(l, r).
func passiveOpen(s, t *State, l int) bool {
	want := *s
	want.Connstate[l], want.Tcb[l] = Listen, true
	return s.Connstate[l] == Closed && equal(&want, t)
}

// send reports whether the step from s to t satisfies SEND(l, r).
func send(s, t *State, l, r int) bool {
	want := *s
	want.Network[r] = append(append([]string(nil), s.Network[r]...), "SYN")
	want.Connstate[l] = SynSent
	return s.Connstate[l] == Listen && equal(&want, t)
}

// equal reports whether two states are the same.
func equal(a, b *State) bool {
	if a.Tcb != b.Tcb || a.Connstate != b.Connstate {
		return false
	}
	for _, p := range Peers {
		if len(a.Network[p]) != len(b.Network[p]) {
			return false
		}
		for i := range a.Network[p] {
			if a.Network[p][i] != b.Network[p][i] {
				return false
			}
		}
	}
	return true
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
