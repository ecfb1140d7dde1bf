package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
)

// Test checks m from a test, with the go test convention of package
// engine (see engine.RunTest): traces saved by earlier failures of the
// test are replayed first; every finding fails t with its trace, saved as
// ITF under testdata/execspec/<TestName>/, and the go test command that
// reproduces it; a search for an example fails t when no witness is found;
// a search that ends incomplete (a limit, a timeout, the memory cap)
// without a finding fails t too: it proves nothing. Call Run instead for a
// deliberately bounded exploration. -execspec.seed (or EXECSPEC_SEED)
// overrides opts.Seed for RandomDFS (and any StrategyInfo.Seeded strategy). The search stops when t's context is
// cancelled.
func Test[S any](t testing.TB, m *execspec.Model[S], opts Options) *Result {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatalf("execspec: %v", err)
		return nil
	}
	seed, from, random, err := engine.SeedSetting(opts.Seed)
	if err != nil {
		t.Fatalf("execspec: check %s: %v", m.Name(), err)
		return nil
	}
	opts.Seed = seed
	if random {
		t.Logf("execspec: check %s: seed %d (from %s)", m.Name(), seed, from)
	}
	var res *Result
	engine.RunTest(t, mc, "check", opts.Property, func() (*engine.Outcome, error) {
		var err error
		res, err = Run(t.Context(), mc, opts)
		if err != nil {
			return nil, err
		}
		return res.outcome(), nil
	})
	return res
}

// outcome is the result as engine.RunTest reads it.
func (res *Result) outcome() *engine.Outcome {
	out := &engine.Outcome{
		Findings: res.Findings,
		Stopped:  res.Stopped,
		Summary:  res.summary(),
		Proof:    true,
		Meta: func(int) map[string]any {
			m := map[string]any{"strategy": string(res.Strategy)}
			if res.Strategy.Info().Seeded {
				m["seed"] = fmt.Sprint(res.Seed)
			}
			return m
		},
	}
	if res.Strategy.Info().Seeded {
		out.Reproduce = func(int) []string { return []string{fmt.Sprintf("-execspec.seed=%d", res.Seed)} }
	}
	return out
}

// summary says how far the search went, for test messages.
func (res *Result) summary() string {
	st := res.Stats
	s := fmt.Sprintf("%d distinct states, %d generated, depth %d (%s", st.Distinct, st.Generated, st.Depth, res.Strategy)
	if res.Strategy.Info().Parallel && res.Workers > 1 {
		s += fmt.Sprintf(", %d workers", res.Workers)
	}
	if len(res.Symmetries) > 0 {
		s += ", one state per orbit of " + strings.Join(res.Symmetries, ", ")
	}
	if res.Liveness != nil {
		s += "; temporal properties checked on the behaviour graph"
	}
	return s + ")"
}

// TestViolation checks m from a test that expects a finding: opts.Property
// (an invariant or a temporal property; empty for any invariant or
// temporal property) must be violated. It returns the first finding, with
// its trace, for the test to inspect; a search that ends without one
// fails t (a complete one: the property holds; an incomplete one: nothing
// is known). It neither replays nor saves traces under testdata: the
// finding is the expected outcome, not a failure to keep.
func TestViolation[S any](t testing.TB, m *execspec.Model[S], opts Options) findings.Finding {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatalf("execspec: %v", err)
		return findings.Finding{}
	}
	if opts.Property != "" {
		p, err := mc.Property(opts.Property)
		if err != nil {
			t.Fatalf("execspec: check %s: %v", m.Name(), err)
			return findings.Finding{}
		}
		if p.Kind == machine.Example {
			t.Fatalf("execspec: check %s: %s is an example: it is found, not violated; use check.Test to require that it is reached", m.Name(), p.Name)
			return findings.Finding{}
		}
	}
	res, err := Run(t.Context(), mc, opts)
	if err != nil {
		t.Fatalf("execspec: check %s: %v", m.Name(), err)
		return findings.Finding{}
	}
	want := "a violation"
	if opts.Property != "" {
		want = "a violation of " + opts.Property
	}
	if len(res.Findings) == 0 {
		if res.Complete {
			t.Fatalf("execspec: check %s: want %s; the search is complete and found none (%s)", m.Name(), want, res.summary())
		} else {
			t.Fatalf("execspec: check %s: want %s; the search stopped (%s) with none found (%s): nothing is known", m.Name(), want, res.Stopped, res.summary())
		}
		return findings.Finding{}
	}
	f := res.Findings[0]
	steps := 0
	if f.Trace != nil {
		steps = len(f.Trace.Steps) - 1
	}
	t.Logf("execspec: check %s: %s (%d steps), as expected; %s", m.Name(), f.Headline(), steps, res.summary())
	return f
}
