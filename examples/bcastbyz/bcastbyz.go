// Package bcastbyz is the one-round asynchronous reliable broadcast of
// Srikanth and Toueg ("Simulating authenticated broadcasts to derive simple
// fault-tolerant algorithms", Distributed Computing 2(2), 1987, Fig. 7),
// under Byzantine faults, as specified in TLA+ by Igor Konnov, Thanh Hai
// Tran and Josef Widder: the module bcastByz of the tlaplus/Examples
// repository (specifications/bcastByz/bcastByz.tla, with bcastByz.cfg and
// bcastByzNoBcast.cfg), ported to an execspec model with the
// specification's names.
//
// N processes, of which F are faulty (Byzantine) and T bound the faults the
// algorithm tolerates (N > 3T, T >= F). Which processes are correct is not
// known: Corr is any set of N - F processes, Faulty the rest. A correct
// process starts in V1 if it received the broadcaster's INIT message and
// in V0 if not. In a Step it receives any subset of the ECHO messages sent
// by correct processes and of those the faulty ones may forge
// (ByzMsgs), and then echoes when it has INIT (UponV1) or N - 2T echoes
// (UponNonFaulty), and accepts on N - T echoes (UponAcceptNotSentBefore,
// UponAcceptSentBefore).
//
// The state is made of sets: Corr and Faulty, the messages sent, and each
// process's received messages, picked with SubsetOfSet (SUBSET) and
// combined with the Set algebra (\cup, \X, \). Instance bcast is
// bcastByz.cfg (N = 4, T = 1, F = 1), for which TLC finds 14,424 distinct
// states and a depth of 7; nobcast is bcastByzNoBcast.cfg (N = 10, T = 3,
// F = 2, no process has INIT), 45 states and depth 1 (tlaplus/Examples
// manifest). The invariants TypeOK and FCConstraints (and Unforg for
// nobcast) are checked; the temporal properties CorrLtl, RelayLtl and
// UnforgLtl are not.
package bcastbyz

import (
	"fmt"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
)

// Msg is the message <<p, "ECHO">>: an ECHO from process P.
type Msg struct {
	P    int
	Type string
}

// MarshalITF writes the message as the tuple <<p, type>>.
func (m Msg) MarshalITF() (itf.Value, error) {
	return itf.Tuple(itf.Int(int64(m.P)), itf.String(m.Type)), nil
}

// UnmarshalITF reads the tuple <<p, type>>.
func (m *Msg) UnmarshalITF(v itf.Value) error {
	if v.Kind() != itf.KindTuple || v.Len() != 2 {
		return fmt.Errorf("message: want a tuple <<p, type>>, got %s", v)
	}
	p, ok := v.Elems()[0].AsInt64()
	t, ok2 := v.Elems()[1].AsString()
	if !ok || !ok2 {
		return fmt.Errorf("message: want <<integer, string>>, got %s", v)
	}
	*m = Msg{P: int(p), Type: t}
	return nil
}

// The local states: V0 (no INIT), V1 (INIT received), SE (ECHO sent, not
// accepted), AC (accepted).
const (
	V0 = "V0"
	V1 = "V1"
	SE = "SE"
	AC = "AC"
)

// State holds the variables.
type State struct {
	Corr   execspec.Set[int]         `itf:"Corr"`
	Faulty execspec.Set[int]         `itf:"Faulty"`
	PC     map[int]string            `itf:"pc"`
	Rcvd   map[int]execspec.Set[Msg] `itf:"rcvd"`
	Sent   execspec.Set[Msg]         `itf:"sent"`
}

// Config holds the constants and which initial condition to use.
type Config struct {
	N, T, F int
	// NoBcast selects InitNoBcast: every process starts in V0.
	NoBcast bool
}

// Spec lists the instances for the execspec command.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("bcastbyz").
		Doc("Byzantine reliable broadcast (Srikanth and Toueg; TLA+ by Konnov, Tran, Widder), bcastByz.tla from tlaplus/Examples; bcast is bcastByz.cfg, nobcast bcastByzNoBcast.cfg.").
		Instance("bcast", func() *execspec.Model[State] { return New(Config{N: 4, T: 1, F: 1}) }).
		Instance("nobcast", func() *execspec.Model[State] { return New(Config{N: 10, T: 3, F: 2, NoBcast: true}) })
}

