// Package mcbakery is Lamport's bakery algorithm for mutual exclusion ("A
// New Solution of Dijkstra's Concurrent Programming Problem", CACM 17(8),
// 1974), in the atomic PlusCal version by Leslie Lamport and Stephan Merz:
// the modules Bakery and MCBakery of the tlaplus/Examples repository
// (specifications/Bakery-Boulangerie/Bakery.tla, MCBakery.tla), ported to an
// execspec model from the TLA+ translation, with its names.
//
// The model-checking configuration MCBakery.cfg checks the specification
// ISpec == Inv /\ [][Next]_vars for N = 2 processes with Nat overridden by
// 0..MaxNat, MaxNat = 2: its initial states are all the type-correct states
// satisfying the inductive invariant Inv. TLC finds 655,200 of them
// (3,403,584 states generated) and no new state beyond: Inv is inductive,
// and the search depth is 1. The initial states are enumerated here as TLC
// does, every type-correct assignment of the six variables (1,679,616 of
// them) filtered by IInv.
//
// Each process is a PlusCal process with labels ncs, e1 ... exit; each label
// is an action taking the process (self) as a pick. As in TLC, a
// disjunction is explored one branch per disjunct, and an existential
// quantifier one branch per witness.
package mcbakery

import (
	"fmt"
	"strconv"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
)

// Label is a value of pc: where a process is in its code.
type Label uint8

// The labels of the PlusCal code.
const (
	NCS Label = iota
	E1
	E2
	E3
	E4
	W1
	W2
	CS
	Exit
	numLabels
)

var labelNames = [...]string{"ncs", "e1", "e2", "e3", "e4", "w1", "w2", "cs", "exit"}

func (l Label) String() string {
	if l < numLabels {
		return labelNames[l]
	}
	return "Label(" + strconv.Itoa(int(l)) + ")"
}

// MarshalITF writes the label's name.
func (l Label) MarshalITF() (itf.Value, error) { return itf.String(l.String()), nil }

// UnmarshalITF reads a label's name.
func (l *Label) UnmarshalITF(v itf.Value) error {
	name, _ := v.AsString()
	for i, n := range labelNames {
		if n == name {
			*l = Label(i)
			return nil
		}
	}
	return fmt.Errorf("%s is not a label of the bakery algorithm", v)
}

// N is the number of processes, as in MCBakery.cfg.
const N = 2

// Procs is a set of processes 1..N, bit p-1 for process p.
type Procs uint8

// Has reports whether p is in the set.
func (s Procs) Has(p int) bool { return s&(1<<(p-1)) != 0 }

// Without returns the set without p.
func (s Procs) Without(p int) Procs { return s &^ (1 << (p - 1)) }

// MarshalITF writes the set of process numbers.
func (s Procs) MarshalITF() (itf.Value, error) {
	var elems []itf.Value
	for p := 1; p <= N; p++ {
		if s.Has(p) {
			elems = append(elems, itf.Int(int64(p)))
		}
	}
	return itf.Set(elems...), nil
}

// UnmarshalITF reads a set of process numbers.
func (s *Procs) UnmarshalITF(v itf.Value) error {
	var ps []int
	if err := itf.Unmarshal(v, &ps); err != nil {
		return err
	}
	*s = 0
	for _, p := range ps {
		if p < 1 || p > N {
			return fmt.Errorf("process %d out of 1..%d", p, N)
		}
		*s |= 1 << (p - 1)
	}
	return nil
}

// State is the specification's state: each variable is a function of the
// process, stored at index p-1 (a list in traces).
type State struct {
	Num       [N]int8  `itf:"num"`
	Flag      [N]bool  `itf:"flag"`
	Unchecked [N]Procs `itf:"unchecked"`
	Max       [N]int8  `itf:"max"`
	Nxt       [N]int8  `itf:"nxt"`
	PC        [N]Label `itf:"pc"`
}

// Spec returns the model with the instance n2_max2 (MCBakery.cfg: N = 2,
// MaxNat = 2).
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("mcbakery").Doc("Lamport's bakery algorithm (atomic PlusCal version by Lamport and Merz), MCBakery from tlaplus/Examples: every state satisfying the inductive invariant is initial.")
	s.Instance("n2_max2", func() *execspec.Model[State] { return New(2) })
	return s
}

