package check_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/twophase"
	"github.com/execspec/execspec/machine"
)

// TestSpilledFrontierChangesNothing: a search that keeps every level, the
// candidates of every level (their table of smallest keys unable to
// grow), the fingerprints seen and the trace records in temporary files
// ends with
// the counts, levels, depth and traces of one that keeps them in memory,
// with one worker or two, under every bound that cuts a level (MaxStates,
// MaxFindings, MaxDepth), and removes its files; a spilled search is
// checkpointed and resumed as well. dnsbalancer's steps go back to
// states of earlier levels, which only the fingerprints on disk know of.
func TestSpilledFrontierChangesNothing(t *testing.T) {
	check.LowerKeysTableFloor(t) // the cross-check runs with the floor
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the spill files go
	twoPhase, err := machine.Compile(twophase.New(3))
	if err != nil {
		t.Fatal(err)
	}
	dns, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(5, 3, false)))
	if err != nil {
		t.Fatal(err)
	}
	type run func(check.Options) (outcome, *check.Result)
	both := func(mc func(check.Options) *check.Result) run {
		return func(o check.Options) (outcome, *check.Result) {
			res := mc(o)
			return outcomeOf(res), res
		}
	}
	for _, tc := range []struct {
		name string
		run  run
		opts check.Options
	}{
		{"twophase rm3", both(func(o check.Options) *check.Result { return mustRun(t, twoPhase, o) }), check.Options{}},
		// The probe past the bound finds only states seen: complete.
		{"twophase rm3, depth 10", both(func(o check.Options) *check.Result { return mustRun(t, twoPhase, o) }), check.Options{NoSymmetry: true, MaxDepth: 10}},
		{"dnsbalancer n3_5_3, a violation at depth 11", both(func(o check.Options) *check.Result { return mustRun(t, dns, o) }), check.Options{NoSymmetry: true}},
		{"dnsbalancer n3_5_3, 3 findings", both(func(o check.Options) *check.Result { return mustRun(t, dns, o) }), check.Options{NoSymmetry: true, MaxFindings: 3}},
		{"dnsbalancer n3_5_3, 1,000 states", both(func(o check.Options) *check.Result { return mustRun(t, dns, o) }), check.Options{NoSymmetry: true, MaxStates: 1000}},
		{"dnsbalancer n3_5_3, depth 6", both(func(o check.Options) *check.Result { return mustRun(t, dns, o) }), check.Options{NoSymmetry: true, MaxDepth: 6}},
		{"dnsbalancer n3_5_3, depth 10, deadlocks", both(func(o check.Options) *check.Result { return mustRun(t, dns, o) }), check.Options{NoSymmetry: true, MaxDepth: 10, Deadlock: true, MaxFindings: 2}},
	} {
		for _, workers := range []int{1, 2} {
			opts := tc.opts
			opts.Workers, opts.NoTemporal = workers, true
			want, _ := tc.run(opts)
			opts.Spill = 1
			got, res := tc.run(opts)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %d workers: spilled\n got %+v\nwant %+v", tc.name, workers, got, want)
			}
			if res.Stats.DiskBytes == 0 && res.Stats.Depth > 2 {
				t.Errorf("%s, %d workers: nothing went to disk", tc.name, workers)
			}
		}
	}
	t.Run("checkpoint and resume", func(t *testing.T) {
		resumeAtEveryLevel(t, twoPhase, check.Options{Workers: 1, NoSymmetry: true, Spill: 1})
		resumeAtEveryLevel(t, dns, check.Options{Workers: 2, NoSymmetry: true, NoTemporal: true, Spill: 1, MaxFindings: 3})
	})
	if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
		t.Errorf("spill files left behind: %v (%v)", left, err)
	}
}
