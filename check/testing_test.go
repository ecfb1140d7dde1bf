package check_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
)

// recordingTB captures what Test reports instead of failing the real test.
type recordingTB struct {
	testing.TB
	errors []string
	logs   []string
}

func (r *recordingTB) Helper() {}
func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

func TestRecordingTB(t *testing.T) {
	rec := &recordingTB{TB: t}
	rec.Errorf("a %d", 1)
	rec.Fatalf("b")
	rec.Logf("c")
	if len(rec.errors) != 2 || rec.errors[0] != "a 1" || len(rec.logs) != 1 {
		t.Fatalf("recorded %q %q", rec.errors, rec.logs)
	}
}

// Every way check.Test can fail a test, and the one way it passes.
func TestTestFailurePaths(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // failing traces are saved under ./testdata
	cases := []struct {
		name string
		run  func(tb *recordingTB) *check.Result
		want []string // substrings of the one error; none: passes
	}{
		{"clean complete search passes", func(tb *recordingTB) *check.Result {
			return check.Test(tb, counterModel(5, false), check.Options{})
		}, nil},
		{"invariant violated", func(tb *recordingTB) *check.Result {
			m := counterModel(5, false)
			m.Invariant("below_3", func(s *counter) bool { return s.N < 3 })
			return check.Test(tb, m, check.Options{})
		}, []string{"invariant violated: below_3", "step 3: inc  <--", "saved as " + filepath.Join(dir, "testdata/execspec/TestTestFailurePaths/invariant_violated") + "/", "reproduce with: go test -run '^TestTestFailurePaths$/^invariant_violated$' github.com/execspec/execspec/check"}},
		{"incomplete search proves nothing", func(tb *recordingTB) *check.Result {
			return check.Test(tb, counterModel(-1, false), check.Options{MaxStates: 10})
		}, []string{"search incomplete (max states reached)", "proves nothing"}},
		{"example not reachable", func(tb *recordingTB) *check.Result {
			m := counterModel(5, false)
			m.Example("seven", func(s *counter) bool { return s.N == 7 })
			return check.Test(tb, m, check.Options{Property: "seven"})
		}, []string{"example seven is not reachable", "complete search"}},
		{"example found passes", func(tb *recordingTB) *check.Result {
			m := counterModel(5, false)
			m.Example("four", func(s *counter) bool { return s.N == 4 })
			return check.Test(tb, m, check.Options{Property: "four"})
		}, nil},
		{"panic in an example search fails", func(tb *recordingTB) *check.Result {
			m := counterModel(5, false)
			m.Example("boom", func(s *counter) bool {
				if s.N == 2 {
					panic("boom")
				}
				return false
			})
			return check.Test(tb, m, check.Options{Property: "boom"})
		}, []string{"panic: ", "boom"}},
		{"unknown property", func(tb *recordingTB) *check.Result {
			return check.Test(tb, counterModel(5, false), check.Options{Property: "nope"})
		}, []string{`unknown property "nope"`}},
		{"bad options", func(tb *recordingTB) *check.Result {
			return check.Test(tb, counterModel(5, false), check.Options{Workers: -1})
		}, []string{"workers must be positive"}},
		{"nondeterministic model", func(tb *recordingTB) *check.Result {
			return check.Test(tb, chooserModel(), check.Options{})
		}, []string{"nondeterministic model: action choose is not deterministic"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			tc.run(rec)
			if len(tc.want) == 0 {
				if len(rec.errors) > 0 {
					t.Fatalf("failed: %q", rec.errors)
				}
				return
			}
			if len(rec.errors) != 1 {
				t.Fatalf("%d errors, want 1: %q", len(rec.errors), rec.errors)
			}
			for _, w := range tc.want {
				if !strings.Contains(rec.errors[0], w) {
					t.Errorf("error lacks %q:\n%s", w, rec.errors[0])
				}
			}
		})
	}
}

// A failing trace is saved, replayed first by the next run (which then
// does not search), and kept as a regression test once the bug is fixed.
func TestTestSavesAndReplaysFailures(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	buggy := counterModel(5, false)
	buggy.Invariant("below_3", func(s *counter) bool { return s.N < 3 })
	rec := &recordingTB{TB: t}
	check.Test(rec, buggy, check.Options{})
	files, _ := filepath.Glob(filepath.Join(dir, "testdata/execspec/TestTestSavesAndReplaysFailures/*.itf.json"))
	if len(rec.errors) != 1 || len(files) != 1 {
		t.Fatalf("first run: errors %q, files %v", rec.errors, files)
	}
	rec = &recordingTB{TB: t}
	if res := check.Test(rec, buggy, check.Options{}); res != nil {
		t.Errorf("searched although a saved trace fails")
	}
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "from the saved trace "+files[0]) || !strings.Contains(rec.errors[0], "invariant violated: below_3") {
		t.Fatalf("second run: %q", rec.errors)
	}
	// Fixed: the saved trace still fits the model, no longer fails, and
	// the search runs.
	rec = &recordingTB{TB: t}
	if res := check.Test(rec, counterModel(5, false), check.Options{}); res == nil || len(rec.errors) != 0 {
		t.Fatalf("fixed model: %q", rec.errors)
	}
	// A model the saved trace does not fit any more.
	rec = &recordingTB{TB: t}
	check.Test(rec, counterModel(1, false), check.Options{})
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "no longer fits model counter") {
		t.Fatalf("changed model: %q", rec.errors)
	}
}

