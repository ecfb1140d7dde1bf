package crosscheck_test

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestMain lets the heap grow four times between collections instead of
// twice: the reference semantics copies a state per branch, and the
// comparisons spend a sixth of their time collecting those copies.
func TestMain(m *testing.M) {
	debug.SetGCPercent(400)
	os.Exit(m.Run())
}
