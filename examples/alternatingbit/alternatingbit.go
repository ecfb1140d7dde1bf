// Package alternatingbit is the alternating bit protocol as specified in
// TLA+ by Leslie Lamport in "Specifying Systems" (Addison-Wesley, 2002),
// chapter 14: the modules AlternatingBit and MCAlternatingBit of the
// tlaplus/Examples repository (specifications/SpecifyingSystems/TLC),
// ported to an execspec model with the specification's names.
//
// A sender transmits values over a lossy channel msgQ, tagging each with a
// bit that flips for every new value; the receiver acknowledges the bit it
// last received over a lossy channel ackQ. The sender resends until the
// acknowledgement carries the current bit. Either channel may lose any
// message.
//
// The queues are unbounded in the specification; MCAlternatingBit bounds
// them with the state constraint SeqConstraint (Len(msgQ) <= msgQLen,
// Len(ackQ) <= ackQLen). It is the reference for TLC's CONSTRAINT
// semantics: a state that fails the constraint has its invariants checked
// but is neither counted nor expanded. With Data = {d1, d2} and both
// bounds 2 (MCAlternatingBit.cfg) TLC reports 240 distinct states, 1,392
// generated, and a depth of 10. The configuration's temporal property
// SentLeadsToRcvd holds under ABFairness on the constrained graph, as TLC
// reports (ABCSpec, a refinement, is not ported).
package alternatingbit

import (
	"fmt"

	"github.com/execspec/execspec"
)

// Msg is a message on msgQ: the sender's bit and the value.
type Msg struct {
	Bit  int
	Data string
}

// State holds the specification's variables.
type State struct {
	MsgQ []Msg
	AckQ []int
	SBit int
	SAck int
	RBit int
	Sent string
	Rcvd string
}

// Data is the set of values of the model checked configuration.
var Data = []string{"d1", "d2"}

// New returns the model with the queues bounded to msgQLen and ackQLen by
// the state constraint SeqConstraint.
func New(msgQLen, ackQLen int) *execspec.Model[State] {
	m := execspec.NewModel[State]("alternatingbit")
	m.Params(map[string]any{"Data": Data, "msgQLen": msgQLen, "ackQLen": ackQLen})
	m.Init(func(c *execspec.Ctx[State]) { // ABInit
		c.S.SBit = execspec.IntRange(c, "sBit", 0, 1)
		c.S.SAck, c.S.RBit = c.S.SBit, c.S.SBit
		c.S.Sent = execspec.OneOf(c, "sent", Data)
		c.S.Rcvd = execspec.OneOf(c, "rcvd", Data)
	})
	m.Action("SndNewValue", func(c *execspec.Ctx[State]) {
		d := execspec.OneOf(c, "d", Data)
		if !c.Assume(c.S.SAck == c.S.SBit) {
			return
		}
		c.S.Sent = d
		c.S.SBit = 1 - c.S.SBit
		c.S.MsgQ = append(c.S.MsgQ, Msg{Bit: c.S.SBit, Data: d})
	})
	m.Action("ReSndMsg", func(c *execspec.Ctx[State]) {
		if !c.Assume(c.S.SAck != c.S.SBit) {
			return
		}
		c.S.MsgQ = append(c.S.MsgQ, Msg{Bit: c.S.SBit, Data: c.S.Sent})
	})
	m.Action("RcvMsg", func(c *execspec.Ctx[State]) {
		if !c.Assume(len(c.S.MsgQ) > 0) {
			return
		}
		head := c.S.MsgQ[0]
		c.S.MsgQ = c.S.MsgQ[1:]
		c.S.RBit, c.S.Rcvd = head.Bit, head.Data
	})
	m.Action("SndAck", func(c *execspec.Ctx[State]) {
		c.S.AckQ = append(c.S.AckQ, c.S.RBit)
	})
	m.Action("RcvAck", func(c *execspec.Ctx[State]) {
		if !c.Assume(len(c.S.AckQ) > 0) {
			return
		}
		c.S.SAck = c.S.AckQ[0]
		c.S.AckQ = c.S.AckQ[1:]
	})
	m.Action("LoseMsg", func(c *execspec.Ctx[State]) {
		if !c.Assume(len(c.S.MsgQ) > 0) {
			return
		}
		c.S.MsgQ = lose(c.S.MsgQ, execspec.IntRange(c, "i", 1, len(c.S.MsgQ)))
	})
	m.Action("LoseAck", func(c *execspec.Ctx[State]) {
		if !c.Assume(len(c.S.AckQ) > 0) {
			return
		}
		c.S.AckQ = lose(c.S.AckQ, execspec.IntRange(c, "i", 1, len(c.S.AckQ)))
	})
	m.Invariant("ABTypeInv", func(s *State) bool {
		bit := func(b int) bool { return b == 0 || b == 1 }
		for _, msg := range s.MsgQ {
			if !bit(msg.Bit) || !isData(msg.Data) {
				return false
			}
		}
		for _, b := range s.AckQ {
			if !bit(b) {
				return false
			}
		}
		return bit(s.SBit) && bit(s.SAck) && bit(s.RBit) && isData(s.Sent) && isData(s.Rcvd)
	})
	// SentLeadsToRcvd == \A d \in Data : (sent = d) /\ (sBit # sAck) ~>
	// (rcvd = d), under ABFairness: WF of ReSndMsg and SndAck, SF of
	// RcvMsg and RcvAck (MCAlternatingBit.cfg's PROPERTIES).
	var leadsTo []execspec.Formula[State]
	for _, d := range Data {
		leadsTo = append(leadsTo, execspec.LeadsTo(
			func(s *State) bool { return s.Sent == d && s.SBit != s.SAck },
			func(s *State) bool { return s.Rcvd == d }).Named(fmt.Sprint("data ", d)))
	}
	m.Temporal("SentLeadsToRcvd", leadsTo...)
	m.WeakFair("ReSndMsg")
	m.WeakFair("SndAck")
	m.StrongFair("RcvMsg")
	m.StrongFair("RcvAck")
	m.Constraint("SeqConstraint", func(s *State) bool {
		return len(s.MsgQ) <= msgQLen && len(s.AckQ) <= ackQLen
	})
	return m
}

// lose returns q without its i-th element (from 1), as Lose(q) does.
func lose[T any](q []T, i int) []T {
	out := make([]T, 0, len(q)-1)
	out = append(out, q[:i-1]...)
	return append(out, q[i:]...)
}

func isData(d string) bool {
	for _, x := range Data {
		if x == d {
			return true
		}
	}
	return false
}

// Spec names the instances: "mc" is MCAlternatingBit.cfg (both queues
// bounded to 2).
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("alternatingbit").
		Doc("Lamport's alternating bit protocol (Specifying Systems, ch. 14); MCAlternatingBit's CONSTRAINT bounds the queues").
		Instance("mc", func() *execspec.Model[State] { return New(2, 2) })
}
