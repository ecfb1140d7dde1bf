//go:build unix

package cli_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// The counter model's large instance never ends; --max-states makes the
// search end at the same states every time, about 200,000 of them, some
// 450 levels deep.
var counterSearch = []string{"check", "./cli/testdata/models/counter", "--instance", "large", "--property", "always", "--max-states", "200000"}

// TestCheckpointKillResume kills a search with SIGKILL after it has saved
// a few levels, resumes it on another number of workers, and compares the
// counts and depth with a search never interrupted.
func TestCheckpointKillResume(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end: runs three searches of 200,000 states")
	}
	want := execspec(t, nil, append(counterSearch, "--workers", "1")...)
	want.expect(t, 5, "200,000 distinct states found")
	dir := filepath.Join(t.TempDir(), "ck")
	levels, out, err := killAfterCheckpoint(append(counterSearch, "--workers", "1", "--checkpoint", dir, "--checkpoint-every", "1ns"), 20, syscall.SIGKILL)
	if err != nil || levels < 20 {
		t.Fatalf("killed after %d levels: %v\n%s", levels, err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "checkpoint")); err != nil {
		t.Fatalf("no checkpoint after kill -9: %v\n%s", err, out)
	}
	got := execspec(t, nil, append(counterSearch, "--workers", "2", "--resume", dir)...)
	got.expect(t, 5, "resuming the search saved in "+dir)
	got.expect(t, 5, "Resumed from a checkpoint that held")
	if w, g := searchFigures(want.stdout), searchFigures(got.stdout); w == "" || w != g {
		t.Errorf("resumed search:\n%s\nwant the figures of the uninterrupted one:\n%s", g, w)
	}
	if _, err := os.Stat(filepath.Join(dir, "checkpoint")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the finished search left its checkpoint: %v", err)
	}
}

// TestCheckpointOnSIGTERM: a search stopped by SIGTERM saves where it is
// and says how to go on; the command it prints resumes it, and a search
// with other options is refused.
func TestCheckpointOnSIGTERM(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end: runs a search until it has saved five levels, then three more commands")
	}
	dir := filepath.Join(t.TempDir(), "ck")
	endless := []string{"check", "./cli/testdata/models/counter", "--instance", "large", "--property", "always", "--workers", "1"}
	_, out, err := killAfterCheckpoint(append(endless, "--checkpoint", dir, "--checkpoint-every", "1ns"), 5, syscall.SIGTERM)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"SEARCH INCOMPLETE: stopped (interrupted)", "The search so far is saved in " + filepath.Join(dir, "checkpoint"), "go on with: execspec check ./cli/testdata/models/counter --instance large --property always --resume " + dir} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "checkpoint")); err != nil {
		t.Fatalf("no checkpoint after SIGTERM: %v", err)
	}
	other := execspec(t, nil, append(endless, "--max-depth", "3", "--resume", dir)...)
	other.expect(t, 4, `saved by another search (saved "max depth=0", now "max depth=3")`)
	bad := execspec(t, nil, append(endless, "--strategy", "dfs", "--resume", dir)...)
	bad.expect(t, 4, "--checkpoint and --resume need --strategy bfs")
}

// killAfterCheckpoint starts execspec with args in a process group of its
// own, reads its standard error until it reports a checkpoint of at least
// min levels, sends sig to the group, and returns the levels of that
// checkpoint and everything printed. It fails, leaving nothing running,
// when the command ends without such a checkpoint.
func killAfterCheckpoint(args []string, min int, sig syscall.Signal) (int, string, error) {
	c := exec.Command(binary, args...)
	c.Dir = rootDir
	c.Env = append(os.Environ(), "EXECSPEC_CACHE="+cache)
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout bytes.Buffer
	c.Stdout = &stdout
	stderr, err := c.StderrPipe()
	if err != nil {
		return 0, "", err
	}
	if err := c.Start(); err != nil {
		return 0, "", err
	}
	saved := regexp.MustCompile(`^checkpoint: (\d+) levels`)
	var printed strings.Builder
	levels := -1
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
		if m := saved.FindStringSubmatch(sc.Text()); m != nil {
			if n, _ := strconv.Atoi(m[1]); n >= min {
				levels = n
				syscall.Kill(-c.Process.Pid, sig)
				break
			}
		}
	}
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
	}
	c.Wait()
	out := stdout.String() + printed.String()
	if levels < 0 {
		return 0, out, fmt.Errorf("execspec %s ended without a checkpoint of %d levels", strings.Join(args, " "), min)
	}
	return levels, out, nil
}

func TestKillAfterCheckpointFailure(t *testing.T) {
	t.Parallel()
	_, out, err := killAfterCheckpoint([]string{"check", "./no/such/package", "--checkpoint", t.TempDir()}, 1, syscall.SIGKILL)
	if err == nil || !strings.Contains(err.Error(), "ended without a checkpoint of 1 levels") || !strings.Contains(out, "no such file") {
		t.Fatalf("err %v, output %q", err, out)
	}
}

// searchFigures returns the lines of a search's summary that must not
// depend on how it was run: states generated, distinct and left, and the
// depth.
func searchFigures(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "states generated") || strings.Contains(l, "The depth of the state graph") {
			keep = append(keep, strings.TrimSpace(l))
		}
	}
	return strings.Join(keep, "\n")
}
