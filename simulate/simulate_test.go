package simulate_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/simulate"
	"github.com/execspec/execspec/trace"
)

func dns(t *testing.T, plans, keep int, fixed bool) *machine.Machine[dnsbalancer.State] {
	t.Helper()
	mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(plans, keep, fixed)))
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

func printed(t *testing.T, tr *trace.Trace) string {
	t.Helper()
	var b bytes.Buffer
	if err := tr.Print(&b, trace.PrintOptions{FullStates: true, Highlight: -1}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFindsTheDNSOutageOnN3_5_3(t *testing.T) {
	mc := dns(t, 5, 3, false)
	res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 123, Property: "no_inconsistent_root", Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("findings: %d, want 1", len(res.Findings))
	}
	f := res.Findings[0]
	if f.Kind != findings.InvariantViolated || f.Property != "no_inconsistent_root" {
		t.Fatalf("finding %v %s", f.Kind, f.Property)
	}
	last := f.Trace.Steps[len(f.Trace.Steps)-1]
	if last.Action != "cleanup" {
		t.Errorf("the violating step is %s, want the cleanup that deletes the root's plan", last.Action)
	}
}

// Findings, and their traces, do not depend on the number of workers, and a
// sample replays alone from (seed, sample).
func TestDeterministicAcrossWorkersAndReplay(t *testing.T) {
	mc := dns(t, 5, 3, false)
	var traces []string
	var samples []int
	for _, workers := range []int{1, 2, 2} {
		res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 7, Property: "no_inconsistent_root", Workers: workers, MaxFindings: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != 2 {
			t.Fatalf("workers %d: %d findings", workers, len(res.Findings))
		}
		traces = append(traces, printed(t, res.Findings[0].Trace)+printed(t, res.Findings[1].Trace))
		samples = append(samples, res.Findings[0].Sample)
	}
	if traces[0] != traces[1] || traces[1] != traces[2] {
		t.Fatal("findings differ between runs with 1 and 2 workers")
	}
	tr, f, err := simulate.Replay(mc, simulate.Options{Seed: 7, Property: "no_inconsistent_root"}, samples[0])
	if err != nil || f == nil {
		t.Fatalf("replay: %v, finding %v", err, f)
	}
	res, _ := simulate.Run(context.Background(), mc, simulate.Options{Seed: 7, Property: "no_inconsistent_root", Workers: 1})
	if printed(t, tr) != printed(t, res.Findings[0].Trace) {
		t.Fatal("replay of the sample differs from the run's trace")
	}
}

// An action whose guard rarely holds still fires: actions are chosen among
// the enabled ones, not drawn blind.
func TestRarelyEnabledActionsFire(t *testing.T) {
	type st struct{ N, Cleaned int }
	m := execspec.NewModel[st]("rare")
	m.Init(func(c *execspec.Ctx[st]) {})
	m.Action("tick", func(c *execspec.Ctx[st]) { c.Assume(c.S.N < 3); c.S.N++ })
	for _, name := range []string{"noise1", "noise2", "noise3", "noise4", "noise5", "noise6", "noise7", "noise8"} {
		m.Action(name, func(c *execspec.Ctx[st]) {
			k := execspec.IntRange(c, "k", 0, 50)
			c.Assume(k < 0)
		})
	}
	m.Action("cleanup", func(c *execspec.Ctx[st]) {
		c.Assume(c.S.N == 3)
		c.S.Cleaned++
		c.S.N = 0
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 1, MaxSamples: 200, MaxSteps: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Stats.Actions {
		switch {
		case a.Name == "cleanup" && a.Fired != 1000:
			t.Errorf("cleanup fired %d times in %d steps; it is enabled at every fourth step", a.Fired, res.Stats.Steps)
		case strings.HasPrefix(a.Name, "noise") && a.Fired != 0:
			t.Errorf("%s fired", a.Name)
		case strings.HasPrefix(a.Name, "noise") && a.Runs != a.Tried*51:
			t.Errorf("%s: %d executions for %d tries; deciding it costs all 51 branches", a.Name, a.Runs, a.Tried)
		}
	}
	if res.Stats.Steps != 200*20 {
		t.Errorf("steps = %d, want %d", res.Stats.Steps, 200*20)
	}
}

func TestExamplesAndPanics(t *testing.T) {
	mc := dns(t, 5, 3, false)
	res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 1, Property: "plans3"})
	if err != nil || len(res.Findings) != 1 || res.Findings[0].Kind != findings.ExampleFound {
		t.Fatalf("plans3: %v %+v", err, res)
	}
	if n := len(res.Findings[0].Trace.Steps); n < 4 {
		t.Fatalf("plans3 witness has %d states; three plans need at least 3 steps", n)
	}

	type st struct{ N int }
	m := execspec.NewModel[st]("panicky")
	m.Init(func(c *execspec.Ctx[st]) {})
	m.Action("inc", func(c *execspec.Ctx[st]) {
		by := execspec.IntRange(c, "by", 1, 2)
		c.S.N += by
		if c.S.N == 5 {
			panic("five")
		}
	})
	pmc, _ := machine.Compile(m)
	pres, err := simulate.Run(context.Background(), pmc, simulate.Options{Seed: 3})
	if err != nil || len(pres.Findings) != 1 {
		t.Fatalf("panicky: %v %+v", err, pres)
	}
	f := pres.Findings[0]
	var pe *machine.PanicError
	if f.Kind != findings.Panicked || !errors.As(f.Err, &pe) || pe.Where != "action inc" || len(pe.Picks) != 1 {
		t.Fatalf("panic finding %+v", f)
	}
}

func TestBadOptionsAndNames(t *testing.T) {
	mc := dns(t, 5, 3, false)
	for _, o := range []simulate.Options{{MaxSteps: -1}, {MaxSamples: -3}, {Workers: -1}} {
		if _, err := simulate.Run(context.Background(), mc, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	_, err := simulate.Run(context.Background(), mc, simulate.Options{Property: "nope"})
	var un *execspec.UnknownNameError
	if !errors.As(err, &un) || !strings.Contains(err.Error(), "no_inconsistent_root") {
		t.Fatalf("unknown property: %v", err)
	}
}

// recordingTB captures what Test reports instead of failing the real test.
type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestTestReportsFindingsWithReplayInfo(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // failing traces are saved under ./testdata
	rec := &recordingTB{TB: t}
	simulate.Test(rec, dnsbalancer.New(dnsbalancer.Instance(5, 3, false)), simulate.Options{Seed: 123, Property: "no_inconsistent_root"})
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "invariant violated: no_inconsistent_root") ||
		!strings.Contains(rec.errors[0], "step 0: init") || !strings.Contains(rec.errors[0], "saved as "+filepath.Join(dir, "testdata/execspec/TestTestReportsFindingsWithReplayInfo")+"/") ||
		!strings.Contains(rec.errors[0], "reproduce with: go test -run '^TestTestReportsFindingsWithReplayInfo$' github.com/execspec/execspec/simulate") {
		t.Fatalf("reported: %q", rec.errors)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "testdata/execspec/TestTestReportsFindingsWithReplayInfo/*.itf.json"))
	if len(files) != 1 {
		t.Fatalf("saved traces: %v", files)
	}
	// The next run replays the saved trace first and fails on it without
	// searching (a seed that would find nothing in one sample).
	rec = &recordingTB{TB: t}
	if res := simulate.Test(rec, dnsbalancer.New(dnsbalancer.Instance(5, 3, false)), simulate.Options{Seed: 1, MaxSamples: 1, MaxSteps: 1, Property: "no_inconsistent_root"}); res != nil {
		t.Errorf("searched although a saved trace fails")
	}
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "from the saved trace "+files[0]) {
		t.Fatalf("saved trace replay: %q", rec.errors)
	}
	// The fixed model forbids a step of the saved trace: the file no longer
	// fits, which is reported rather than ignored.
	rec = &recordingTB{TB: t}
	simulate.Test(rec, dnsbalancer.New(dnsbalancer.Instance(5, 3, true)), simulate.Options{Seed: 1, MaxSamples: 100})
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "no longer fits model") {
		t.Fatalf("a saved trace the model no longer allows: %q", rec.errors)
	}
	if err := os.RemoveAll("testdata"); err != nil {
		t.Fatal(err)
	}
	rec = &recordingTB{TB: t}
	simulate.Test(rec, dnsbalancer.New(dnsbalancer.Instance(5, 3, true)), simulate.Options{Seed: 1, MaxSamples: 100})
	if len(rec.errors) != 0 {
		t.Fatalf("the fixed model failed: %q", rec.errors)
	}
	rec = &recordingTB{TB: t}
	simulate.Test(rec, dnsbalancer.New(dnsbalancer.Instance(5, 3, true)), simulate.Options{Seed: 1, MaxSamples: 10, MaxSteps: 2, Property: "epoch5"})
	want := "example epoch5 not reached (10 sample(s) of up to 2 steps (20 steps in all), seed 1)"
	if testing.Short() {
		want = "example epoch5 not reached (1 sample(s) of up to 2 steps (2 steps in all), seed 1)" // -short divides the samples by 10
	}
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], want) {
		t.Fatalf("an unreachable example: %q", rec.errors)
	}
}

