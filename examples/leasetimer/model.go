package leasetimer

import "github.com/execspec/execspec"

// State is the model's state: who holds the lease (empty: nobody), the tick
// at which it expires, and the clock.
type State struct {
	Holder  string `itf:"holder"`
	Expires int    `itf:"expires"`
	Now     int    `itf:"now"`
}

// New returns the model of a lease server for clients, with leases of ttl
// ticks.
func New(clients []string, ttl int) *execspec.Model[State] {
	m := execspec.NewModel[State]("leasetimer")
	m.Init(func(c *execspec.Ctx[State]) {})
	m.Action("acquire", func(c *execspec.Ctx[State]) {
		cl := execspec.OneOf(c, "client", clients)
		if !c.Assume(c.S.Holder == "") {
			return
		}
		c.S.Holder, c.S.Expires = cl, c.S.Now+ttl
	})
	m.Action("release", func(c *execspec.Ctx[State]) {
		cl := execspec.OneOf(c, "client", clients)
		if !c.Assume(c.S.Holder == cl) {
			return
		}
		c.S.Holder = ""
	})
	m.Action("advance", func(c *execspec.Ctx[State]) {
		c.S.Now += execspec.IntRange(c, "ticks", 1, 3)
		if c.S.Holder != "" && c.S.Now >= c.S.Expires {
			c.S.Holder = ""
		}
	})
	return m
}
