package machine_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

func TestDataPickReduction(t *testing.T) {
	ips := []string{"a", "b", "c"}
	weights := make([]int, 21)
	for i := range weights {
		weights[i] = 100 + i
	}
	cases := []struct {
		name        string
		act         func(c *execspec.Ctx[pickState])
		all, reduce int
	}{
		{"subset and weights (the DNS plan)", func(c *execspec.Ctx[pickState]) {
			sub := execspec.SubsetOf(c, "ips", ips)
			if !c.Assume(len(sub) > 0) {
				return
			}
			c.S.F = execspec.FunctionOf(c, "weights", sub, weights)
		}, 10647, 1},
		{"control pick first", func(c *execspec.Ctx[pickState]) {
			c.S.B = execspec.OneOf(c, "who", ips)
			c.S.A = execspec.IntRange(c, "payload", 1, 50)
		}, 150, 3},
		{"control pick after data is still enumerated", func(c *execspec.Ctx[pickState]) {
			c.S.A = execspec.IntRange(c, "payload", 1, 50)
			c.S.B = execspec.OneOf(c, "who", ips)
		}, 150, 150},
		{"guard on the data keeps the first enabled value", func(c *execspec.Ctx[pickState]) {
			c.S.A = execspec.IntRange(c, "payload", 1, 50)
			c.Assume(c.S.A > 40)
		}, 10, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := execspec.NewModel[pickState]("p")
			m.Init(func(c *execspec.Ctx[pickState]) {})
			m.Action("act", tc.act)
			m.DataPicks("ips", "weights", "payload")
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			if got := mc.DataPicks(); len(got) != 3 {
				t.Fatalf("DataPicks() = %v", got)
			}
			for _, reduce := range []bool{false, true} {
				ex := mc.NewExecutor()
				ex.ReduceData(reduce)
				var from, to pickState
				n := 0
				ex.Enumerate(0, &from, &to, func(r machine.Result) bool {
					if !r.Enabled {
						t.Fatalf("unexpected result %v", r)
					}
					n++
					return true
				})
				want := tc.all
				if reduce {
					want = tc.reduce
				}
				if n != want {
					t.Errorf("reduce=%v: %d branches, want %d", reduce, n, want)
				}
			}
		})
	}
}