// A panic in user code fails the test even when the search is for an
// example (any finding used to count as the example reached).
func TestTestPanicDuringExampleSearchFails(t *testing.T) {
	t.Chdir(t.TempDir())
	m := execspec.NewModel[struct{ N int }]("panicky")
	m.Init(func(c *execspec.Ctx[struct{ N int }]) {})
	m.Action("inc", func(c *execspec.Ctx[struct{ N int }]) {
		if c.S.N == 3 {
			panic("boom")
		}
		c.S.N++
	})
	m.Example("ten", func(s *struct{ N int }) bool { return s.N == 10 })
	rec := &recordingTB{TB: t}
	simulate.Test(rec, m, simulate.Options{Seed: 1, MaxSamples: 5, Property: "ten"})
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "panic: ") || !strings.Contains(rec.errors[0], "boom") {
		t.Fatalf("reported: %q", rec.errors)
	}
}

// The recording TB used above records what it is told: a sanity check of
// the helper itself, failure path included.
func TestRecordingTB(t *testing.T) {
	rec := &recordingTB{TB: t}
	rec.Errorf("a %d", 1)
	rec.Fatalf("b %s", "x")
	if len(rec.errors) != 2 || rec.errors[0] != "a 1" || rec.errors[1] != "b x" {
		t.Fatalf("recorded %q", rec.errors)
	}
}

