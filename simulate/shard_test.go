package simulate_test

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/execspec/execspec/simulate"
)

// TestShardsEqualTheUnshardedRun runs the samples of one seed in one run
// and in 1 to 4 shards: the shards' findings, lowest index first, are the
// run's (traces included), and without findings their counts add up to the
// run's, action by action.
func TestShardsEqualTheUnshardedRun(t *testing.T) {
	for _, c := range []struct {
		name  string
		fixed bool
		opts  simulate.Options
	}{
		// Unshrunk: a finding's shrinking depends on its sample alone (the
		// CLI's test compares shrunk reports), and shrinking each shard's
		// findings would cost most of the test.
		{"findings, swarm", false, simulate.Options{Seed: 7, Property: "no_inconsistent_root", Strategy: simulate.Swarm, MaxFindings: 3, MaxSamples: 3000, NoShrink: true}},
		{"findings, uniform", false, simulate.Options{Seed: 11, Property: "no_inconsistent_root", MaxFindings: 2, MaxSamples: 3000, NoShrink: true}},
		{"clean", true, simulate.Options{Seed: 3, Strategy: simulate.Swarm, MaxSamples: 301, MaxSteps: 30}},
	} {
		t.Run(c.name, func(t *testing.T) {
			mc := dns(t, 5, 3, c.fixed)
			whole, err := simulate.Run(context.Background(), mc, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !c.fixed && len(whole.Findings) != c.opts.MaxFindings {
				t.Fatalf("the unsharded run found %d, want %d", len(whole.Findings), c.opts.MaxFindings)
			}
			for n := 1; n <= 4; n++ {
				var found []simulate.Finding
				var sum simulate.Stats
				for i := 1; i <= n; i++ {
					o := c.opts
					o.Shard, o.Shards, o.Workers = i, n, 1+i%2
					res, err := simulate.Run(context.Background(), mc, o)
					if err != nil {
						t.Fatal(err)
					}
					found = append(found, res.Findings...)
					sum.Add(res.Stats)
				}
				sort.Slice(found, func(i, j int) bool { return found[i].Sample < found[j].Sample })
				if len(found) > c.opts.MaxFindings {
					found = found[:c.opts.MaxFindings]
				}
				if got, want := findingsText(t, found), findingsText(t, whole.Findings); got != want {
					t.Fatalf("%d shards: findings\n%s\nwant\n%s", n, got, want)
				}
				if c.fixed {
					w := whole.Stats
					if sum.Samples != w.Samples || sum.Steps != w.Steps || sum.Deadlocks != w.Deadlocks || sum.MinLen != w.MinLen || sum.MaxLen != w.MaxLen || !reflect.DeepEqual(sum.Actions, w.Actions) {
						t.Fatalf("%d shards: counts %+v, want %+v", n, sum, w)
					}
				}
			}
		})
	}
}

func findingsText(t *testing.T, fs []simulate.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Property + " " + f.Config + "\n" + printed(t, f.Trace))
	}
	return b.String()
}

func TestShardOptions(t *testing.T) {
	mc := dns(t, 5, 3, true)
	for _, c := range []struct {
		o    simulate.Options
		want string
	}{
		{simulate.Options{Shard: 0, Shards: 2}, "numbered from 1"},
		{simulate.Options{Shard: 3, Shards: 2}, "numbered from 1"},
		{simulate.Options{Shard: 1, Shards: 2, Strategy: simulate.Guided}, "guided search cannot be sharded"},
	} {
		if _, err := simulate.Run(context.Background(), mc, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.o, err, c.want)
		}
	}
	// A shard with no sample of its own (more shards than samples) runs
	// nothing and is complete.
	res, err := simulate.Run(context.Background(), mc, simulate.Options{Shard: 3, Shards: 3, MaxSamples: 2})
	if err != nil || res.Stats.Samples != 0 || res.Stopped.String() != "exhausted" {
		t.Fatalf("empty shard: %v, %+v", err, res)
	}
}

func TestStatsAdd(t *testing.T) {
	acts := func(tried ...int64) []simulate.ActionStats {
		var out []simulate.ActionStats
		for i, n := range tried {
			out = append(out, simulate.ActionStats{Name: string(rune('a' + i)), Tried: n, Fired: n, Runs: 2 * n})
		}
		return out
	}
	var s simulate.Stats
	s.Add(simulate.Stats{Actions: acts(0, 0)}) // no samples: lengths untouched
	s.Add(simulate.Stats{Samples: 2, Steps: 9, MinLen: 4, MaxLen: 5, Deadlocks: 1, Actions: acts(3, 1)})
	s.Add(simulate.Stats{Samples: 1, Steps: 2, MinLen: 2, MaxLen: 2, Actions: acts(1, 0)})
	s.Add(simulate.Stats{Samples: 0, MinLen: -1, Actions: acts(0, 0)})
	want := simulate.Stats{Samples: 3, Steps: 11, Deadlocks: 1, MinLen: 2, MaxLen: 5, Actions: acts(4, 1)}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("sum %+v, want %+v", s, want)
	}
	in := acts(1)
	var c simulate.Stats
	c.Add(simulate.Stats{Actions: in})
	c.Add(simulate.Stats{Actions: in})
	if in[0].Tried != 1 || c.Actions[0].Tried != 2 {
		t.Fatalf("Add wrote into its argument's actions: %+v, sum %+v", in, c.Actions)
	}
}
