// Package engine holds what execspec's engines share besides their
// findings (package findings), so that a finding is judged, shrunk, saved
// and reproduced the same whichever engine made it: property lookup and
// judging, the random walk (uniform, weighted, swarm), plans and their
// shrinking, re-executing a trace, and the go test convention of
// check.Test, simulate.Test and mbt.Run (failing traces saved as ITF under
// testdata and replayed first by the next go test, the exact go test
// command that reproduces a failure, and the -execspec.* flags with their
// environment twins).
package engine
