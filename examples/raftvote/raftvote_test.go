package raftvote_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/raftvote"
	"github.com/execspec/execspec/internal/zootest"
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
			zootest.Shortest(t, raftvote.New(raftvote.Instance(tc.servers, tc.timeout, tc.downtime, tc.maxTerm, false)), "election_safety", tc.want)
		})
	}
}

// TestFixedHolds: with votedFor on disk, no term has two leaders, in every
// reachable state of the small instance and in random walks.
func TestFixedHolds(t *testing.T) {
	zootest.Clean(t, func() *execspec.Model[raftvote.State] { return raftvote.New(raftvote.Instance(3, 2, 1, 1, true)) }, 14727) // distinct states: a change to the model shows here
}

// TestInstances: every instance of the spec builds and compiles.
func TestInstances(t *testing.T) {
	zootest.Instances(t, raftvote.Spec())
}
