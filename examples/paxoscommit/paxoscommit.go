// Package paxoscommit is the Paxos Commit protocol of Jim Gray and Leslie
// Lamport's paper "Consensus on Transaction Commit" (ACM TODS 31(1), 2006),
// as specified in TLA+ by Leslie Lamport: the module PaxosCommit of the
// tlaplus/Examples repository
// (specifications/transaction_commit/PaxosCommit.tla), ported to an execspec
// model with its names, for the configuration of PaxosCommit.cfg: two
// resource managers, three acceptors, the three majorities of two, ballots 0
// and 1.
//
// Each resource manager's prepared/aborted decision is agreed on by an
// instance of Paxos run by the acceptors; ballot 0 is the RM's own phase 2a
// message, and any leader may start a higher ballot (phase 1a) to finish an
// instance whose RM failed. The transaction commits once every instance has
// chosen "prepared" and aborts once one has chosen "aborted". Messages are
// never removed: msgs is the set of all messages ever sent.
//
// TLC finds 1,321,761 distinct states (16,959,159 generated) and a search
// depth of 28 (PaxosCommit.cfg), and so does this port. As TLC does, an
// existential quantifier in an action is explored one branch per witness
// (each message m, majority MS, ballot b that makes it true), and a
// universal one as the conjunction of its instances, so Decide's commit
// branch is taken once per combination of witnesses of Decided(rm,
// "prepared"): the states generated then equal TLC's too.
//
// The message set is a bitset over the 144 possible messages and the
// acceptors' states are small integers; traces show the specification's
// records.
package paxoscommit

import (
	"fmt"
	"sort"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/tcommit"
	"github.com/execspec/execspec/itf"
)

// The constants of PaxosCommit.cfg.
const (
	NRM      = 2 // RM = {r1, r2}
	NAcc     = 3 // Acceptor = {a1, a2, a3}
	NBallot  = 2 // Ballot = {0, 1}
	maxBal   = NBallot - 1
	noBallot = -1
)

// Majority lists the majorities of acceptors: {{a1, a2}, {a1, a3}, {a2, a3}}.
var Majority = [][]int{{0, 1}, {0, 2}, {1, 2}}

// Val is a value an instance decides on, or none.
type Val int8

// The values.
const (
	Prepared Val = iota
	Aborted
	None
)

var valNames = [...]string{"prepared", "aborted", "none"}

func (v Val) String() string { return valNames[v] }

// MarshalITF writes the value's name.
func (v Val) MarshalITF() (itf.Value, error) { return itf.String(v.String()), nil }

// UnmarshalITF reads a value's name.
func (v *Val) UnmarshalITF(x itf.Value) error {
	s, _ := x.AsString()
	for i, n := range valNames {
		if n == s {
			*v = Val(i)
			return nil
		}
	}
	return fmt.Errorf("%s is not prepared, aborted or none", x)
}

// AccState is one acceptor's state in one instance.
type AccState struct {
	MBal int8 `itf:"mbal"`
	Bal  int8 `itf:"bal"`
	Val  Val  `itf:"val"`
}

// MsgType is the type of a message.
type MsgType int8

// The message types.
const (
	Phase1a MsgType = iota
	Phase1b
	Phase2a
	Phase2b
	Commit
	Abort
)

var typeNames = [...]string{"phase1a", "phase1b", "phase2a", "phase2b", "Commit", "Abort"}

// Message is one message; the fields a type does not use are zero.
type Message struct {
	Type MsgType
	Ins  tcommit.RM // the instance, named by its RM
	MBal int8
	Bal  int8
	Val  Val
	Acc  int8
}

// The messages are numbered: 2 phase 1a, 108 phase 1b, 8 phase 2a, 24 phase
// 2b, Commit and Abort.
const (
	base1a   = 0
	base1b   = base1a + NRM*(NBallot-1)
	base2a   = base1b + NRM*NBallot*(NBallot+1)*3*NAcc
	base2b   = base2a + NRM*NBallot*2
	idCommit = base2b + NAcc*NRM*NBallot*2
	idAbort  = idCommit + 1
	numMsgs  = idAbort + 1
)

func id1a(ins, bal int) int { return base1a + ins*(NBallot-1) + bal - 1 }

func id1b(ins, mbal, bal int, val Val, acc int) int {
	return base1b + (((ins*NBallot+mbal)*(NBallot+1)+bal+1)*3+int(val))*NAcc + acc
}

func id2a(ins, bal int, val Val) int { return base2a + (ins*NBallot+bal)*2 + int(val) }

func id2b(acc, ins, bal int, val Val) int { return base2b + ((acc*NRM+ins)*NBallot+bal)*2 + int(val) }

