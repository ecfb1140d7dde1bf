package cli

import (
	"os"
)

func (e Env) withDefaults() Env {
	if e.Stdin == nil {
		e.Stdin = os.Stdin
	}
	if e.Stdout == nil {
		e.Stdout = os.Stdout
	}
	if e.Stderr == nil {
		e.Stderr = os.Stderr
	}
	if e.Dir == "" {
		e.Dir, _ = os.Getwd()
	}
	if e.Environ == nil {
		e.Environ = os.Environ()
	}
	return e
}

// ProcessEnv returns the Env of the running process, detecting whether
// stderr is a terminal.
func ProcessEnv() Env {
	e := Env{}.withDefaults()
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		e.StderrIsTerminal = true
	}
	return e
}
