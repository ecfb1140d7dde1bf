package lamportmutex_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/lamportmutex"
	"github.com/execspec/execspec/examples/lamportmutex/handbfs"
	"github.com/execspec/execspec/internal/longtest"
)

// largeEnv gates the full MCLamportMutex.cfg search, minutes of CPU for
// this natural model.
const largeEnv = "EXECSPEC_LAMPORTMUTEX_LARGE"

// TestCounts pins the counts of three configurations (N = 3, MaxNat =
// maxClock+1) for the model and for the hand-written search of package
// handbfs, which must agree: distinct states, generated states (TLC's
// "states generated", constrained-out states included) and depth.
// maxClock = 6 is MCLamportMutex.cfg, with TLC's figures from the
// tlaplus/Examples manifest: 724,274 distinct states, 2,729,079 generated,
// depth 61; the model takes minutes on it, so it runs only with
// EXECSPEC_LAMPORTMUTEX_LARGE=1 (the hand-written search, a second, runs
// without -short):
//
//	EXECSPEC_LAMPORTMUTEX_LARGE=1 go test ./examples/lamportmutex -run 'Counts/mc' -v -timeout 1h
//
// The smaller configurations have no published TLC figures: their counts
// are the two independent implementations' agreement.
func TestCounts(t *testing.T) {
	cases := []struct {
		name   string
		params lamportmutex.Params
		want   handbfs.Result
		large  bool
	}{
		{"clock2", lamportmutex.Params{N: 3, MaxClock: 2, MaxNat: 3}, handbfs.Result{Distinct: 511, Generated: 2203, Depth: 15}, false},
		{"clock3", lamportmutex.Params{N: 3, MaxClock: 3, MaxNat: 4}, handbfs.Result{Distinct: 10209, Generated: 41533, Depth: 31}, false},
		{"mc", lamportmutex.MC(), handbfs.Result{Distinct: 724274, Generated: 2729079, Depth: 61}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Run("handbfs", func(t *testing.T) {
				if c.large {
					longtest.Skip(t) // 724,274 states
				}
				got, err := handbfs.Check(handbfs.Params{N: c.params.N, MaxClock: c.params.MaxClock, MaxNat: c.params.MaxNat})
				if err != nil {
					t.Fatal(err)
				}
				if got != c.want {
					t.Errorf("handbfs: %+v, want %+v", got, c.want)
				}
			})
			t.Run("execspec", func(t *testing.T) {
				if c.large && os.Getenv(largeEnv) != "1" {
					t.Skipf("minutes of CPU: set %s=1 to run it", largeEnv)
				}
				st := check.Test(t, lamportmutex.New(c.params), check.Options{}).Stats
				got := handbfs.Result{Distinct: st.Distinct, Generated: st.Generated, Depth: st.Depth}
				if got != c.want {
					t.Errorf("execspec: %+v, want %+v", got, c.want)
				}
			})
		})
	}
}

// TestShortestEntry pins the shortest trace into the critical section:
// process 1 requests, the others receive the request and acknowledge it,
// process 1 collects the acknowledgements and enters.
func TestShortestEntry(t *testing.T) {
	res := check.Test(t, lamportmutex.New(lamportmutex.Params{N: 3, MaxClock: 2, MaxNat: 3}), check.Options{Property: "Entered"})
	var got []string
	for _, st := range res.Findings[0].Trace.Steps {
		step := st.Action
		for _, p := range st.Picks {
			step += " " + p.Label + "=" + p.Value.String()
		}
		got = append(got, step)
	}
	want := []string{"init", "Request p=1", "ReceiveRequest p=2 q=1", "ReceiveRequest p=3 q=1", "ReceiveAck p=1 q=2", "ReceiveAck p=1 q=3", "Enter p=1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("trace %q, want %q", got, want)
	}
}
