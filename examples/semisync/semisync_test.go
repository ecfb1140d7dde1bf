package semisync_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/semisync"
	"github.com/execspec/execspec/internal/zootest"
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
			zootest.Shortest(t, semisync.New(semisync.Instance(2, tc.timeout, false)), "no_acked_commit_lost", tc.want)
		})
	}
}

// TestFixedHolds: without the fallback, no acknowledged commit is lost, in
// every reachable state of the small instance and in random walks.
func TestFixedHolds(t *testing.T) {
	zootest.Clean(t, func() *execspec.Model[semisync.State] { return semisync.New(semisync.Instance(2, 3, true)) }, 38) // distinct states: a change to the model shows here
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	zootest.Instances(t, semisync.Spec())
}
