package check_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/twophase"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// outcome is what a resumed search must reproduce exactly.
type outcome struct {
	Complete   bool
	Stopped    findings.Stop
	Distinct   int64
	Generated  int64
	Depth      int
	Levels     []check.Level
	Findings   []string // property and trace, as printed
	Symmetries []string
}

func outcomeOf(res *check.Result) outcome {
	o := outcome{Complete: res.Complete, Stopped: res.Stopped, Distinct: res.Stats.Distinct, Generated: res.Stats.Generated,
		Depth: res.Stats.Depth, Levels: res.Stats.Levels, Symmetries: res.Symmetries}
	for _, f := range res.Findings {
		var b strings.Builder
		if err := f.Trace.Print(&b, trace.PrintOptions{}); err != nil {
			panic(err)
		}
		msg := ""
		if f.Err != nil {
			msg = f.Err.Error()
		}
		o.Findings = append(o.Findings, f.Kind.String()+" "+f.Property+" "+msg+"\n"+b.String())
	}
	return o
}

// interruptAt runs a search with a checkpoint after every level, cancels it
// once the checkpoint of level stop is written, and returns what it
// reported.
func interruptAt[S any](t *testing.T, mc *machine.Machine[S], opts check.Options, dir string, stop int) *check.Result {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts.Checkpoint = check.CheckpointOptions{Dir: dir, Every: time.Nanosecond, ID: "test", Saved: func(levels int, _ int64) {
		if levels >= stop {
			cancel()
		}
	}}
	res, err := check.Run(ctx, mc, opts)
	if err != nil {
		t.Fatalf("interrupted at level %d: %v", stop, err)
	}
	return res
}

// TestResumeEqualsUninterrupted stops searches after each level in turn,
// resumes them (with another number of workers), and compares the outcome
// with a search never interrupted: counts, levels, depth and traces, on a
// model whose search completes (TwoPhase, 3 RMs), and on one that ends at
// a shortest counterexample 11 steps deep (the DNS balancer, with and
// without symmetry).
func TestResumeEqualsUninterrupted(t *testing.T) {
	type instance struct {
		name string
		run  func(t *testing.T)
	}
	cases := []instance{
		{"twophase rm3", func(t *testing.T) {
			mc, err := machine.Compile(twophase.New(3))
			if err != nil {
				t.Fatal(err)
			}
			resumeAtEveryLevel(t, mc, check.Options{Workers: 1, NoSymmetry: true})
		}},
		{"dnsbalancer n3_5_3 symmetry", func(t *testing.T) {
			mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(5, 3, false)))
			if err != nil {
				t.Fatal(err)
			}
			resumeAtEveryLevel(t, mc, check.Options{Workers: 2, NoTemporal: true})
		}},
		{"dnsbalancer n3_5_3 no symmetry", func(t *testing.T) {
			mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(5, 3, false)))
			if err != nil {
				t.Fatal(err)
			}
			resumeAtEveryLevel(t, mc, check.Options{Workers: 1, NoTemporal: true, NoSymmetry: true, Fingerprint128: true})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// hazard counts up by 1 or 2 and meets a violation, a panicking invariant,
// a second violation and a panicking action on its way.
type hazard struct{ N int }

func hazardModel() *execspec.Model[hazard] {
	m := execspec.NewModel[hazard]("hazard")
	m.Init(func(c *execspec.Ctx[hazard]) {})
	m.Action("inc", func(c *execspec.Ctx[hazard]) {
		k := execspec.IntRange(c, "k", 1, 2)
		if c.S.N == 9 && k == 2 {
			panic("inc exploded at 9")
		}
		if c.Assume(c.S.N < 12) {
			c.S.N += k
		}
	})
	m.Invariant("not_3", func(s *hazard) bool { return s.N != 3 })
	m.Invariant("calm_at_5", func(s *hazard) bool {
		if s.N == 5 {
			panic("invariant exploded at 5")
		}
		return true
	})
	m.Invariant("not_8", func(s *hazard) bool { return s.N != 8 })
	return m
}

// TestResumeKeepsFindings: with MaxFindings above 1 the search goes on
// after its first findings, and checkpoints keep them: a search resumed
// after any level reports the same findings, errors of panics included
// (derived again when the traces are rebuilt), as one never interrupted.
func TestResumeKeepsFindings(t *testing.T) {
	mc, err := machine.Compile(hazardModel())
	if err != nil {
		t.Fatal(err)
	}
	opts := check.Options{Workers: 1, MaxFindings: 20}
	want := outcomeOf(mustRun(t, mc, opts))
	if len(want.Findings) < 4 {
		t.Fatalf("the search should find a violation, a panicking invariant, a second violation and a panicking action: %q", want.Findings)
	}
	resumeAtEveryLevel(t, mc, opts)
}

