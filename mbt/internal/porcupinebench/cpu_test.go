package porcupinebench

import (
	"syscall"
	"testing"
	"time"
)

// cpuClock reads the process's CPU time (user and system, every thread):
// porcupine checks partitions on goroutines of their own, so wall time
// alone would flatter it on a machine with more than one core.
type cpuClock struct{ start time.Duration }

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock{cpuNow()} }

// report adds the CPU time per operation as the metric cpu-ns/op.
func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64(cpuNow()-c.start)/float64(b.N), "cpu-ns/op")
}
