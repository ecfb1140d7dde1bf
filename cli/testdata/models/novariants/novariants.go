// Package novariants is a model whose state holds an interface type
// without registered variants: the error lists the package's types that
// implement it.
package novariants

import "github.com/execspec/execspec"

// Msg is a message: Prepare, Commit or Abort.
type Msg interface{ isMsg() }

// Prepare, Commit and Abort are the messages.
type (
	Prepare struct{ RM int }
	Commit  struct{}
	Abort   struct{}
	// Other has a method of that name too, on a pointer.
	Other struct{}
)

func (Prepare) isMsg() {}
func (Commit) isMsg()  {}
func (Abort) isMsg()   {}
func (*Other) isMsg()  {}

// State holds the messages in flight.
type State struct{ Msgs []Msg }

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("novariants").Instance("small", func() *execspec.Model[State] {
		m := execspec.NewModel[State]("novariants")
		m.Init(func(c *execspec.Ctx[State]) {})
		m.Action("send", func(c *execspec.Ctx[State]) { c.S.Msgs = append(c.S.Msgs, Commit{}) })
		return m
	})
}
