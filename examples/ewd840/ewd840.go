// Package ewd840 is Dijkstra's algorithm for termination detection on a
// ring, EWD 840 ("Derivation of a termination detection algorithm for
// distributed computations", with W.H.J. Feijen and A.J.M. van Gasteren), as
// specified in TLA+ by Stephan Merz: the module EWD840 of the
// tlaplus/Examples repository (specifications/ewd840/EWD840.tla), ported to
// an execspec model with its names.
//
// N nodes on a ring run some computation: an active node may activate
// another by sending it a message, and may become passive at any time. A
// token travels from node N-1 down to node 0, which starts each probe; a node
// that activated a node above it is black, and a black node stains the token
// as it passes. Node 0 concludes termination when it holds a white token, is
// white itself and passive.
//
// TLC finds 302 distinct states (2001 generated) and a search depth of 10
// with N = 3 (EWD840.cfg), checking TypeOK, TerminationDetection and Inv.
// Initially the token is black and everything else is any type-correct
// value: 192 initial states. The configuration's liveness property Liveness
// (terminated ~> terminationDetected, under WF_vars(System)) holds, as TLC
// reports. Its other property, TDSpec, is the refinement TD!Spec of the
// abstract specification SyncTerminationDetection (examples/syncterm):
// active is mapped to active and terminationDetected to the algorithm's
// own terminationDetected (node 0 passive and white, holding a white
// token). The model declares it as the refinement TDSpec, checked by
// default: every step maps to a step of SyncTerminationDetection or to a
// stuttering step, its Liveness holds of the mapped behaviours, and so does
// its weak fairness of DetectTermination, under this model's WF(System).
// TLC reports success for both properties (the manifest's EWD840.cfg).
//
// TLC explores a guard that is a disjunction one branch per true disjunct,
// so the same successor can be generated (and counted among the states
// generated) more than once. The guards of InitiateProbe and PassToken are
// written as alternatives here so that the counts compare with TLC's; the
// distinct states are the same either way. (The manifest's depth of 10 is
// one more than the true depth, 9: TLC's reported depth can overshoot with
// several workers, tlaplus/tlaplus#883.)
package ewd840

import (
	"strconv"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/syncterm"
)

// The two colours.
const (
	White = "white"
	Black = "black"
)

// State is the specification's state; active and color are lists indexed
// by node.
type State struct {
	Active []bool   `itf:"active"`
	Color  []string `itf:"color"`
	TPos   int      `itf:"tpos"`
	TColor string   `itf:"tcolor"`
}

// Spec returns the model with the instance n3 (EWD840.cfg) and n4, n5.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("ewd840").Doc("Termination detection on a ring (Dijkstra, EWD 840; TLA+ by Stephan Merz), EWD840.tla from tlaplus/Examples.")
	for _, n := range []int{3, 4, 5} {
		s.Instance("n"+strconv.Itoa(n), func() *execspec.Model[State] { return New(n) })
	}
	return s
}

