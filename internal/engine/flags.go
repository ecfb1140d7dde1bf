package engine

import (
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// Flags for go test, registered when a test binary imports an engine, each
// with an environment twin. They override the options a test sets, so that
// a printed command reproduces a run whatever the test says.
var (
	flagSeed   = flag.String("execspec.seed", "", "seed of every execspec engine's random choices (env EXECSPEC_SEED; 'random' draws a fresh one, printed; default: the test's own, else 0)")
	flagTraces = flag.Int("execspec.traces", 0, "number of traces or samples the random engines run (env EXECSPEC_TRACES; -short divides the default by 10)")
	flagSteps  = flag.Int("execspec.steps", 0, "maximum steps per trace or sample (env EXECSPEC_STEPS)")
	flagUpdate = flag.Bool("execspec.update", false, "bring the saved traces of execspec tests that no longer fit the model up to date: rewrite each from its actions and picks, drop it when they no longer replay (env EXECSPEC_UPDATE=1)")
)

// ShortDivisor is what -short divides a default number of traces or
// samples by.
const ShortDivisor = 10

// ParseSeed reads a seed: a decimal unsigned integer, or "random" for a
// fresh one (random reports which).
func ParseSeed(s string) (seed uint64, random bool, err error) {
	if s == "random" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		return binary.LittleEndian.Uint64(b[:]) >> 1, true, nil // readable, still 63 bits
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%q is not a seed (a non-negative decimal integer, or random)", s)
	}
	return v, false, nil
}

// given returns the names of the flags given on the command line.
func given() map[string]bool {
	set := map[string]bool{}
	if flag.Parsed() {
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	}
	return set
}

// SeedSetting returns the seed of a test run: -execspec.seed, else
// EXECSPEC_SEED, else fallback (the test's own option). from names where a
// seed other than fallback came from ("" for fallback); random reports a
// fresh seed, which a test should print.
func SeedSetting(fallback uint64) (seed uint64, from string, random bool, err error) {
	var s string
	switch {
	case given()["execspec.seed"]:
		s, from = *flagSeed, "-execspec.seed"
	case os.Getenv("EXECSPEC_SEED") != "":
		s, from = os.Getenv("EXECSPEC_SEED"), "EXECSPEC_SEED"
	default:
		return fallback, "", false, nil
	}
	seed, random, err = ParseSeed(s)
	if err != nil {
		return 0, "", false, fmt.Errorf("%s: %w", from, err)
	}
	return seed, from, random, nil
}

// TracesSetting returns the number of traces (mbt) or samples (simulate)
// of a test run: -execspec.traces, else EXECSPEC_TRACES, else fallback, or
// def when fallback is 0. -short divides what did not come from the flag
// or the environment by ShortDivisor. explicit reports that the flag or
// the variable gave it.
func TracesSetting(fallback, def int) (n int, explicit bool, err error) {
	n, explicit, err = intSetting("execspec.traces", *flagTraces, "EXECSPEC_TRACES", fallback)
	if err != nil {
		return 0, false, err
	}
	if n == 0 {
		n = def
	}
	if !explicit && flag.Parsed() && testing.Short() {
		n = max(1, n/ShortDivisor)
	}
	return n, explicit, nil
}

// StepsSetting returns the maximum steps of a trace or sample:
// -execspec.steps, else EXECSPEC_STEPS, else fallback, or def when
// fallback is 0.
func StepsSetting(fallback, def int) (int, error) {
	n, _, err := intSetting("execspec.steps", *flagSteps, "EXECSPEC_STEPS", fallback)
	if n == 0 {
		n = def
	}
	return n, err
}

// intSetting reads an integer from the flag name when it was given, else
// from the environment variable env, else returns fallback. explicit
// reports whether the flag or the variable gave it.
func intSetting(name string, flagVal int, env string, fallback int) (v int, explicit bool, err error) {
	if given()[name] {
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

// UpdateSetting reports whether saved traces that no longer fit the model
// are to be brought up to date: -execspec.update, else EXECSPEC_UPDATE=1.
func UpdateSetting() bool {
	if given()["execspec.update"] {
		return *flagUpdate
	}
	return os.Getenv("EXECSPEC_UPDATE") == "1"
}
