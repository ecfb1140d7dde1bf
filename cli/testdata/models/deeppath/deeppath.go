// Package deeppath is a model whose state space is one long corridor: in
// each term, three members vote in any order, and once all have voted the
// term advances, up to a bound. A depth-first search goes down the whole
// corridor before it backtracks (100,000 steps deep for t25k: four per
// term), where a breadth-first search holds a few states per level: it
// measures what a deep search costs in memory.
package deeppath

import "github.com/execspec/execspec"

// State is the model state.
type State struct {
	Term    int                  `itf:"term"`
	Votes   execspec.Set[string] `itf:"votes"`
	VotedIn map[string]int       `itf:"voted_in"` // the term each member last voted in
}

var members = execspec.SetOf("a", "b", "c")

// Spec returns the model, with corridors of 250 and 25,000 terms.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("deeppath").
		Instance("t250", func() *execspec.Model[State] { return build(250) }).
		Instance("t25k", func() *execspec.Model[State] { return build(25_000) })
}

func build(terms int) *execspec.Model[State] {
	m := execspec.NewModel[State]("deeppath")
	m.Init(func(c *execspec.Ctx[State]) { c.S.VotedIn = map[string]int{} })
	m.Action("vote", func(c *execspec.Ctx[State]) {
		who := execspec.OneOfSet(c, "member", members.Diff(c.S.Votes))
		c.S.Votes = c.S.Votes.With(who)
		c.S.VotedIn[who] = c.S.Term
	})
	m.Action("advance", func(c *execspec.Ctx[State]) {
		if !c.Assume(c.S.Votes.Equal(members) && c.S.Term < terms) {
			return
		}
		c.S.Term++
		c.S.Votes = execspec.Set[string]{}
	})
	m.Invariant("term_bounded", func(s *State) bool { return s.Term <= terms })
	return m
}
