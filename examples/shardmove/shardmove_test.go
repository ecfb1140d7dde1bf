package shardmove_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/shardmove"
	"github.com/execspec/execspec/internal/zootest"
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
			zootest.Shortest(t, shardmove.New(shardmove.Instance(tc.chunks, false)), "no_acked_write_lost", tc.want)
		})
	}
}

// TestFixedHolds: with the source fenced by epoch, no acknowledged write is
// lost, in every reachable state of the small instance and in random
// walks.
func TestFixedHolds(t *testing.T) {
	zootest.Clean(t, func() *execspec.Model[shardmove.State] { return shardmove.New(shardmove.Instance(3, true)) }, 527) // distinct states: a change to the model shows here
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	zootest.Instances(t, shardmove.Spec())
}
