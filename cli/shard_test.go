package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// findingsPart is a run's output from its first finding to its summary:
// the reports that merge must reproduce word for word.
func findingsPart(out string) string {
	start := strings.Index(out, "\n") + 1
	for strings.HasPrefix(out[start:], "  note:") {
		start += strings.Index(out[start:], "\n") + 1
	}
	end := strings.Index(out, "\nSummary:")
	if end < start {
		return ""
	}
	return out[start:end]
}

func TestFindingsPart(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"header\n  note: x\nFINDING\ntrace\n\nSummary: 1", "FINDING\ntrace\n"},
		{"header\nSummary: 1", ""},
		{"no summary", ""},
	} {
		if got := findingsPart(c.in); got != c.want {
			t.Errorf("findingsPart(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestShardsMerge runs four shards of a seed as separate processes (one
// of them as a Kubernetes Indexed Job's pod would, its index from
// $JOB_COMPLETION_INDEX), merges them, and compares with the unsharded
// run: the same findings, word for word, and exit code; on a clean
// instance, the same number of samples and steps.
func TestShardsMerge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end: runs ten simulations as separate processes")
	}
	for _, c := range []struct {
		name, instance string
		extra          []string
		code           int
		sameCounts     bool
	}{
		{"findings", "n3_5_3", []string{"--max-findings", "2"}, 1, false},
		{"clean", "n3_5_3_fixed", []string{"--max-samples", "120", "--max-steps", "40"}, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := append([]string{"run", dns, "--instance", c.instance, "--seed", "5", "--workers", "1"}, c.extra...)
			whole := execspec(t, nil, base...)
			if whole.code != c.code {
				t.Fatalf("unsharded run: exit %d, want %d\n%s%s", whole.code, c.code, whole.stdout, whole.stderr)
			}
			dir := t.TempDir()
			for i := 1; i <= 4; i++ {
				args := append(append([]string{}, base...), "--shard", strings.Replace("I/4", "I", string(rune('0'+i)), 1), "--shard-out", dir)
				var env []string
				if i == 4 {
					args[len(args)-3] = "job/4"
					env = []string{"JOB_COMPLETION_INDEX=3"}
				}
				r := execspec(t, env, args...)
				r.expect(t, c.code, "Shard "+string(rune('0'+i))+" of 4 written to")
			}
			merged := execspec(t, nil, "merge", dir)
			merged.expect(t, c.code, "execspec merge: 4 shards of execspec run ./examples/dnsbalancer --instance "+c.instance+" --seed 5")
			if c.code == 1 && !strings.Contains(findingsPart(whole.stdout), "replay") {
				t.Fatalf("no finding's report in the unsharded run's output:\n%s", whole.stdout)
			}
			if got, want := findingsPart(merged.stdout), findingsPart(whole.stdout); got != want {
				t.Errorf("merged findings differ from the unsharded run's:\n%s\nwant\n%s", got, want)
			}
			if c.sameCounts {
				counts := func(out string) string {
					s := out[strings.Index(out, "Summary: "):]
					return s[:strings.Index(s, " in ")]
				}
				if got, want := counts(merged.stdout), counts(whole.stdout); got != want {
					t.Errorf("merged %q, unsharded %q", got, want)
				}
			}
		})
	}
}

// TestShardErrors: a shard needs its seed and directory, and merge needs
// every shard of one run, each once.
func TestShardErrors(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end: runs fourteen commands")
	}
	dir := t.TempDir()
	run := []string{"run", dns, "--instance", "n3_5_3_fixed", "--max-samples", "20", "--max-steps", "10", "--workers", "1"}
	for _, c := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"--seed", "1", "--shard", "0/4", "--shard-out", dir}, nil, "shard I of N goes from 1/4 to 4/4"},
		{[]string{"--seed", "1", "--shard", "4", "--shard-out", dir}, nil, "want I/N"},
		{[]string{"--seed", "1", "--shard", "job/4", "--shard-out", dir}, []string{"JOB_COMPLETION_INDEX=4"}, `$JOB_COMPLETION_INDEX is "4", not an index from 0 to 3`},
		{[]string{"--shard", "1/2", "--shard-out", dir}, nil, "--shard needs --seed"},
		{[]string{"--seed", "1", "--shard", "1/2"}, nil, "--shard needs --shard-out"},
		{[]string{"--seed", "1", "--shard-out", dir}, nil, "--shard-out applies only with --shard"},
		{[]string{"--seed", "1", "--shard", "1/2", "--shard-out", dir, "--strategy", "guided"}, nil, "guided search cannot be sharded"},
	} {
		r := execspec(t, c.env, append(append([]string{}, run...), c.args...)...)
		r.expect(t, 4, c.want)
	}
	// Shard 1 of 2 only, then shard 1 of 2 of another seed beside it.
	r := execspec(t, nil, append(append([]string{}, run...), "--seed", "1", "--shard", "1/2", "--shard-out", dir)...)
	r.expect(t, 0)
	execspec(t, nil, "merge", dir).expect(t, 4, "shards 2 of 2 are missing")
	other := t.TempDir()
	execspec(t, nil, append(append([]string{}, run...), "--seed", "2", "--shard", "2/2", "--shard-out", other)...).expect(t, 0)
	execspec(t, nil, "merge", dir, other).expect(t, 4, "are shards of different runs")
	execspec(t, nil, "merge", dir, dir).expect(t, 4, "shard 1 of 2 appears twice")
	execspec(t, nil, "merge", t.TempDir()).expect(t, 4, "holds no shard result")
	bad := filepath.Join(t.TempDir(), "shard-1-of-1.json")
	os.WriteFile(bad, []byte("{"), 0o644)
	execspec(t, nil, "merge", bad).expect(t, 4, "not a shard result")
	execspec(t, nil, "merge").expect(t, 4, "Usage: execspec merge")
}