// New builds the model for n nodes.
func New(n int) *execspec.Model[State] {
	m := execspec.NewModel[State]("ewd840")
	nodes := make([]int, n)
	for i := range nodes {
		nodes[i] = i
	}
	colors := []string{White, Black}
	bools := []bool{false, true}

	// Init: any activity, any colours, the token anywhere, and black.
	m.Init(func(c *execspec.Ctx[State]) {
		s := c.S
		active := execspec.FunctionOf(c, "active", nodes, bools)
		color := execspec.FunctionOf(c, "color", nodes, colors)
		s.Active = make([]bool, n)
		s.Color = make([]string, n)
		for i := 0; i < n; i++ {
			s.Active[i], s.Color[i] = active[i], color[i]
		}
		s.TPos = execspec.OneOf(c, "tpos", nodes)
		s.TColor = Black
	})

	// InitiateProbe: node 0 holds the token and it or the token is black:
	// it sends a white token to node N-1 and turns white.
	m.Action("InitiateProbe", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.TPos == 0) {
			return
		}
		c.Either("because",
			execspec.Alt("tcolor", func(c *execspec.Ctx[State]) { c.Assume(s.TColor == Black) }),
			execspec.Alt("color", func(c *execspec.Ctx[State]) { c.Assume(s.Color[0] == Black) }))
		if !c.Alive() {
			return
		}
		s.TPos = n - 1
		s.TColor = White
		s.Color[0] = White
	})

	// PassToken(i): node i > 0 holding the token passes it on when passive,
	// black or holding a black token; it stains the token if black, and
	// turns white.
	m.Action("PassToken", func(c *execspec.Ctx[State]) {
		s := c.S
		i := execspec.OneOf(c, "i", nodes[1:])
		if !c.Assume(s.TPos == i) {
			return
		}
		c.Either("because",
			execspec.Alt("passive", func(c *execspec.Ctx[State]) { c.Assume(!s.Active[i]) }),
			execspec.Alt("color", func(c *execspec.Ctx[State]) { c.Assume(s.Color[i] == Black) }),
			execspec.Alt("tcolor", func(c *execspec.Ctx[State]) { c.Assume(s.TColor == Black) }))
		if !c.Alive() {
			return
		}
		s.TPos = i - 1
		if s.Color[i] == Black {
			s.TColor = Black
		}
		s.Color[i] = White
	})

	// SendMsg(i): an active node i activates another node j; if j > i,
	// against the token's direction, i turns black.
	m.Action("SendMsg", func(c *execspec.Ctx[State]) {
		s := c.S
		i := execspec.OneOf(c, "i", nodes)
		if !c.Assume(s.Active[i]) {
			return
		}
		j := execspec.OneOf(c, "j", nodes)
		if !c.Assume(j != i) {
			return
		}
		s.Active[j] = true
		if j > i {
			s.Color[i] = Black
		}
	})

	// Deactivate(i): an active node becomes passive.
	m.Action("Deactivate", func(c *execspec.Ctx[State]) {
		s := c.S
		i := execspec.OneOf(c, "i", nodes)
		if c.Assume(s.Active[i]) {
			s.Active[i] = false
		}
	})

	// Liveness == terminated ~> terminationDetected, under
	// WF_vars(System), System being InitiateProbe or PassToken: the token
	// keeps moving while it can.
	m.Temporal("Liveness", execspec.LeadsTo(terminated, func(s *State) bool {
		return s.TPos == 0 && s.TColor == White && s.Color[0] == White && !s.Active[0]
	}))
	m.WeakFair("InitiateProbe", "PassToken")

	m.Invariant("TypeOK", func(s *State) bool {
		if len(s.Active) != n || len(s.Color) != n || s.TPos < 0 || s.TPos >= n || (s.TColor != White && s.TColor != Black) {
			return false
		}
		for _, col := range s.Color {
			if col != White && col != Black {
				return false
			}
		}
		return true
	})

	// TerminationDetection: termination detected implies terminated.
	m.Invariant("TerminationDetection", func(s *State) bool {
		detected := s.TPos == 0 && s.TColor == White && s.Color[0] == White && !s.Active[0]
		return !detected || terminated(s)
	})

	// Inv: Dijkstra's inductive invariant, P0 \/ P1 \/ P2.
	m.Invariant("Inv", func(s *State) bool {
		p0 := true
		for i := s.TPos + 1; i < n; i++ {
			p0 = p0 && !s.Active[i]
		}
		p1 := false
		for j := 0; j <= s.TPos; j++ {
			p1 = p1 || s.Color[j] == Black
		}
		return p0 || p1 || s.TColor == Black
	})
	m.Example("terminationDetected", func(s *State) bool {
		return s.TPos == 0 && s.TColor == White && s.Color[0] == White && !s.Active[0]
	})
	// TDSpec == TD!Spec, TD == INSTANCE SyncTerminationDetection.
	execspec.Refines(m, "TDSpec", syncterm.New(n), TD)
	return m
}

// TD is the refinement mapping of TD == INSTANCE SyncTerminationDetection:
// active is active, and terminationDetected the algorithm's detection.
func TD(s *State) syncterm.State {
	return syncterm.State{
		Active:              append([]bool(nil), s.Active...),
		TerminationDetected: s.TPos == 0 && s.TColor == White && s.Color[0] == White && !s.Active[0],
	}
}

func terminated(s *State) bool {
	for _, a := range s.Active {
		if a {
			return false
		}
	}
	return true
}
