// Package lamportmutex is Lamport's distributed mutual-exclusion algorithm
// ("Time, Clocks, and the Ordering of Events in a Distributed System",
// CACM 21(7), 1978) as specified in TLA+ by Stephan Merz: the modules
// LamportMutex and MCLamportMutex of the tlaplus/Examples repository
// (specifications/lamport_mutex/LamportMutex.tla, MCLamportMutex.tla and
// MCLamportMutex.cfg), ported to an execspec model with the
// specification's names and shape.
//
// Processes 1..N keep Lamport clocks and exchange messages over pairwise
// FIFO channels. To enter the critical section a process broadcasts a
// request stamped with its clock; every other process records the request,
// advances its clock past the stamp and acknowledges. A process enters once
// every process has acknowledged and its own request beats every request it
// knows of (smaller clock, ties broken by process number); on leaving it
// broadcasts a release, and the others forget its request.
//
// The state is the specification's variables as plain Go values, written
// as a Go programmer would, with no packing and no custom codec: each
// function over processes, [Proc -> ...], is a map keyed by the process
// number; clock[p] is p's clock, req[p][q] the clock of q's request as p
// knows it (0 for none), ack[p] a Set of the processes that acknowledged
// p's request, network[p][q] the channel from p to q as a slice of message
// records (the specification's sequences), and crit a Set of the processes
// in the critical section. A message is a record with a type field, as in
// the specification: [type |-> "req", clock |-> c], and the acknowledgement
// and release with clock 0. (Package handbfs next to this one is the same
// specification searched by a hand-written breadth-first search with
// hand-packed states, kept as the baseline this model is benchmarked
// against: issue 11.)
//
// The specification is unbounded: clocks grow forever. MCLamportMutex.cfg
// checks it for N = 3 under the state constraint ClockConstraint (every
// clock at most maxClock = 6), with Nat overridden by 0..MaxNat (MaxNat =
// 7, so TypeOK's Clock is 1..7), for the invariants TypeOK, BoundedNetwork
// and Mutex. A state that fails ClockConstraint is checked but neither
// stored nor expanded (TLC's CONSTRAINT). TLC finds 724,274 distinct
// states, 2,729,079 generated, and a search depth of 61 (tlaplus/Examples
// manifest); the instance mc is that configuration. Smaller maxClock values
// give smaller instances: clock3 (maxClock = 3, Nat = 0..4).
package lamportmutex

//go:generate go run github.com/execspec/execspec/cmd/execspec native

import (
	"fmt"

	"github.com/execspec/execspec"
)

// Message is a message record: [type |-> "req", clock |-> c] for a request
// stamped c, [type |-> "ack", clock |-> 0] for an acknowledgement,
// [type |-> "rel", clock |-> 0] for a release.
type Message struct {
	Type  string `itf:"type"`
	Clock int    `itf:"clock"`
}

// AckMessage and RelMessage; reqMessage(c) is ReqMessage(c).
var (
	ackMessage = Message{Type: "ack"}
	relMessage = Message{Type: "rel"}
)

func reqMessage(c int) Message { return Message{Type: "req", Clock: c} }

// State holds the specification's variables; processes are 1..N.
type State struct {
	// Clock[p] is p's local clock.
	Clock map[int]int `itf:"clock"`
	// Req[p][q] is the clock of q's request as received by p, 0 if none
	// (Req[p][p] is p's own request).
	Req map[int]map[int]int `itf:"req"`
	// Ack[p] is the set of processes that acknowledged p's request.
	Ack map[int]execspec.Set[int] `itf:"ack"`
	// Network[p][q] is the queue of messages from p to q.
	Network map[int]map[int][]Message `itf:"network"`
	// Crit is the set of processes in the critical section.
	Crit execspec.Set[int] `itf:"crit"`
}

// Params are the constants of a configuration.
type Params struct {
	// N is the number of processes.
	N int `itf:"N"`
	// MaxClock bounds every clock through ClockConstraint.
	MaxClock int `itf:"maxClock"`
	// MaxNat overrides Nat by 0..MaxNat, which bounds TypeOK's Clock to
	// 1..MaxNat.
	MaxNat int `itf:"MaxNat"`
}

