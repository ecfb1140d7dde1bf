package cli_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInit scaffolds a model package in a user's module (which takes
// execspec from this checkout) and runs what the scaffold promises: the
// checker on it, and its go tests.
func TestInit(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and tests a generated module")
	}
	mod := t.TempDir()
	gomod := "module example.com/acme\n\ngo 1.25\n\nrequire github.com/execspec/execspec v0.0.0\n\nreplace github.com/execspec/execspec => " + rootDir + "\n"
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	r := execspecIn(t, mod, nil, "init", "internal/lock")
	if r.code != 0 || !strings.Contains(r.stdout, "wrote "+filepath.Join(mod, "internal", "lock", "model.go")) || !strings.Contains(r.stdout, "execspec check ./internal/lock --instance small") {
		t.Fatalf("init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	goCmd(t, mod, "mod", "tidy")
	r = execspecIn(t, mod, nil, "check", "./internal/lock", "--instance", "small")
	if r.code != 0 || !strings.Contains(r.stdout, "no invariant is violated") {
		t.Fatalf("check of the scaffold: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The native registrations, written into the package for go test:
	// they compile in a user's module, and go test passes with them.
	r = execspecIn(t, mod, nil, "native", "./internal/lock")
	nativeFile := filepath.Join(mod, "internal", "lock", "zz_execspec_native.go")
	if r.code != 0 || !strings.Contains(r.stdout, "wrote "+nativeFile) {
		t.Fatalf("native: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if src, err := os.ReadFile(nativeFile); err != nil || !strings.Contains(string(src), ".NativeMap[map[string]int]()") {
		t.Fatalf("%s: %v\n%s", nativeFile, err, src)
	}
	out := goCmd(t, mod, "test", "-count=1", "./...")
	if !strings.Contains(out, "ok  \texample.com/acme/internal/lock") {
		t.Fatalf("go test of the scaffold:\n%s", out)
	}
	// A file of that name that execspec did not write is never replaced:
	// native refuses, and the runner builds without native code, saying so.
	mine := "package lock\n\n// Mine, not generated.\nconst Mine = 1\n"
	if err := os.WriteFile(nativeFile, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	r = execspecIn(t, mod, nil, "native", "./internal/lock")
	if got, _ := os.ReadFile(nativeFile); r.code != 4 || !strings.Contains(r.stderr, "zz_execspec_native.go: not written by execspec; rename it") || string(got) != mine {
		t.Fatalf("native over the user's file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = execspecIn(t, mod, nil, "list", "./internal/lock")
	if r.code != 0 || !strings.Contains(r.stderr, "execspec: no native code for the maps and slices of ./internal/lock (slower)") {
		t.Fatalf("list with the user's file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Again into the same directory: refused, nothing overwritten.
	before, _ := os.ReadFile(filepath.Join(mod, "internal", "lock", "model.go"))
	r = execspecIn(t, mod, nil, "init", "internal/lock")
	after, _ := os.ReadFile(filepath.Join(mod, "internal", "lock", "model.go"))
	if r.code != 4 || !strings.Contains(r.stderr, "already holds Go files") || string(before) != string(after) {
		t.Fatalf("init over a package: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// Outside any module, init writes a go.mod too and says what to run next.
func TestInitOutsideModule(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := execspecIn(t, dir, nil, "init", "my-model")
	if r.code != 0 || !strings.Contains(r.stdout, "go get github.com/execspec/execspec") {
		t.Fatalf("init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "my-model", "go.mod"))
	if err != nil || !strings.HasPrefix(string(gomod), "module mymodel\n") {
		t.Fatalf("go.mod: %q, %v", gomod, err)
	}
	model, _ := os.ReadFile(filepath.Join(dir, "my-model", "model.go"))
	if !strings.Contains(string(model), "package mymodel") {
		t.Errorf("package name not derived from the directory:\n%.200s", model)
	}
	for _, bad := range [][]string{{"init", "--name", "func", "x"}, {"init", "a", "b"}, {"init", "--frobnicate"}} {
		if r := execspecIn(t, dir, nil, bad...); r.code != 4 {
			t.Errorf("%q: exit %d, want 4\n%s", bad, r.code, r.stderr)
		}
	}
	if r := execspecIn(t, dir, nil, "init", "-h"); r.code != 0 || !strings.Contains(r.stderr, "Usage: execspec init") {
		t.Errorf("init -h: exit %d\n%s", r.code, r.stderr)
	}
}

// goCmd runs the go command in dir and returns its output, failing t when
// it fails.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	c := exec.Command("go", args...)
	c.Dir = dir
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// init writes all of its package or nothing: a file in the way (a README)
// is refused before anything is written, and a write that fails part way
// (here, past a file size limit, as on a full disk) leaves nothing behind,
// not even an empty go.mod.
func TestInitAllOrNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	proj := filepath.Join(dir, "proj")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, "README.md"), []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := execspecIn(t, dir, nil, "init", "proj")
	if r.code != 4 || !strings.Contains(r.stderr, "proj already holds README.md, which init would write: nothing was written") {
		t.Errorf("init over a README: exit %d\n%s", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(proj); len(entries) != 1 {
		t.Errorf("init over a README left %v", entries)
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to set a file size limit")
	}
	// ulimit -f 1: files of at most 512 or 1024 bytes; go.mod fits, model.go not.
	c := exec.Command("sh", "-c", `ulimit -f 1 && exec "$0" init fresh`, binary)
	c.Dir = dir
	c.Env = append(os.Environ(), "EXECSPEC_CACHE="+cache)
	out, err := c.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 4 || !strings.Contains(string(out), "nothing is left of the new package") {
		t.Errorf("init past a file size limit: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "fresh")); !errors.Is(err, os.ErrNotExist) {
		entries, _ := os.ReadDir(filepath.Join(dir, "fresh"))
		t.Errorf("a failed init left the directory fresh: %v (%v)", entries, err)
	}
}