func resumeAtEveryLevel[S any](t *testing.T, mc *machine.Machine[S], opts check.Options) {
	want := outcomeOf(mustRun(t, mc, opts))
	if want.Depth < 5 {
		t.Fatalf("the search is too shallow to interrupt: depth %d", want.Depth)
	}
	// The first levels (the initial states' record has no parent), one in
	// the middle, and the last before the search ends.
	for _, stop := range []int{1, 2, want.Depth / 2, want.Depth - 1} {
		dir := t.TempDir()
		first := interruptAt(t, mc, opts, dir, stop)
		if first.Stopped != findings.StoppedInterrupted || first.Complete {
			t.Fatalf("stop %d: the first search ended %s, want interrupted", stop, first.Stopped)
		}
		if _, err := os.Stat(check.CheckpointPath(dir)); err != nil {
			t.Fatalf("stop %d: no checkpoint after the interruption: %v", stop, err)
		}
		resumed := opts
		resumed.Workers = 3 - opts.Workers // counts and traces do not depend on it
		resumed.Checkpoint = check.CheckpointOptions{Dir: dir, Resume: true, ID: "test"}
		res := mustRun(t, mc, resumed)
		got := outcomeOf(res)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("resumed after level %d:\n got %+v\nwant %+v", stop, got, want)
		}
		// The states restored are told apart from those found.
		if r := res.Stats.Resumed; r <= 0 || r > first.Stats.Distinct || r >= res.Stats.Distinct {
			t.Fatalf("stop %d: %d states restored, of %d; the interrupted search had %d", stop, r, res.Stats.Distinct, first.Stats.Distinct)
		}
		if _, err := os.Stat(check.CheckpointPath(dir)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("stop %d: the finished search left its checkpoint (%v)", stop, err)
		}
	}
}

func mustRun[S any](t *testing.T, mc *machine.Machine[S], opts check.Options) *check.Result {
	t.Helper()
	res, err := check.Run(context.Background(), mc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestResumeRefusesAnotherSearch: a checkpoint resumes only the search
// that wrote it; a damaged one is refused with what is wrong, never
// resumed into other counts.
func TestResumeRefusesAnotherSearch(t *testing.T) {
	mc, err := machine.Compile(twophase.New(3))
	if err != nil {
		t.Fatal(err)
	}
	opts := check.Options{Workers: 1, NoSymmetry: true}
	dir := t.TempDir()
	interruptAt(t, mc, opts, dir, 3)
	path := check.CheckpointPath(dir)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	resume := func(o check.Options, id string) error {
		o.Checkpoint = check.CheckpointOptions{Dir: dir, Resume: true, ID: id}
		_, err := check.Run(context.Background(), mc, o)
		return err
	}
	other, err := machine.Compile(twophase.New(4))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		file []byte // nil: the good checkpoint
		run  func() error
		want string
	}{
		{"another option", nil, func() error { o := opts; o.MaxDepth = 9; return resume(o, "test") }, `saved "max depth=0", now "max depth=9"`},
		{"another ID", nil, func() error { return resume(opts, "changed") }, `saved "id=test", now "id=changed"`},
		{"another model", nil, func() error {
			o := opts
			o.Checkpoint = check.CheckpointOptions{Dir: dir, Resume: true, ID: "test"}
			_, err := check.Run(context.Background(), other, o)
			return err
		}, "saved by another search"},
		{"a flipped byte in a fingerprint", flip(good, len(good)/3), func() error { return resume(opts, "test") }, "checksum mismatch"},
		{"a flipped byte in the frontier's records", flip(good, len(good)-6), func() error { return resume(opts, "test") }, "damaged"},
		{"truncated", good[:len(good)-7], func() error { return resume(opts, "test") }, "damaged"},
		{"not a checkpoint", []byte("hello"), func() error { return resume(opts, "test") }, "not an execspec checkpoint"},
		{"trailing data", append(append([]byte{}, good...), 0), func() error { return resume(opts, "test") }, "data after the checksum"},
	}
	for _, c := range cases {
		file := good
		if c.file != nil {
			file = c.file
		}
		if err := os.WriteFile(path, file, 0o644); err != nil {
			t.Fatal(err)
		}
		err := c.run()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
	os.Remove(path)
	if err := resume(opts, "test"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no checkpoint: %v, want a not-exist error", err)
	}
}

func flip(b []byte, i int) []byte {
	out := append([]byte{}, b...)
	out[i] ^= 0x40
	return out
}

// TestCheckpointOptions: checkpoints are BFS's, resuming needs a
// directory, and one that cannot be written stops the search with an
// error rather than going on without it.
func TestCheckpointOptions(t *testing.T) {
	mc, err := machine.Compile(twophase.New(3))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opts check.Options
		want string
	}{
		{check.Options{Strategy: check.DFS, Checkpoint: check.CheckpointOptions{Dir: t.TempDir()}}, "checkpoints need the breadth-first search"},
		{check.Options{Checkpoint: check.CheckpointOptions{Resume: true}}, "resuming needs the checkpoint's directory"},
		{check.Options{Checkpoint: check.CheckpointOptions{Dir: t.TempDir(), Every: -time.Second}}, "must not be negative"},
		{check.Options{Checkpoint: check.CheckpointOptions{Dir: filepath.Join(file, "sub"), Every: time.Nanosecond}}, "writing checkpoint"},
	} {
		_, err := check.Run(context.Background(), mc, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opts.Checkpoint, err, c.want)
		}
	}
}
