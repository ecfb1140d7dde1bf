package mbt_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt"
)

// The correct implementation passes 1,000 random traces, refusals included.
func TestCorrectImplementationPasses(t *testing.T) {
	rt := newRecTB(t, "TestBank")
	rep := mbt.Run(rt, bankModel(), newBankDriver(correct), mbt.Options{Seed: 7, Traces: 1000, Dir: t.TempDir()})
	if rt.Failed() {
		t.Fatalf("the correct implementation failed:\n%s", rt.errors())
	}
	t.Logf("%s", rep)
	if rep.Traces != expectTraces(1000) {
		t.Errorf("ran %d traces, want %d", rep.Traces, expectTraces(1000))
	}
	if !rep.Observed || rep.States < 50 || rep.Refusals == 0 {
		t.Errorf("report: observed %v, %d states, %d refusals; want states compared, many states, some refusals", rep.Observed, rep.States, rep.Refusals)
	}
	for _, a := range rep.Actions {
		if a.Performed == 0 || a.Refused == 0 {
			t.Errorf("action %s: performed %d, refused %d; want both", a.Name, a.Performed, a.Refused)
		}
	}
	if acts, exs := rep.Unexercised(); len(acts)+len(exs) > 0 {
		t.Errorf("unexercised: %v %v", acts, exs)
	}
}

// expectTraces is n, or what -short and the flags make of it.
func expectTraces(n int) int {
	if v := os.Getenv("EXECSPEC_TRACES"); v != "" {
		return -1 // set from outside: do not check
	}
	if testing.Short() {
		return n / 10
	}
	return n
}

