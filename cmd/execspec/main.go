// Command execspec searches executable Go models for invariant violations
// and examples, replays and prints traces, and checks models exhaustively.
// See the README for a tour and the exit codes.
package main

import (
	"os"

	"github.com/execspec/execspec/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.ProcessEnv()))
}