// New builds the model for N processes and Nat = 0..maxNat.
func New(maxNat int) *execspec.Model[State] {
	const n = N
	m := execspec.NewModel[State]("mcbakery")
	procs := make([]int, n)
	for i := range procs {
		procs[i] = i + 1
	}
	all := Procs(1<<n - 1)
	subsets := make([]Procs, 0, 1<<n)
	for sub := Procs(0); sub <= all; sub++ {
		subsets = append(subsets, sub)
	}
	// prec is the lexicographic order on <<num, process>>.
	prec := func(a1, a2, b1, b2 int) bool { return a1 < b1 || a1 == b1 && a2 < b2 }

	// ISpec's initial predicate Inv: every type-correct state (TypeOK's
	// domains, in its order) satisfying IInv.
	m.Init(func(c *execspec.Ctx[State]) {
		s := c.S
		for i := 0; i < n; i++ {
			s.Num[i] = int8(execspec.IntRange(c, "num", 0, maxNat))
		}
		for i := 0; i < n; i++ {
			s.Flag[i] = execspec.IntRange(c, "flag", 0, 1) == 1
		}
		for i := 0; i < n; i++ {
			s.Unchecked[i] = execspec.OneOf(c, "unchecked", subsets)
		}
		for i := 0; i < n; i++ {
			s.Max[i] = int8(execspec.IntRange(c, "max", 0, maxNat))
		}
		for i := 0; i < n; i++ {
			s.Nxt[i] = int8(execspec.IntRange(c, "nxt", 1, n))
		}
		for i := 0; i < n; i++ {
			s.PC[i] = Label(execspec.IntRange(c, "pc", 0, int(numLabels)-1))
		}
		c.Assume(iinv(s, n))
	})

	self := func(c *execspec.Ctx[State], at Label) (int, bool) {
		p := execspec.OneOf(c, "self", procs)
		return p, c.Assume(c.S.PC[p-1] == at)
	}

	m.Action("ncs", func(c *execspec.Ctx[State]) {
		if p, ok := self(c, NCS); ok {
			c.S.PC[p-1] = E1
		}
	})

	// e1: either flip flag and stay, or raise it and start collecting the
	// maximum ticket.
	m.Action("e1", func(c *execspec.Ctx[State]) {
		p, ok := self(c, E1)
		if !ok {
			return
		}
		s, i := c.S, p-1
		c.Either("do",
			execspec.Alt("flip", func(*execspec.Ctx[State]) { s.Flag[i] = !s.Flag[i] }),
			execspec.Alt("enter", func(*execspec.Ctx[State]) {
				s.Flag[i] = true
				s.Unchecked[i] = all.Without(p)
				s.Max[i] = 0
				s.PC[i] = E2
			}))
	})

	// e2: read one unchecked process's ticket into max, or move on.
	m.Action("e2", func(c *execspec.Ctx[State]) {
		p, ok := self(c, E2)
		if !ok {
			return
		}
		s, i := c.S, p-1
		if s.Unchecked[i] == 0 {
			s.PC[i] = E3
			return
		}
		j := execspec.OneOf(c, "i", procs)
		if !c.Assume(s.Unchecked[i].Has(j)) {
			return
		}
		s.Unchecked[i] = s.Unchecked[i].Without(j)
		if s.Num[j-1] > s.Max[i] {
			s.Max[i] = s.Num[j-1]
		}
	})

	// e3: either write any number and stay, or take a ticket above max.
	m.Action("e3", func(c *execspec.Ctx[State]) {
		p, ok := self(c, E3)
		if !ok {
			return
		}
		s, i := c.S, p-1
		c.Either("do",
			execspec.Alt("scribble", func(c *execspec.Ctx[State]) {
				s.Num[i] = int8(execspec.IntRange(c, "k", 0, maxNat))
			}),
			execspec.Alt("ticket", func(c *execspec.Ctx[State]) {
				s.Num[i] = int8(execspec.IntRange(c, "k", int(s.Max[i])+1, maxNat))
				s.PC[i] = E4
			}))
	})

	// e4: either flip flag and stay, or lower it and start waiting.
	m.Action("e4", func(c *execspec.Ctx[State]) {
		p, ok := self(c, E4)
		if !ok {
			return
		}
		s, i := c.S, p-1
		c.Either("do",
			execspec.Alt("flip", func(*execspec.Ctx[State]) { s.Flag[i] = !s.Flag[i] }),
			execspec.Alt("wait", func(*execspec.Ctx[State]) {
				s.Flag[i] = false
				s.Unchecked[i] = all.Without(p)
				s.PC[i] = W1
			}))
	})

	// w1: pick an unchecked process whose flag is down, or enter the
	// critical section when none is left.
	m.Action("w1", func(c *execspec.Ctx[State]) {
		p, ok := self(c, W1)
		if !ok {
			return
		}
		s, i := c.S, p-1
		if s.Unchecked[i] == 0 {
			s.PC[i] = CS
			return
		}
		j := execspec.OneOf(c, "i", procs)
		if !c.Assume(s.Unchecked[i].Has(j) && !s.Flag[j-1]) {
			return
		}
		s.Nxt[i] = int8(j)
		s.PC[i] = W2
	})

	// w2: wait until nxt has no ticket or a later one.
	m.Action("w2", func(c *execspec.Ctx[State]) {
		p, ok := self(c, W2)
		if !ok {
			return
		}
		s, i := c.S, p-1
		j := int(s.Nxt[i])
		if !c.Assume(s.Num[j-1] == 0 || prec(int(s.Num[i]), p, int(s.Num[j-1]), j)) {
			return
		}
		s.Unchecked[i] = s.Unchecked[i].Without(j)
		s.PC[i] = W1
	})

	m.Action("cs", func(c *execspec.Ctx[State]) {
		if p, ok := self(c, CS); ok {
			c.S.PC[p-1] = Exit
		}
	})

	// exit: either write any number and stay, or return the ticket.
	m.Action("exit", func(c *execspec.Ctx[State]) {
		p, ok := self(c, Exit)
		if !ok {
			return
		}
		s, i := c.S, p-1
		c.Either("do",
			execspec.Alt("scribble", func(c *execspec.Ctx[State]) {
				s.Num[i] = int8(execspec.IntRange(c, "k", 0, maxNat))
			}),
			execspec.Alt("leave", func(*execspec.Ctx[State]) {
				s.Num[i] = 0
				s.PC[i] = NCS
			}))
	})

	m.Invariant("MutualExclusion", func(s *State) bool {
		in := 0
		for i := 0; i < n; i++ {
			if s.PC[i] == CS {
				in++
			}
		}
		return in <= 1
	})
	m.Invariant("TypeOK", func(s *State) bool { return typeOK(s, n, maxNat) })
	m.Invariant("Inv", func(s *State) bool { return typeOK(s, n, maxNat) && iinv(s, n) })
	return m
}

