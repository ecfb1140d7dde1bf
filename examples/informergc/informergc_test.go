package informergc_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/informergc"
	"github.com/execspec/execspec/internal/zootest"
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
			zootest.Shortest(t, informergc.New(informergc.Instance(tc.owners, tc.strikes, false)), "no_live_owner_dependent_collected", tc.want)
		})
	}
}

// TestFixedHolds: confirming with a live read, the collector never deletes
// a live owner's dependent, in every reachable state of the small instance
// and in random walks.
func TestFixedHolds(t *testing.T) {
	zootest.Clean(t, func() *execspec.Model[informergc.State] { return informergc.New(informergc.Instance(1, 3, true)) }, 35) // distinct states: a change to the model shows here
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	zootest.Instances(t, informergc.Spec())
}
