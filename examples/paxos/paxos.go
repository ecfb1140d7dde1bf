// Package paxos is the Paxos consensus algorithm as specified in TLA+ by
// Leslie Lamport: the module Paxos of the tlaplus/Examples repository
// (specifications/Paxos/Paxos.tla, with the model MCPaxos.tla /
// MCPaxos.cfg), ported to an execspec model with the specification's
// names.
//
// Leaders and acceptors exchange four kinds of message, which the
// specification writes as records of four shapes distinguished by their
// type field. Here a message is a sum type, Message, whose variants are
// the Go types Msg1a, Msg1b, Msg2a and Msg2b (tags "1a" to "2b" in
// traces); msgs, the set of every message ever sent, is a Set of them.
// Phase1a(b) starts ballot b; in Phase1b(a) acceptor a promises to ignore
// lower ballots and reports its latest vote; Phase2a(b, v) proposes v in
// ballot b once a quorum has promised, choosing the value of the highest
// vote reported; in Phase2b(a) acceptor a votes.
//
// Paxos implements Voting (package voting): votes[a] is the set of
// <<bal, val>> of the 2b messages a sent, and the invariant Inv includes
// V!Inv over those votes. MCPaxos.cfg checks Inv's four conjuncts as Inv1
// to Inv4, which are the invariants here; its temporal property
// VotingSpecBar (refinement of Voting) is not checked. With MCPaxos's
// constants (one acceptor a1, one value v1, the quorum {{a1}}, ballots
// 0..1) TLC finds 25 distinct states and a search depth of 9
// (tlaplus/Examples manifest). The instance small3 has three acceptors,
// two values and the majority quorums, the configuration MCPaxos.tla
// leaves in a comment; it is MCPaxosTiny.cfg of the repository's
// PaxosHowToWinATuringAward/Paxos.tla (the same specification, laid out
// differently), for which TLC finds 3,921 distinct states and a depth of
// 17. The example chosen is MCLiveness's goal, a state
// in which a value has been chosen.
package paxos

import (
	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/voting"
)

// Acceptor and Value are Voting's.
type (
	Acceptor = voting.Acceptor
	Value    = voting.Value
)

// None is the value that is not a Value: an acceptor that has not voted
// reports mval = None.
const None Value = "None"

// Message is a message: one of Msg1a, Msg1b, Msg2a, Msg2b.
type Message interface{ isMessage() }

// Msg1a is [type |-> "1a", bal |-> b].
type Msg1a struct {
	Bal int `itf:"bal"`
}

// Msg1b is [type |-> "1b", acc |-> a, bal |-> b, mbal |-> ..., mval |-> ...].
type Msg1b struct {
	Acc  Acceptor `itf:"acc"`
	Bal  int      `itf:"bal"`
	MBal int      `itf:"mbal"`
	MVal Value    `itf:"mval"`
}

// Msg2a is [type |-> "2a", bal |-> b, val |-> v].
type Msg2a struct {
	Bal int   `itf:"bal"`
	Val Value `itf:"val"`
}

// Msg2b is [type |-> "2b", acc |-> a, bal |-> b, val |-> v].
type Msg2b struct {
	Acc Acceptor `itf:"acc"`
	Bal int      `itf:"bal"`
	Val Value    `itf:"val"`
}

func (Msg1a) isMessage() {}
func (Msg1b) isMessage() {}
func (Msg2a) isMessage() {}
func (Msg2b) isMessage() {}

// ITFTag returns the specification's type field, "1a".
func (Msg1a) ITFTag() string { return "1a" }

// ITFTag returns the specification's type field, "1b".
func (Msg1b) ITFTag() string { return "1b" }

// ITFTag returns the specification's type field, "2a".
func (Msg2a) ITFTag() string { return "2a" }

// ITFTag returns the specification's type field, "2b".
func (Msg2b) ITFTag() string { return "2b" }

func init() { execspec.Variants[Message](Msg1a{}, Msg1b{}, Msg2a{}, Msg2b{}) }