func typeOK(s *State, n, maxNat int) bool {
	for i := 0; i < n; i++ {
		if s.Num[i] < 0 || int(s.Num[i]) > maxNat || s.Max[i] < 0 || int(s.Max[i]) > maxNat ||
			s.Unchecked[i]>>n != 0 || s.Nxt[i] < 1 || int(s.Nxt[i]) > n || s.PC[i] >= numLabels {
			return false
		}
	}
	return true
}

// iinv is the inductive invariant IInv.
func iinv(s *State, n int) bool {
	in := func(l Label, ls ...Label) bool {
		for _, x := range ls {
			if l == x {
				return true
			}
		}
		return false
	}
	prec := func(a1, a2, b1, b2 int) bool { return a1 < b1 || a1 == b1 && a2 < b2 }
	num := func(p int) int { return int(s.Num[p-1]) }
	pc := func(p int) Label { return s.PC[p-1] }
	before := func(i, j int) bool {
		if num(i) <= 0 {
			return false
		}
		switch {
		case in(pc(j), NCS, E1, Exit):
			return true
		case pc(j) == E2 && (s.Unchecked[j-1].Has(i) || int(s.Max[j-1]) >= num(i)):
			return true
		case pc(j) == E3 && int(s.Max[j-1]) >= num(i):
			return true
		case in(pc(j), E4, W1, W2) && prec(num(i), i, num(j), j) && (!in(pc(j), W1, W2) || s.Unchecked[j-1].Has(i)):
			return true
		}
		return false
	}
	for i := 1; i <= n; i++ {
		if in(pc(i), E4, W1, W2, CS) && num(i) == 0 {
			return false
		}
		if in(pc(i), E2, E3) && !s.Flag[i-1] {
			return false
		}
		if pc(i) == W2 && int(s.Nxt[i-1]) == i {
			return false
		}
		if in(pc(i), W1, W2) && s.Unchecked[i-1].Has(i) {
			return false
		}
		if in(pc(i), W1, W2) {
			for j := 1; j <= n; j++ {
				if j != i && !s.Unchecked[i-1].Has(j) && !before(i, j) {
					return false
				}
			}
		}
		if pc(i) == W2 {
			nx := int(s.Nxt[i-1])
			if (pc(nx) == E2 && !s.Unchecked[nx-1].Has(i) || pc(nx) == E3) && int(s.Max[nx-1]) < num(i) {
				return false
			}
		}
		if pc(i) == CS {
			for j := 1; j <= n; j++ {
				if j != i && !before(i, j) {
					return false
				}
			}
		}
	}
	return true
}
