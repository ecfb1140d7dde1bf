package execspec_test

import (
	"context"
	"fmt"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"
)

type account struct{ Balance int }

func accountModel(guarded bool) *execspec.Model[account] {
	m := execspec.NewModel[account]("account")
	m.Init(func(c *execspec.Ctx[account]) { c.S.Balance = 10 })
	m.Action("withdraw", func(c *execspec.Ctx[account]) {
		amount := execspec.IntRange(c, "amount", 1, 5)
		if guarded && !c.Assume(amount <= c.S.Balance) {
			return
		}
		c.S.Balance -= amount
	})
	m.Action("deposit", func(c *execspec.Ctx[account]) {
		c.S.Balance += execspec.IntRange(c, "amount", 1, 5)
	})
	m.Invariant("non_negative", func(s *account) bool { return s.Balance >= 0 })
	return m
}

// A model whose withdraw lacks its guard: simulation finds an overdraft and
// the trace shows each step's picks and what changed.
func Example() {
	mc, err := machine.Compile(accountModel(false))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 1, Workers: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := res.Findings[0]
	fmt.Printf("%s: %s in sample %d after %d steps\n", f.Kind, f.Property, f.Sample, len(f.Trace.Steps)-1)
	last := f.Trace.Steps[len(f.Trace.Steps)-1]
	fmt.Println("last step:", last.Action, last.Picks[0].Label, last.Picks[0].Value)
	// Output:
	// invariant violated: non_negative in sample 0 after 3 steps
	// last step: withdraw amount 2
}
