// Package tcommit is the transaction commit problem as specified in TLA+ by
// Leslie Lamport for Jim Gray and Leslie Lamport's paper "Consensus on
// Transaction Commit" (ACM TODS 31(1), 2006): the module TCommit of the
// tlaplus/Examples repository
// (specifications/transaction_commit/TCommit.tla), ported to an execspec
// model with the specification's names.
//
// Resource managers (RMs) each end up committed or aborted, and must not
// disagree: a working RM may prepare; a prepared RM may commit once every RM
// is prepared or committed; a working or prepared RM may abort as long as no
// RM has committed. TCConsistent says no RM is committed while another is
// aborted.
//
// TLC finds 34 distinct states (94 generated) and a search depth of 7 for
// three RMs (TCommit.cfg). The RM types here are shared with the ports of
// the protocols that implement this specification (examples/twophase,
// examples/paxoscommit), as TLA+ shares them through INSTANCE TCommit.
package tcommit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
)

// MaxRM is the largest number of resource managers an RMStates can hold.
const MaxRM = 16

// RM is a resource manager, numbered from 0. Traces show it as r1, r2, ...
// as the configuration files name them.
type RM uint8

func (r RM) String() string { return "r" + strconv.Itoa(int(r)+1) }

// MarshalITF writes the RM's name.
func (r RM) MarshalITF() (itf.Value, error) { return itf.String(r.String()), nil }

// UnmarshalITF reads an RM's name.
func (r *RM) UnmarshalITF(v itf.Value) error {
	s, _ := v.AsString()
	n, err := strconv.Atoi(strings.TrimPrefix(s, "r"))
	if err != nil || !strings.HasPrefix(s, "r") || n < 1 || n > MaxRM {
		return fmt.Errorf("%s is not a resource manager r1..r%d", v, MaxRM)
	}
	*r = RM(n - 1)
	return nil
}

// RMs returns the first n resource managers.
func RMs(n int) []RM {
	rms := make([]RM, n)
	for i := range rms {
		rms[i] = RM(i)
	}
	return rms
}

// RMState is the state of one resource manager.
type RMState uint8

// The states of a resource manager.
const (
	Working RMState = iota
	Prepared
	Committed
	Aborted
)

var rmStateNames = [...]string{"working", "prepared", "committed", "aborted"}

func (s RMState) String() string {
	if int(s) < len(rmStateNames) {
		return rmStateNames[s]
	}
	return "RMState(" + strconv.Itoa(int(s)) + ")"
}

// MarshalITF writes the state's name, as the specification spells it.
func (s RMState) MarshalITF() (itf.Value, error) { return itf.String(s.String()), nil }

// UnmarshalITF reads a state's name.
func (s *RMState) UnmarshalITF(v itf.Value) error {
	name, _ := v.AsString()
	for i, n := range rmStateNames {
		if n == name {
			*s = RMState(i)
			return nil
		}
	}
	return fmt.Errorf("%s is not a resource manager state", v)
}

// RMStates is the function rmState from the N resource managers to their
// states, packed two bits per RM. Traces show it as a map.
type RMStates struct {
	N    uint8
	Bits uint32
}

// AllRMs returns the function mapping each of n RMs to s.
func AllRMs(n int, s RMState) RMStates {
	r := RMStates{N: uint8(n)}
	for rm := RM(0); int(rm) < n; rm++ {
		r.Set(rm, s)
	}
	return r
}

// Get returns rm's state.
func (r RMStates) Get(rm RM) RMState { return RMState(r.Bits >> (2 * rm) & 3) }

// Set sets rm's state.
func (r *RMStates) Set(rm RM, s RMState) {
	r.Bits = r.Bits&^(3<<(2*rm)) | uint32(s)<<(2*rm)
}

// All reports whether every RM's state is one of ss.
func (r RMStates) All(ss ...RMState) bool {
	for rm := RM(0); rm < RM(r.N); rm++ {
		if !r.Get(rm).In(ss...) {
			return false
		}
	}
	return true
}

