// Package engine holds what execspec's engines share, so that a finding
// reads, saves and reproduces the same whichever engine made it: the kinds
// of finding and the Finding itself, why a search stopped (and so whether
// its silence means anything), the description of a finding for a log, and
// the go test convention of check.Test and simulate.Test (failing traces
// saved as ITF under testdata and replayed first by the next go test, the
// exact go test command that reproduces a failure, and the -execspec.*
// flags with their environment twins).
//
// Model authors do not need this package: they use the root package to
// write models and the engines' Test functions to check them.
package engine
