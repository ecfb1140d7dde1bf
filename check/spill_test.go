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

// TestSpilledFrontierChangesNothing: a search whose every level waits in
// a temporary file ends with the counts, levels, depth and traces of one
// that keeps them in memory, with one worker or two, and removes its
// files; a spilled search is checkpointed and resumed as well.
func TestSpilledFrontierChangesNothing(t *testing.T) {
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
	for _, tc := range []struct {
		name string
		run  func(check.Options) outcome
	}{
		{"twophase rm3", func(o check.Options) outcome { return outcomeOf(mustRun(t, twoPhase, o)) }},
		{"dnsbalancer n3_5_3, a violation at depth 11", func(o check.Options) outcome { return outcomeOf(mustRun(t, dns, o)) }},
	} {
		for _, workers := range []int{1, 2} {
			opts := check.Options{Workers: workers, NoTemporal: true}
			want := tc.run(opts)
			opts.SpillFrontier = 1
			if got := tc.run(opts); !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %d workers: spilled\n got %+v\nwant %+v", tc.name, workers, got, want)
			}
		}
	}
	t.Run("checkpoint and resume", func(t *testing.T) {
		resumeAtEveryLevel(t, twoPhase, check.Options{Workers: 1, NoSymmetry: true, SpillFrontier: 1})
	})
	if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
		t.Errorf("spill files left behind: %v (%v)", left, err)
	}
}
