//go:build unix

package viewer

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the browser and its helper processes in a process
// group of their own, so that cleanup can end exactly them.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killProcessGroup kills the browser's process group (started by this test).
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
