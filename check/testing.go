package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/trace"
)

// Test checks m from a test and returns the result. Every finding fails t
// with its trace, except that for an example (opts.Property naming one) t
// fails when no witness is found. A search that ends incomplete (a limit, a
// timeout, the memory cap) without a finding also fails t: it proves
// nothing. Call Run instead for a deliberately bounded exploration. The
// search stops when the test's context (t.Context) is cancelled.
func Test[S any](t testing.TB, m *execspec.Model[S], opts Options) *Result {
	t.Helper()
	mc, err := m.Compile()
	if err != nil {
		t.Fatalf("execspec: %v", err)
		return nil
	}
	res, err := Run(t.Context(), mc, opts)
	if err != nil {
		t.Fatalf("execspec: check %s: %v", m.Name(), err)
		return nil
	}
	example := res.PropertyKind == execspec.Example
	for _, f := range res.Findings {
		if f.Kind != ExampleFound {
			t.Errorf("%s", Describe(f, res))
		}
	}
	switch {
	case example && len(res.Findings) > 0:
	case len(res.Findings) > 0:
	case !res.Complete:
		t.Errorf("execspec: check %s: search incomplete (%s) after %d distinct states: nothing found, which proves nothing", m.Name(), res.Stopped, res.Stats.Distinct)
	case example:
		t.Errorf("execspec: check %s: example %s is not reachable (%d distinct states, complete search)", m.Name(), res.Property, res.Stats.Distinct)
	}
	return res
}

// Describe renders a finding for a log: what was found, its trace, and how
// the search was run.
func Describe(f Finding, res *Result) string {
	var b strings.Builder
	switch f.Kind {
	case Panicked:
		fmt.Fprintf(&b, "execspec: %v\n", f.Err)
	case Deadlocked:
		fmt.Fprintf(&b, "execspec: deadlock: no action is enabled\n")
	default:
		fmt.Fprintf(&b, "execspec: %s: %s\n", f.Kind, f.Property)
	}
	if f.Trace != nil {
		_ = f.Trace.Print(&b, trace.PrintOptions{Highlight: len(f.Trace.Steps) - 1})
	}
	fmt.Fprintf(&b, "found by %s", res.Strategy)
	if res.Strategy == RandomDFS {
		fmt.Fprintf(&b, " with seed %d", res.Seed)
	}
	return b.String()
}
