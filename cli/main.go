package cli

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/execspec/execspec"
)

// Version is execspec's version, printed by `execspec version`.
const Version = "0.1.0-dev"

// Env is what the command reads and writes: its standard streams, working
// directory and environment. Zero fields mean the process's own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Dir            string
	Environ        []string
	// StderrIsTerminal enables progress output without --progress.
	StderrIsTerminal bool
	// mon supervises model code in a model runner (nil elsewhere).
	mon *monitor
}

const usage = `execspec: executable specifications and model-based testing for Go.

Usage:
  execspec init    [DIR] [flags]     write a new model package: --template KIND for your kind of system, --list
  execspec run     PACKAGE [flags]   random simulation: search for invariant violations or examples
  execspec replay  PACKAGE [flags]   re-execute one sample (--seed, --sample) or validate an ITF trace (--itf)
  execspec check   PACKAGE [flags]   exhaustive model checking (BFS, DFS, random DFS)
  execspec list    PACKAGE [flags]   the model's instances, actions, invariants and examples
  execspec explore PACKAGE [flags]   serve an interactive state explorer on a local web page
  execspec trace   FILE [flags]      print an ITF trace readably, without a model (- reads stdin)
  execspec view    FILE [flags]      turn an ITF trace into one self-contained HTML page
  execspec merge   DIR...            combine the shards of a run (run --shard I/N --shard-out DIR)
  execspec native  [PACKAGE] [flags] write the file that runs the model's maps and slices natively under go test
  execspec version                   print the version

PACKAGE is a Go package path (./examples/dnsbalancer) that declares
func Spec() *execspec.Spec[S]. Use "execspec COMMAND -h" for a command's flags.

Exit codes: 0 clean, 1 invariant violated (or, for replay --itf, a trace
that is not a behaviour of the model), 2 example found, 3 example not found,
4 usage or input error, 5 search incomplete, 6 no result from the model
runner (model code that exited, crashed or did not stop; an internal
error), 130 interrupted (SIGINT), 143 terminated (SIGTERM).
`

// Main runs the execspec command with args (without the program name) and
// returns its exit code.
func Main(args []string, env Env) int {
	env = env.withDefaults()
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	case "version", "-version", "--version":
		fmt.Fprintf(env.Stdout, "execspec %s %s\n", Version, goVersion())
		return ExitOK
	case "init":
		return cmdInit(rest, env)
	case "native":
		return cmdNative(rest, env)
	case "trace":
		return cmdTrace(rest, env)
	case "view":
		return cmdView(rest, env)
	case "merge":
		return cmdMerge(rest, env)
	case "run", "replay", "check", "list", "explore":
		pkg, flags := splitPackage(rest)
		if wantsHelp(flags) {
			// The flags do not depend on the model: show them without
			// building one (the package may be missing or broken).
			return RunModelEnv(context.Background(), append([]string{cmd}, flags...), execspec.NewSpec[struct{}]("help"), env)
		}
		return runModelCommand(cmd, pkg, flags, env)
	}
	fmt.Fprintf(env.Stderr, "execspec: unknown command %q; commands: init, run, replay, check, list, explore, trace, view, merge, native, version\n", cmd)
	return ExitUsage
}

// wantsHelp reports whether args ask for help (-h, -help or --help before
// any "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// splitPackage takes the package argument: the first argument when it is not
// a flag, "." otherwise.
func splitPackage(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return ".", args
}

func goVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.GoVersion
	}
	return ""
}

// usageError is an error in the command line or its input: exit code 4.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}
