// Package longtest gates the tests of large instances (TLC's published
// counts of PaxosCommit, MCBakery, TwoPhase with seven and eight resource
// managers, ...): they run when the environment variable EXECSPEC_LONG is
// 1, which .ci/run sets, so that the README's `go test ./...` stays within
// its time budget while CI still checks every count.
package longtest

import (
	"os"
	"testing"
)

// Env is the environment variable that turns the long tests on.
const Env = "EXECSPEC_LONG"

// Enabled reports whether the long tests run.
func Enabled() bool { return os.Getenv(Env) == "1" }

// Skip skips t unless the long tests run, saying how to run it.
func Skip(t testing.TB) {
	t.Helper()
	if !Enabled() {
		t.Skipf("a large instance: runs with %s=1 (CI sets it)", Env)
	}
}
