package simulate_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"
)

type count struct{ N int }

// TestEnabledInvariant: random simulation evaluates Enabled predicates
// with the engine's execution of the action. inc is meant to be enabled
// while N < 3; the planted bug disables it at N = 2, which the invariant
// catches with the shrunk trace init, inc, inc.
func TestEnabledInvariant(t *testing.T) {
	for _, bug := range []bool{false, true} {
		m := execspec.NewModel[count]("count")
		m.Init(func(c *execspec.Ctx[count]) {})
		m.Action("inc", func(c *execspec.Ctx[count]) {
			if c.Assume(c.S.N < 3 && !(bug && c.S.N == 2)) {
				c.S.N++
			}
		})
		m.Action("reset", func(c *execspec.Ctx[count]) { c.S.N = 0 })
		inc := execspec.Enabled(m, "inc")
		m.Invariant("inc_below_3", func(s *count) bool { return s.N >= 3 || inc(s) })
		mc, err := machine.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 1, MaxSamples: 50, MaxSteps: 10, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !bug {
			if len(res.Findings) > 0 {
				t.Fatalf("findings %v", res.Findings)
			}
			continue
		}
		if len(res.Findings) != 1 || res.Findings[0].Kind != findings.InvariantViolated || len(res.Findings[0].Trace.Steps) != 3 {
			t.Fatalf("findings %v", res.Findings)
		}
	}
}
