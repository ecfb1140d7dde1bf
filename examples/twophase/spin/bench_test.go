package spin_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/execspec/execspec/examples/twophase/spin"
)

// BenchmarkCheckTwoPhase is SPIN's side of examples/twophase's benchmark
// of the same name: SPIN's exhaustive search of the generated Promela model
// of two-phase commit with 7 and 8 RMs (296,448 and 1,745,408 states),
// compiled with gcc -O2 as run.sh does (compilation not timed), as
// model=spin with the same sub-benchmark keys. One op is one run of the
// verifier, pan; it reports distinct states per second and per CPU-second
// of pan (user plus system time, from its rusage). It skips when spin or gcc
// is missing.
//
//	go test ./examples/twophase/spin/ -run '^$' -bench CheckTwoPhase -benchtime 3x -count 6
func BenchmarkCheckTwoPhase(b *testing.B) {
	for _, c := range []struct {
		rms    int
		stored int64
		w      string
	}{
		{7, 296448, "-w20"},
		{8, 1745408, "-w22"},
	} {
		b.Run(fmt.Sprintf("model=spin/rm=%d/workers=1", c.rms), func(b *testing.B) {
			spinPath, errSpin := exec.LookPath("spin")
			gccPath, errGCC := exec.LookPath("gcc")
			if errSpin != nil || errGCC != nil {
				b.Skip("spin or gcc not found on PATH: install them with `apt-get install -y spin gcc`")
			}
			dir := b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "twophase.pml"), []byte(spin.Promela(c.rms)), 0o644); err != nil {
				b.Fatal(err)
			}
			run(b, dir, spinPath, "-a", "twophase.pml")
			run(b, dir, gccPath, "-O2", "-DSAFETY", "-DNOREDUCE", "-DNOCLAIM", "-DMEMLIM=8192", "-o", "pan", "pan.c")
			var cpu float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(filepath.Join(dir, "pan"), c.w)
				cmd.Dir = dir
				out, err := cmd.CombinedOutput()
				if err != nil {
					b.Fatalf("pan: %v\n%s", err, out)
				}
				cpu += (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
				if got := count(b, string(out), "states, stored"); got != c.stored {
					b.Fatalf("pan stored %d states, want %d", got, c.stored)
				}
			}
			b.StopTimer()
			distinct := float64(c.stored) * float64(b.N)
			b.ReportMetric(distinct/b.Elapsed().Seconds(), "states/s")
			b.ReportMetric(distinct/cpu, "states/cpu-s")
		})
	}
}
