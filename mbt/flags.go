package mbt

import (
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// Defaults, in one place. -short divides the number of traces by
// shortDivisor unless it was given on the command line or in the
// environment.
const (
	defaultTraces       = 100
	defaultSteps        = 50
	defaultDisabledRate = 0.05
	defaultShrinkRuns   = 1000
	defaultBudget       = 10000
	defaultMaxStates    = 100000
	defaultDir          = "testdata/execspec"
	shortDivisor        = 10
)

// Flags for go test, registered on the command line when a test binary
// imports mbt, each with an environment twin. They override Options, so that
// a printed command reproduces a run whatever the test sets.
var (
	flagSeed   = flag.String("execspec.seed", "", "seed of mbt.Run's random traces (env EXECSPEC_SEED; default: a fresh seed, printed)")
	flagTraces = flag.Int("execspec.traces", 0, "number of traces mbt.Run generates (env EXECSPEC_TRACES; default 100, 10 with -short)")
	flagSteps  = flag.Int("execspec.steps", 0, "maximum steps per trace of mbt.Run, and the depth of its BFS (env EXECSPEC_STEPS; default 50)")
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

// setFlags returns the names of the flags given on the command line.
func setFlags() map[string]bool {
	set := map[string]bool{}
	if flag.Parsed() {
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	}
	return set
}

// resolve applies, from strongest to weakest: the command-line flags, their
// environment twins, opts, and the defaults.
func resolve(opts Options) (settings, error) {
	s := settings{Options: opts}
	set := setFlags()
	seed, env := "", ""
	switch {
	case set["execspec.seed"]:
		seed, env = *flagSeed, "-execspec.seed"
	case os.Getenv("EXECSPEC_SEED") != "":
		seed, env = os.Getenv("EXECSPEC_SEED"), "EXECSPEC_SEED"
	}
	if seed != "" {
		v, err := strconv.ParseUint(seed, 0, 64)
		if err != nil {
			return s, fmt.Errorf("%s=%q: not a seed (an unsigned integer)", env, seed)
		}
		s.Seed, s.seedGiven = v, true
	} else if opts.Seed != 0 {
		s.seedGiven = true
	} else {
		var b [8]byte
		_, _ = rand.Read(b[:])
		s.Seed = binary.LittleEndian.Uint64(b[:]) >> 1 // readable, still 63 bits
	}
	var err error
	if s.Traces, s.explicitTraces, err = intSetting(set, "execspec.traces", *flagTraces, "EXECSPEC_TRACES", opts.Traces); err != nil {
		return s, err
	}
	if s.Steps, _, err = intSetting(set, "execspec.steps", *flagSteps, "EXECSPEC_STEPS", opts.Steps); err != nil {
		return s, err
	}
	if s.Traces == 0 {
		s.Traces = defaultTraces
	}
	if flag.Parsed() && testing.Short() && !s.explicitTraces {
		s.Traces = max(1, s.Traces/shortDivisor)
	}
	if s.Steps == 0 {
		s.Steps = defaultSteps
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

// intSetting reads an integer from the flag name when it was set, else from
// the environment variable env, else returns fallback. explicit reports
// whether the flag or the variable gave it.
func intSetting(set map[string]bool, name string, flagVal int, env string, fallback int) (v int, explicit bool, err error) {
	if set[name] {
		if flagVal <= 0 {
			return 0, false, fmt.Errorf("-%s=%d: must be positive", name, flagVal)
		}
		return flagVal, true, nil
	}
	if e := os.Getenv(env); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n <= 0 {
			return 0, false, fmt.Errorf("%s=%q: must be a positive integer", env, e)
		}
		return n, true, nil
	}
	return fallback, false, nil
}
