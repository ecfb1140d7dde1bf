// Package voting is the high-level consensus algorithm that Paxos
// implements, as specified in TLA+ by Leslie Lamport: the module Voting of
// the tlaplus/Examples repository (specifications/Paxos/Voting.tla, with
// the model MCVoting.tla / MCVoting.cfg), ported to an execspec model with
// the specification's names.
//
// Acceptors cast votes: a vote <<b, v>> is a vote for value v in ballot b.
// A value is chosen when every acceptor of some quorum has voted for it in
// the same ballot. An acceptor may raise maxBal[a], promising to cast no
// further vote in a lower ballot (IncreaseMaxBal), and may vote for v in
// ballot b (VoteFor) if it has not voted in b, no other acceptor voted for
// a different value in b, and some quorum shows that v is safe at b
// (ShowsSafeAt): no other value has been or can still be chosen in a
// lower ballot.
//
// The quorums are a set of sets of acceptors, an execspec.VSet of
// execspec.Sets, and each acceptor's votes a Set of tuples updated with
// Set.With, as the specification writes them. The instance mc is MCVoting:
// acceptors a1, a2, a3, values v1, v2, quorums the three pairs, ballots
// 0..1, with both sets declared symmetric (MCSymmetry). TLC finds 77
// distinct states and a search depth of 11 (tlaplus/Examples manifest).
// The instance ballots3 is MCVoting.cfg of the repository's
// PaxosHowToWinATuringAward/Voting.tla (the same specification, laid out
// differently): ballots 0..2 and no symmetry, 6,752 distinct states, depth
// 16 (check it with --no-symmetry).
// MCVoting.cfg's invariant Inv is checked; its temporal property
// ConsensusSpecBar (refinement of Consensus) is not.
package voting

import (
	"fmt"
	"slices"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
)

// Acceptor is a process that votes.
type Acceptor string

// Value is a value that may be chosen.
type Value string

// Vote is the vote <<b, v>>: a vote for Val in ballot Bal. It appears in
// traces as the specification's tuple.
type Vote struct {
	Bal int
	Val Value
}

// MarshalITF writes the vote as the tuple <<bal, val>>.
func (v Vote) MarshalITF() (itf.Value, error) {
	return itf.Tuple(itf.Int(int64(v.Bal)), itf.String(string(v.Val))), nil
}

// UnmarshalITF reads the tuple <<bal, val>>.
func (v *Vote) UnmarshalITF(x itf.Value) error {
	var t struct {
		Bal int
		Val Value
	}
	if x.Kind() != itf.KindTuple || x.Len() != 2 {
		return fmt.Errorf("vote: want a tuple <<bal, val>>, got %s", x)
	}
	if err := itf.Unmarshal(x.Elems()[0], &t.Bal); err != nil {
		return fmt.Errorf("vote ballot: %w", err)
	}
	if err := itf.Unmarshal(x.Elems()[1], &t.Val); err != nil {
		return fmt.Errorf("vote value: %w", err)
	}
	*v = Vote(t)
	return nil
}

// Config holds the constants: Value, Acceptor, Quorum, and the ballots
// (MCBallot, 0..MaxBallot, standing for Nat).
type Config struct {
	Value     []Value
	Acceptor  []Acceptor
	Quorum    execspec.VSet[execspec.Set[Acceptor]]
	MaxBallot int
}

// MC returns MCVoting's constants.
func MC() Config {
	return Config{
		Value:    []Value{"v1", "v2"},
		Acceptor: []Acceptor{"a1", "a2", "a3"},
		Quorum: execspec.VSetOf(
			execspec.SetOf[Acceptor]("a1", "a2"),
			execspec.SetOf[Acceptor]("a1", "a3"),
			execspec.SetOf[Acceptor]("a2", "a3")),
		MaxBallot: 1,
	}
}

// Ballot returns the ballot numbers 0..MaxBallot.
func (c Config) Ballot() []int {
	bs := make([]int, c.MaxBallot+1)
	for i := range bs {
		bs[i] = i
	}
	return bs
}

