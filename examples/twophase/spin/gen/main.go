// Command gen prints the Promela model of two-phase commit (TwoPhase.tla)
// for SPIN, for the number of resource managers given by -rms (see package
// spin):
//
//	go run ./examples/twophase/spin/gen -rms 7 > twophase7.pml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/execspec/execspec/examples/twophase/spin"
)

func main() {
	rms := flag.Int("rms", 3, "number of resource managers")
	flag.Parse()
	if *rms < 1 {
		fmt.Fprintln(os.Stderr, "gen: -rms must be at least 1")
		os.Exit(2)
	}
	fmt.Print(spin.Promela(*rms))
}
