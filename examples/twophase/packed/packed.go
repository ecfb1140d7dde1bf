// Package packed is examples/twophase's model of two-phase commit (Gray
// and Lamport; TwoPhase.tla from tlaplus/Examples) with its state packed by
// hand for speed: two bits per RM for rmState, one bit per RM for the sets,
// and ITF marshalling written for it so that traces still show the
// specification's values. It is kept as the hand-written baseline the
// natural model (package twophase, plain maps and Sets) is benchmarked
// against; both have TLC's state counts.
//
// The RMs are interchangeable, and for up to 6 RMs the model declares them
// a symmetry set, which a check uses unless told not to (TLC's figures are
// without symmetry).
package packed

import (
	"fmt"
	"strconv"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/tcommit"
	"github.com/execspec/execspec/itf"
)

// RM is a resource manager (shared with TCommit, which TwoPhase implements).
type RM = tcommit.RM

// TMState is the transaction manager's state.
type TMState uint8

// The states of the transaction manager.
const (
	TMInit TMState = iota
	TMCommitted
	TMAborted
)

var tmStateNames = [...]string{"init", "committed", "aborted"}

func (s TMState) String() string {
	if int(s) < len(tmStateNames) {
		return tmStateNames[s]
	}
	return "TMState(" + strconv.Itoa(int(s)) + ")"
}

// MarshalITF writes the state's name.
func (s TMState) MarshalITF() (itf.Value, error) { return itf.String(s.String()), nil }

// UnmarshalITF reads a state's name.
func (s *TMState) UnmarshalITF(v itf.Value) error {
	name, _ := v.AsString()
	for i, n := range tmStateNames {
		if n == name {
			*s = TMState(i)
			return nil
		}
	}
	return fmt.Errorf("%s is not a transaction manager state", v)
}

// RMSet is a set of resource managers, one bit per RM.
type RMSet uint16

// Has reports whether rm is in the set.
func (s RMSet) Has(rm RM) bool { return s&(1<<rm) != 0 }

// With returns the set with rm added.
func (s RMSet) With(rm RM) RMSet { return s | 1<<rm }

// MarshalITF writes the set of RM names.
func (s RMSet) MarshalITF() (itf.Value, error) {
	var elems []itf.Value
	for rm := RM(0); rm < tcommit.MaxRM; rm++ {
		if s.Has(rm) {
			elems = append(elems, itf.String(rm.String()))
		}
	}
	return itf.Set(elems...), nil
}

// UnmarshalITF reads a set of RM names.
func (s *RMSet) UnmarshalITF(v itf.Value) error {
	var rms []RM
	if err := itf.Unmarshal(v, &rms); err != nil {
		return err
	}
	*s = 0
	for _, rm := range rms {
		*s = s.With(rm)
	}
	return nil
}

// Msgs is the set of messages ever sent: a Prepared message per RM that
// sent one, and at most one Commit and one Abort.
type Msgs struct {
	Prepared      RMSet
	Commit, Abort bool
}

// MarshalITF writes the set of message records.
func (m Msgs) MarshalITF() (itf.Value, error) {
	var elems []itf.Value
	for rm := RM(0); rm < tcommit.MaxRM; rm++ {
		if m.Prepared.Has(rm) {
			elems = append(elems, itf.Record(itf.Field{Name: "type", Value: itf.String("Prepared")}, itf.Field{Name: "rm", Value: itf.String(rm.String())}))
		}
	}
	if m.Commit {
		elems = append(elems, itf.Record(itf.Field{Name: "type", Value: itf.String("Commit")}))
	}
	if m.Abort {
		elems = append(elems, itf.Record(itf.Field{Name: "type", Value: itf.String("Abort")}))
	}
	return itf.Set(elems...), nil
}

// UnmarshalITF reads a set of message records.
func (m *Msgs) UnmarshalITF(v itf.Value) error {
	*m = Msgs{}
	for _, e := range v.Elems() {
		t, _ := e.Field("type")
		name, _ := t.AsString()
		switch name {
		case "Prepared":
			var rm RM
			f, _ := e.Field("rm")
			if err := rm.UnmarshalITF(f); err != nil {
				return err
			}
			m.Prepared = m.Prepared.With(rm)
		case "Commit":
			m.Commit = true
		case "Abort":
			m.Abort = true
		default:
			return fmt.Errorf("%s is not a TwoPhase message", e)
		}
	}
	return nil
}

// State is TwoPhase's state.
type State struct {
	RMState    tcommit.RMStates `itf:"rmState"`
	TMState    TMState          `itf:"tmState"`
	TMPrepared RMSet            `itf:"tmPrepared"`
	Msgs       Msgs             `itf:"msgs"`
}

