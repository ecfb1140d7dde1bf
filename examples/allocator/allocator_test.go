package allocator_test

import (
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/allocator"
	"github.com/execspec/execspec/internal/crosscheck"
	"github.com/execspec/execspec/machine"
)

func compile(t *testing.T, clients, resources []string) *machine.Machine[allocator.State] {
	t.Helper()
	mc, err := machine.Compile(allocator.New(clients, resources))
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// TestTLCCounts pins TLC's figures for SimpleAllocator.cfg (three clients,
// two resources): 400 distinct states, depth 6.
func TestTLCCounts(t *testing.T) {
	for _, st := range []check.Strategy{check.BFS, check.DFS} {
		res := check.Test(t, allocator.New([]string{"c1", "c2", "c3"}, []string{"r1", "r2"}), check.Options{Strategy: st})
		if res.Stats.Distinct != 400 || (st == check.BFS && res.Stats.Depth != 6) {
			t.Errorf("%s: %d distinct states, depth %d; want 400, 6", st, res.Stats.Distinct, res.Stats.Depth)
		}
	}
}

// TestAliasOfEmptySet is the regression test of the empty-Set alias: every
// action writes through an alias of a Set held in a map (a :=
// s.Alloc[c]; a.Add(r)), Sets that are empty in the initial state and
// whenever everything was returned. Every engine configuration must reach
// exactly the reference semantics' states.
func TestAliasOfEmptySet(t *testing.T) {
	crosscheck.Check(t, compile(t, []string{"c1", "c2", "c3"}, []string{"r1", "r2"}), crosscheck.Options{Quick: testing.Short()})
}
