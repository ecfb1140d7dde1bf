package raftvote_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/raftvote"
	"github.com/execspec/execspec/simulate"
)

// TestShortestTwoLeaders pins the shortest violation of election safety on
// n3_t2_d1: two ticks, s1 times out into term 1 and gets s3's vote, s3
// crashes, a tick (s2's timer expires, s3's downtime ends), s2 times out
// into term 1, s3 restarts and votes again, for s2, and both lead: 11
// steps.
func TestShortestTwoLeaders(t *testing.T) {
	for _, tc := range []struct {
		name                                string
		servers, timeout, downtime, maxTerm int
		want                                int
	}{{"n3_t2_d1", 3, 2, 1, 1, 11}} {
		t.Run(tc.name, func(t *testing.T) {
			mc, err := raftvote.New(raftvote.Instance(tc.servers, tc.timeout, tc.downtime, tc.maxTerm, false)).Compile()
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Property: "election_safety"})
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

// TestFixedHolds: with votedFor on disk, no term has two leaders, in every
// reachable state of the small instance and in random walks.
func TestFixedHolds(t *testing.T) {
	res := check.Test(t, raftvote.New(raftvote.Instance(3, 2, 1, 1, true)), check.Options{})
	if res == nil {
		return
	}
	const want = 14727 // distinct states: a change to the model shows here
	if !res.Complete || res.Stats.Distinct != want {
		t.Errorf("complete %v (%s), %d distinct states; want complete, %d", res.Complete, res.Stopped, res.Stats.Distinct, want)
	}
	simulate.Test(t, raftvote.New(raftvote.Instance(3, 2, 1, 1, true)), simulate.Options{Seed: 1})
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	spec := raftvote.Spec()
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
