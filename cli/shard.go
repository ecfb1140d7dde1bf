package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/atomicfile"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/simulate"
	"github.com/execspec/execspec/trace"
)

// Sharded runs. `run --shard I/N` runs every N-th sample of a seed's
// samples, from sample I-1, and writes what it found into a directory;
// `merge` reads the shards' results and reports what the unsharded run
// would have: a sample's walk depends only on the seed and its index, so
// the lowest-indexed findings of all shards are the run's, and their
// reports (traces, replay commands) are the run's, word for word.

// shardResult is one shard's result, as run writes it and merge reads it.
type shardResult struct {
	Version int `json:"version"`
	// The run: every shard of one run has the same.
	Run shardRun `json:"run"`
	// Shard is this shard's number, from 1 to Shards.
	Shard  int `json:"shard"`
	Shards int `json:"shards"`
	// Stopped is why the shard ended (findings.Stop's words).
	Stopped string         `json:"stopped"`
	Stats   simulate.Stats `json:"stats"`
	// Findings are the shard's, lowest sample first.
	Findings []shardFinding `json:"findings,omitempty"`
}

// shardRun is what makes shards parts of the same run.
type shardRun struct {
	Package     string `json:"package"`
	Model       string `json:"model"`
	Instance    string `json:"instance"`
	Property    string `json:"property,omitempty"`
	Example     bool   `json:"example,omitempty"` // Property is an example
	Seed        string `json:"seed"`
	Strategy    string `json:"strategy"`
	MaxSteps    int    `json:"max_steps"`
	MaxSamples  int    `json:"max_samples"`
	MaxFindings int    `json:"max_findings"`
	Budget      int    `json:"budget"`
	NoShrink    bool   `json:"no_shrink,omitempty"`
}

// shardFinding is one finding of a shard.
type shardFinding struct {
	Sample    int    `json:"sample"`
	Violation bool   `json:"violation"` // an invariant violated or a panic (not an example reached)
	Report    string `json:"report"`    // as run printed it
	ITF       string `json:"itf"`       // the trace, beside the result
}

const shardVersion = 1

// shardFile matches the names of shard results (not their traces).
var shardFile = regexp.MustCompile(`^shard-[0-9]+-of-[0-9]+\.json$`)

// shardFileName is the name of shard i of n's result.
func shardFileName(i, n int) string { return fmt.Sprintf("shard-%d-of-%d.json", i, n) }

// parseShard reads --shard: I/N, or job/N with I from the 0-based
// $JOB_COMPLETION_INDEX that a Kubernetes Indexed Job sets.
func parseShard(v string, getenv func(string) string) (i, n int, err error) {
	is, ns, ok := strings.Cut(v, "/")
	if n, err = strconv.Atoi(ns); !ok || err != nil || n < 1 {
		return 0, 0, usagef("--shard %q: want I/N (shard I of N, from 1/N to N/N) or job/N", v)
	}
	if is == "job" {
		idx := getenv("JOB_COMPLETION_INDEX")
		k, err := strconv.Atoi(idx)
		if err != nil || k < 0 || k >= n {
			return 0, 0, usagef("--shard job/%d: $JOB_COMPLETION_INDEX is %q, not an index from 0 to %d", n, idx, n-1)
		}
		return k + 1, n, nil
	}
	if i, err = strconv.Atoi(is); err != nil || i < 1 || i > n {
		return 0, 0, usagef("--shard %q: shard I of N goes from 1/%d to %d/%d", v, n, n, n)
	}
	return i, n, nil
}

// writeShard writes a shard's result and its findings' traces into dir.
func writeShard(dir string, r *shardResult, traces []*trace.Trace) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--shard-out: %w", err)
	}
	for k, t := range traces {
		name := fmt.Sprintf("shard-%d-of-%d.finding-%d.itf.json", r.Shard, r.Shards, k+1)
		if err := itf.WriteFile(filepath.Join(dir, name), t.ToITF()); err != nil {
			return fmt.Errorf("--shard-out: %w", err)
		}
		r.Findings[k].ITF = name
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("--shard-out: %w", err)
	}
	return atomicfile.Write(filepath.Join(dir, shardFileName(r.Shard, r.Shards)), append(data, '\n'), 0o644)
}

// readShards reads the shard results in each of args (a directory, whose
// shard-*.json files are read, or one such file).
func readShards(args []string) ([]*shardResult, []string, error) {
	var files []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			files = append(files, a)
			continue
		}
		all, err := filepath.Glob(filepath.Join(a, "shard-*-of-*.json"))
		if err != nil {
			return nil, nil, err
		}
		var m []string
		for _, f := range all {
			if shardFile.MatchString(filepath.Base(f)) {
				m = append(m, f)
			}
		}
		if len(m) == 0 {
			return nil, nil, fmt.Errorf("%s holds no shard result (shard-I-of-N.json, written by execspec run --shard I/N --shard-out %s)", a, a)
		}
		files = append(files, m...)
	}
	var out []*shardResult
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		var r shardResult
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, nil, fmt.Errorf("%s: not a shard result: %w", f, err)
		}
		if r.Version != shardVersion {
			return nil, nil, fmt.Errorf("%s: a shard result of version %d; this execspec reads version %d", f, r.Version, shardVersion)
		}
		out = append(out, &r)
	}
	return out, files, nil
}