// messages lists every message, by number.
var messages = func() []Message {
	out := make([]Message, numMsgs)
	for ins := 0; ins < NRM; ins++ {
		for bal := 1; bal < NBallot; bal++ {
			out[id1a(ins, bal)] = Message{Type: Phase1a, Ins: tcommit.RM(ins), Bal: int8(bal)}
		}
		for mbal := 0; mbal < NBallot; mbal++ {
			for bal := -1; bal < NBallot; bal++ {
				for val := Prepared; val <= None; val++ {
					for acc := 0; acc < NAcc; acc++ {
						out[id1b(ins, mbal, bal, val, acc)] = Message{Type: Phase1b, Ins: tcommit.RM(ins), MBal: int8(mbal), Bal: int8(bal), Val: val, Acc: int8(acc)}
					}
				}
			}
		}
		for bal := 0; bal < NBallot; bal++ {
			for val := Prepared; val <= Aborted; val++ {
				out[id2a(ins, bal, val)] = Message{Type: Phase2a, Ins: tcommit.RM(ins), Bal: int8(bal), Val: val}
				for acc := 0; acc < NAcc; acc++ {
					out[id2b(acc, ins, bal, val)] = Message{Type: Phase2b, Ins: tcommit.RM(ins), Bal: int8(bal), Val: val, Acc: int8(acc)}
				}
			}
		}
	}
	out[idCommit] = Message{Type: Commit}
	out[idAbort] = Message{Type: Abort}
	return out
}()

// Msgs is the set of messages ever sent, a bit per message.
type Msgs [(numMsgs + 63) / 64]uint64

// Has reports whether message i was sent.
func (m *Msgs) Has(i int) bool { return m[i/64]&(1<<(i%64)) != 0 }

// Send adds message i.
func (m *Msgs) Send(i int) { m[i/64] |= 1 << (i % 64) }

// MarshalITF writes the set of message records, with the fields of each
// message's type.
func (m Msgs) MarshalITF() (itf.Value, error) {
	var elems []itf.Value
	for i, msg := range messages {
		if !m.Has(i) {
			continue
		}
		f := []itf.Field{{Name: "type", Value: itf.String(typeNames[msg.Type])}}
		ins := itf.Field{Name: "ins", Value: itf.String(msg.Ins.String())}
		bal := itf.Field{Name: "bal", Value: itf.Int(int64(msg.Bal))}
		val := itf.Field{Name: "val", Value: itf.String(msg.Val.String())}
		acc := itf.Field{Name: "acc", Value: itf.String(accName(int(msg.Acc)))}
		switch msg.Type {
		case Phase1a:
			f = append(f, ins, bal)
		case Phase1b:
			f = append(f, ins, itf.Field{Name: "mbal", Value: itf.Int(int64(msg.MBal))}, bal, val, acc)
		case Phase2a:
			f = append(f, ins, bal, val)
		case Phase2b:
			f = append(f, acc, ins, bal, val)
		}
		elems = append(elems, itf.Record(f...))
	}
	return itf.Set(elems...), nil
}

// UnmarshalITF reads a set of message records.
func (m *Msgs) UnmarshalITF(v itf.Value) error {
	*m = Msgs{}
	for _, e := range v.Elems() {
		found := -1
		for i := range messages {
			mv, _ := Msgs{}.withOnly(i).MarshalITF()
			if itf.Equal(mv.Elems()[0], e) {
				found = i
				break
			}
		}
		if found < 0 {
			return fmt.Errorf("%s is not a PaxosCommit message of this configuration", e)
		}
		m.Send(found)
	}
	return nil
}

func (m Msgs) withOnly(i int) Msgs {
	var o Msgs
	o.Send(i)
	return o
}

func accName(a int) string { return fmt.Sprintf("a%d", a+1) }

// AStates is aState: per instance (RM) and acceptor, the acceptor's state.
type AStates [NRM][NAcc]AccState

// MarshalITF writes aState as a map from RM names to maps from acceptor
// names to records.
func (a AStates) MarshalITF() (itf.Value, error) {
	var outer []itf.Entry
	for ins := range a {
		var inner []itf.Entry
		for acc := range a[ins] {
			rec, err := itf.Marshal(a[ins][acc])
			if err != nil {
				return itf.Value{}, err
			}
			inner = append(inner, itf.Entry{Key: itf.String(accName(acc)), Value: rec})
		}
		outer = append(outer, itf.Entry{Key: itf.String(tcommit.RM(ins).String()), Value: itf.Map(inner...)})
	}
	return itf.Map(outer...), nil
}