// State holds the variables: votes[a] is the set of votes cast by a, and
// a casts no further vote in a ballot below maxBal[a].
type State struct {
	Votes  map[Acceptor]execspec.Set[Vote] `itf:"votes"`
	MaxBal map[Acceptor]int                `itf:"maxBal"`
}

// VotedFor is true iff acceptor a has voted for v in ballot b.
func VotedFor(s *State, a Acceptor, b int, v Value) bool {
	return s.Votes[a].Has(Vote{b, v})
}

// ChosenAt is true iff a quorum of acceptors have all voted for v in b.
func (c Config) ChosenAt(s *State, b int, v Value) bool {
	return c.Quorum.Exists(func(q execspec.Set[Acceptor]) bool {
		return q.ForAll(func(a Acceptor) bool { return VotedFor(s, a, b, v) })
	})
}

// Chosen is the set of values that have been chosen.
func (c Config) Chosen(s *State) execspec.Set[Value] {
	var out execspec.Set[Value]
	for _, v := range c.Value {
		for _, b := range c.Ballot() {
			if c.ChosenAt(s, b, v) {
				out = out.With(v)
			}
		}
	}
	return out
}

// DidNotVoteAt is true iff a cast no vote in ballot b.
func (c Config) DidNotVoteAt(s *State, a Acceptor, b int) bool {
	return !slices.ContainsFunc(c.Value, func(v Value) bool { return VotedFor(s, a, b, v) })
}

// CannotVoteAt is true iff a has not voted and never will vote in b.
func (c Config) CannotVoteAt(s *State, a Acceptor, b int) bool {
	return s.MaxBal[a] > b && c.DidNotVoteAt(s, a, b)
}

// NoneOtherChoosableAt is true iff no value other than v has been or can
// ever be chosen in ballot b.
func (c Config) NoneOtherChoosableAt(s *State, b int, v Value) bool {
	return c.Quorum.Exists(func(q execspec.Set[Acceptor]) bool {
		return q.ForAll(func(a Acceptor) bool { return VotedFor(s, a, b, v) || c.CannotVoteAt(s, a, b) })
	})
}

// SafeAt is true iff no value other than v has been or can ever be chosen
// in a ballot below b.
func (c Config) SafeAt(s *State, b int, v Value) bool {
	for cb := 0; cb <= b-1; cb++ {
		if !c.NoneOtherChoosableAt(s, cb, v) {
			return false
		}
	}
	return true
}

// ShowsSafeAt is true iff quorum q's votes and promises show that v is
// safe at b.
func (c Config) ShowsSafeAt(s *State, q execspec.Set[Acceptor], b int, v Value) bool {
	if !q.ForAll(func(a Acceptor) bool { return s.MaxBal[a] >= b }) {
		return false
	}
	for cb := -1; cb <= b-1; cb++ {
		if cb != -1 && !q.Exists(func(a Acceptor) bool { return VotedFor(s, a, cb, v) }) {
			continue
		}
		ok := true
		for d := cb + 1; d <= b-1 && ok; d++ {
			ok = q.ForAll(func(a Acceptor) bool { return c.DidNotVoteAt(s, a, d) })
		}
		if ok {
			return true
		}
	}
	return false
}

// TypeOK is the type-correctness invariant.
func (c Config) TypeOK(s *State) bool {
	if len(s.Votes) != len(c.Acceptor) || len(s.MaxBal) != len(c.Acceptor) {
		return false
	}
	for _, a := range c.Acceptor {
		for _, vt := range s.Votes[a].Elems() {
			if vt.Bal < 0 || vt.Bal > c.MaxBallot || !slices.Contains(c.Value, vt.Val) {
				return false
			}
		}
		if b, ok := s.MaxBal[a]; !ok || b < -1 || b > c.MaxBallot {
			return false
		}
	}
	return true
}

// VotesSafe: every vote is for a value safe at its ballot.
func (c Config) VotesSafe(s *State) bool {
	for _, a := range c.Acceptor {
		for _, vt := range s.Votes[a].Elems() {
			if !c.SafeAt(s, vt.Bal, vt.Val) {
				return false
			}
		}
	}
	return true
}