// TestRefusesTemporal: simulation and replay by seed never pass a temporal
// property silently: they refuse it with an error wrapping
// engine.ErrTemporal; with no property they check the invariants only.
func TestRefusesTemporal(t *testing.T) {
	mc := dns(t, 5, 3, true)
	_, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 1, MaxSamples: 1, Property: "no_stuck_deployer"})
	if !errors.Is(err, engine.ErrTemporal) || !strings.Contains(err.Error(), "no_stuck_deployer") {
		t.Errorf("Run: %v, want engine.ErrTemporal", err)
	}
	if _, _, err := simulate.Replay(mc, simulate.Options{Seed: 1, Property: "no_stuck_deployer"}, 0); !errors.Is(err, engine.ErrTemporal) {
		t.Errorf("Replay: %v, want engine.ErrTemporal", err)
	}
	res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 1, MaxSamples: 5})
	if err != nil || len(res.Findings) > 0 {
		t.Errorf("every invariant: %v, %v", err, res)
	}
}

// Every strategy is deterministic for any number of workers, and a
// finding replays from (seed, sample, strategy). Guided search reaches the
// realistic DNS outage (a deployer 21 plans behind: 45 steps at least)
// with 50-step samples, which uniform choice does not.
func TestStrategiesDeterministicAndReplayable(t *testing.T) {
	for _, tc := range []struct {
		strategy simulate.Strategy
		plans    int
		keep     int
		steps    int
	}{
		{simulate.Swarm, 5, 3, 100},
		{simulate.Guided, 5, 3, 100},
		{simulate.Guided, 30, 20, 50},
	} {
		t.Run(fmt.Sprintf("%s/keep%d", tc.strategy, tc.keep), func(t *testing.T) {
			mc := dns(t, tc.plans, tc.keep, false)
			var runs []*simulate.Result
			for _, workers := range []int{1, 2} {
				res, err := simulate.Run(context.Background(), mc, simulate.Options{Seed: 3, Strategy: tc.strategy, MaxSteps: tc.steps, Property: "no_inconsistent_root", Workers: workers, MaxSamples: 20000})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Findings) != 1 {
					t.Fatalf("workers %d: %d findings in %d samples", workers, len(res.Findings), res.Stats.Samples)
				}
				runs = append(runs, res)
			}
			a, b := runs[0].Findings[0], runs[1].Findings[0]
			if a.Sample != b.Sample || printed(t, a.Trace) != printed(t, b.Trace) {
				t.Fatalf("1 and 2 workers differ: samples %d and %d", a.Sample, b.Sample)
			}
			tr, f, err := simulate.Replay(mc, simulate.Options{Seed: 3, Strategy: tc.strategy, MaxSteps: tc.steps, Property: "no_inconsistent_root"}, a.Sample)
			if err != nil || f == nil || printed(t, tr) != printed(t, a.Trace) {
				t.Fatalf("replay of sample %d: %v, finding %v", a.Sample, err, f)
			}
		})
	}
}
