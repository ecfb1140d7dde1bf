// Package twophase is the two-phase commit protocol as specified in TLA+ by
// Leslie Lamport for Jim Gray and Leslie Lamport's paper "Consensus on
// Transaction Commit" (ACM TODS 31(1), 2006): the module TwoPhase of the
// tlaplus/Examples repository
// (specifications/transaction_commit/TwoPhase.tla), ported to an execspec
// model in the specification's own shape and names.
//
// A transaction manager (TM) coordinates resource managers (RMs). An RM
// spontaneously prepares, sending a Prepared message, or chooses to abort;
// the TM records the Prepared messages it receives and commits once every
// RM has prepared, or aborts at any time before; RMs follow the TM's Commit
// or Abort message. Messages are never removed: msgs is the set of all
// messages ever sent, and receiving one is a guard on its presence (so a
// message can be received twice, to no effect).
//
// The state is the specification's variables as plain Go values: rmState a
// map from RM names to state names, tmState a string, tmPrepared a Set of
// RM names and msgs a Set of message records. (examples/twophase/packed is
// the same model with its state packed into bits by hand, kept as the
// benchmark this one is measured against.)
//
// TLC finds 288 distinct states (1146 generated) and a search depth of 11
// for three RMs (TwoPhase.cfg); the specification's closing comment gives
// 50,816 states for six. The instances rm3 to rm10 make it the classic
// scaling benchmark: 296,448 distinct states with 7 RMs, 1,745,408 with 8,
// 10,340,352 with 9, 61,515,776 with 10. (The count is 6^n + 4^n + 2^n
// for n RMs: each RM has 6 reachable combinations of its state, its
// Prepared message and its place in tmPrepared once the manager has
// aborted, 4 while it has decided nothing, 2 once it has committed.)
// The RMs are interchangeable, and for up to 6 RMs the
// model declares them a symmetry set, which a check uses unless told not to
// (TLC's figures are without symmetry).
//
// The specification's second theorem, TPSpec => TC!TCSpec, says that
// two-phase commit implements the transaction commit specification of
// examples/tcommit, the refinement mapping being rmState itself (TC ==
// INSTANCE TCommit substitutes each variable of TCommit by the variable of
// the same name). The model declares it as the refinement TCSpec, which a
// check verifies by default on every transition: every step of TwoPhase is
// a step of TCommit or leaves rmState unchanged. The module's closing
// comment says TLC checked both theorems for six RMs; the refinement holds
// here too (a search that checks it does not use the symmetry: a mapping
// need not be symmetric).
package twophase

import (
	"fmt"
	"strconv"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/tcommit"
)

// Message is a message record: [type |-> "Prepared", rm |-> r] from an
// RM, or [type |-> "Commit"] or [type |-> "Abort"] from the TM (whose RM
// is empty).
type Message struct {
	Type string `itf:"type"`
	RM   string `itf:"rm"`
}

// State is TwoPhase's state.
type State struct {
	RMState    map[string]string     `itf:"rmState"`
	TMState    string                `itf:"tmState"`
	TMPrepared execspec.Set[string]  `itf:"tmPrepared"`
	Msgs       execspec.Set[Message] `itf:"msgs"`
}

// The messages the TM sends.
var (
	commitMsg = Message{Type: "Commit"}
	abortMsg  = Message{Type: "Abort"}
)

// RMs returns the names of n resource managers, r1 to rN, as the
// configuration files name them.
func RMs(n int) []string {
	rms := make([]string, n)
	for i := range rms {
		rms[i] = "r" + strconv.Itoa(i+1)
	}
	return rms
}

// Spec returns the model with instances rm3 (TwoPhase.cfg) to rm10.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("twophase").Doc("Two-phase commit (Gray and Lamport), TwoPhase.tla from tlaplus/Examples; rmN has N resource managers.")
	for n := 3; n <= 10; n++ {
		s.Instance("rm"+strconv.Itoa(n), func() *execspec.Model[State] { return New(n) })
	}
	s.Instance("rm3_hidden_prepare", func() *execspec.Model[State] { return NewWithMapping(3, HiddenPrepare) })
	return s
}

// New builds the model for n resource managers (at least 1).
func New(n int) *execspec.Model[State] { return NewWithMapping(n, TC) }

