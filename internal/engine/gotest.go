package engine

import (
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Outcome is what a search run by a go test helper reports back to
// RunTest.
type Outcome struct {
	Findings []findings.Finding
	Stopped  findings.Stop
	// Summary says how far the search went ("1,234 distinct states",
	// "10000 samples of up to 50 steps"), for the messages.
	Summary string
	// Proof: a search that ran to its end with nothing found proves the
	// invariants (an exhaustive check), rather than only not finding a
	// violation (a simulation). A search that was stopped fails either
	// way.
	Proof bool
	// Reproduce returns, for the finding numbered i, the engine's own way
	// to reproduce it (a seed and sample), as extra go test flags; nil
	// when the saved trace is the only way.
	Reproduce func(i int) []string
	// Meta is added to the "#meta" of every saved trace (engine, strategy,
	// seed, sample...).
	Meta func(i int) map[string]any
}

// RunTest is the go test convention that check.Test and simulate.Test
// share, around one search of mc for property ("" for every invariant):
//
//  1. The traces saved by earlier failures of this test
//     (DefaultDir/<TestName>/*.itf.json) are replayed first: a trace that
//     still leads to a violation fails the test at once, without a new
//     search; a trace that no longer fits the model fails it too (delete
//     the file if the model changed on purpose); a trace that fits and no
//     longer fails (the bug is fixed) stays as a regression test.
//  2. search runs. Every finding but the example searched for fails the
//     test, with its trace, saved as readable ITF under DefaultDir (and in
//     t.ArtifactDir), and the exact go test command that reproduces it.
//  3. A search for an example fails when none is found; a search stopped by
//     a limit or interrupted before its end fails when it found nothing:
//     it proves nothing.
//
// It returns the outcome, or nil when the search did not run.
func RunTest[S any](t testing.TB, mc *machine.Machine[S], engine, property string, search func() (*Outcome, error)) *Outcome {
	t.Helper()
	props, kind, err := Targets(mc, property)
	if err != nil {
		t.Fatalf("execspec: %s %s: %v", engine, mc.Name(), err)
		return nil
	}
	dir := TestDir(AbsPath(DefaultDir), t.Name())
	if !replaySaved(t, mc, props, dir) {
		return nil
	}
	out, err := search()
	if err != nil {
		t.Fatalf("execspec: %s %s: %v", engine, mc.Name(), err)
		return nil
	}
	t.Logf("execspec: %s %s: %s; %s", engine, mc.Name(), out.Summary, verdict(out, kind, property, props))
	exampleFound, failed := false, false
	for i, f := range out.Findings {
		if f.Kind == findings.ExampleFound && kind == machine.Example {
			exampleFound = true
			continue
		}
		failed = true
		var how []string
		extra := []string(nil)
		if out.Reproduce != nil {
			extra = out.Reproduce(i)
		}
		if f.Trace != nil && len(f.Trace.Steps) > 0 {
			it := f.Trace.ToITF()
			if it.Meta == nil {
				it.Meta = map[string]any{}
			}
			it.Meta[trace.MetaTool] = "execspec " + engine
			it.Meta[trace.MetaModel] = mc.Name()
			it.Meta["test"] = t.Name()
			it.Meta[trace.MetaStatus] = findings.Status(f.Kind)
			it.Meta["description"] = f.Headline()
			it.Meta[trace.MetaReplay] = TestCommand(t.Name())
			if out.Meta != nil {
				maps.Copy(it.Meta, out.Meta(i))
			}
			if file, err := SaveTrace(t, dir, it); err != nil {
				t.Logf("execspec: could not save the trace: %v", err)
			} else {
				how = append(how, "saved as "+file+" (replayed first by every later go test; view it with: "+ViewCommand(file)+")")
				extra = nil // the saved trace reproduces it
			}
		}
		how = append(how, "reproduce with: "+TestCommand(t.Name(), extra...))
		t.Errorf("%s", findings.Describe(f, how...))
	}
	switch {
	case exampleFound || failed:
	case kind == machine.Example && out.Stopped == findings.Exhausted && out.Proof:
		t.Errorf("execspec: %s %s: example %s is not reachable (%s, complete search)", engine, mc.Name(), property, out.Summary)
	case kind == machine.Example:
		t.Errorf("execspec: %s %s: example %s not reached (%s)", engine, mc.Name(), property, out.Summary)
	case out.Stopped != findings.Exhausted:
		t.Errorf("execspec: %s %s: search incomplete (%s) after %s: nothing found, which proves nothing", engine, mc.Name(), out.Stopped, out.Summary)
	}
	return out
}

// verdict says in a few words what a search found, for the log of a test
// run with -v.
func verdict[S any](out *Outcome, kind machine.PropertyKind, property string, props []machine.Property[S]) string {
	if len(out.Findings) > 0 {
		parts := make([]string, len(out.Findings))
		for i, f := range out.Findings {
			parts[i] = f.Headline()
		}
		return strings.Join(parts, "; ")
	}
	if out.Stopped != findings.Exhausted {
		return fmt.Sprintf("stopped (%s) with nothing found", out.Stopped)
	}
	if kind == machine.Example {
		return "example " + property + " not reached"
	}
	names := make([]string, len(props))
	for i, p := range props {
		names[i] = p.Name
	}
	what := "no invariant violated"
	if out.Proof {
		what = "every invariant holds"
	}
	if len(names) == 0 {
		return "complete; the model has no invariant"
	}
	return what + ": " + strings.Join(names, ", ")
}

// Stale handles a saved file (a trace or a history, what) that no longer
// fits the model: without -execspec.update it fails t with one message
// naming the file and the flag, and reports true; with it, it removes the
// file, says so in t's log, and reports false. who prefixes the messages.
func Stale(t testing.TB, who, what, file, model string, err error) (failed bool) {
	t.Helper()
	if !UpdateSetting() {
		t.Errorf("%s: %s %s no longer fits model %s: %v\n(rerun with -execspec.update, or EXECSPEC_UPDATE=1, to bring it up to date: rewritten from its actions and picks, dropped when they no longer replay)", who, what, file, model, err)
		return true
	}
	if rerr := os.Remove(file); rerr != nil {
		t.Errorf("%s: %s %s no longer fits model %s (%v), and removing it failed: %v", who, what, file, model, err, rerr)
		return true
	}
	t.Logf("%s: dropped %s %s: it no longer replays on model %s (%v)", who, what, file, model, err)
	return false
}

// rewriteSaved replaces the saved trace file with tr, which holds one
// trace of a file of n.
func rewriteSaved(file string, tr *trace.Trace, n int) error {
	if n != 1 {
		return fmt.Errorf("%s holds %d traces; only a file of one is rewritten", file, n)
	}
	return itf.WriteFile(file, tr.ToITF())
}

// replaySaved replays the test's saved traces; it reports whether the
// search should run (none still fails).
func replaySaved[S any](t testing.TB, mc *machine.Machine[S], props []machine.Property[S], dir string) bool {
	t.Helper()
	files, err := SavedTraces(dir)
	if err != nil {
		t.Errorf("execspec: saved traces: %v", err)
		return false
	}
	ok := true
	update := UpdateSetting()
	stale := func(file string, err error) {
		if Stale(t, "execspec", "saved trace", file, mc.Name(), err) {
			ok = false
		}
	}
	for _, file := range files {
		traces, err := ReadSavedTraces(file)
		if err != nil {
			stale(file, err)
			continue
		}
		for _, it := range traces {
			tr, err := trace.FromITF(it)
			if err != nil {
				stale(file, err)
				break
			}
			if ferr := Follow(mc, tr, func(int, *S) bool { return true }); ferr != nil {
				if !update {
					stale(file, ferr)
					break
				}
				nt, rerr := Rewrite(mc, tr)
				if rerr != nil {
					stale(file, rerr)
					break
				}
				if err := rewriteSaved(file, nt, len(traces)); err != nil {
					t.Errorf("execspec: rewriting saved trace %s: %v", file, err)
					ok = false
					break
				}
				t.Logf("execspec: rewrote saved trace %s from its actions and picks (the model's states had changed: %v)", file, ferr)
				tr = nt
			}
			var v Verdict
			at := -1
			err = FollowSteps(mc, tr, func(i int, before, s *S) bool {
				v = JudgeTransition(mc, props, before, s)
				at = i
				return v.Kind == 0 || !v.Kind.Failure()
			})
			switch {
			case err != nil:
				stale(file, err)
			case v.Kind != 0 && v.Kind.Failure():
				cut := *tr
				cut.Steps = tr.Steps[:at+1]
				f := findings.Finding{Kind: v.Kind, Property: v.Property, Err: v.Err, Trace: &cut}
				t.Errorf("%s", findings.Describe(f, "from the saved trace "+file+" (a failure found earlier: it is replayed first until the bug is fixed, then kept as a regression test)", "reproduce with: "+TestCommand(t.Name())))
				ok = false
			}
		}
	}
	return ok
}
