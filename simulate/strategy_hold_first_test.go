package simulate

import (
	"slices"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
)

// holdFirst is a strategy that exists only here: every sample holds back
// the model's first action, taken only at a step where no other is
// enabled. This file and its registration are all it takes: Options
// selects it, Strategies lists it.
const holdFirst Strategy = "hold-first"

type holdFirstStrategy struct{}

func (holdFirstStrategy) info() StrategyInfo {
	return StrategyInfo{Name: holdFirst, Note: "the first action only when no other is enabled"}
}

func (holdFirstStrategy) choice(n int, _, _ uint64) engine.Choice {
	off := make([]bool, n)
	off[0] = true
	return engine.Choice{Off: off}
}

func (holdFirstStrategy) newLearner() learner { return nil }

func init() { register(holdFirstStrategy{}) }

// latchState counts up to 3 (action count) and latches a flag (action
// set, always enabled).
type latchState struct {
	N   int
	Set bool
}

func latch(t *testing.T) *machine.Machine[latchState] {
	t.Helper()
	m := execspec.NewModel[latchState]("latch")
	m.Init(func(c *execspec.Ctx[latchState]) {})
	m.Action("set", func(c *execspec.Ctx[latchState]) { c.S.Set = true })
	m.Action("count", func(c *execspec.Ctx[latchState]) {
		c.Assume(c.S.N < 3)
		c.S.N++
	})
	m.Example("set_early", func(s *latchState) bool { return s.Set && s.N < 3 })
	m.Example("set", func(s *latchState) bool { return s.Set })
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// A strategy registered from its own file is listed, parsed, described
// and run, once per sample.
func TestRegisteredStrategy(t *testing.T) {
	if names := Strategies(); names[len(names)-1] != holdFirst {
		t.Fatalf("Strategies() = %v, want hold-first listed after the built-ins", names)
	}
	if st, err := ParseStrategy("hold-first"); err != nil || st != holdFirst || st.Info().Learns {
		t.Fatalf("ParseStrategy(hold-first) = %q (%+v), %v", st, st.Info(), err)
	}
	mc := latch(t)
	run := func(st Strategy, property string) *Result {
		t.Helper()
		res, err := Run(t.Context(), mc, Options{Strategy: st, Property: property, Seed: 1, MaxSamples: 100, MaxSteps: 10, Workers: 1, NoShrink: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := run(Uniform, "set_early"); len(res.Findings) == 0 {
		t.Fatal("uniform choice never set the flag early")
	}
	if res := run(holdFirst, "set_early"); len(res.Findings) != 0 {
		t.Fatalf("hold-first set the flag while counting was enabled: %+v", res.Findings[0].Trace)
	}
	res := run(holdFirst, "set")
	if len(res.Findings) != 1 {
		t.Fatalf("hold-first never set the flag: %+v", res.Stats)
	}
	f := res.Findings[0]
	var actions []string
	for _, s := range f.Trace.Steps {
		actions = append(actions, s.Action)
	}
	if want := []string{"init", "count", "count", "count", "set"}; !slices.Equal(actions, want) {
		t.Errorf("trace %v, want %v", actions, want)
	}
	if !strings.HasPrefix(f.Config, "set held back") {
		t.Errorf("config %q, want set held back", f.Config)
	}
	// It does not learn: its samples can be sharded.
	if _, err := Run(t.Context(), mc, Options{Strategy: holdFirst, Shard: 1, Shards: 2, MaxSamples: 4}); err != nil {
		t.Errorf("sharded hold-first: %v", err)
	}
}
