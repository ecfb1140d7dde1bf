//go:build linux

package cli_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A supervisor (CI runner, timeout, systemd) signals only the execspec
// process, not its process group: the front end must pass the signal on to
// the model runner, report what it printed and exit 128+signal; killed by
// SIGKILL, it must not leave the runner behind.
func TestSignalToFrontEndOnly(t *testing.T) {
	cases := []struct {
		name    string
		sig     syscall.Signal
		code    int
		printed bool // the runner's statistics reach the output
	}{
		{"SIGTERM", syscall.SIGTERM, 143, true},
		{"SIGINT", syscall.SIGINT, 130, true},
		{"SIGHUP", syscall.SIGHUP, 129, true},
		{"SIGKILL", syscall.SIGKILL, -1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lc, err := startLongCheck(binary, false)
			if err != nil {
				t.Fatal(err)
			}
			child, err := childOf(lc.cmd.Process.Pid)
			if err != nil {
				lc.cmd.Process.Kill()
				lc.cmd.Wait()
				t.Fatal(err)
			}
			if err := lc.cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			code, out := lc.finish()
			if code != tc.code {
				t.Errorf("exit code %d, want %d\n%s", code, tc.code, out)
			}
			if stats := interruptedStats(out); stats != tc.printed {
				t.Errorf("statistics printed: %v, want %v\n%s", stats, tc.printed, out)
			}
			if err := waitGone(child, 10*time.Second); err != nil {
				syscall.Kill(child, syscall.SIGKILL)
				t.Error(err)
			}
		})
	}
}

// childOf returns the PID of the only child of pid, from /proc.
func childOf(pid int) (int, error) {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return 0, err
	}
	var kids []int
	for _, f := range stats {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // the process has gone
		}
		if ppid, ok := statField(string(data), 4); ok && ppid == strconv.Itoa(pid) {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
			kids = append(kids, n)
		}
	}
	if len(kids) != 1 {
		return 0, fmt.Errorf("process %d has children %v, want exactly one (the runner)", pid, kids)
	}
	return kids[0], nil
}

// statField returns field n (from 1) of a /proc/PID/stat line; the second
// field, the command name in parentheses, may hold spaces.
func statField(stat string, n int) (string, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 || n < 3 {
		return "", false
	}
	fields := strings.Fields(stat[i+1:])
	if len(fields) < n-2 {
		return "", false
	}
	return fields[n-3], true
}

// alive reports whether pid is a process that is not a zombie.
func alive(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	state, ok := statField(string(data), 3)
	return ok && state != "Z" && state != "X"
}

// waitGone polls until pid has exited, failing after d.
func waitGone(pid int, d time.Duration) error {
	deadline := time.Now().Add(d)
	for alive(pid) {
		if time.Now().After(deadline) {
			return fmt.Errorf("process %d still runs %v after its parent ended", pid, d)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, bounded by the deadline
	}
	return nil
}

// The helpers above must fail when they should.
func TestProcHelpers(t *testing.T) {
	if _, err := childOf(os.Getpid()); err == nil {
		t.Error("childOf found a child of the test process, which has none")
	}
	if !alive(os.Getpid()) {
		t.Error("alive(self) = false")
	}
	if err := waitGone(os.Getpid(), 20*time.Millisecond); err == nil {
		t.Error("waitGone(self) succeeded")
	}
	if _, ok := statField("1 (a b) S 7", 4); !ok {
		t.Error("statField cannot read the parent PID after a command name with a space")
	}
	if v, _ := statField("1 (a b) S 7", 4); v != "7" {
		t.Errorf("statField = %q, want 7", v)
	}
	if _, ok := statField("garbage", 4); ok {
		t.Error("statField accepted garbage")
	}
}

// SIGTERM to the front end stops an explore server too (it kept serving):
// the runner stops serving, and a server's stop is a clean exit.
func TestSignalStopsExplore(t *testing.T) {
	c := exec.Command(binary, "explore", "./cli/testdata/models/counter", "--instance", "small")
	c.Dir = rootDir
	c.Env = append(os.Environ(), "EXECSPEC_CACHE="+cache)
	stderr, err := c.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Process.Kill(); _ = c.Wait() }()
	r := bufio.NewReader(stderr)
	var out strings.Builder
	for !strings.Contains(out.String(), "serving http://") {
		line, err := r.ReadString('\n')
		out.WriteString(line)
		if err != nil {
			t.Fatalf("explore did not start serving: %v\n%s", err, out.String())
		}
	}
	child, err := childOf(c.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r.WriteTo(&out)
	if err := c.Wait(); err != nil {
		t.Errorf("explore after SIGTERM: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "execspec explore: stopped") {
		t.Errorf("no stop message:\n%s", out.String())
	}
	if err := waitGone(child, 10*time.Second); err != nil {
		syscall.Kill(child, syscall.SIGKILL)
		t.Error(err)
	}
}

// A killed execspec leaves no `go build` of the runner behind.
func TestKilledFrontEndLeavesNoBuild(t *testing.T) {
	t.Parallel()
	// -a rebuilds every package: a build long enough to be caught running.
	c := exec.Command(binary, "list", "./cli/testdata/models/counter")
	c.Dir = rootDir
	c.Env = append(os.Environ(), "EXECSPEC_CACHE="+t.TempDir(), "GOFLAGS=-a")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	defer c.Wait()
	defer c.Process.Kill()
	build, err := waitChild(c.Process.Pid, "go", 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.Wait()
	if err := waitGone(build, 10*time.Second); err != nil {
		syscall.Kill(build, syscall.SIGKILL)
		t.Error(err)
	}
}

// waitChild polls until pid has a child running the command name (as
// /proc/PID/stat names it), failing after d.
func waitChild(pid int, name string, d time.Duration) (int, error) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		stats, _ := filepath.Glob("/proc/[0-9]*/stat")
		for _, f := range stats {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			stat := string(data)
			ppid, ok := statField(stat, 4)
			if ok && ppid == strconv.Itoa(pid) && strings.Contains(stat, "("+name+")") {
				n, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
				if args, err := os.ReadFile(filepath.Join(filepath.Dir(f), "cmdline")); err == nil && strings.Contains(string(args), "build") {
					return n, nil
				}
			}
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, bounded by the deadline
	}
	return 0, fmt.Errorf("process %d started no %s build within %v", pid, name, d)
}

// waitChild gives up when no such child comes.
func TestWaitChildFails(t *testing.T) {
	t.Parallel()
	if pid, err := waitChild(os.Getpid(), "no-such-command", 50*time.Millisecond); err == nil {
		t.Errorf("waitChild found %d", pid)
	}
}
