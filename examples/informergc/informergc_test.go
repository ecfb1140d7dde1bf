package informergc_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/informergc"
	"github.com/execspec/execspec/simulate"
)

// TestShortestWrongfulDelete pins the shortest deletion of a live owner's
// dependent: the owner and its dependent created, the dependent informer
// synced, Strikes scans with the owner informer idle, and the collection:
// 7 steps on o1_s3, 34 on o2_s30.
func TestShortestWrongfulDelete(t *testing.T) {
	for _, tc := range []struct {
		name    string
		owners  int
		strikes int
		want    int
	}{{"o1_s3", 1, 3, 7}, {"o2_s30", 2, 30, 34}} {
		t.Run(tc.name, func(t *testing.T) {
			mc, err := informergc.New(informergc.Instance(tc.owners, tc.strikes, false)).Compile()
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Property: "no_live_owner_dependent_collected"})
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

// TestFixedHolds: confirming with a live read, the collector never deletes
// a live owner's dependent, in every reachable state of the small instance
// and in random walks.
func TestFixedHolds(t *testing.T) {
	res := check.Test(t, informergc.New(informergc.Instance(1, 3, true)), check.Options{})
	if res == nil {
		return
	}
	const want = 35 // distinct states: a change to the model shows here
	if !res.Complete || res.Stats.Distinct != want {
		t.Errorf("complete %v (%s), %d distinct states; want complete, %d", res.Complete, res.Stopped, res.Stats.Distinct, want)
	}
	simulate.Test(t, informergc.New(informergc.Instance(1, 3, true)), simulate.Options{Seed: 1})
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	spec := informergc.Spec()
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
