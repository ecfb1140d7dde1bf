package cli

import "flag"

// flagSet wraps flag.FlagSet so commands can share flag definitions.
type flagSet struct{ *flag.FlagSet }

func newFrontFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet("execspec "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}