// OneValuePerBallot: no two acceptors vote for different values in the
// same ballot.
func (c Config) OneValuePerBallot(s *State) bool {
	byBallot := map[int]Value{}
	for _, a := range c.Acceptor {
		for _, vt := range s.Votes[a].Elems() {
			if w, ok := byBallot[vt.Bal]; ok && w != vt.Val {
				return false
			}
			byBallot[vt.Bal] = vt.Val
		}
	}
	return true
}

// Inv is TypeOK /\ VotesSafe /\ OneValuePerBallot.
func (c Config) Inv(s *State) bool {
	return c.TypeOK(s) && c.VotesSafe(s) && c.OneValuePerBallot(s)
}

// Spec lists the instances for the execspec command.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("voting").
		Doc("The Voting algorithm behind Paxos (Lamport), Voting.tla from tlaplus/Examples; mc is MCVoting (3 acceptors, 2 values, ballots 0..1).").
		Instance("mc", func() *execspec.Model[State] { return New(MC()) }).
		Instance("ballots3", func() *execspec.Model[State] {
			c := MC()
			c.MaxBallot = 2
			return New(c)
		})
}

// New builds the model for the constants c.
func New(c Config) *execspec.Model[State] {
	m := execspec.NewModel[State]("voting")
	m.Init(func(x *execspec.Ctx[State]) {
		x.S.Votes = map[Acceptor]execspec.Set[Vote]{}
		x.S.MaxBal = map[Acceptor]int{}
		for _, a := range c.Acceptor {
			x.S.Votes[a] = execspec.Set[Vote]{}
			x.S.MaxBal[a] = -1
		}
	})
	// Next == \E a \in Acceptor, b \in Ballot :
	//           \/ IncreaseMaxBal(a, b)
	//           \/ \E v \in Value : VoteFor(a, b, v)
	m.Action("IncreaseMaxBal", func(x *execspec.Ctx[State]) {
		a := execspec.OneOf(x, "a", c.Acceptor)
		b := execspec.OneOf(x, "b", c.Ballot())
		if !x.Assume(b > x.S.MaxBal[a]) {
			return
		}
		x.S.MaxBal[a] = b
	})
	m.Action("VoteFor", func(x *execspec.Ctx[State]) {
		a := execspec.OneOf(x, "a", c.Acceptor)
		b := execspec.OneOf(x, "b", c.Ballot())
		v := execspec.OneOf(x, "v", c.Value)
		s := x.S
		if !x.Assume(s.MaxBal[a] <= b &&
			s.Votes[a].ForAll(func(vt Vote) bool { return vt.Bal != b })) {
			return
		}
		for _, o := range c.Acceptor {
			if o != a && !s.Votes[o].ForAll(func(vt Vote) bool { return vt.Bal != b || vt.Val == v }) {
				x.Assume(false)
				return
			}
		}
		if !x.Assume(c.Quorum.Exists(func(q execspec.Set[Acceptor]) bool { return c.ShowsSafeAt(s, q, b, v) })) {
			return
		}
		s.Votes[a] = s.Votes[a].With(Vote{b, v})
		s.MaxBal[a] = b
	})
	m.Invariant("Inv", func(s *State) bool { return c.Inv(s) })
	// MCSymmetry == Permutations(MCAcceptor) \cup Permutations(MCValue)
	m.Symmetry("Acceptor", len(c.Acceptor), func(s *State, perm []int) {
		votes, maxBal := map[Acceptor]execspec.Set[Vote]{}, map[Acceptor]int{}
		for i, a := range c.Acceptor {
			to := c.Acceptor[perm[i]]
			votes[to], maxBal[to] = s.Votes[a], s.MaxBal[a]
		}
		s.Votes, s.MaxBal = votes, maxBal
	})
	m.Symmetry("Value", len(c.Value), func(s *State, perm []int) {
		rename := map[Value]Value{}
		for i, v := range c.Value {
			rename[v] = c.Value[perm[i]]
		}
		for a, vs := range s.Votes {
			s.Votes[a] = execspec.MapSet(vs, func(vt Vote) Vote { return Vote{vt.Bal, rename[vt.Val]} })
		}
	})
	return m
}