// UnmarshalITF reads aState.
func (a *AStates) UnmarshalITF(v itf.Value) error {
	var m map[string]map[string]AccState
	if err := itf.Unmarshal(v, &m); err != nil {
		return err
	}
	for ins := range a {
		for acc := range a[ins] {
			s, ok := m[tcommit.RM(ins).String()][accName(acc)]
			if !ok {
				return fmt.Errorf("aState: no entry for %s, %s", tcommit.RM(ins), accName(acc))
			}
			a[ins][acc] = s
		}
	}
	return nil
}

// State is PaxosCommit's state.
type State struct {
	RMState tcommit.RMStates `itf:"rmState"`
	AState  AStates          `itf:"aState"`
	Msgs    Msgs             `itf:"msgs"`
}

// Spec returns the model with its one instance, the configuration of
// PaxosCommit.cfg.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("paxoscommit").Doc("Paxos Commit (Gray and Lamport), PaxosCommit.tla from tlaplus/Examples: 2 RMs, 3 acceptors, ballots 0 and 1.")
	s.Instance("rm2_acc3_bal2", New)
	return s
}

// New builds the model.
func New() *execspec.Model[State] {
	m := execspec.NewModel[State]("paxoscommit")
	rms := tcommit.RMs(NRM)
	accs := []int{0, 1, 2}
	ballots := []int{0, 1}
	var phase1as, phase2as []int
	for i, msg := range messages {
		switch msg.Type {
		case Phase1a:
			phase1as = append(phase1as, i)
		case Phase2a:
			phase2as = append(phase2as, i)
		}
	}

	// PCInit: every RM working, every acceptor with mbal 0 and no vote, no
	// message sent.
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.RMState = tcommit.AllRMs(NRM, tcommit.Working)
		for ins := range c.S.AState {
			for acc := range c.S.AState[ins] {
				c.S.AState[ins][acc] = AccState{MBal: 0, Bal: noBallot, Val: None}
			}
		}
	})

	// RMPrepare(rm): a working RM prepares and votes prepared in its
	// instance's ballot 0.
	m.Action("RMPrepare", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.RMState.Get(rm) == tcommit.Working) {
			s.RMState.Set(rm, tcommit.Prepared)
			s.Msgs.Send(id2a(int(rm), 0, Prepared))
		}
	})

	// RMChooseToAbort(rm): a working RM aborts and votes aborted.
	m.Action("RMChooseToAbort", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.RMState.Get(rm) == tcommit.Working) {
			s.RMState.Set(rm, tcommit.Aborted)
			s.Msgs.Send(id2a(int(rm), 0, Aborted))
		}
	})

	// RMRcvCommitMsg(rm) and RMRcvAbortMsg(rm): an RM learns the outcome.
	m.Action("RMRcvCommitMsg", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.Msgs.Has(idCommit)) {
			s.RMState.Set(rm, tcommit.Committed)
		}
	})
	m.Action("RMRcvAbortMsg", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.Msgs.Has(idAbort)) {
			s.RMState.Set(rm, tcommit.Aborted)
		}
	})

	// Phase1a(bal, rm): a leader starts ballot bal > 0 of rm's instance.
	m.Action("Phase1a", func(c *execspec.Ctx[State]) {
		bal := execspec.OneOf(c, "bal", ballots[1:])
		rm := execspec.OneOf(c, "rm", rms)
		c.S.Msgs.Send(id1a(int(rm), bal))
	})

	// Phase2a(bal, rm): the leader of ballot bal of rm's instance, with
	// phase 1b messages from a majority MS, proposes the value of the
	// highest-ballot vote among them, or aborted if none voted.
	m.Action("Phase2a", func(c *execspec.Ctx[State]) {
		s := c.S
		bal := execspec.OneOf(c, "bal", ballots[1:])
		rm := execspec.OneOf(c, "rm", rms)
		ins := int(rm)
		if !c.Assume(!s.Msgs.Has(id2a(ins, bal, Prepared)) && !s.Msgs.Has(id2a(ins, bal, Aborted))) {
			return
		}
		ms := execspec.OneOf(c, "MS", Majority)
		maxbal, val, vals := noBallot, Aborted, 0
		for _, acc := range ms {
			heard := false
			for b := -1; b < NBallot; b++ {
				for v := Prepared; v <= None; v++ {
					if !s.Msgs.Has(id1b(ins, bal, b, v, acc)) {
						continue
					}
					heard = true
					switch {
					case b > maxbal:
						maxbal, val, vals = b, v, 1
					case b == maxbal && b != noBallot && v != val:
						vals++
					}
				}
			}
			if !c.Assume(heard) {
				return
			}
		}
		if vals > 1 {
			// CHOOSE would depend on TLC's ordering of records; Paxos never
			// lets two votes of one ballot differ, so this does not happen.
			panic(fmt.Sprintf("phase 1b messages of ballot %d disagree on the value", maxbal))
		}
		if maxbal == noBallot {
			val = Aborted
		}
		s.Msgs.Send(id2a(ins, bal, val))
	})

	// decided reports whether instance ins chose v: a majority voted v in
	// ballot b.
	decided := func(s *State, ins, b int, ms []int, v Val) bool {
		for _, acc := range ms {
			if !s.Msgs.Has(id2b(acc, ins, b, v)) {
				return false
			}
		}
		return true
	}

	// Decide: commit once every instance chose prepared (one branch per
	// combination of a ballot and majority witnessing each instance's
	// choice); abort once some instance chose aborted (one branch per RM,
	// ballot and majority that witness it).
	m.Action("Decide", func(c *execspec.Ctx[State]) {
		s := c.S
		c.Either("outcome",
			execspec.Alt("commit", func(c *execspec.Ctx[State]) {
				for ins := 0; ins < NRM; ins++ {
					b := execspec.OneOf(c, "b", ballots)
					ms := execspec.OneOf(c, "MS", Majority)
					if !c.Assume(decided(s, ins, b, ms, Prepared)) {
						return
					}
				}
				s.Msgs.Send(idCommit)
			}),
			execspec.Alt("abort", func(c *execspec.Ctx[State]) {
				rm := execspec.OneOf(c, "rm", rms)
				b := execspec.OneOf(c, "b", ballots)
				ms := execspec.OneOf(c, "MS", Majority)
				if c.Assume(decided(s, int(rm), b, ms, Aborted)) {
					s.Msgs.Send(idAbort)
				}
			}))
	})

	// Phase1b(acc): acceptor acc answers a phase 1a message of a higher
	// ballot than it has seen, with its last vote.
	m.Action("Phase1b", func(c *execspec.Ctx[State]) {
		s := c.S
		acc := execspec.OneOf(c, "acc", accs)
		mi := execspec.OneOf(c, "m", phase1as)
		msg := messages[mi]
		a := &s.AState[msg.Ins][acc]
		if !c.Assume(s.Msgs.Has(mi) && a.MBal < msg.Bal) {
			return
		}
		s.Msgs.Send(id1b(int(msg.Ins), int(msg.Bal), int(a.Bal), a.Val, acc))
		a.MBal = msg.Bal
	})

	// Phase2b(acc): acceptor acc votes for a phase 2a proposal of a ballot
	// at least as high as any it has seen.
	m.Action("Phase2b", func(c *execspec.Ctx[State]) {
		s := c.S
		acc := execspec.OneOf(c, "acc", accs)
		mi := execspec.OneOf(c, "m", phase2as)
		msg := messages[mi]
		a := &s.AState[msg.Ins][acc]
		if !c.Assume(s.Msgs.Has(mi) && a.MBal <= msg.Bal) {
			return
		}
		*a = AccState{MBal: msg.Bal, Bal: msg.Bal, Val: msg.Val}
		s.Msgs.Send(id2b(acc, int(msg.Ins), int(msg.Bal), msg.Val))
	})

	m.Invariant("PCTypeOK", func(s *State) bool {
		if !s.RMState.TypeOK() || s.RMState.N != NRM {
			return false
		}
		for ins := range s.AState {
			for _, a := range s.AState[ins] {
				if a.MBal < 0 || a.MBal > maxBal || a.Bal < noBallot || a.Bal > maxBal || a.Val > None || a.Val < Prepared {
					return false
				}
			}
		}
		return s.Msgs[len(s.Msgs)-1]>>(numMsgs%64) == 0
	})
	// TCConsistent: Paxos Commit implements TCommit.
	m.Invariant("TCConsistent", func(s *State) bool { return s.RMState.Consistent() })
	// AllCommitted: the transaction can commit everywhere; RecoveredAbort:
	// a leader's ballot 1 can decide an instance (to abort) for an RM.
	m.Example("AllCommitted", func(s *State) bool { return s.RMState.All(tcommit.Committed) })
	m.Example("RecoveredAbort", func(s *State) bool {
		for ins := 0; ins < NRM; ins++ {
			if s.Msgs.Has(id2a(ins, 1, Aborted)) && s.Msgs.Has(idAbort) {
				return true
			}
		}
		return false
	})
	return m
}

// SentMessages lists the messages in a set, in number order.
func SentMessages(m Msgs) []Message {
	var out []Message
	for i := range messages {
		if m.Has(i) {
			out = append(out, messages[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}
