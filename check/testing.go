package check

import (
	"fmt"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/engine"
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
// overrides opts.Seed for RandomDFS. The search stops when t's context is
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
		Summary:  fmt.Sprintf("%d distinct states, %s", res.Stats.Distinct, res.Strategy),
		Proof:    true,
		Meta: func(int) map[string]any {
			m := map[string]any{"strategy": string(res.Strategy)}
			if res.Strategy == RandomDFS {
				m["seed"] = fmt.Sprint(res.Seed)
			}
			return m
		},
	}
	if res.Strategy == RandomDFS {
		out.Reproduce = func(int) []string { return []string{fmt.Sprintf("-execspec.seed=%d", res.Seed)} }
	}
	return out
}