// Every planted bug is found, shrunk to a short trace, saved, and replayed
// first (failing the same way) by the next run, which generates nothing new.
func TestPlantedBugs(t *testing.T) {
	for _, tc := range []struct {
		bug    bug
		kind   mbt.DivergenceKind
		action string
		maxLen int
	}{
		{offByOne, mbt.Refused, "deposit", 3}, // optimum 2 (3+2) needs raising a pick
		{lostUpdate, mbt.StateMismatch, "commit", 3},
		{missingGuard, mbt.Performed, "withdraw", 1},
		{panicky, mbt.Panicked, "commit", 3},
	} {
		t.Run(string(tc.bug), func(t *testing.T) {
			dir := t.TempDir()
			name := "TestBank/" + string(tc.bug)
			rt := newRecTB(t, name)
			rep := mbt.Run(rt, bankModel(), newBankDriver(tc.bug), mbt.Options{Seed: 1, Traces: 1000, Dir: dir})
			d := rep.Divergence
			if d == nil {
				t.Fatalf("bug not found in %d traces:\n%s", rep.Traces, rt.errors())
			}
			t.Logf("found in %s: %d steps, shrunk to %d in %d runs", d.Source, d.Original, d.Len(), d.ShrinkRuns)
			if d.Kind != tc.kind || d.Action != tc.action {
				t.Errorf("divergence %v at %s, want %v at %s", d.Kind, d.Action, tc.kind, tc.action)
			}
			if d.Len() > tc.maxLen {
				t.Errorf("shrunk to %d steps, want at most %d:\n%s", d.Len(), tc.maxLen, rt.errors())
			}
			msg := rt.errors()
			want := filepath.Join(dir, "TestBank", string(tc.bug))
			if filepath.Dir(d.File) != want || !strings.HasSuffix(d.File, ".itf.json") {
				t.Errorf("saved as %q, want a file in %s", d.File, want)
			}
			for _, s := range []string{d.File, strings.SplitAfter(engine.TestCommand("TestX"), " -run ")[0] + `'^TestBank$/^` + string(tc.bug) + `$' github.com/execspec/execspec/mbt`, "trace (model states):", "cmd/execspec view " + d.File} {
				if !strings.Contains(msg, s) {
					t.Errorf("failure message lacks %q:\n%s", s, msg)
				}
			}
			if _, err := os.Stat(filepath.Join(rt.artifacts, filepath.Base(d.File))); err != nil {
				t.Errorf("no copy in the artifact directory: %v", err)
			}
			saved, err := itf.ReadFile(d.File)
			if err != nil {
				t.Fatalf("saved trace unreadable: %v", err)
			}
			// The divergence is in #meta, for the page to show it: at the
			// last step, with the fields side by side for a mismatch.
			dv, _ := saved[0].Meta[mbt.MetaDivergence].(map[string]any)
			if step, _ := dv["step"].(json.Number).Int64(); dv == nil || int(step) != d.Step || dv["kind"] != d.Kind.String() {
				t.Errorf("#meta divergence %v, want step %d kind %s", dv, d.Step, d.Kind)
			}
			if fields, _ := dv["fields"].([]any); tc.kind == mbt.StateMismatch && len(fields) != len(d.Diff) {
				t.Errorf("#meta divergence fields %v, want %d", fields, len(d.Diff))
			}
			if testing.Verbose() {
				t.Logf("failure message:\n%s", msg)
			}

			// A later run replays the saved trace first and fails the same way.
			rt2 := newRecTB(t, name)
			rep2 := mbt.Run(rt2, bankModel(), newBankDriver(tc.bug), mbt.Options{Seed: 99, Traces: 1000, Dir: dir})
			d2 := rep2.Divergence
			switch {
			case rep2.Saved != 1 || rep2.Traces != 0:
				t.Errorf("second run: %d saved traces replayed, %d generated; want 1 and 0", rep2.Saved, rep2.Traces)
			case d2 == nil:
				t.Errorf("second run passed:\n%s", rt2.errors())
			case d2.Kind != d.Kind || d2.Len() != d.Len() || d2.File != d.File:
				t.Errorf("second run: %v in %d steps from %s; want %v in %d from %s", d2.Kind, d2.Len(), d2.File, d.Kind, d.Len(), d.File)
			}

			// Replay reports the same divergence from the file; once fixed,
			// the implementation passes the saved trace and new ones.
			rt3 := newRecTB(t, name)
			mbt.Replay(rt3, bankModel(), newBankDriver(tc.bug), mbt.Options{}, d.File)
			if !strings.Contains(rt3.errors(), d.Kind.String()) {
				t.Errorf("Replay of the saved trace: got %q, want %q", rt3.errors(), d.Kind)
			}
			rt4 := newRecTB(t, name)
			rep4 := mbt.Run(rt4, bankModel(), newBankDriver(correct), mbt.Options{Seed: 3, Traces: 50, Dir: dir})
			if rt4.Failed() || rep4.Saved != 1 || rep4.Traces == 0 {
				t.Errorf("fixed implementation: %d saved, %d new traces, errors:\n%s", rep4.Saved, rep4.Traces, rt4.errors())
			}
		})
	}
}

// The same seed gives the same traces, the same shrunk trace and the same
// file, byte for byte.
func TestDeterministic(t *testing.T) {
	var files [2][]byte
	var names [2]string
	for i := range files {
		dir := t.TempDir()
		rt := newRecTB(t, "TestDet")
		rep := mbt.Run(rt, bankModel(), newBankDriver(lostUpdate), mbt.Options{Seed: 5, Traces: 500, Dir: dir})
		if rep.Divergence == nil {
			t.Fatalf("no divergence")
		}
		data, err := os.ReadFile(rep.Divergence.File)
		if err != nil {
			t.Fatal(err)
		}
		files[i], names[i] = data, filepath.Base(rep.Divergence.File)
	}
	if names[0] != names[1] || string(files[0]) != string(files[1]) {
		t.Errorf("two runs with the same seed saved different traces: %s, %s", names[0], names[1])
	}
	a := mbt.Run(newRecTB(t, "TestDet"), bankModel(), newBankDriver(correct), mbt.Options{Seed: 11, Traces: 100, Dir: t.TempDir()})
	b := mbt.Run(newRecTB(t, "TestDet"), bankModel(), newBankDriver(correct), mbt.Options{Seed: 11, Traces: 100, Dir: t.TempDir()})
	if a.Steps != b.Steps || a.States != b.States || a.Refusals != b.Refusals {
		t.Errorf("same seed, different runs: %d/%d steps, %d/%d states, %d/%d refusals", a.Steps, b.Steps, a.States, b.States, a.Refusals, b.Refusals)
	}
}

