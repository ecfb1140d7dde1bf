package check_test

import (
	"context"
	"fmt"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
)

// A bank account from which two clerks withdraw without a lock: each reads
// the balance, then writes back the balance it read minus the amount. The
// checker finds the shortest interleaving that loses money.
func ExampleRun() {
	type State struct {
		Balance int
		Read    [2]int // what each clerk read; -1 before reading
		Done    [2]bool
	}
	m := execspec.NewModel[State]("bank")
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Balance = 100
		c.S.Read = [2]int{-1, -1}
	})
	m.Action("read", func(c *execspec.Ctx[State]) {
		i := execspec.IntRange(c, "clerk", 0, 1)
		if c.Assume(c.S.Read[i] < 0 && !c.S.Done[i]) {
			c.S.Read[i] = c.S.Balance
		}
	})
	m.Action("write", func(c *execspec.Ctx[State]) {
		i := execspec.IntRange(c, "clerk", 0, 1)
		if c.Assume(c.S.Read[i] >= 0 && !c.S.Done[i]) {
			c.S.Balance = c.S.Read[i] - 10
			c.S.Done[i] = true
		}
	})
	m.Invariant("no_lost_update", func(s *State) bool {
		done := 0
		for _, d := range s.Done {
			if d {
				done++
			}
		}
		return s.Balance == 100-10*done
	})
	mc, err := machine.Compile(m)
	if err != nil {
		panic(err)
	}
	res, err := check.Run(context.Background(), mc, check.Options{Workers: 1})
	if err != nil {
		panic(err)
	}
	f := res.Findings[0]
	fmt.Println(f.Kind, f.Property)
	for i, st := range f.Trace.Steps {
		fmt.Println(i, st.Action, st.Picks, st.State["Balance"])
	}
	// Output:
	// invariant violated no_lost_update
	// 0 init [] 100
	// 1 read [{clerk 0}] 100
	// 2 read [{clerk 1}] 100
	// 3 write [{clerk 0}] 90
	// 4 write [{clerk 1}] 90
}
