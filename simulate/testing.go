package simulate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/trace"
)

// Test runs a simulation from a test. With no property, or an invariant,
// every finding fails t; with an example, t fails when none is found. Each
// failure shows the trace and the seed and sample that reproduce it. The
// run stops when t.Context is cancelled.
func Test[S any](t testing.TB, m *execspec.Model[S], opts Options) *Result {
	t.Helper()
	mc, err := m.Compile()
	if err != nil {
		t.Fatalf("execspec: %v", err)
		return nil
	}
	res, err := Run(t.Context(), mc, opts)
	if err != nil {
		t.Fatalf("execspec: simulate %s: %v", m.Name(), err)
		return nil
	}
	if res.PropertyKind == execspec.Example && opts.Property != "" {
		if len(res.Findings) == 0 {
			t.Errorf("execspec: example %s not reached in %d samples of up to %d steps (seed %d)", opts.Property, res.Stats.Samples, maxSteps(opts), opts.Seed)
		}
		return res
	}
	for _, f := range res.Findings {
		t.Errorf("%s", Describe(f, res.Seed))
	}
	return res
}

// Describe renders a finding for a log: what was found, the trace and the
// seed and sample to replay it.
func Describe(f Finding, seed uint64) string {
	var b strings.Builder
	switch f.Kind {
	case Panicked:
		fmt.Fprintf(&b, "execspec: %v\n", f.Err)
	default:
		fmt.Fprintf(&b, "execspec: %s: %s (seed %d, sample %d)\n", f.Kind, f.Property, seed, f.Sample)
	}
	if f.Trace != nil {
		_ = f.Trace.Print(&b, trace.PrintOptions{Highlight: len(f.Trace.Steps) - 1})
	}
	fmt.Fprintf(&b, "reproduce with seed %d, sample %d", seed, f.Sample)
	return b.String()
}

func maxSteps(o Options) int {
	if o.MaxSteps == 0 {
		return 50
	}
	return o.MaxSteps
}
