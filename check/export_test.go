package check

import "testing"

// LowerKeysTableFloor lets the table of a level's smallest keys shrink to
// what Options.Spill allows, however small, for the test's duration: with
// Spill 1 it cannot grow, and every repeated offer of a state is written.
func LowerKeysTableFloor(t testing.TB) {
	old := keysTableFloor
	keysTableFloor = 0
	t.Cleanup(func() { keysTableFloor = old })
}

// KeepLevelsInMemory keeps every level's candidates in memory, whatever
// the spill limit, until restore is called: only the fingerprints, the
// records and the waiting level go to disk.
func KeepLevelsInMemory() (restore func()) {
	externalLevels = false
	return func() { externalLevels = true }
}