// State holds the variables. <<maxVBal[a], maxVal[a]>> is the vote with the
// largest ballot cast by a (<<-1, None>> if none); maxBal[a] is the largest
// ballot a has promised or voted in.
type State struct {
	MaxBal  map[Acceptor]int      `itf:"maxBal"`
	MaxVBal map[Acceptor]int      `itf:"maxVBal"`
	MaxVal  map[Acceptor]Value    `itf:"maxVal"`
	Msgs    execspec.Set[Message] `itf:"msgs"`
}

// MC returns MCPaxos's constants.
func MC() voting.Config {
	return voting.Config{
		Value:     []Value{"v1"},
		Acceptor:  []Acceptor{"a1"},
		Quorum:    execspec.VSetOf(execspec.SetOf[Acceptor]("a1")),
		MaxBallot: 1,
	}
}

// Spec lists the instances for the execspec command.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("paxos").
		Doc("Paxos (Lamport), Paxos.tla from tlaplus/Examples; mc is MCPaxos (1 acceptor, 1 value, ballots 0..1), small3 has 3 acceptors and 2 values.").
		Instance("mc", func() *execspec.Model[State] { return New(MC()) }).
		Instance("small3", func() *execspec.Model[State] { return New(voting.MC()) })
}

// Votes is the refinement mapping to Voting: votes[a] is the set of
// <<m.bal, m.val>> of the 2b messages sent by a.
func Votes(c voting.Config, s *State) voting.State {
	vs := voting.State{Votes: map[Acceptor]execspec.Set[voting.Vote]{}, MaxBal: s.MaxBal}
	for _, a := range c.Acceptor {
		vs.Votes[a] = execspec.Set[voting.Vote]{}
	}
	for _, m := range s.Msgs.Elems() {
		if m2b, ok := m.(Msg2b); ok {
			vs.Votes[m2b.Acc] = vs.Votes[m2b.Acc].With(voting.Vote{Bal: m2b.Bal, Val: m2b.Val})
		}
	}
	return vs
}