// Under -v, Test says how far the search went and what it concluded.
func TestTestLogsVerdict(t *testing.T) {
	rec := &recordingTB{TB: t}
	check.Test(rec, counterModel(5, false), check.Options{Workers: 1})
	if len(rec.errors) > 0 || len(rec.logs) != 1 {
		t.Fatalf("errors %q, logs %q", rec.errors, rec.logs)
	}
	for _, w := range []string{"check counter:", "6 distinct states, 6 generated, depth 6 (bfs)", "every invariant holds: non_negative"} {
		if !strings.Contains(rec.logs[0], w) {
			t.Errorf("log lacks %q: %s", w, rec.logs[0])
		}
	}
}

// TestViolation hands the expected finding to the test, and fails it when
// there is none to hand.
func TestTestViolation(t *testing.T) {
	below3 := func() *execspec.Model[counter] {
		m := counterModel(5, false)
		m.Invariant("below_3", func(s *counter) bool { return s.N < 3 })
		m.Example("four", func(s *counter) bool { return s.N == 4 })
		return m
	}
	cases := []struct {
		name  string
		m     *execspec.Model[counter]
		opts  check.Options
		steps int    // of the finding's trace, when one is expected
		want  string // in the one error, when one is expected
	}{
		{"violated", below3(), check.Options{Property: "below_3"}, 3, ""},
		{"any invariant", below3(), check.Options{}, 3, ""},
		{"holds", counterModel(5, false), check.Options{}, 0, "the search is complete and found none"},
		{"incomplete", counterModel(-1, false), check.Options{MaxStates: 10}, 0, "nothing is known"},
		{"an example", below3(), check.Options{Property: "four"}, 0, "four is an example: it is found, not violated"},
		{"unknown property", below3(), check.Options{Property: "nope"}, 0, `unknown property "nope"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			f := check.TestViolation(rec, tc.m, tc.opts)
			if tc.want == "" {
				if len(rec.errors) > 0 || f.Trace == nil || len(f.Trace.Steps)-1 != tc.steps || f.Property != "below_3" {
					t.Fatalf("errors %q; finding %s with %v", rec.errors, f.Headline(), f.Trace)
				}
				if len(rec.logs) != 1 || !strings.Contains(rec.logs[0], "as expected") {
					t.Errorf("logs %q", rec.logs)
				}
				return
			}
			if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], tc.want) {
				t.Fatalf("errors %q, want one with %q", rec.errors, tc.want)
			}
		})
	}
}

// A saved trace that no longer fits the model is one error naming the
// file and the flag; with EXECSPEC_UPDATE=1 it is rewritten from its
// actions and picks when they still replay, and dropped when they do not.
func TestTestUpdatesSavedTraces(t *testing.T) {
	t.Chdir(t.TempDir())
	// Counts by 1: a violation at 3, saved.
	byOne := func(step int) *execspec.Model[counter] {
		m := execspec.NewModel[counter]("counter")
		m.Init(func(c *execspec.Ctx[counter]) {})
		m.Action("inc", func(c *execspec.Ctx[counter]) {
			if c.Assume(c.S.N < 10) {
				c.S.N += step
			}
		})
		m.Invariant("below_3", func(s *counter) bool { return s.N < 3 })
		return m
	}
	rec := &recordingTB{TB: t}
	check.Test(rec, byOne(1), check.Options{})
	files, _ := filepath.Glob("testdata/execspec/TestTestUpdatesSavedTraces/*.itf.json")
	if len(rec.errors) != 1 || len(files) != 1 {
		t.Fatalf("first run: errors %q, files %v", rec.errors, files)
	}
	// Counting by 2, the saved states differ, but inc still replays.
	rec = &recordingTB{TB: t}
	check.Test(rec, byOne(2), check.Options{})
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "no longer fits model counter") || !strings.Contains(rec.errors[0], "-execspec.update") {
		t.Fatalf("changed states: %q", rec.errors)
	}
	t.Setenv("EXECSPEC_UPDATE", "1")
	rec = &recordingTB{TB: t}
	check.Test(rec, byOne(2), check.Options{})
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "from the saved trace") || !strings.Contains(strings.Join(rec.logs, "\n"), "rewrote saved trace") {
		t.Fatalf("updated: errors %q, logs %q", rec.errors, rec.logs)
	}
	// A model whose actions are other: the trace is dropped.
	renamed := execspec.NewModel[counter]("counter")
	renamed.Init(func(c *execspec.Ctx[counter]) {})
	renamed.Action("add", func(c *execspec.Ctx[counter]) {
		if c.Assume(c.S.N < 10) {
			c.S.N++
		}
	})
	rec = &recordingTB{TB: t}
	check.Test(rec, renamed, check.Options{})
	left, _ := filepath.Glob("testdata/execspec/TestTestUpdatesSavedTraces/*.itf.json")
	if len(rec.errors) != 0 || len(left) != 0 || !strings.Contains(strings.Join(rec.logs, "\n"), "dropped saved trace") {
		t.Fatalf("renamed action: errors %q, logs %q, files left %v", rec.errors, rec.logs, left)
	}
}
