// Package diningphilosophers is the Chandy-Misra solution to the dining
// philosophers problem as specified in PlusCal by Jeff Hemphill: the module
// DiningPhilosophers of the tlaplus/Examples repository
// (specifications/DiningPhilosophers/DiningPhilosophers.tla), ported to an
// execspec model from its TLA+ translation, with its names.
//
// NP philosophers sit at a round table with a fork between each pair of
// neighbours. Forks are dirty or clean; a philosopher holding a dirty fork
// cleans it and hands it to the neighbour who shares it; a hungry
// philosopher holding both clean forks eats, which dirties them. Each
// philosopher is a PlusCal process with the labels Loop, Eat and Think, and
// each label is an action here, taking the philosopher as a pick.
//
// TLC finds 67 distinct states (336 generated) and a search depth of 29 with
// NP = 5 (DiningPhilosophers.cfg). The configuration's liveness property
// NobodyStarves holds under the fair processes, as TLC reports.
package diningphilosophers

import (
	"fmt"

	"strconv"

	"github.com/execspec/execspec"
)

// Fork is one fork: the philosopher holding it and whether it is clean.
type Fork struct {
	Holder int  `itf:"holder"`
	Clean  bool `itf:"clean"`
}

// The PlusCal labels, the values of pc.
const (
	Loop  = "Loop"
	Eat   = "Eat"
	Think = "Think"
)

// State is the specification's state. Its functions over 1..NP are lists
// here, philosopher (or fork) p at index p-1.
type State struct {
	Forks  []Fork   `itf:"forks"`
	PC     []string `itf:"pc"`
	Hungry []bool   `itf:"hungry"`
}

// Spec returns the model with the instance np5 (DiningPhilosophers.cfg)
// and, for comparison, np3 and np4.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("diningphilosophers").Doc("Chandy-Misra dining philosophers (Jeff Hemphill), DiningPhilosophers.tla from tlaplus/Examples.")
	for _, np := range []int{5, 3, 4} {
		s.Instance("np"+strconv.Itoa(np), func() *execspec.Model[State] { return New(np) })
	}
	return s
}

// New builds the model for np philosophers.
func New(np int) *execspec.Model[State] {
	m := execspec.NewModel[State]("diningphilosophers")
	leftFork := func(p int) int { return p }
	rightFork := func(p int) int {
		if p == np {
			return 1
		}
		return p + 1
	}
	leftPhilosopher := func(p int) int {
		if p == 1 {
			return np
		}
		return p - 1
	}
	rightPhilosopher := func(p int) int {
		if p == np {
			return 1
		}
		return p + 1
	}
	fork := func(s *State, f int) *Fork { return &s.Forks[f-1] }
	canEat := func(s *State, p int) bool {
		l, r := fork(s, leftFork(p)), fork(s, rightFork(p))
		return l.Holder == p && r.Holder == p && l.Clean && r.Clean
	}
	philosophers := make([]int, np)
	for i := range philosophers {
		philosophers[i] = i + 1
	}

	// Init: each fork held by the lower-numbered of its two philosophers
	// (fork 2 by philosopher 1), all dirty; everyone hungry, at Loop.
	m.Init(func(c *execspec.Ctx[State]) {
		s := c.S
		s.Forks = make([]Fork, np)
		s.PC = make([]string, np)
		s.Hungry = make([]bool, np)
		for f := 1; f <= np; f++ {
			holder := f
			if f == 2 {
				holder = 1
			}
			s.Forks[f-1] = Fork{Holder: holder}
			s.PC[f-1] = Loop
			s.Hungry[f-1] = true
		}
	})

	// Loop(self): hand over a dirty fork (the left one first), cleaned; then
	// go to Eat if hungry and able to eat (judged on the forks before the
	// hand-over, as in the translation), to Think if not hungry, or stay.
	m.Action("Loop", func(c *execspec.Ctx[State]) {
		s := c.S
		self := execspec.OneOf(c, "self", philosophers)
		if !c.Assume(s.PC[self-1] == Loop) {
			return
		}
		eat := canEat(s, self)
		if l := fork(s, leftFork(self)); l.Holder == self && !l.Clean {
			*l = Fork{Holder: leftPhilosopher(self), Clean: true}
		} else if r := fork(s, rightFork(self)); r.Holder == self && !r.Clean {
			*r = Fork{Holder: rightPhilosopher(self), Clean: true}
		}
		switch {
		case !s.Hungry[self-1]:
			s.PC[self-1] = Think
		case eat:
			s.PC[self-1] = Eat
		default:
			s.PC[self-1] = Loop
		}
	})

	// Think(self): become hungry again.
	m.Action("Think", func(c *execspec.Ctx[State]) {
		s := c.S
		self := execspec.OneOf(c, "self", philosophers)
		if !c.Assume(s.PC[self-1] == Think) {
			return
		}
		s.Hungry[self-1] = true
		s.PC[self-1] = Loop
	})

	// Eat(self): eat, which dirties both forks.
	m.Action("Eat", func(c *execspec.Ctx[State]) {
		s := c.S
		self := execspec.OneOf(c, "self", philosophers)
		if !c.Assume(s.PC[self-1] == Eat) {
			return
		}
		s.Hungry[self-1] = false
		fork(s, leftFork(self)).Clean = false
		fork(s, rightFork(self)).Clean = false
		s.PC[self-1] = Loop
	})

	// NobodyStarves == \A p \in 1..NP : []<>(~hungry[p]), under the
	// fairness of the PlusCal "fair process": WF_vars(Philosopher(self))
	// for each self, Philosopher(self) being Loop, Eat or Think.
	var fed []execspec.Formula[State]
	for _, p := range philosophers {
		fed = append(fed, execspec.AlwaysEventually(func(s *State) bool { return !s.Hungry[p-1] }).Named(fmt.Sprint("philosopher ", p)))
	}
	m.Temporal("NobodyStarves", fed...)
	m.WeakFair("Loop", "Eat", "Think").Per("self")

	m.Invariant("TypeOK", func(s *State) bool {
		if len(s.Forks) != np || len(s.PC) != np || len(s.Hungry) != np {
			return false
		}
		for i := range s.Forks {
			if s.Forks[i].Holder < 1 || s.Forks[i].Holder > np {
				return false
			}
			if pc := s.PC[i]; pc != Loop && pc != Eat && pc != Think {
				return false
			}
		}
		return true
	})

	// ExclusiveAccess: two philosophers sharing a fork never eat at once.
	m.Invariant("ExclusiveAccess", func(s *State) bool {
		for p := 1; p <= np; p++ {
			for q := 1; q <= np; q++ {
				share := leftFork(p) == leftFork(q) || leftFork(p) == rightFork(q) || rightFork(p) == leftFork(q) || rightFork(p) == rightFork(q)
				if p != q && share && s.PC[p-1] == Eat && s.PC[q-1] == Eat {
					return false
				}
			}
		}
		return true
	})
	return m
}
