package mbt

import (
	"fmt"

	"github.com/execspec/execspec/internal/engine"
)

// Defaults, in one place. -short divides the number of traces by
// engine.ShortDivisor unless it was given on the command line or in the
// environment.
const (
	defaultTraces       = 100
	defaultSteps        = 50
	defaultDisabledRate = 0.05
	defaultShrinkRuns   = 1000
	defaultBudget       = 10000
	defaultMaxStates    = 100000
	defaultDir          = engine.DefaultDir
)

// settings are the options of one run once flags, environment and defaults
// are applied.
type settings struct {
	Options
	seedGiven bool
	// explicitTraces: the number of traces came from the flag or the
	// environment, and -short does not reduce it.
	explicitTraces bool
}

// resolve applies, from strongest to weakest: the command-line flags, their
// environment twins, opts, and the defaults (engine's go test convention).
func resolve(opts Options) (settings, error) {
	s := settings{Options: opts}
	seed, _, random, err := engine.SeedSetting(opts.Seed)
	if err != nil {
		return s, err
	}
	s.Seed, s.seedGiven = seed, !random
	if s.Traces, s.explicitTraces, err = engine.TracesSetting(opts.Traces, defaultTraces); err != nil {
		return s, err
	}
	if s.Steps, err = engine.StepsSetting(opts.Steps, defaultSteps); err != nil {
		return s, err
	}
	switch {
	case s.DisabledRate == 0:
		s.DisabledRate = defaultDisabledRate
	case s.DisabledRate < 0:
		s.DisabledRate = 0
	case s.DisabledRate > 1:
		return s, fmt.Errorf("DisabledRate %v is above 1", s.DisabledRate)
	}
	if s.ShrinkRuns == 0 {
		s.ShrinkRuns = defaultShrinkRuns
	}
	if s.Budget == 0 {
		s.Budget = defaultBudget
	}
	if s.MaxStates == 0 {
		s.MaxStates = defaultMaxStates
	}
	if s.Dir == "" {
		s.Dir = defaultDir
	}
	s.Dir = engine.AbsPath(s.Dir) // the files a failure names open from wherever go test ran
	switch {
	case s.Traces < 0:
		return s, fmt.Errorf("number of traces must be positive, got %d", s.Traces)
	case s.Steps < 0:
		return s, fmt.Errorf("number of steps must be positive, got %d", s.Steps)
	case s.ShrinkRuns < 0, s.Budget < 0, s.MaxStates < 0:
		return s, fmt.Errorf("ShrinkRuns, Budget and MaxStates must be positive")
	case s.Strategy < RandomWalks || s.Strategy > Coverage:
		return s, fmt.Errorf("unknown strategy %d", int(s.Strategy))
	}
	return s, nil
}
