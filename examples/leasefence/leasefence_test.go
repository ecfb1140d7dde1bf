package leasefence_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/leasefence"
	"github.com/execspec/execspec/simulate"
)

// TestShortestInterleaving pins the shortest interleaving: worker-a
// acquires and checks, TTL ticks pass with its write stalled, worker-b
// acquires, checks and writes, then worker-a's write lands: 9 steps on
// c2_t3, 36 on c2_t30.
func TestShortestInterleaving(t *testing.T) {
	for _, tc := range []struct {
		name string
		ttl  int
		want int
	}{{"c2_t3", 3, 9}, {"c2_t30", 30, 36}} {
		t.Run(tc.name, func(t *testing.T) {
			mc, err := leasefence.New(leasefence.Instance(2, tc.ttl, false)).Compile()
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Property: "writes_in_lease_order"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Findings) != 1 {
				t.Fatalf("no violation found: %+v", res.Stats)
			}
			if n := res.Findings[0].Trace.Len() - 1; n != tc.want {
				t.Errorf("shortest violation has %d steps, want %d", n, tc.want)
			}
		})
	}
}

// TestFixedHolds: with fencing, the storage accepts writes in lease order
// only, in every reachable state of the small instance and in random
// walks.
func TestFixedHolds(t *testing.T) {
	res := check.Test(t, leasefence.New(leasefence.Instance(2, 3, true)), check.Options{})
	if res == nil {
		return
	}
	const want = 1132 // distinct states: a change to the model shows here
	if !res.Complete || res.Stats.Distinct != want {
		t.Errorf("complete %v (%s), %d distinct states; want complete, %d", res.Complete, res.Stopped, res.Stats.Distinct, want)
	}
	simulate.Test(t, leasefence.New(leasefence.Instance(2, 3, true)), simulate.Options{Seed: 1})
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	spec := leasefence.Spec()
	for _, name := range spec.Instances() {
		m, err := spec.Model(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := m.Compile(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
