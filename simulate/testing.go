package simulate

import (
	"fmt"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
)

// DefaultSamples is the number of samples Test runs when neither opts nor
// -execspec.traces says (divided by 10 with -short).
const DefaultSamples = 1000

// Test runs a simulation from a test, with the go test convention of
// package engine (see engine.RunTest): traces saved by earlier failures of
// the test are replayed first; with no property, or an invariant, every
// finding (a panic included) fails t with its trace, saved as ITF under
// testdata/execspec/<TestName>/, and the go test command that reproduces
// it; with an example, t fails when none is reached. A run interrupted
// before its planned samples fails t when it found nothing.
//
// The flags -execspec.seed, -execspec.traces (samples) and
// -execspec.steps, and their environment twins EXECSPEC_SEED,
// EXECSPEC_TRACES and EXECSPEC_STEPS, override opts; -short divides the
// number of samples by 10 unless a flag or variable gave it. The run stops
// when t's context is cancelled.
func Test[S any](t testing.TB, m *execspec.Model[S], opts Options) *Result {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatalf("execspec: %v", err)
		return nil
	}
	if err := testSettings(&opts); err != nil {
		t.Fatalf("execspec: simulate %s: %v", m.Name(), err)
		return nil
	}
	var res *Result
	engine.RunTest(t, mc, "simulate", opts.Property, func() (*engine.Outcome, error) {
		var err error
		res, err = Run(t.Context(), mc, opts)
		if err != nil {
			return nil, err
		}
		return res.outcome(opts), nil
	})
	return res
}

// testSettings applies the go test flags and their environment twins to
// opts.
func testSettings(opts *Options) error {
	seed, _, _, err := engine.SeedSetting(opts.Seed)
	if err != nil {
		return err
	}
	opts.Seed = seed
	if opts.MaxSamples, _, err = engine.TracesSetting(opts.MaxSamples, DefaultSamples); err != nil {
		return err
	}
	opts.MaxSteps, err = engine.StepsSetting(opts.MaxSteps, DefaultMaxSteps)
	return err
}

// outcome is the result as engine.RunTest reads it.
func (res *Result) outcome(opts Options) *engine.Outcome {
	findings := make([]findings.Finding, len(res.Findings))
	for i, f := range res.Findings {
		findings[i] = f.Finding
	}
	return &engine.Outcome{
		Findings: findings,
		Stopped:  res.Stopped,
		Summary:  fmt.Sprintf("%d sample(s) of up to %d steps (%d steps in all), seed %d", res.Stats.Samples, opts.MaxSteps, res.Stats.Steps, res.Seed),
		Reproduce: func(i int) []string {
			s := res.Findings[i].Sample
			return []string{fmt.Sprintf("-execspec.seed=%d", res.Seed), fmt.Sprintf("-execspec.traces=%d", s+1), fmt.Sprintf("-execspec.steps=%d", opts.MaxSteps)}
		},
		Meta: func(i int) map[string]any {
			return map[string]any{"seed": fmt.Sprint(res.Seed), "sample": res.Findings[i].Sample}
		},
	}
}