// Fields that cannot match are ignored by declaration.
func TestIgnore(t *testing.T) {
	rt := newRecTB(t, "TestIgnore")
	rep := mbt.Run(rt, bankModel(), newBankDriver(randomIDs), mbt.Options{Seed: 1, Traces: 20, Dir: t.TempDir()})
	if rep.Divergence == nil || rep.Divergence.Kind != mbt.StateMismatch || rep.Divergence.Step != 0 {
		t.Fatalf("want a state mismatch right after Reset, got %+v\n%s", rep.Divergence, rt.errors())
	}
	if msg := rt.errors(); !strings.Contains(msg, "version:") || !strings.Contains(msg, "implementation: 1000") && !strings.Contains(msg, "implementation: ") {
		t.Errorf("the diff does not name the field:\n%s", msg)
	}
	rt = newRecTB(t, "TestIgnore")
	mbt.Run(rt, bankModel(), newBankDriver(randomIDs), mbt.Options{Seed: 1, Traces: 100, Dir: t.TempDir(), Ignore: []string{"version"}})
	if rt.Failed() {
		t.Errorf("with version ignored:\n%s", rt.errors())
	}
	rt = newRecTB(t, "TestIgnore")
	if rep := mbt.Run(rt, bankModel(), newBankDriver(correct), mbt.Options{Ignore: []string{"versoin"}}); rep != nil || !strings.Contains(rt.errors(), "valid: balances, pending, version") {
		t.Errorf("a misspelt variable should be refused with the valid names, got:\n%s", rt.errors())
	}
}

// BFS tests every transition up to a depth; Coverage performs and refuses
// every action and reaches every example.
func TestStrategies(t *testing.T) {
	rt := newRecTB(t, "TestBFS")
	rep := mbt.Run(rt, bankModel(), newBankDriver(correct), mbt.Options{Strategy: mbt.BFS, Steps: 3, Traces: 100000, Dir: t.TempDir()})
	if rt.Failed() || rep.Incomplete != "" {
		t.Fatalf("bfs on the correct implementation: %s\n%s", rep.Incomplete, rt.errors())
	}
	t.Logf("bfs depth 3: %d traces, %d steps, %d states", rep.Traces, rep.Steps, rep.States)
	rt = newRecTB(t, "TestBFS")
	rep = mbt.Run(rt, bankModel(), newBankDriver(lostUpdate), mbt.Options{Strategy: mbt.BFS, Steps: 3, Traces: 100000, Dir: t.TempDir()})
	if rep.Divergence == nil || rep.Divergence.Len() != 3 {
		t.Errorf("bfs depth 3 should find the lost update in 3 steps, got %+v", rep.Divergence)
	}
	rt = newRecTB(t, "TestBFS")
	rep = mbt.Run(rt, bankModel(), newBankDriver(correct), mbt.Options{Strategy: mbt.BFS, Steps: 5, Traces: 200, Dir: t.TempDir()})
	if rt.Failed() || rep.Traces == 0 || rep.Traces > 200 || rep.Incomplete == "" {
		t.Errorf("capped bfs: %d traces, incomplete %q; want at most 200 and a note\n%s", rep.Traces, rep.Incomplete, rt.errors())
	}
	t.Logf("capped bfs: %d traces: %s", rep.Traces, rep.Incomplete)

	rt = newRecTB(t, "TestCoverage")
	rep = mbt.Run(rt, bankModel(), newBankDriver(correct), mbt.Options{Strategy: mbt.Coverage, Steps: 10, Dir: t.TempDir()})
	if rt.Failed() || rep.Incomplete != "" {
		t.Fatalf("coverage: %s\n%s", rep.Incomplete, rt.errors())
	}
	for _, a := range rep.Actions {
		if a.Performed == 0 || a.Refused == 0 {
			t.Errorf("coverage: action %s performed %d, refused %d", a.Name, a.Performed, a.Refused)
		}
	}
	if _, exs := rep.Unexercised(); len(exs) > 0 {
		t.Errorf("coverage: examples not reached: %v", exs)
	}
	t.Logf("coverage: %d traces, %d steps", rep.Traces, rep.Steps)
	for _, b := range []bug{offByOne, lostUpdate, missingGuard} {
		rt = newRecTB(t, "TestCoverage")
		rep = mbt.Run(rt, bankModel(), newBankDriver(b), mbt.Options{Strategy: mbt.Coverage, Steps: 10, Dir: t.TempDir()})
		t.Logf("coverage with %s: diverged %v", b, rep.Divergence != nil)
	}
}

