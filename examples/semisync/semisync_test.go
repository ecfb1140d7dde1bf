package semisync_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/semisync"
	"github.com/execspec/execspec/simulate"
)

// TestShortestLoss pins the shortest lost commit: a commit, Timeout ticks
// without replication, the fallback that acknowledges it, and the failover:
// 6 steps on r2_t3, 33 on r2_t30.
func TestShortestLoss(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout int
		want    int
	}{{"r2_t3", 3, 6}, {"r2_t30", 30, 33}} {
		t.Run(tc.name, func(t *testing.T) {
			mc, err := semisync.New(semisync.Instance(2, tc.timeout, false)).Compile()
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Property: "no_acked_commit_lost"})
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

// TestFixedHolds: without the fallback, no acknowledged commit is lost, in
// every reachable state of the small instance and in random walks.
func TestFixedHolds(t *testing.T) {
	res := check.Test(t, semisync.New(semisync.Instance(2, 3, true)), check.Options{})
	if res == nil {
		return
	}
	const want = 38 // distinct states: a change to the model shows here
	if !res.Complete || res.Stats.Distinct != want {
		t.Errorf("complete %v (%s), %d distinct states; want complete, %d", res.Complete, res.Stopped, res.Stats.Distinct, want)
	}
	simulate.Test(t, semisync.New(semisync.Instance(2, 3, true)), simulate.Options{Seed: 1})
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	spec := semisync.Spec()
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