// Spec returns the model with instances rm3 (TwoPhase.cfg) to rm10.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("twophase").Doc("Two-phase commit (Gray and Lamport), TwoPhase.tla from tlaplus/Examples; rmN has N resource managers.")
	for n := 3; n <= 10; n++ {
		s.Instance("rm"+strconv.Itoa(n), func() *execspec.Model[State] { return New(n) })
	}
	return s
}

// New builds the model for n resource managers (1 to 16).
func New(n int) *execspec.Model[State] {
	if n < 1 || n > tcommit.MaxRM {
		panic(fmt.Sprintf("twophase: %d resource managers; want 1..%d", n, tcommit.MaxRM))
	}
	m := execspec.NewModel[State]("twophase")
	rms := tcommit.RMs(n)
	all := RMSet(1<<n - 1)

	// TPInit: every RM working, the TM in its initial state, nothing
	// prepared or sent.
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.RMState = tcommit.AllRMs(n, tcommit.Working)
	})

	// TMRcvPrepared(rm): the TM receives a Prepared message from rm.
	m.Action("TMRcvPrepared", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.TMState == TMInit && s.Msgs.Prepared.Has(rm)) {
			s.TMPrepared = s.TMPrepared.With(rm)
		}
	})

	// TMCommit: the TM commits once every RM has sent Prepared.
	m.Action("TMCommit", func(c *execspec.Ctx[State]) {
		s := c.S
		if c.Assume(s.TMState == TMInit && s.TMPrepared == all) {
			s.TMState = TMCommitted
			s.Msgs.Commit = true
		}
	})

	// TMAbort: the TM spontaneously aborts.
	m.Action("TMAbort", func(c *execspec.Ctx[State]) {
		s := c.S
		if c.Assume(s.TMState == TMInit) {
			s.TMState = TMAborted
			s.Msgs.Abort = true
		}
	})

	// RMPrepare(rm): a working RM prepares and tells the TM.
	m.Action("RMPrepare", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.RMState.Get(rm) == tcommit.Working) {
			s.RMState.Set(rm, tcommit.Prepared)
			s.Msgs.Prepared = s.Msgs.Prepared.With(rm)
		}
	})

	// RMChooseToAbort(rm): a working RM spontaneously aborts (sending
	// nothing).
	m.Action("RMChooseToAbort", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.RMState.Get(rm) == tcommit.Working) {
			s.RMState.Set(rm, tcommit.Aborted)
		}
	})

	// RMRcvCommitMsg(rm): rm is told by the TM to commit.
	m.Action("RMRcvCommitMsg", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.Msgs.Commit) {
			s.RMState.Set(rm, tcommit.Committed)
		}
	})

	// RMRcvAbortMsg(rm): rm is told by the TM to abort.
	m.Action("RMRcvAbortMsg", func(c *execspec.Ctx[State]) {
		s := c.S
		rm := execspec.OneOf(c, "rm", rms)
		if c.Assume(s.Msgs.Abort) {
			s.RMState.Set(rm, tcommit.Aborted)
		}
	})

	// TPTypeOK, the specification's invariant.
	m.Invariant("TPTypeOK", func(s *State) bool {
		return s.RMState.TypeOK() && int(s.RMState.N) == n && s.TMState <= TMAborted &&
			s.TMPrepared&^all == 0 && s.Msgs.Prepared&^all == 0
	})
	// TCConsistent: TwoPhase implements TCommit, so its consistency holds.
	m.Invariant("TCConsistent", func(s *State) bool { return s.RMState.Consistent() })
	// AllCommitted: the transaction can commit everywhere.
	m.Example("AllCommitted", func(s *State) bool { return s.RMState.All(tcommit.Committed) })

	// The RMs are interchangeable. The checker canonicalizes a state by
	// trying all n! renamings, which for this model's tiny states costs more
	// time than the smaller state space saves; beyond 6 RMs (720
	// renamings) the model does not declare the symmetry.
	if n > 6 {
		return m
	}
	m.Symmetry("RM", n, func(s *State, perm []int) {
		var st tcommit.RMStates
		st.N = s.RMState.N
		var prep, sent RMSet
		for rm := RM(0); int(rm) < n; rm++ {
			to := RM(perm[rm])
			st.Set(to, s.RMState.Get(rm))
			if s.TMPrepared.Has(rm) {
				prep = prep.With(to)
			}
			if s.Msgs.Prepared.Has(rm) {
				sent = sent.With(to)
			}
		}
		s.RMState, s.TMPrepared, s.Msgs.Prepared = st, prep, sent
	})
	return m
}