// New builds the model for c. It panics if c violates the specification's
// assumption NTF (N > 3T, T >= F >= 0).
func New(c Config) *execspec.Model[State] {
	if !(c.N > 3*c.T && c.T >= c.F && c.F >= 0) {
		panic(fmt.Sprintf("bcastbyz: N=%d T=%d F=%d violates N > 3T /\\ T >= F >= 0", c.N, c.T, c.F))
	}
	proc := execspec.SetRange(1, c.N)
	m := execspec.NewModel[State]("bcastbyz")
	// ByzMsgs == Faulty \X M, with M = {"ECHO"}.
	byzMsgs := func(s *State) execspec.Set[Msg] {
		return execspec.MapSet(s.Faulty, func(p int) Msg { return Msg{p, "ECHO"} })
	}
	m.Init(func(x *execspec.Ctx[State]) {
		s := x.S
		s.Sent = execspec.Set[Msg]{}
		initial := []string{V0, V1}
		if c.NoBcast {
			initial = []string{V0}
		}
		s.PC = execspec.FunctionOf(x, "pc", proc.Elems(), initial)
		s.Rcvd = map[int]execspec.Set[Msg]{}
		for _, i := range proc.Elems() {
			s.Rcvd[i] = execspec.Set[Msg]{}
		}
		s.Corr = execspec.SubsetOfSet(x, "Corr", proc)
		if !x.Assume(s.Corr.Len() == c.N-c.F) {
			return
		}
		s.Faulty = proc.Diff(s.Corr)
	})
	// Next == \E self \in Corr : Step(self), or stuttering (which adds no
	// state, so it is left out).
	//
	// Step(self) == ReceiveFromAnySender(self) /\ (UponV1(self) \/ ...) is
	// written with the disjunction outside, which means the same and lets
	// a branch whose guard on pc[self] fails drop before the subsets of
	// messages are enumerated.
	m.Action("Step", func(x *execspec.Ctx[State]) {
		s := x.S
		self := execspec.OneOfSet(x, "self", s.Corr)
		// receive is ReceiveFromAnySender(self); it returns the number of
		// messages in rcvd'[self].
		receive := func(x *execspec.Ctx[State]) int {
			newMessages := execspec.SubsetOfSet(x, "newMessages", s.Sent.Union(byzMsgs(s)))
			s.Rcvd[self] = s.Rcvd[self].Union(newMessages)
			return s.Rcvd[self].Len()
		}
		echo := func(pc string) {
			s.PC[self] = pc
			s.Sent = s.Sent.With(Msg{self, "ECHO"})
		}
		initial := s.PC[self] == V0 || s.PC[self] == V1
		x.Either("upon",
			execspec.Alt("UponV1", func(x *execspec.Ctx[State]) {
				if x.Assume(s.PC[self] == V1) {
					receive(x)
					echo(SE)
				}
			}),
			execspec.Alt("UponNonFaulty", func(x *execspec.Ctx[State]) {
				if !x.Assume(initial) {
					return
				}
				if n := receive(x); x.Assume(n >= c.N-2*c.T && n < c.N-c.T) {
					echo(SE)
				}
			}),
			execspec.Alt("UponAcceptNotSentBefore", func(x *execspec.Ctx[State]) {
				if !x.Assume(initial) {
					return
				}
				if n := receive(x); x.Assume(n >= c.N-c.T) {
					echo(AC)
				}
			}),
			execspec.Alt("UponAcceptSentBefore", func(x *execspec.Ctx[State]) {
				if !x.Assume(s.PC[self] == SE) {
					return
				}
				if n := receive(x); x.Assume(n >= c.N-c.T) {
					s.PC[self] = AC
				}
			}))
	})
	m.Invariant("TypeOK", func(s *State) bool {
		ok := s.Corr.IsSubsetOf(proc) && s.Faulty.IsSubsetOf(proc) &&
			s.Sent.ForAll(func(m Msg) bool { return proc.Has(m.P) && m.Type == "ECHO" })
		for _, i := range proc.Elems() {
			pc := s.PC[i]
			ok = ok && (pc == V0 || pc == V1 || pc == SE || pc == AC) &&
				s.Rcvd[i].IsSubsetOf(s.Sent.Union(byzMsgs(s)))
		}
		return ok && len(s.PC) == c.N && len(s.Rcvd) == c.N
	})
	m.Invariant("FCConstraints", func(s *State) bool {
		return s.Corr.IsSubsetOf(proc) && s.Faulty.IsSubsetOf(proc) &&
			s.Corr.Union(s.Faulty).Equal(proc) && s.Faulty.Equal(proc.Diff(s.Corr)) &&
			s.Corr.Len() >= c.N-c.T
	})
	if c.NoBcast {
		// Unforg == \A i \in Proc : i \in Corr => pc[i] # "AC"
		m.Invariant("Unforg", func(s *State) bool {
			return s.Corr.ForAll(func(i int) bool { return s.PC[i] != AC })
		})
	}
	return m
}
