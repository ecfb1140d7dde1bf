//go:build unix

package cli_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// longCheck is a check that would never end (the counter model's large
// instance), started by a test that stops it with a signal.
type longCheck struct {
	cmd    *exec.Cmd
	out    *bufio.Reader
	header string // the first line of output: the search has started
	stderr bytes.Buffer
}

// startLongCheck starts bin's endless check and returns once it has printed
// its header. With group set the process leads a process group of its own,
// as a terminal's job does. On error nothing is left running.
func startLongCheck(bin string, group bool) (*longCheck, error) {
	lc := &longCheck{cmd: exec.Command(bin, "check", "./cli/testdata/models/counter", "--instance", "large", "--property", "always")}
	lc.cmd.Dir = rootDir
	lc.cmd.Env = append(os.Environ(), "EXECSPEC_CACHE="+cache)
	if group {
		lc.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	lc.cmd.Stderr = &lc.stderr
	stdout, err := lc.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := lc.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	lc.out = bufio.NewReader(stdout)
	if lc.header, err = lc.out.ReadString('\n'); err != nil {
		lc.cmd.Process.Kill()
		lc.cmd.Wait()
		return nil, fmt.Errorf("no header line from %s: %v\n%s", bin, err, lc.stderr.String())
	}
	return lc, nil
}

// finish reads the rest of the output and waits for the process: its exit
// code (-1 when a signal killed it) and everything it printed.
func (lc *longCheck) finish() (code int, output string) {
	var rest strings.Builder
	lc.out.WriteTo(&rest)
	err := lc.cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	return code, lc.header + rest.String() + lc.stderr.String()
}

// interruptedStats reports whether output holds the statistics a search
// prints when a signal stops it.
func interruptedStats(output string) bool {
	return strings.Contains(output, "SEARCH INCOMPLETE: stopped (interrupted)") && strings.Contains(output, "distinct states found")
}
