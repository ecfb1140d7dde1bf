// Package syncterm is the abstract specification of termination detection
// on a ring with synchronous communication, as specified in TLA+ by Stephan
// Merz: the module SyncTerminationDetection of the tlaplus/Examples
// repository (specifications/ewd840/SyncTerminationDetection.tla), ported
// to an execspec model with its names. It is the specification Dijkstra's
// algorithm EWD 840 (examples/ewd840) implements.
//
// N nodes are active or not; an active node may terminate or wake any node
// up, and termination detection may happen as soon as every node is
// inactive, in one atomic step (DetectTermination), which is weakly fair.
// Terminating the last active node may detect termination at once.
// A choice of a value in a set (terminationDetected' \in {a, b}) is written
// as alternatives, the second enabled only when b differs from a: TLC
// enumerates the set's elements, one successor each, so the states
// generated compare with TLC's. TLC finds 129 distinct states (3722
// generated) and a depth of 1 for N = 7 (SyncTerminationDetection.cfg,
// as the tlaplus/Examples manifest reports), and so does this port.
//
// TDCorrect says that termination is only detected once it has happened,
// and Liveness that it is detected eventually.
package syncterm

import (
	"strconv"

	"github.com/execspec/execspec"
)

// State is the specification's state.
type State struct {
	Active              []bool `itf:"active"`
	TerminationDetected bool   `itf:"terminationDetected"`
}

// Spec returns the model with the instances n3 to n5, and n7
// (SyncTerminationDetection.cfg).
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("syncterm").Doc("Synchronous termination detection (Merz), SyncTerminationDetection.tla from tlaplus/Examples: what EWD 840 implements.")
	for _, n := range []int{3, 4, 5, 7} {
		s.Instance("n"+strconv.Itoa(n), func() *execspec.Model[State] { return New(n) })
	}
	return s
}

// Terminated reports whether every node is inactive.
func Terminated(s *State) bool {
	for _, a := range s.Active {
		if a {
			return false
		}
	}
	return true
}

// New builds the model for n nodes.
func New(n int) *execspec.Model[State] {
	m := execspec.NewModel[State]("syncterm")
	nodes := make([]int, n)
	for i := range nodes {
		nodes[i] = i
	}
	bools := []bool{false, true}

	// Init: any activity; termination detected only if terminated, and
	// then not necessarily.
	m.Init(func(c *execspec.Ctx[State]) {
		s := c.S
		active := execspec.FunctionOf(c, "active", nodes, bools)
		s.Active = make([]bool, n)
		for i := range s.Active {
			s.Active[i] = active[i]
		}
		c.Either("terminationDetected",
			execspec.Alt("FALSE", func(c *execspec.Ctx[State]) {}),
			execspec.Alt("terminated", func(c *execspec.Ctx[State]) {
				if c.Assume(Terminated(c.S)) { // else the same as FALSE
					c.S.TerminationDetected = true
				}
			}))
	})

	// Terminate(i): an active node becomes inactive, possibly detecting
	// termination if it was the last.
	m.Action("Terminate", func(c *execspec.Ctx[State]) {
		s := c.S
		i := execspec.OneOf(c, "i", nodes)
		if !c.Assume(s.Active[i]) {
			return
		}
		s.Active[i] = false
		c.Either("terminationDetected",
			execspec.Alt("unchanged", func(c *execspec.Ctx[State]) {}),
			execspec.Alt("terminated", func(c *execspec.Ctx[State]) {
				if c.Assume(Terminated(c.S) != c.S.TerminationDetected) { // else the same as unchanged
					c.S.TerminationDetected = Terminated(c.S)
				}
			}))
	})

	// Wakeup(i, j): an active node activates node j.
	m.Action("Wakeup", func(c *execspec.Ctx[State]) {
		s := c.S
		i := execspec.OneOf(c, "i", nodes)
		if !c.Assume(s.Active[i]) {
			return
		}
		j := execspec.OneOf(c, "j", nodes)
		s.Active[j] = true
	})

	// DetectTermination: once every node is inactive, termination is
	// detected.
	m.Action("DetectTermination", func(c *execspec.Ctx[State]) {
		if c.Assume(Terminated(c.S)) {
			c.S.TerminationDetected = true
		}
	})

	// Spec == Init /\ [][Next]_vars /\ WF_vars(DetectTermination)
	m.WeakFair("DetectTermination")

	m.Invariant("TypeOK", func(s *State) bool { return len(s.Active) == n })
	m.Invariant("TDCorrect", func(s *State) bool { return !s.TerminationDetected || Terminated(s) })
	m.Temporal("Liveness", execspec.LeadsTo(Terminated, func(s *State) bool { return s.TerminationDetected }))
	return m
}
