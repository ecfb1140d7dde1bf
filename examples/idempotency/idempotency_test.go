package idempotency_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/idempotency"
	"github.com/execspec/execspec/internal/zootest"
)

// TestShortestDoubleCharge pins the shortest double charge: a request
// charged and its answer lost, TTL ticks without a retry, then the retry
// and its delivery: 8 steps on c2_t3. (On c2_t40 BFS finds 45 steps, in
// minutes: too slow for a unit test.)
func TestShortestDoubleCharge(t *testing.T) {
	for _, tc := range []struct {
		name string
		ttl  int
		want int
	}{{"c2_t3", 3, 8}} {
		t.Run(tc.name, func(t *testing.T) {
			zootest.Shortest(t, idempotency.New(idempotency.Instance(2, tc.ttl, false)), "charged_at_most_once", tc.want)
		})
	}
}

// TestFixedHolds: refusing requests with expired keys, no request is
// charged twice, in every reachable state of the small instance and in
// random walks.
func TestFixedHolds(t *testing.T) {
	zootest.Clean(t, func() *execspec.Model[idempotency.State] { return idempotency.New(idempotency.Instance(2, 3, true)) }, 5776) // distinct states: a change to the model shows here
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	zootest.Instances(t, idempotency.Spec())
}
