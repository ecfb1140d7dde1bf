// Package cputime measures the processor time the process has used, for
// benchmarks that report work per CPU-second: on a machine shared with
// other work, CPU time is steadier than wall time.
package cputime

import "time"

// Now returns the user plus system CPU time the process has used so far,
// or, where the platform does not say, the wall time since the process
// started (ok false).
func Now() (d time.Duration, ok bool) { return now() }

// Since returns the CPU time used since start (a value from Now).
func Since(start time.Duration) time.Duration {
	d, _ := now()
	return d - start
}

var processStart = time.Now()
