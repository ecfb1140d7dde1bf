// Package cli implements the execspec command. Main is the front end that
// cmd/execspec calls: it handles the commands that need no model (version,
// trace, view) itself, and for the others (run, replay, check, list, explore)
// builds a small runner program for the user's model package and executes it.
// The runner's main calls RunModel, which parses the command's flags and
// drives the engines. Exit codes are the constants Exit*.
package cli

import "github.com/execspec/execspec/findings"

// Exit codes of the execspec command.
const (
	ExitOK          = 0   // clean: nothing found, or replay reproduced a clean run
	ExitViolation   = 1   // an invariant, a temporal property or a refinement was violated, user code panicked, or (replay --itf) a trace is not a behaviour of the model
	ExitExample     = 2   // the example searched for was found
	ExitNoExample   = 3   // the example searched for was not found
	ExitUsage       = 4   // usage or input error (bad flag, unknown name, model does not build, bad trace file)
	ExitIncomplete  = 5   // a search stopped by a limit or timeout before it finished, or left part of a refinement unverified, with nothing found
	ExitNoResult    = 6   // internal error: the model runner ended without a result (os.Exit or Goexit in model code, a runtime crash, killed from outside, model code that did not stop)
	ExitDisagree    = 7   // check --reference: the engines disagree with the reference semantics (an engine bug)
	ExitInterrupted = 130 // interrupted (Ctrl-C); statistics so far were printed
	ExitTerminated  = 143 // terminated by SIGTERM; statistics so far were printed
)

// exitCode is a verdict's exit code: every command that searches maps its
// result to a findings.Verdict, and the verdict to its code here.
func exitCode(v findings.Verdict) int {
	switch v {
	case findings.Violation:
		return ExitViolation
	case findings.Example:
		return ExitExample
	case findings.NoExample:
		return ExitNoExample
	case findings.Incomplete:
		return ExitIncomplete
	case findings.Interrupted:
		return ExitInterrupted
	case findings.ModelError:
		return ExitUsage
	}
	return ExitOK
}
