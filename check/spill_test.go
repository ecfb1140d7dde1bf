package check_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/twophase"
	"github.com/execspec/execspec/machine"
)

// TestSpilledFrontierChangesNothing: a search that keeps every level, the
// candidates of every level (their table of smallest keys unable to
// grow) or none, the fingerprints seen and the trace records in temporary
// files ends with
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
	revisit, err := machine.Compile(revisitModel())
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
		// A violating state reached again from a later level is not
		// reported again.
		{"revisit, every finding", both(func(o check.Options) *check.Result { return mustRun(t, revisit, o) }), check.Options{MaxFindings: 10}},
		{"dnsbalancer n3_5_3, 1,000 states", both(func(o check.Options) *check.Result { return mustRun(t, dns, o) }), check.Options{NoSymmetry: true, MaxStates: 1000}},
		{"dnsbalancer n3_5_3, depth 6", both(func(o check.Options) *check.Result { return mustRun(t, dns, o) }), check.Options{NoSymmetry: true, MaxDepth: 6}},
		{"dnsbalancer n3_5_3, depth 10, deadlocks", both(func(o check.Options) *check.Result { return mustRun(t, dns, o) }), check.Options{NoSymmetry: true, MaxDepth: 10, Deadlock: true, MaxFindings: 2}},
	} {
		for _, workers := range []int{1, 2} {
			opts := tc.opts
			opts.Workers, opts.NoTemporal = workers, true
			want, _ := tc.run(opts)
			opts.Spill = 1
			for _, external := range []bool{true, false} {
				var restore func()
				if !external {
					// The commit of a level in memory looks its
					// candidates up on disk itself.
					restore = check.KeepLevelsInMemory()
				}
				got, res := tc.run(opts)
				if restore != nil {
					restore()
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s, %d workers, external levels %v: spilled\n got %+v\nwant %+v", tc.name, workers, external, got, want)
				}
				if res.Stats.DiskBytes == 0 && res.Stats.Depth > 2 {
					t.Errorf("%s, %d workers, external levels %v: nothing went to disk", tc.name, workers, external)
				}
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

// revisit counts up to 6, where it may go back to 2, a violation found
// at depth 2 and reached again at depth 7.
type revisitState struct{ N int }

func revisitModel() *execspec.Model[revisitState] {
	m := execspec.NewModel[revisitState]("revisit")
	m.Init(func(c *execspec.Ctx[revisitState]) {})
	m.Action("inc", func(c *execspec.Ctx[revisitState]) {
		if c.Assume(c.S.N < 6) {
			c.S.N++
		}
	})
	m.Action("back", func(c *execspec.Ctx[revisitState]) {
		if c.Assume(c.S.N == 6) {
			c.S.N = 2
		}
	})
	m.Invariant("not_2", func(s *revisitState) bool { return s.N != 2 })
	return m
}
