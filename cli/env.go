package cli

import (
	"os"
	"strings"
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

// Getenv returns the value of the environment variable key in e's
// environment ("" when unset).
func (e Env) Getenv(key string) string {
	for i := len(e.Environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(e.Environ[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}
