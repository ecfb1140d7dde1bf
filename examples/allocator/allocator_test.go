package allocator_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec"
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

// TestSimpleAllocatorLiveness pins the verdicts of SimpleAllocator.tla on
// SimpleAllocator.cfg's constants: under SimpleAllocator's fairness,
// WF_vars(Return(c, alloc[c])) per client, every temporal property holds
// (TLC: success, 400 distinct states, 1,633 generated, depth 6); under
// SimpleAllocator2's, WF_vars(unsat[c] = {} /\ Return(c, alloc[c])),
// ClientsWillReturn still holds but ClientsWillObtain and
// InfOftenSatisfied do not (the module's own comment: "The following do
// not hold"): two clients that asked for both resources hold one each and
// wait for ever.
func TestSimpleAllocatorLiveness(t *testing.T) {
	c3, r2 := []string{"c1", "c2", "c3"}, []string{"r1", "r2"}
	mc, err := machine.Compile(allocator.NewWith(c3, r2, allocator.Simple))
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(t.Context(), mc, check.Options{Workers: 1})
	if err != nil || !res.Complete || len(res.Findings) > 0 {
		t.Fatalf("SimpleAllocator: %v, complete %v, %v", err, res.Complete, res.Findings)
	}
	if res.Stats.Distinct != 400 || res.Stats.Generated != 1633 || res.Stats.Depth != 6 || len(res.Liveness.Properties) != 3 {
		t.Errorf("SimpleAllocator: %d distinct, %d generated, depth %d, temporal %v; want TLC's 400, 1633, 6 and 3 properties",
			res.Stats.Distinct, res.Stats.Generated, res.Stats.Depth, res.Liveness.Properties)
	}

	mc, err = machine.Compile(allocator.NewWith(c3, r2, allocator.Simple2))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		property string
		holds    bool
	}{{"ClientsWillReturn", true}, {"ClientsWillObtain", false}, {"InfOftenSatisfied", false}} {
		res, err := check.Run(t.Context(), mc, check.Options{Workers: 1, Property: c.property})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(res.Findings) == 0; got != c.holds {
			t.Fatalf("SimpleAllocator2 %s: holds %v, want %v (%v)", c.property, got, c.holds, res.Findings)
		}
		if c.holds {
			continue
		}
		// The corner the allocator paints itself into: c1 and c2 each
		// request both resources, each gets one, and the behaviour
		// stutters there.
		tr := res.Findings[0].Trace
		var acts []string
		for _, s := range tr.Steps {
			acts = append(acts, s.Action)
		}
		last := len(tr.Steps) - 1
		if strings.Join(acts, " ") != "init Request Request Allocate Allocate" || tr.Loop == nil || *tr.Loop != last {
			t.Errorf("SimpleAllocator2 %s: lasso %v looping at %v; want init, two Requests and two Allocates, stuttering at the end", c.property, acts, tr.Loop)
		}
	}
}

// TestReturnFairnessNeeded: without fairness of Return, a client may keep
// what it holds for ever: ClientsWillReturn fails for c1 on a lasso in
// which c1 requests and gets a resource, and never returns it.
func TestReturnFairnessNeeded(t *testing.T) {
	m := allocator.New([]string{"c1", "c2"}, []string{"r1", "r2"})
	m.StrongFair("Allocate").Per("c")
	m.Temporal("ClientsWillReturn", execspec.LeadsTo(
		func(s *allocator.State) bool { return s.Unsat["c1"].IsEmpty() },
		func(s *allocator.State) bool { return s.Alloc["c1"].IsEmpty() }))
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(t.Context(), mc, check.Options{Workers: 1})
	if err != nil || len(res.Findings) != 1 {
		t.Fatalf("%v, findings %v", err, res.Findings)
	}
	tr := res.Findings[0].Trace
	var acts []string
	for _, s := range tr.Steps {
		acts = append(acts, s.Action)
	}
	if !strings.HasPrefix(strings.Join(acts, " "), "init Request Allocate") || tr.Loop == nil || *tr.Loop < 2 {
		t.Fatalf("lasso %v looping at %v; want init, Request(c1), Allocate(c1), then a loop", acts, tr.Loop)
	}
	for i, s := range tr.Steps[1:] {
		for _, p := range s.Picks {
			if p.Label == "c" && p.Value.String() != `"c1"` && i < 2 {
				t.Errorf("step %d is client %s's", i+1, p.Value)
			}
			if p.Label == "c" && p.Value.String() == `"c1"` && s.Action == "Return" {
				t.Errorf("step %d: c1 returns", i+1)
			}
		}
	}
}