// MC returns MCLamportMutex.cfg's constants: N = 3, maxClock = 6,
// MaxNat = 7.
func MC() Params { return Params{N: 3, MaxClock: 6, MaxNat: 7} }

// Spec returns the model with the instances mc (MCLamportMutex.cfg) and
// clock3 (maxClock = 3, MaxNat = 4).
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("lamportmutex").
		Doc("Lamport's mutual exclusion (CACM 1978), MCLamportMutex from tlaplus/Examples; mc is MCLamportMutex.cfg (3 processes, clocks up to 6), clock3 bounds clocks to 3.").
		Instance("mc", func() *execspec.Model[State] { return New(MC()) }).
		Instance("clock3", func() *execspec.Model[State] { return New(Params{N: 3, MaxClock: 3, MaxNat: 4}) })
}

// New builds the model for the constants pr (N at least 1).
func New(pr Params) *execspec.Model[State] {
	n := pr.N
	if n < 1 {
		panic(fmt.Sprintf("lamportmutex: %d processes; want at least 1", n))
	}
	m := execspec.NewModel[State]("lamportmutex")
	m.Params(pr)

	// Proc == 1..N, and Proc \ {p} for each p.
	procs := make([]int, n)
	others := make(map[int][]int, n)
	for i := range procs {
		procs[i] = i + 1
	}
	for _, p := range procs {
		for _, q := range procs {
			if q != p {
				others[p] = append(others[p], q)
			}
		}
	}

	// broadcast appends msg to every channel from s but its own, as
	// network' = [network EXCEPT ![s] = Broadcast(s, msg)] does.
	broadcast := func(st *State, s int, msg Message) {
		for _, r := range others[s] {
			st.Network[s][r] = append(st.Network[s][r], msg)
		}
	}
	// beats(p, q): p believes its request has priority over q's.
	beats := func(st *State, p, q int) bool {
		return st.Req[p][q] == 0 ||
			st.Req[p][p] < st.Req[p][q] ||
			st.Req[p][p] == st.Req[p][q] && p < q
	}

	m.Init(func(c *execspec.Ctx[State]) {
		s := c.S
		s.Clock = make(map[int]int, n)
		s.Req = make(map[int]map[int]int, n)
		s.Ack = make(map[int]execspec.Set[int], n)
		s.Network = make(map[int]map[int][]Message, n)
		for _, p := range procs {
			s.Clock[p] = 1
			s.Req[p] = make(map[int]int, n)
			s.Network[p] = make(map[int][]Message, n)
			for _, q := range procs {
				s.Req[p][q] = 0
				s.Network[p][q] = nil
			}
			s.Ack[p] = execspec.Set[int]{}
		}
	})

	// Request(p): p requests the critical section, stamping the request
	// with its clock.
	m.Action("Request", func(c *execspec.Ctx[State]) {
		s := c.S
		p := execspec.OneOf(c, "p", procs)
		if !c.Assume(s.Req[p][p] == 0) {
			return
		}
		s.Req[p][p] = s.Clock[p]
		broadcast(s, p, reqMessage(s.Clock[p]))
		s.Ack[p] = execspec.SetOf(p)
	})

	// ReceiveRequest(p, q): p receives q's request and acknowledges it,
	// advancing its clock past the request's.
	m.Action("ReceiveRequest", func(c *execspec.Ctx[State]) {
		s := c.S
		p := execspec.OneOf(c, "p", procs)
		q := execspec.OneOf(c, "q", others[p])
		in := s.Network[q][p]
		if !c.Assume(len(in) > 0 && in[0].Type == "req") {
			return
		}
		cl := in[0].Clock
		s.Req[p][q] = cl
		if cl > s.Clock[p] {
			s.Clock[p] = cl + 1
		} else {
			s.Clock[p]++
		}
		s.Network[q][p] = in[1:]
		s.Network[p][q] = append(s.Network[p][q], ackMessage)
	})

	// ReceiveAck(p, q): p receives q's acknowledgement.
	m.Action("ReceiveAck", func(c *execspec.Ctx[State]) {
		s := c.S
		p := execspec.OneOf(c, "p", procs)
		q := execspec.OneOf(c, "q", others[p])
		in := s.Network[q][p]
		if !c.Assume(len(in) > 0 && in[0].Type == "ack") {
			return
		}
		s.Ack[p] = s.Ack[p].With(q)
		s.Network[q][p] = in[1:]
	})

	// Enter(p): p enters once everyone acknowledged and its request beats
	// every other it knows of.
	m.Action("Enter", func(c *execspec.Ctx[State]) {
		s := c.S
		p := execspec.OneOf(c, "p", procs)
		if !c.Assume(s.Ack[p].Len() == n) {
			return
		}
		for _, q := range others[p] {
			if !c.Assume(beats(s, p, q)) {
				return
			}
		}
		s.Crit = s.Crit.With(p)
	})

	// Exit(p): p leaves and broadcasts a release.
	m.Action("Exit", func(c *execspec.Ctx[State]) {
		s := c.S
		p := execspec.OneOf(c, "p", procs)
		if !c.Assume(s.Crit.Has(p)) {
			return
		}
		s.Crit = s.Crit.Without(p)
		broadcast(s, p, relMessage)
		s.Req[p][p] = 0
		s.Ack[p] = execspec.Set[int]{}
	})

	// ReceiveRelease(p, q): p receives q's release and forgets its request.
	m.Action("ReceiveRelease", func(c *execspec.Ctx[State]) {
		s := c.S
		p := execspec.OneOf(c, "p", procs)
		q := execspec.OneOf(c, "q", others[p])
		in := s.Network[q][p]
		if !c.Assume(len(in) > 0 && in[0].Type == "rel") {
			return
		}
		s.Req[p][q] = 0
		s.Network[q][p] = in[1:]
	})

	// ClockConstraint, MCLamportMutex.cfg's CONSTRAINT.
	m.Constraint("ClockConstraint", func(s *State) bool {
		for _, p := range procs {
			if s.Clock[p] > pr.MaxClock {
				return false
			}
		}
		return true
	})

	isProc := func(p int) bool { return 1 <= p && p <= n }
	isNat := func(x int) bool { return 0 <= x && x <= pr.MaxNat } // Nat <- 0..MaxNat
	// TypeOK: every variable is a function over Proc of the right type.
	m.Invariant("TypeOK", func(s *State) bool {
		if len(s.Clock) != n || len(s.Req) != n || len(s.Ack) != n || len(s.Network) != n {
			return false
		}
		for _, p := range procs {
			if cl, ok := s.Clock[p]; !ok || !isNat(cl) || cl == 0 {
				return false
			}
			if len(s.Req[p]) != n || len(s.Network[p]) != n || !s.Ack[p].ForAll(isProc) {
				return false
			}
			for _, q := range procs {
				if r, ok := s.Req[p][q]; !ok || !isNat(r) {
					return false
				}
				if _, ok := s.Network[p][q]; !ok {
					return false
				}
				for _, msg := range s.Network[p][q] {
					switch {
					case msg.Type == "req" && isNat(msg.Clock) && msg.Clock != 0:
					case (msg.Type == "ack" || msg.Type == "rel") && msg.Clock == 0:
					default:
						return false
					}
				}
			}
		}
		return s.Crit.ForAll(isProc)
	})
	// BoundedNetwork: no channel holds more than three messages.
	m.Invariant("BoundedNetwork", func(s *State) bool {
		for _, p := range procs {
			for _, q := range procs {
				if len(s.Network[p][q]) > 3 {
					return false
				}
			}
		}
		return true
	})
	// Mutex: at most one process is in the critical section.
	m.Invariant("Mutex", func(s *State) bool { return s.Crit.Len() <= 1 })
	// Entered: some process is in the critical section.
	m.Example("Entered", func(s *State) bool { return s.Crit.Len() > 0 })
	return m
}
