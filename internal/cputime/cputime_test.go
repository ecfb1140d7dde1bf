package cputime

import (
	"testing"
	"time"
)

// TestSinceCountsBusyWork checks that spinning for 50ms of wall time adds
// CPU time, and that the clock never runs backwards.
func TestSinceCountsBusyWork(t *testing.T) {
	start, ok := Now()
	if !ok {
		t.Skip("no CPU clock on this platform")
	}
	deadline := time.Now().Add(50 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	d := Since(start)
	if d <= 0 {
		t.Fatalf("CPU time after 50ms of spinning: %v (%d iterations)", d, x)
	}
}