// Coverage proposes steps the model does not allow unless DisabledRate is
// negative, and never an environment action's (the implementation cannot
// refuse a tick), so neither leaves its search incomplete.
func TestCoverageRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, rt *recTB) *mbt.Report
		// refused is the number of refusals wanted per action (-1: some).
		refused map[string]int
	}{
		{"bank", func(t *testing.T, rt *recTB) *mbt.Report {
			return mbt.Run(rt, bankModel(), newBankDriver(correct), mbt.Options{Strategy: mbt.Coverage, Steps: 10, Dir: t.TempDir()})
		}, map[string]int{"deposit": -1, "withdraw": -1}},
		{"bank, DisabledRate -1", func(t *testing.T, rt *recTB) *mbt.Report {
			return mbt.Run(rt, bankModel(), newBankDriver(correct), mbt.Options{Strategy: mbt.Coverage, DisabledRate: -1, Steps: 10, Dir: t.TempDir()})
		}, map[string]int{"deposit": 0, "withdraw": 0}},
		{"clock", func(t *testing.T, rt *recTB) *mbt.Report {
			return mbt.Run(rt, clockModel(), func(testing.TB) mbt.Driver[clock] { return &clockDriver{} }, mbt.Options{Strategy: mbt.Coverage, Steps: 10, Dir: t.TempDir()})
		}, map[string]int{"tick": 0, "job": -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := newRecTB(t, "TestCoverage")
			rep := tc.run(t, rt)
			if rt.Failed() || rep.Incomplete != "" {
				t.Fatalf("incomplete: %q\n%s", rep.Incomplete, rt.errors())
			}
			for _, a := range rep.Actions {
				want, ok := tc.refused[a.Name]
				if ok && (want < 0 && a.Refused == 0 || want >= 0 && a.Refused != want) {
					t.Errorf("%s refused %d times, want %d (-1: some)", a.Name, a.Refused, want)
				}
			}
		})
	}
}

// A driver error is a test error, not a divergence: nothing is shrunk or
// saved.
func TestDriverError(t *testing.T) {
	dir := t.TempDir()
	rt := newRecTB(t, "TestDriverError")
	rep := mbt.Run(rt, bankModel(), func(testing.TB) mbt.Driver[Bank] { return brokenDriver{} }, mbt.Options{Seed: 1, Traces: 10, Dir: dir})
	if rep.Divergence != nil || !strings.Contains(rt.errors(), "connection reset") {
		t.Errorf("want a plain error naming the cause, got %v:\n%s", rep.Divergence, rt.errors())
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*", "*")); len(files) > 0 {
		t.Errorf("saved %v", files)
	}
}

// A divergence that does not reproduce on a re-run is reported as such,
// unshrunk, and still saved.
func TestFlakyDivergence(t *testing.T) {
	calls := 0
	drv := func(testing.TB) mbt.Driver[Bank] { return &flakyDriver{calls: &calls} }
	rt := newRecTB(t, "TestFlaky")
	rep := mbt.Run(rt, bankModel(), drv, mbt.Options{Seed: 1, Traces: 10, Dir: t.TempDir()})
	d := rep.Divergence
	if d == nil || !d.Flaky || d.File == "" || !strings.Contains(rt.errors(), "not shrunk: the divergence did not reproduce") {
		t.Errorf("flaky divergence: %+v\n%s", d, rt.errors())
	}
}

// flakyDriver refuses its 30th step, whatever it is.
type flakyDriver struct {
	bankDriver
	calls *int
}

func (d *flakyDriver) Step(ctx context.Context, s mbt.Step) error {
	*d.calls++
	if *d.calls == 30 && s.Enabled {
		return mbt.Refusef("hiccup")
	}
	return d.bankDriver.Step(ctx, s)
}
