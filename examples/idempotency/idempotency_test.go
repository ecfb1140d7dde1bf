package idempotency_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/idempotency"
	"github.com/execspec/execspec/simulate"
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
			mc, err := idempotency.New(idempotency.Instance(2, tc.ttl, false)).Compile()
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Property: "charged_at_most_once"})
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

// TestFixedHolds: refusing requests with expired keys, no request is
// charged twice, in every reachable state of the small instance and in
// random walks.
func TestFixedHolds(t *testing.T) {
	res := check.Test(t, idempotency.New(idempotency.Instance(2, 3, true)), check.Options{})
	if res == nil {
		return
	}
	const want = 5776 // distinct states: a change to the model shows here
	if !res.Complete || res.Stats.Distinct != want {
		t.Errorf("complete %v (%s), %d distinct states; want complete, %d", res.Complete, res.Stopped, res.Stats.Distinct, want)
	}
	simulate.Test(t, idempotency.New(idempotency.Instance(2, 3, true)), simulate.Options{Seed: 1})
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	spec := idempotency.Spec()
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