// Any reports whether some RM's state is s.
func (r RMStates) Any(s RMState) bool {
	for rm := RM(0); rm < RM(r.N); rm++ {
		if r.Get(rm) == s {
			return true
		}
	}
	return false
}

// In reports whether s is one of ss.
func (s RMState) In(ss ...RMState) bool {
	for _, t := range ss {
		if s == t {
			return true
		}
	}
	return false
}

// MarshalITF writes the function as a map from RM names to state names.
func (r RMStates) MarshalITF() (itf.Value, error) {
	m := make(map[RM]RMState, r.N)
	for rm := RM(0); rm < RM(r.N); rm++ {
		m[rm] = r.Get(rm)
	}
	return itf.Marshal(m)
}

// UnmarshalITF reads a map from RM names to state names.
func (r *RMStates) UnmarshalITF(v itf.Value) error {
	var m map[RM]RMState
	if err := itf.Unmarshal(v, &m); err != nil {
		return err
	}
	*r = RMStates{N: uint8(len(m))}
	for rm, s := range m {
		if int(rm) >= len(m) {
			return fmt.Errorf("rmState: %s out of r1..r%d", rm, len(m))
		}
		r.Set(rm, s)
	}
	return nil
}

// TypeOK reports whether every RM's state is one of the four (TCTypeOK).
func (r RMStates) TypeOK() bool {
	return r.N <= MaxRM && (r.N == MaxRM || r.Bits>>(2*r.N) == 0)
}

// Consistent reports whether no RM is committed while another is aborted
// (TCConsistent).
func (r RMStates) Consistent() bool { return !(r.Any(Committed) && r.Any(Aborted)) }

// State is TCommit's state: the one variable rmState.
type State struct {
	RMState RMStates `itf:"rmState"`
}

// Spec returns the model with instances rm3 (TCommit.cfg's three RMs) to
// rm5.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("tcommit").Doc("Transaction commit (Gray and Lamport), TCommit.tla from tlaplus/Examples.")
	for n := 3; n <= 5; n++ {
		s.Instance("rm"+strconv.Itoa(n), func() *execspec.Model[State] { return New(n) })
	}
	return s
}

// New builds the model for n resource managers.
func New(n int) *execspec.Model[State] {
	if n < 1 || n > MaxRM {
		panic(fmt.Sprintf("tcommit: %d resource managers; want 1..%d", n, MaxRM))
	}
	m := execspec.NewModel[State]("tcommit")
	rms := RMs(n)
	m.Init(func(c *execspec.Ctx[State]) { c.S.RMState = AllRMs(n, Working) })

	// Prepare(rm): a working RM prepares.
	m.Action("Prepare", func(c *execspec.Ctx[State]) {
		rm := execspec.OneOf(c, "rm", rms)
		if !c.Assume(c.S.RMState.Get(rm) == Working) {
			return
		}
		c.S.RMState.Set(rm, Prepared)
	})

	// Decide(rm): a prepared RM commits when every RM can commit; a working
	// or prepared RM aborts while no RM has committed.
	m.Action("Decide", func(c *execspec.Ctx[State]) {
		rm := execspec.OneOf(c, "rm", rms)
		st := &c.S.RMState
		c.Either("decision",
			execspec.Alt("commit", func(c *execspec.Ctx[State]) {
				if c.Assume(st.Get(rm) == Prepared && st.All(Prepared, Committed)) {
					st.Set(rm, Committed)
				}
			}),
			execspec.Alt("abort", func(c *execspec.Ctx[State]) {
				if c.Assume(st.Get(rm).In(Working, Prepared) && !st.Any(Committed)) {
					st.Set(rm, Aborted)
				}
			}))
	})

	m.Invariant("TCTypeOK", func(s *State) bool { return s.RMState.TypeOK() })
	m.Invariant("TCConsistent", func(s *State) bool { return s.RMState.Consistent() })
	// Examples: every RM committed (reachable); two RMs disagreeing (the
	// negation of TCConsistent: not reachable).
	m.Example("AllCommitted", func(s *State) bool { return s.RMState.All(Committed) })
	m.Example("Disagree", func(s *State) bool { return !s.RMState.Consistent() })
	return m
}
