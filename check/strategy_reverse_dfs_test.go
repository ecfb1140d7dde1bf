package check

import (
	"context"
	"slices"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

// reverseDFS is a strategy that exists only here: depth-first, the
// successors of each state in the reverse of their canonical order. This
// file and its registration are all it takes: Options.Strategy selects
// it, Strategies lists it, and every test of the package that ranges over
// Strategies runs it too.
const reverseDFS Strategy = "reverse-dfs"

type reverseDFSStrategy struct{}

func (reverseDFSStrategy) info() StrategyInfo {
	return StrategyInfo{Name: reverseDFS, Title: "reverse depth-first search"}
}

func (reverseDFSStrategy) explore(ctx context.Context, sp space, _ *Options) (*search, error) {
	return sp.dfs(ctx, slices.Reverse[[]int])
}

func init() { register(reverseDFSStrategy{}) }

// counterState is a counter that steps up by 1 or 2 to at most 6;
// reaching 6 is its example.
type counterState struct{ N int }

func counter(t *testing.T) *machine.Machine[counterState] {
	t.Helper()
	m := execspec.NewModel[counterState]("counter")
	m.Init(func(c *execspec.Ctx[counterState]) {})
	m.Action("step", func(c *execspec.Ctx[counterState]) {
		d := execspec.OneOf(c, "by", []int{1, 2})
		c.Assume(c.S.N+d <= 6)
		c.S.N += d
	})
	m.Example("six", func(s *counterState) bool { return s.N == 6 })
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// A strategy registered from its own file is listed, parsed, described
// and run, with the defaults and constraints its description implies.
func TestRegisteredStrategy(t *testing.T) {
	if names := Strategies(); !slices.Contains(names, reverseDFS) || names[len(names)-1] != reverseDFS {
		t.Fatalf("Strategies() = %v, want reverse-dfs listed after the built-ins", names)
	}
	if st, err := ParseStrategy("reverse-dfs"); err != nil || st != reverseDFS {
		t.Fatalf("ParseStrategy(reverse-dfs) = %q, %v", st, err)
	}
	if in := reverseDFS.Info(); in.Title != "reverse depth-first search" || in.Parallel || in.Seeded || in.Shortest || in.Checkpoints {
		t.Fatalf("Info() = %+v", in)
	}
	mc := counter(t)
	visits := func(st Strategy) []string {
		var order []string
		res, err := Run(t.Context(), mc, Options{Strategy: st, Workers: 4, ExploreOnly: true,
			Visit: func(enc []byte, _ int) { order = append(order, string(enc)) }})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Complete || res.Strategy != st || res.Workers != 1 || res.Stats.Distinct != 7 {
			t.Fatalf("%s: complete %v, strategy %s, %d workers, %d states", st, res.Complete, res.Strategy, res.Workers, res.Stats.Distinct)
		}
		return order
	}
	dfs, rev := visits(DFS), visits(reverseDFS)
	if slices.Equal(dfs, rev) {
		t.Errorf("reverse-dfs visited the states in DFS's order %v", dfs)
	}
	if !slices.Equal(slices.Sorted(slices.Values(dfs)), slices.Sorted(slices.Values(rev))) {
		t.Errorf("reverse-dfs visited %v, DFS %v: not the same states", rev, dfs)
	}
	// Last successor first: the example by steps of 2, three of them.
	res, err := Run(t.Context(), mc, Options{Strategy: reverseDFS, Property: "six"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Trace.Len() != 4 {
		t.Fatalf("findings %+v, want one of 3 steps", res.Findings)
	}
	// Not Checkpoints: the options say which strategy checkpoints need.
	_, err = Run(t.Context(), mc, Options{Strategy: reverseDFS, Checkpoint: CheckpointOptions{Dir: t.TempDir()}})
	if err == nil || err.Error() != "checkpoints need the breadth-first search, not reverse-dfs" {
		t.Errorf("checkpoints with reverse-dfs: %v", err)
	}
}
