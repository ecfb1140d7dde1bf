//go:build linux

package cli_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Model code that the engines cannot stop (see testdata/models/misbehave
// and testdata/script/misbehave.txt for the cases whose output is fixed):
// the outputs here vary (a runtime's stack, which process acts first), so
// they are checked by substrings and bounds.

const misbehave = "./cli/testdata/models/misbehave"

func TestStackOverflowEndsWithoutResult(t *testing.T) {
	t.Parallel()
	r := execspec(t, nil, "check", misbehave, "--instance", "overflow", "--workers", "1")
	r.expect(t, 6, "fatal error: stack overflow", "the model runner exited with status 2 without a result", "running: action bad.")
}

// --memory is a hard cap: an action that allocates without bound ends the
// run at the cap with the soft stop's message (exit 5, no "fatal error"),
// the peak resident set of execspec and its runner within 1.1 times it.
func TestMemoryCapIsHard(t *testing.T) {
	t.Parallel()
	const capMiB = 150
	// The runner is built first: the rusage below counts every process
	// execspec waited for, and go build takes more than the cap.
	execspec(t, nil, "list", misbehave).expect(t, 0)
	c := exec.Command(binary, "check", misbehave, "--instance", "hog", "--workers", "1", "--memory", fmt.Sprintf("%dMiB", capMiB))
	c.Dir = rootDir
	c.Env = append(os.Environ(), "EXECSPEC_CACHE="+cache)
	out, err := c.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 5 {
		t.Fatalf("exit: %v, want status 5\n%s", err, out)
	}
	for _, want := range []string{"SEARCH INCOMPLETE: stopped (memory cap reached)", "running: action bad"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "fatal error") {
		t.Errorf("a fatal error reached the output:\n%s", out)
	}
	// The rusage of a waited-for process covers its waited-for children:
	// the runner's peak is in it.
	peak := c.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	if limit := int64(1.1 * capMiB * (1 << 20)); peak > limit {
		t.Errorf("peak RSS %d MiB, over 1.1 times the cap of %d MiB", peak>>20, capMiB)
	}
	t.Logf("peak RSS %.1f MiB under --memory %d MiB", float64(peak)/(1<<20), capMiB)
}

// stuckRun is execspec running the misbehave model's endless action, started
// by a test that then stops it.
type stuckRun struct {
	cmd   *exec.Cmd
	out   *bufio.Reader
	start time.Time // when the action was known to loop
	seen  strings.Builder
}

// startStuck starts bin with args on the "loop" instance and returns
// once the action announces that it loops. On error nothing is left
// running.
func startStuck(bin string, env []string, args ...string) (*stuckRun, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer pw.Close()
	s := &stuckRun{cmd: exec.Command(bin, append([]string{args[0], misbehave, "--instance", "loop", "--workers", "1"}, args[1:]...)...)}
	s.cmd.Dir = rootDir
	s.cmd.Env = append(append(os.Environ(), "EXECSPEC_CACHE="+cache), env...)
	s.cmd.Stdout, s.cmd.Stderr = pw, pw
	if err := s.cmd.Start(); err != nil {
		pr.Close()
		return nil, err
	}
	pw.Close() // the child holds its own copy
	s.out = bufio.NewReader(pr)
	for {
		line, err := s.out.ReadString('\n')
		s.seen.WriteString(line)
		if err != nil {
			s.cmd.Process.Kill()
			s.cmd.Wait()
			pr.Close()
			return nil, fmt.Errorf("the action never said it loops: %v\n%s", err, s.seen.String())
		}
		if strings.Contains(line, "loops for ever") {
			s.start = time.Now()
			return s, nil
		}
	}
}

// mustStartStuck is startStuck with the binary under test, failing t on
// error and killing the process when t ends.
func mustStartStuck(t *testing.T, env []string, args ...string) *stuckRun {
	t.Helper()
	s, err := startStuck(binary, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	return s
}

// startStuck fails cleanly when the program never reaches the loop.
func TestStartStuckFails(t *testing.T) {
	t.Parallel()
	if s, err := startStuck("/bin/true", nil, "check"); err == nil || !strings.Contains(err.Error(), "never said it loops") {
		t.Errorf("startStuck(/bin/true) = %v, %v", s, err)
	}
}

// finish waits for the process and returns its exit code, its output and
// how long after the action started looping it ended.
func (s *stuckRun) finish(t *testing.T) (int, string, time.Duration) {
	t.Helper()
	err := s.cmd.Wait()
	took := time.Since(s.start)
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	// The write ends are closed: the rest of the output is there.
	rest := new(strings.Builder)
	s.out.WriteTo(rest)
	return code, s.seen.String() + rest.String(), took
}

// Signals and timeouts stop a run whose action never returns within the
// grace period (EXECSPEC_GRACE, 1s here), naming the action; a second
// Ctrl-C stops it at once; EXECSPEC_TRACEBACK=1 adds the stacks; a runner
// too wedged to end the run itself is killed by the front end.
func TestStuckActionIsStopped(t *testing.T) {
	t.Parallel()
	grace := []string{"EXECSPEC_GRACE=1s"}
	cases := []struct {
		name   string
		env    []string
		args   []string
		stop   func(s *stuckRun) error
		within time.Duration // from the start of the loop
		want   []string
	}{
		{"SIGINT", grace, []string{"run", "--seed", "1"}, func(s *stuckRun) error { return s.cmd.Process.Signal(syscall.SIGINT) },
			4 * time.Second, []string{"did not return within 1s of the stop (interrupt)", "running: action bad"}},
		{"SIGTERM", grace, []string{"check"}, func(s *stuckRun) error { return s.cmd.Process.Signal(syscall.SIGTERM) },
			4 * time.Second, []string{"did not return within 1s of the stop (terminated)", "running: action bad"}},
		{"second SIGINT", []string{"EXECSPEC_GRACE=1m"}, []string{"check"}, func(s *stuckRun) error {
			if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
				return err
			}
			time.Sleep(1200 * time.Millisecond) // a second Ctrl-C, more than a second after the first
			return s.cmd.Process.Signal(syscall.SIGINT)
		}, 5 * time.Second, []string{"running: action bad"}},
		{"timeout, stacks", append(grace, "EXECSPEC_TRACEBACK=1"), []string{"check", "--timeout", "1s"}, func(*stuckRun) error { return nil },
			5 * time.Second, []string{"did not return within 1s of the stop (the timeout)", "misbehave.Spec.func", "running: action bad"}},
		{"runner stopped", grace, []string{"check"}, func(s *stuckRun) error {
			child, err := childOf(s.cmd.Process.Pid)
			if err != nil {
				return err
			}
			if err := syscall.Kill(child, syscall.SIGSTOP); err != nil {
				return err
			}
			return s.cmd.Process.Signal(syscall.SIGTERM)
		}, 6 * time.Second, []string{"the model runner did not end the run itself: execspec killed it", "running: action bad"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := mustStartStuck(t, tc.env, tc.args...)
			if err := tc.stop(s); err != nil {
				t.Fatal(err)
			}
			code, out, took := s.finish(t)
			if code != 6 {
				t.Errorf("exit %d, want 6\n%s", code, out)
			}
			if took > tc.within {
				t.Errorf("ended %v after the action started looping, want within %v", took, tc.within)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// A runner killed from outside (the out-of-memory killer) is not an
// interrupted run: exit 6, naming the action that was running.
func TestRunnerKilledFromOutside(t *testing.T) {
	t.Parallel()
	s := mustStartStuck(t, nil, "check")
	child, err := childOf(s.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(child, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	code, out, _ := s.finish(t)
	if code != 6 || !strings.Contains(out, "the model runner was killed by a signal (killed) without a result") || !strings.Contains(out, "running: action bad") {
		t.Errorf("exit %d, want 6 naming the action\n%s", code, out)
	}
}