// mergeShards checks that rs are the N shards of one run, each once, and
// combines them.
func mergeShards(rs []*shardResult, files []string) (*shardResult, error) {
	first := rs[0]
	seen := make(map[int]string)
	for k, r := range rs {
		switch {
		case r.Run != first.Run:
			return nil, fmt.Errorf("%s and %s are shards of different runs (%+v; %+v)", files[0], files[k], first.Run, r.Run)
		case r.Shards != first.Shards:
			return nil, fmt.Errorf("%s is a shard of %d, %s of %d", files[0], first.Shards, files[k], r.Shards)
		case r.Shard < 1 || r.Shard > r.Shards:
			return nil, fmt.Errorf("%s: shard %d of %d", files[k], r.Shard, r.Shards)
		case seen[r.Shard] != "":
			return nil, fmt.Errorf("shard %d of %d appears twice: %s and %s", r.Shard, r.Shards, seen[r.Shard], files[k])
		}
		seen[r.Shard] = files[k]
	}
	var missing []string
	for i := 1; i <= first.Shards; i++ {
		if seen[i] == "" {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("shards %s of %d are missing: a merge needs every shard of the run", strings.Join(missing, ", "), first.Shards)
	}
	m := &shardResult{Version: shardVersion, Run: first.Run, Shards: first.Shards, Stopped: findings.Exhausted.String()}
	for _, r := range rs {
		m.Stats.Add(r.Stats)
		m.Findings = append(m.Findings, r.Findings...)
		if r.Stopped == findings.StoppedInterrupted.String() || r.Stopped == findings.StoppedTimeout.String() {
			m.Stopped = r.Stopped
		}
	}
	sort.Slice(m.Findings, func(i, j int) bool { return m.Findings[i].Sample < m.Findings[j].Sample })
	if len(m.Findings) > first.Run.MaxFindings {
		m.Findings = m.Findings[:first.Run.MaxFindings]
	}
	if len(m.Findings) > 0 && len(m.Findings) == first.Run.MaxFindings {
		m.Stopped = findings.StoppedFindings.String()
	}
	return m, nil
}

// cmdMerge implements `execspec merge DIR...`.
func cmdMerge(args []string, env Env) int {
	fs := newFlagSet("merge", "execspec merge DIR... (or shard-I-of-N.json files): combine the results of the shards of one run (execspec run --shard I/N --shard-out DIR) into the unsharded run's report and exit code (its findings, traces and replay commands word for word; the counts are those of the samples the shards ran)", env.Stderr)
	files, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if len(files) == 0 {
		fs.Usage()
		return ExitUsage
	}
	dirs := files
	for i, d := range dirs {
		if !filepath.IsAbs(d) {
			dirs[i] = filepath.Join(env.Dir, d)
		}
	}
	rs, files, err := readShards(dirs)
	if err == nil {
		var m *shardResult
		if m, err = mergeShards(rs, files); err == nil {
			return printMerged(env, m)
		}
	}
	fmt.Fprintf(env.Stderr, "execspec merge: %v\n", err)
	return ExitUsage
}

// printMerged writes the merged report and returns the run's exit code.
func printMerged(env Env, m *shardResult) int {
	r := m.Run
	w := env.Stdout
	fmt.Fprintf(w, "execspec merge: %d shards of execspec run %s --instance %s%s --seed %s --strategy %s: up to %d samples of up to %d steps\n",
		m.Shards, r.Package, r.Instance, propFlag(r.Property), r.Seed, r.Strategy, r.MaxSamples, r.MaxSteps)
	violation := false
	for _, f := range m.Findings {
		fmt.Fprint(w, f.Report)
		violation = violation || f.Violation
	}
	writeRunSummary(w, m.Stats, stopOf(m.Stopped), " summed over the shards")
	switch {
	case violation:
		return ExitViolation
	case r.Example && len(m.Findings) > 0:
		return ExitExample
	case m.Stopped == findings.StoppedTimeout.String() || m.Stopped == findings.StoppedInterrupted.String():
		return ExitIncomplete
	case r.Example:
		fmt.Fprintf(w, "example %s not reached\n", r.Property)
		return ExitNoExample
	}
	return ExitOK
}

// stopOf returns the Stop named s.
func stopOf(s string) findings.Stop {
	for _, st := range []findings.Stop{findings.StoppedInterrupted, findings.StoppedTimeout, findings.StoppedFindings} {
		if st.String() == s {
			return st
		}
	}
	return findings.Exhausted
}
