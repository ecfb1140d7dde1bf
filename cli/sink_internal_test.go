package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/trace"
)

// countingSink is a sink kind defined here only: --out-count N asks for
// it, and it records every event and trace it receives.
type countingSink struct {
	events []string
	traces []*trace.Trace
}

func (*countingSink) stdout() bool { return false }

func (c *countingSink) event(ev reportEvent) {
	c.events = append(c.events, ev.eventName())
}

func (c *countingSink) finish(out findingsOutput) error {
	c.traces = append(c.traces, out.traces...)
	if len(out.traces) > 0 {
		if err := out.annotate(out.traces[0]); err != nil {
			return err
		}
	}
	return nil
}

// TestNewSinkNeedsNoCommandChange: a sink kind added to the registry, here
// from a test, gets its flag on run, replay and check and receives their
// events and findings, with no change to any command.
func TestNewSinkNeedsNoCommandChange(t *testing.T) {
	var got *countingSink
	kind := func(fs *flag.FlagSet) func(Env) sink {
		on := fs.Bool("out-count", false, "count the events and traces (a test's sink)")
		return func(Env) sink {
			if !*on {
				return nil
			}
			got = &countingSink{}
			return got
		}
	}
	saved := sinkKinds
	sinkKinds = append(slices.Clone(sinkKinds), kind)
	t.Cleanup(func() { sinkKinds = saved })

	dir := t.TempDir()
	for _, tc := range []struct {
		args       []string
		wantEvents []string
	}{
		{[]string{"run", "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--seed", "123"}, []string{"start", "finding", "summary"}},
		{[]string{"check", "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--workers", "1"}, []string{"start", "finding", "summary"}},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			got = nil
			var stdout, stderr bytes.Buffer
			code := RunModelEnv(context.Background(), append(tc.args, "--out-count"), dnsbalancer.Spec(),
				Env{Stdout: &stdout, Stderr: &stderr, Dir: dir, Environ: []string{EnvPackage + "=./examples/dnsbalancer"}})
			if code != ExitViolation {
				t.Fatalf("exit %d, want %d\n%s%s", code, ExitViolation, stdout.String(), stderr.String())
			}
			if got == nil {
				t.Fatal("the flag did not open the sink")
			}
			for _, want := range tc.wantEvents {
				if !slices.Contains(got.events, want) {
					t.Errorf("events %q lack %q", got.events, want)
				}
			}
			if len(got.traces) == 0 || got.traces[0].Meta[trace.MetaProperty] != "no_inconsistent_root" {
				t.Fatalf("traces %v", got.traces)
			}
			// The text stays on stdout: the sink does not write there.
			if !strings.Contains(stdout.String(), "VIOLATION") {
				t.Errorf("stdout:\n%s", stdout.String())
			}
		})
	}
	// Its flag is in the commands' help, like the built-in sinks'.
	var help bytes.Buffer
	RunModelEnv(context.Background(), []string{"check", "-h"}, dnsbalancer.Spec(), Env{Stdout: &help, Stderr: &help, Dir: dir})
	if !strings.Contains(help.String(), "--out-count") || !strings.Contains(help.String(), "--out-html VALUE") {
		t.Errorf("check -h:\n%s", help.String())
	}
}

// TestFailingSinkTurnsOnlyACleanExitIntoAnError: a sink that cannot write
// is reported on stderr; it makes a clean run exit 4, and leaves a
// violation's exit code as it is.
func TestFailingSinkTurnsOnlyACleanExitIntoAnError(t *testing.T) {
	kind := func(fs *flag.FlagSet) func(Env) sink {
		on := fs.Bool("out-fail", false, "a sink that cannot write (a test's)")
		return func(Env) sink {
			if !*on {
				return nil
			}
			return failingSink{}
		}
	}
	saved := sinkKinds
	sinkKinds = append(slices.Clone(sinkKinds), kind)
	t.Cleanup(func() { sinkKinds = saved })
	dir := t.TempDir()
	for _, tc := range []struct {
		property string
		want     int
	}{
		{"no_inconsistent_root", ExitViolation},
		{"", ExitUsage}, // no finding in 3 samples: a clean run
	} {
		var stdout, stderr bytes.Buffer
		args := []string{"run", "--instance", "n3_5_3", "--seed", "123", "--max-samples", "3", "--out-fail"}
		if tc.property != "" {
			args = append(args, "--property", tc.property, "--max-samples", "1000")
		}
		code := RunModelEnv(context.Background(), args, dnsbalancer.Spec(),
			Env{Stdout: &stdout, Stderr: &stderr, Dir: dir, Environ: []string{EnvPackage + "=./examples/dnsbalancer"}})
		if code != tc.want || !strings.Contains(stderr.String(), "execspec: the disk is full") {
			t.Errorf("property %q: exit %d, want %d; stderr:\n%s", tc.property, code, tc.want, stderr.String())
		}
	}
}

type failingSink struct{}

func (failingSink) stdout() bool                { return false }
func (failingSink) event(reportEvent)           {}
func (failingSink) finish(findingsOutput) error { return fmt.Errorf("the disk is full") }