// messages returns the messages of type T in msgs.
func messages[T Message](s *State) []T {
	var out []T
	for _, m := range s.Msgs.Elems() {
		if t, ok := m.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// New builds the model for the constants c.
func New(c voting.Config) *execspec.Model[State] {
	m := execspec.NewModel[State]("paxos")
	m.Init(func(x *execspec.Ctx[State]) {
		x.S.MaxBal, x.S.MaxVBal, x.S.MaxVal = map[Acceptor]int{}, map[Acceptor]int{}, map[Acceptor]Value{}
		for _, a := range c.Acceptor {
			x.S.MaxBal[a], x.S.MaxVBal[a], x.S.MaxVal[a] = -1, -1, None
		}
	})
	send := func(s *State, m Message) { s.Msgs = s.Msgs.With(m) }

	// Next == \/ \E b \in Ballot : \/ Phase1a(b)
	//                              \/ \E v \in Value : Phase2a(b, v)
	//         \/ \E a \in Acceptor : Phase1b(a) \/ Phase2b(a)
	m.Action("Phase1a", func(x *execspec.Ctx[State]) {
		b := execspec.OneOf(x, "b", c.Ballot())
		send(x.S, Msg1a{Bal: b})
	})
	m.Action("Phase2a", func(x *execspec.Ctx[State]) {
		b := execspec.OneOf(x, "b", c.Ballot())
		v := execspec.OneOf(x, "v", c.Value)
		s := x.S
		if !x.Assume(!s.Msgs.Exists(func(m Message) bool { m2a, ok := m.(Msg2a); return ok && m2a.Bal == b })) {
			return
		}
		if !x.Assume(c.Quorum.Exists(func(q execspec.Set[Acceptor]) bool {
			var q1b, q1bv []Msg1b
			for _, m := range messages[Msg1b](s) {
				if q.Has(m.Acc) && m.Bal == b {
					q1b = append(q1b, m)
					if m.MBal >= 0 {
						q1bv = append(q1bv, m)
					}
				}
			}
			promised := q.ForAll(func(a Acceptor) bool {
				for _, m := range q1b {
					if m.Acc == a {
						return true
					}
				}
				return false
			})
			if !promised {
				return false
			}
			if len(q1bv) == 0 {
				return true
			}
			for _, m := range q1bv {
				highest := true
				for _, mm := range q1bv {
					highest = highest && m.MBal >= mm.MBal
				}
				if m.MVal == v && highest {
					return true
				}
			}
			return false
		})) {
			return
		}
		send(s, Msg2a{Bal: b, Val: v})
	})
	m.Action("Phase1b", func(x *execspec.Ctx[State]) {
		a := execspec.OneOf(x, "a", c.Acceptor)
		m := execspec.OneOf(x, "m", messages[Msg1a](x.S))
		s := x.S
		if !x.Assume(m.Bal > s.MaxBal[a]) {
			return
		}
		s.MaxBal[a] = m.Bal
		send(s, Msg1b{Acc: a, Bal: m.Bal, MBal: s.MaxVBal[a], MVal: s.MaxVal[a]})
	})
	m.Action("Phase2b", func(x *execspec.Ctx[State]) {
		a := execspec.OneOf(x, "a", c.Acceptor)
		m := execspec.OneOf(x, "m", messages[Msg2a](x.S))
		s := x.S
		if !x.Assume(m.Bal >= s.MaxBal[a]) {
			return
		}
		s.MaxBal[a], s.MaxVBal[a], s.MaxVal[a] = m.Bal, m.Bal, m.Val
		send(s, Msg2b{Acc: a, Bal: m.Bal, Val: m.Val})
	})

	// MCLiveness's goal, as a state to reach: V!chosen # {}.
	m.Example("chosen", func(s *State) bool {
		votes := Votes(c, s)
		return !c.Chosen(&votes).IsEmpty()
	})
	m.Invariant("Inv1", func(s *State) bool { return typeOK(c, s) })
	m.Invariant("Inv2", func(s *State) bool {
		votes := Votes(c, s)
		for _, a := range c.Acceptor {
			if s.MaxVBal[a] == -1 {
				if s.MaxVal[a] != None {
					return false
				}
			} else if !voting.VotedFor(&votes, a, s.MaxVBal[a], s.MaxVal[a]) {
				return false
			}
		}
		return true
	})
	m.Invariant("Inv3", func(s *State) bool {
		votes := Votes(c, s)
		return s.Msgs.ForAll(func(m Message) bool {
			switch m := m.(type) {
			case Msg1b:
				return s.MaxBal[m.Acc] >= m.Bal &&
					(m.MBal < 0 || voting.VotedFor(&votes, m.Acc, m.MBal, m.MVal))
			case Msg2a:
				safe := c.Quorum.Exists(func(q execspec.Set[Acceptor]) bool { return c.ShowsSafeAt(&votes, q, m.Bal, m.Val) })
				unique := s.Msgs.ForAll(func(mm Message) bool {
					m2, ok := mm.(Msg2a)
					return !ok || m2.Bal != m.Bal || m2.Val == m.Val
				})
				return safe && unique
			}
			return true
		})
	})
	m.Invariant("Inv4", func(s *State) bool {
		votes := Votes(c, s)
		return c.Inv(&votes)
	})
	return m
}

// typeOK is TypeOK: every variable and message within its set.
func typeOK(c voting.Config, s *State) bool {
	ballot := func(b int) bool { return b >= 0 && b <= c.MaxBallot }
	acc := func(a Acceptor) bool { _, ok := s.MaxBal[a]; return ok }
	val := func(v Value) bool {
		for _, w := range c.Value {
			if v == w {
				return true
			}
		}
		return false
	}
	for _, a := range c.Acceptor {
		if !(ballot(s.MaxBal[a]) || s.MaxBal[a] == -1) || !(ballot(s.MaxVBal[a]) || s.MaxVBal[a] == -1) || !(val(s.MaxVal[a]) || s.MaxVal[a] == None) {
			return false
		}
	}
	return s.Msgs.ForAll(func(m Message) bool {
		switch m := m.(type) {
		case Msg1a:
			return ballot(m.Bal)
		case Msg1b:
			return acc(m.Acc) && ballot(m.Bal) && (ballot(m.MBal) || m.MBal == -1) && (val(m.MVal) || m.MVal == None)
		case Msg2a:
			return ballot(m.Bal) && val(m.Val)
		case Msg2b:
			return acc(m.Acc) && ballot(m.Bal) && val(m.Val)
		}
		return false
	})
}
