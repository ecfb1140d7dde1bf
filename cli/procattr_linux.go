//go:build linux

package cli

import (
	"os"
	"os/exec"
	"syscall"
)

// forwardedSignals are the signals the front end passes on to the runner.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// setParentDeathSignal makes the kernel send SIGKILL to the runner when the
// front end dies (even by SIGKILL), so that no runner outlives it.
func setParentDeathSignal(c *exec.Cmd) {
	c.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
