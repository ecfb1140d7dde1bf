package leasefence_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/leasefence"
	"github.com/execspec/execspec/internal/zootest"
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
			zootest.Shortest(t, leasefence.New(leasefence.Instance(2, tc.ttl, false)), "writes_in_lease_order", tc.want)
		})
	}
}

// TestFixedHolds: with fencing, the storage accepts writes in lease order
// only, in every reachable state of the small instance and in random
// walks.
func TestFixedHolds(t *testing.T) {
	zootest.Clean(t, func() *execspec.Model[leasefence.State] { return leasefence.New(leasefence.Instance(2, 3, true)) }, 1132) // distinct states: a change to the model shows here
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	zootest.Instances(t, leasefence.Spec())
}
