//go:build unix

package cli_test

import (
	"strings"
	"syscall"
	"testing"
)

// Ctrl-C stops a search that would never end: the statistics so far are
// printed and the exit code is 130.
func TestCheckInterrupt(t *testing.T) {
	lc, err := startLongCheck(binary, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(-lc.cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	code, out := lc.finish()
	if code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, out)
	}
	if !interruptedStats(out) {
		t.Errorf("no statistics after Ctrl-C:\n%s", out)
	}
}

// startLongCheck fails cleanly, leaving nothing running, when the program
// cannot start or exits before its header.
func TestStartLongCheckFailures(t *testing.T) {
	for _, c := range []struct{ bin, want string }{
		{"/nonexistent/execspec", "start /nonexistent/execspec"},
		{"/bin/true", "no header line from /bin/true"},
	} {
		lc, err := startLongCheck(c.bin, false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("startLongCheck(%s) = %v, %v; want an error containing %q", c.bin, lc, err, c.want)
		}
	}
}
