package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/execspec/execspec/machine"
)

func TestDescribeActivity(t *testing.T) {
	actions := []string{"step", "bad"}
	cases := []struct {
		name  string
		slots []machine.SlotActivity
		want  string
	}{
		{"no table", nil, "which action was running is not known"},
		{"one running", []machine.SlotActivity{{Slot: 0, Action: 0}, {Slot: 1, Action: 1, Running: true}}, "running: action bad"},
		{"init", []machine.SlotActivity{{Action: machine.InitAction, Running: true}}, "running: action init"},
		{"several", []machine.SlotActivity{{Action: 1, Running: true}, {Action: 0, Running: true}, {Slot: 2, Action: 1, Running: true}},
			"running: actions bad (in 2 executors), step"},
		{"none running", []machine.SlotActivity{{Action: 1}, {Slot: 1, Action: 1}, {Slot: 2, Action: 0}},
			"no action was running (model code in a property, or in a goroutine an action started; the last actions run: bad, step)"},
		{"unknown number", []machine.SlotActivity{{Action: 7, Running: true}}, "running: action #7"},
	}
	for _, tc := range cases {
		if got := describeActivity(tc.slots, actions); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestParseVmRSS(t *testing.T) {
	cases := []struct {
		status string
		want   int64
		ok     bool
	}{
		{"Name:\trunner\nVmPeak:\t  999 kB\nVmRSS:\t    2048 kB\nThreads: 4\n", 2048 << 10, true},
		{"Name:\trunner\n", 0, false},
		{"VmRSS:\tlots kB\n", 0, false},
	}
	for _, tc := range cases {
		if got, ok := parseVmRSS(tc.status); got != tc.want || ok != tc.ok {
			t.Errorf("parseVmRSS(%q) = %d, %v; want %d, %v", tc.status, got, ok, tc.want, tc.ok)
		}
	}
}

func TestGraceOf(t *testing.T) {
	cases := []struct {
		env  []string
		want time.Duration
		bad  bool
	}{
		{nil, DefaultGrace, false},
		{[]string{EnvGrace + "=250ms"}, 250 * time.Millisecond, false},
		{[]string{EnvGrace + "="}, DefaultGrace, false},
		{[]string{EnvGrace + "=soon"}, DefaultGrace, true},
		{[]string{EnvGrace + "=-1s"}, DefaultGrace, true},
	}
	for _, tc := range cases {
		got, err := graceOf(tc.env)
		if got != tc.want || (err != nil) != tc.bad {
			t.Errorf("graceOf(%q) = %v, %v; want %v, error %v", tc.env, got, err, tc.want, tc.bad)
		}
	}
}

// exitError returns the error of a process that exited with status code.
func exitError(t *testing.T, code int) error {
	t.Helper()
	err := exec.Command(os.Args[0], "-test.run=^$", "-test.exitcode-not-a-flag").Run()
	if code == 2 {
		return err // the test binary exits 2 on a bad flag
	}
	t.Fatalf("exitError(%d): only status 2 is made here", code)
	return nil
}

// The front end's verdict on a runner that ended: its final record's code,
// or ExitNoResult when there is none, except for a runner without the side
// channel (an older execspec's), whose status is trusted.
func TestVerdict(t *testing.T) {
	six, five := ExitNoResult, 5
	status2 := exitError(t, 2)
	cases := []struct {
		name string
		sv   supervision
		err  error
		code int
		want string
	}{
		{"final record", supervision{hello: true, final: &statusRecord{Exit: &five}}, nil, 5, ""},
		{"final record, stuck", supervision{hello: true, final: &statusRecord{Exit: &six, Reason: reasonStuck}, stopCause: "the timeout"}, nil, 6,
			"model code did not return within 1s of the stop (the timeout): the run ended without a result; running: action bad."},
		{"final record, memory", supervision{hello: true, final: &statusRecord{Exit: &five, Reason: reasonMemory}}, nil, 5, "at the memory cap: running: action bad."},
		{"exit 0 without a record", supervision{hello: true}, nil, 6, "exited with status 0 without a result (model code that calls os.Exit ends it so)"},
		{"crash without a record", supervision{hello: true}, status2, 6, "exited with status 2 without a result (a runtime error"},
		{"older runner, clean", supervision{}, nil, 0, ""},
		{"older runner, status 2", supervision{}, status2, 2, ""},
		{"killed for memory", supervision{hello: true, killedFor: "memory", memory: 100 << 20}, nil, 5, "SEARCH INCOMPLETE: stopped (memory cap reached)"},
		{"killed, stuck", supervision{hello: true, killedFor: "stuck", stopCause: "interrupt"}, nil, 6, "execspec killed it, without a result; running: action bad."},
	}
	for _, tc := range cases {
		var stderr bytes.Buffer
		got := tc.sv.verdict(Env{Stderr: &stderr}, tc.err, nil, time.Second, "running: action bad")
		if got != tc.code || !strings.Contains(stderr.String(), tc.want) || (tc.want == "" && stderr.Len() > 0) {
			t.Errorf("%s: code %d, want %d; message %q, want it to hold %q", tc.name, got, tc.code, stderr.String(), tc.want)
		}
	}
}

// The runner's monitor: a body that returns gives its code; an abortion
// ends the run; a body stuck past the grace period after a stop ends it
// with ExitNoResult, and not once the engine has returned.
func TestMonitorRun(t *testing.T) {
	newMon := func() (*monitor, *bytes.Buffer) {
		var stderr bytes.Buffer
		return newMonitor(Env{Stderr: &stderr, Stdout: &stderr, Environ: []string{EnvGrace + "=20ms"}}), &stderr
	}
	t.Run("returns", func(t *testing.T) {
		m, _ := newMon()
		if code, reason := m.run(context.Background(), nil, func() int { return 3 }); code != 3 || reason != "" {
			t.Errorf("%d %q", code, reason)
		}
	})
	t.Run("aborted", func(t *testing.T) {
		m, _ := newMon()
		block := make(chan struct{})
		defer close(block)
		code, reason := m.run(context.Background(), nil, func() int {
			m.abort(ExitIncomplete, reasonMemory)
			<-block
			return 0
		})
		if code != ExitIncomplete || reason != reasonMemory {
			t.Errorf("%d %q", code, reason)
		}
	})
	t.Run("stuck after a stop", func(t *testing.T) {
		m, stderr := newMon()
		ctx, cancel := context.WithCancel(context.Background())
		block := make(chan struct{})
		defer close(block)
		code, reason := m.run(ctx, nil, func() int {
			cancel()
			<-block
			return 0
		})
		if code != ExitNoResult || reason != reasonStuck || !strings.Contains(stderr.String(), "did not return within 20ms of the stop") {
			t.Errorf("%d %q %q", code, reason, stderr.String())
		}
	})
	t.Run("stuck after a timeout", func(t *testing.T) {
		m, _ := newMon()
		block := make(chan struct{})
		defer close(block)
		code, reason := m.run(context.Background(), nil, func() int {
			m.startTimeout(time.Millisecond)
			<-block
			return 0
		})
		if code != ExitNoResult || reason != reasonStuck {
			t.Errorf("%d %q", code, reason)
		}
	})
	t.Run("reporting is not stuck", func(t *testing.T) {
		m, _ := newMon()
		ctx, cancel := context.WithCancel(context.Background())
		code, _ := m.run(ctx, nil, func() int {
			m.engineDone()
			cancel()
			<-time.After(100 * time.Millisecond) // five grace periods of reporting
			return 1
		})
		if code != 1 {
			t.Errorf("%d", code)
		}
	})
}
