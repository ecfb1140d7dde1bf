package cli

import "fmt"

// cmdView is replaced by the trace viewer's command.
func cmdView(args []string, env Env) int {
	fmt.Fprintln(env.Stderr, "execspec view: not available yet")
	return ExitUsage
}
