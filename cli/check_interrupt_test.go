//go:build unix

package cli_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// Ctrl-C stops a search that would never end: the statistics so far are
// printed and the exit code is 130.
func TestCheckInterrupt(t *testing.T) {
	c := exec.Command(binary, "check", "./cli/testdata/models/counter", "--instance", "large", "--property", "always")
	c.Dir = rootDir
	c.Env = append(os.Environ(), "EXECSPEC_CACHE="+cache)
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a process group, like a terminal's job
	stdout, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	header, err := r.ReadString('\n') // the search has started
	if err != nil {
		t.Fatalf("no header: %v\n%s", err, stderr.String())
	}
	if err := syscall.Kill(-c.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var rest strings.Builder
	if _, err := r.WriteTo(&rest); err != nil {
		t.Fatal(err)
	}
	err = c.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v\n%s%s%s", err, header, rest.String(), stderr.String())
	}
	if !strings.Contains(rest.String(), "SEARCH INCOMPLETE: stopped (interrupted)") || !strings.Contains(rest.String(), "distinct states found") {
		t.Errorf("no statistics after Ctrl-C:\n%s%s", header, rest.String())
	}
}
