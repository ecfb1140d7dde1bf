//go:build !linux

package cli

import (
	"os"
	"os/exec"
	"syscall"
)

// forwardedSignals are the signals the front end passes on to the runner.
var forwardedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// setParentDeathSignal does nothing: only Linux can tie the runner's life
// to the front end's. Elsewhere, a front end killed by SIGKILL leaves the
// runner running until it finishes.
func setParentDeathSignal(c *exec.Cmd) {}