// NewWithMapping builds the model for n resource managers with mapping as
// the refinement mapping of TCSpec: TC is the right one, HiddenPrepare a
// planted mistake (the instance rm3_hidden_prepare).
func NewWithMapping(n int, mapping func(*State) tcommit.State) *execspec.Model[State] {
	if n < 1 {
		panic(fmt.Sprintf("twophase: %d resource managers; want at least 1", n))
	}
	m := execspec.NewModel[State]("twophase")
	rms := RMs(n)

	// TPInit: every RM working, the TM in its initial state, nothing
	// prepared or sent.
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.RMState = make(map[string]string, n)
		for _, rm := range rms {
			c.S.RMState[rm] = "working"
		}
		c.S.TMState = "init"
	})

	// TMRcvPrepared(rm): the TM receives a Prepared message from rm.
	m.Action("TMRcvPrepared", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.TMState == "init" && s.Msgs.Has(Message{Type: "Prepared", RM: rm})) {
			s.TMPrepared = s.TMPrepared.With(rm)
		}
	})

	// TMCommit: the TM commits once every RM has sent Prepared.
	m.Action("TMCommit", func(c *execspec.Ctx[State]) {
		s := c.S
		if c.Assume(s.TMState == "init" && s.TMPrepared.Len() == n) {
			s.TMState = "committed"
			s.Msgs = s.Msgs.With(commitMsg)
		}
	})

	// TMAbort: the TM spontaneously aborts.
	m.Action("TMAbort", func(c *execspec.Ctx[State]) {
		s := c.S
		if c.Assume(s.TMState == "init") {
			s.TMState = "aborted"
			s.Msgs = s.Msgs.With(abortMsg)
		}
	})

	// RMPrepare(rm): a working RM prepares and tells the TM.
	m.Action("RMPrepare", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.RMState[rm] == "working") {
			s.RMState[rm] = "prepared"
			s.Msgs = s.Msgs.With(Message{Type: "Prepared", RM: rm})
		}
	})

	// RMChooseToAbort(rm): a working RM spontaneously aborts (sending
	// nothing).
	m.Action("RMChooseToAbort", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.RMState[rm] == "working") {
			s.RMState[rm] = "aborted"
		}
	})

	// RMRcvCommitMsg(rm): rm is told by the TM to commit.
	m.Action("RMRcvCommitMsg", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.Msgs.Has(commitMsg)) {
			s.RMState[rm] = "committed"
		}
	})

	// RMRcvAbortMsg(rm): rm is told by the TM to abort.
	m.Action("RMRcvAbortMsg", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.Msgs.Has(abortMsg)) {
			s.RMState[rm] = "aborted"
		}
	})

	isRM := make(map[string]bool, n)
	for _, rm := range rms {
		isRM[rm] = true
	}
	// TPTypeOK, the specification's invariant.
	m.Invariant("TPTypeOK", func(s *State) bool {
		if len(s.RMState) != n {
			return false
		}
		for rm, st := range s.RMState {
			switch st {
			case "working", "prepared", "committed", "aborted":
			default:
				return false
			}
			if !isRM[rm] {
				return false
			}
		}
		switch s.TMState {
		case "init", "committed", "aborted":
		default:
			return false
		}
		return s.TMPrepared.ForAll(func(rm string) bool { return isRM[rm] }) &&
			s.Msgs.ForAll(func(m Message) bool {
				return m.Type == "Prepared" && isRM[m.RM] || (m == commitMsg || m == abortMsg)
			})
	})
	// TCConsistent: TwoPhase implements TCommit, so no RM has aborted while
	// another has committed.
	m.Invariant("TCConsistent", func(s *State) bool {
		return !(Any(s, "aborted") && Any(s, "committed"))
	})
	// AllCommitted: the transaction can commit everywhere.
	m.Example("AllCommitted", func(s *State) bool {
		for _, st := range s.RMState {
			if st != "committed" {
				return false
			}
		}
		return true
	})

	// TPSpec => TC!TCSpec, under the mapping rmState.
	if n <= tcommit.MaxRM {
		execspec.Refines(m, "TCSpec", tcommit.New(n), mapping)
	}

	// The RMs are interchangeable. The checker canonicalizes a state by
	// trying all n! renamings, which for this model's small states costs
	// more time than the smaller state space saves; beyond 6 RMs (720
	// renamings) the model does not declare the symmetry.
	if n > 6 {
		return m
	}
	index := make(map[string]int, n)
	for i, rm := range rms {
		index[rm] = i
	}
	m.Symmetry("RM", n, func(s *State, perm []int) {
		rename := func(rm string) string { return rms[perm[index[rm]]] }
		st := make(map[string]string, n)
		for rm, v := range s.RMState {
			st[rename(rm)] = v
		}
		s.RMState = st
		s.TMPrepared = execspec.MapSet(s.TMPrepared, rename)
		s.Msgs = execspec.MapSet(s.Msgs, func(m Message) Message {
			if m.Type == "Prepared" {
				m.RM = rename(m.RM)
			}
			return m
		})
	})
	return m
}

// Any reports whether some RM is in state st.
func Any(s *State, st string) bool {
	for _, v := range s.RMState {
		if v == st {
			return true
		}
	}
	return false
}

// TC is the refinement mapping of TPSpec => TC!TCSpec: TCommit's one
// variable, rmState, is TwoPhase's rmState (RM ri is tcommit.RM(i-1)).
// A state outside TPTypeOK (an unknown RM or state name) panics, which the
// checker reports; TPTypeOK, checked first, says what is wrong.
func TC(s *State) tcommit.State {
	rms := tcommit.AllRMs(len(s.RMState), tcommit.Working)
	for name, st := range s.RMState {
		i, err := strconv.Atoi(name[min(1, len(name)):])
		if err != nil || i < 1 || i > len(s.RMState) {
			panic(fmt.Sprintf("rmState: %q is not an RM", name))
		}
		v, ok := rmStates[st]
		if !ok {
			panic(fmt.Sprintf("rmState[%s]: %q is not a resource manager state", name, st))
		}
		rms.Set(tcommit.RM(i-1), v)
	}
	return tcommit.State{RMState: rms}
}

var rmStates = map[string]tcommit.RMState{
	"working": tcommit.Working, "prepared": tcommit.Prepared,
	"committed": tcommit.Committed, "aborted": tcommit.Aborted,
}

// HiddenPrepare is a wrong refinement mapping, planted to be caught: it
// maps a prepared RM to a working one, as if preparing were invisible.
// Preparing then maps to a stuttering step, and an RM that learns of the
// commit maps to a working RM committing, which TCommit forbids (only a
// prepared RM commits): the shortest behaviour that shows it has the three
// RMs prepare, the TM hear them and commit, and an RM receive Commit.
func HiddenPrepare(s *State) tcommit.State {
	h := TC(s)
	for rm := tcommit.RM(0); rm < tcommit.RM(h.RMState.N); rm++ {
		if h.RMState.Get(rm) == tcommit.Prepared {
			h.RMState.Set(rm, tcommit.Working)
		}
	}
	return h
}
