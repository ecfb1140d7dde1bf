package spin_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/twophase"
	"github.com/execspec/execspec/examples/twophase/spin"
)

// requireTools returns the paths of spin and gcc. Without them it skips
// the test loudly, unless $CI is set: CI must not skip the SPIN
// comparison silently.
func requireTools(t *testing.T) (spinPath, gccPath string) {
	t.Helper()
	spinPath, errSpin := exec.LookPath("spin")
	gccPath, errGCC := exec.LookPath("gcc")
	if errSpin == nil && errGCC == nil {
		return spinPath, gccPath
	}
	msg := "spin or gcc not found on PATH: install them with `apt-get install -y spin gcc`"
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
	}
	t.Skipf("!!! SKIPPING SPIN TEST: %s !!!", msg)
	return "", ""
}

// TestSPINCounts runs SPIN on the generated model and checks that it
// stores TLC's states, and that its transitions are TLC's generated
// states: 288 and 1,146 for three RMs (TwoPhase.cfg), and for four RMs
// what execspec counts on package twophase's model, without symmetry.
func TestSPINCounts(t *testing.T) {
	spinPath, gccPath := requireTools(t)
	four := check.Test(t, twophase.New(4), check.Options{NoSymmetry: true}).Stats
	for _, c := range []struct {
		rms                 int
		stored, transitions int64
	}{
		{3, 288, 1146},
		{4, four.Distinct, four.Generated},
	} {
		t.Run("rm"+strconv.Itoa(c.rms), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "twophase.pml"), []byte(spin.Promela(c.rms)), 0o644); err != nil {
				t.Fatal(err)
			}
			run(t, dir, spinPath, "-a", "twophase.pml")
			// -O0: the test needs counts, not speed (run.sh times it).
			run(t, dir, gccPath, "-O0", "-DSAFETY", "-DNOREDUCE", "-DNOCLAIM", "-o", "pan", "pan.c")
			out := run(t, dir, filepath.Join(dir, "pan"), "-w16")
			stored, transitions := count(t, out, "states, stored"), count(t, out, "transitions")
			if stored != c.stored || transitions != c.transitions {
				t.Errorf("SPIN stored %d states and made %d transitions; want %d and %d\n%s", stored, transitions, c.stored, c.transitions, out)
			}
			if !regexp.MustCompile(`errors: 0\b`).MatchString(out) {
				t.Errorf("SPIN reports errors:\n%s", out)
			}
		})
	}
}

func run(t testing.TB, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// count reads the number before label in pan's report ("288 states,
// stored").
func count(t testing.TB, out, label string) int64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*(\d+) ` + regexp.QuoteMeta(label)).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %q in pan's report:\n%s", label, out)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}
