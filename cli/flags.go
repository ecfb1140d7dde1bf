package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/execspec/execspec/internal/engine"
)

// flagSet wraps flag.FlagSet so commands can share flag definitions.
type flagSet struct{ *flag.FlagSet }

// newFlagSet returns the flag set of command name, whose errors and help go
// to w. Its help is the synopsis, then every flag in the --name VALUE form
// the README uses.
func newFlagSet(name, synopsis string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("execspec "+name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: %s\n\nFlags:\n", synopsis)
		printFlags(w, fs)
	}
	return fs
}

func newFrontFlags(name string, env Env) *flag.FlagSet {
	return newFlagSet(name, "execspec "+name+" [flags]", env.Stderr)
}

// printFlags lists fs's flags: "  --max-steps N", then the description and
// the default on an indented line.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		switch kind {
		case "string":
			kind = "VALUE"
		case "int", "uint", "int64", "uint64":
			kind = "N"
		case "float":
			kind = "X"
		case "duration":
			kind = "DURATION"
		case "value":
			kind = "VALUE"
		}
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "0s" {
			usage += " (default " + def + ")"
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, strings.ReplaceAll(usage, "\n", "\n      "))
	})
}

// optionFlags names the flag that sets each engine option the commands
// take from a flag of their own name.
var optionFlags = map[string]string{
	"MaxDepth":    "max-depth",
	"MaxStates":   "max-states",
	"Timeout":     "timeout",
	"MemoryBytes": "memory",
}

// flagError turns an engine's refusal of an option into a usage error
// naming the flag that set it: the rule is the engine's, the words the
// command line's.
func flagError(err error) error {
	var oe *engine.OptionError
	if errors.As(err, &oe) {
		if name, ok := optionFlags[oe.Field]; ok {
			return usagef("--%s %s, got %v", name, oe.Want, oe.Value)
		}
	}
	return &usageError{err}
}
