package shardmove_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/shardmove"
	"github.com/execspec/execspec/simulate"
)

// TestShortestLoss pins the shortest lost write: a write sent to the source,
// the move (start, a copy per chunk, the flip) while it is in the network,
// then its delivery: 7 steps on k3, 34 on k30.
func TestShortestLoss(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks int
		want   int
	}{{"k3", 3, 7}, {"k30", 30, 34}} {
		t.Run(tc.name, func(t *testing.T) {
			mc, err := shardmove.New(shardmove.Instance(tc.chunks, false)).Compile()
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Property: "no_acked_write_lost"})
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

// TestFixedHolds: with the source fenced by epoch, no acknowledged write is
// lost, in every reachable state of the small instance and in random
// walks.
func TestFixedHolds(t *testing.T) {
	res := check.Test(t, shardmove.New(shardmove.Instance(3, true)), check.Options{})
	if res == nil {
		return
	}
	const want = 527 // distinct states: a change to the model shows here
	if !res.Complete || res.Stats.Distinct != want {
		t.Errorf("complete %v (%s), %d distinct states; want complete, %d", res.Complete, res.Stopped, res.Stats.Distinct, want)
	}
	simulate.Test(t, shardmove.New(shardmove.Instance(3, true)), simulate.Options{Seed: 1})
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	spec := shardmove.Spec()
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
