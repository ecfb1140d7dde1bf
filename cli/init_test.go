package cli_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// userEnv is the environment of a user who installed execspec (the
// binary under test is on PATH) and works offline: the module proxy is
// off, so a module that needed the network would fail here.
func userEnv() []string {
	return append(os.Environ(), "PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"), "EXECSPEC_CACHE="+cache, "GOPROXY=off", "GOFLAGS=-buildvcs=false")
}

// followSteps runs the steps init printed, as printed, from dir, and
// returns their results.
func followSteps(t *testing.T, dir, initOut string) []stepResult {
	t.Helper()
	steps, err := printedSteps(initOut)
	if err != nil {
		t.Fatalf("%v:\n%s", err, initOut)
	}
	res, err := runSession(t.Context(), dir, userEnv(), steps)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestInit scaffolds the generic model package in a user's existing
// module that does not require execspec: init adds the requirement and a
// replace directive to this checkout, and what it prints next (go mod
// tidy, the checker, go test, model-based testing) works as printed. It
// builds and tests a new module (about 30 CPU-s): it runs with
// EXECSPEC_E2E=1, as .ci/run sets it.
func TestInit(t *testing.T) {
	t.Parallel()
	requireE2E(t, "builds and tests a generated module")
	mod := t.TempDir()
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/acme\n\ngo 1.25\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := execspecIn(t, mod, nil, "init", "internal/lock")
	if r.code != 0 || !strings.Contains(r.stdout, "wrote "+filepath.Join(mod, "internal", "lock", "model.go")) || !strings.Contains(r.stdout, "go.mod: requires github.com/execspec/execspec, replaced by the local clone "+rootDir) {
		t.Fatalf("init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gomod, _ := os.ReadFile(filepath.Join(mod, "go.mod"))
	for _, want := range []string{"require github.com/execspec/execspec v0.0.0-00010101000000-000000000000", "replace github.com/execspec/execspec => " + rootDir} {
		if !strings.Contains(string(gomod), want) {
			t.Errorf("go.mod lacks %q:\n%s", want, gomod)
		}
	}
	res := followSteps(t, mod, r.stdout)
	if got := strings.Join(stepCommands(t, r.stdout), "; "); got != "go mod tidy; execspec check ./internal/lock --instance small; go test ./internal/lock; go test -run TestConformance -v ./internal/lock" {
		t.Errorf("next steps: %s", got)
	}
	for i, want := range []string{"", "no invariant is violated", "ok  \texample.com/acme/internal/lock", "--- PASS: TestConformance"} {
		if !strings.Contains(res[i].out, want) {
			t.Errorf("next step %d: output lacks %q:\n%s", i+1, want, res[i].out)
		}
	}
	// The engines agree with the reference semantics on the scaffold as
	// generated (the templates' packages are compared in
	// internal/crosscheck).
	r = execspecIn(t, mod, nil, "check", "./internal/lock", "--instance", "small", "--reference")
	if r.code != 0 || !strings.Contains(r.stdout, "Result: every configuration agrees with the reference semantics") {
		t.Fatalf("check --reference of the scaffold: exit %d\n%s%s", r.code, r.stdout, r.stderr)
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
	// Again into the same directory: refused, nothing overwritten; into
	// another, go.mod already requires execspec and is left as it is.
	before, _ := os.ReadFile(filepath.Join(mod, "internal", "lock", "model.go"))
	r = execspecIn(t, mod, nil, "init", "internal/lock")
	after, _ := os.ReadFile(filepath.Join(mod, "internal", "lock", "model.go"))
	if r.code != 4 || !strings.Contains(r.stderr, "already holds Go files") || string(before) != string(after) {
		t.Fatalf("init over a package: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gomod, _ = os.ReadFile(filepath.Join(mod, "go.mod"))
	r = execspecIn(t, mod, nil, "init", "--template", "scheduler", "internal/sched")
	gomod2, _ := os.ReadFile(filepath.Join(mod, "go.mod"))
	if r.code != 0 || strings.Contains(r.stdout, "go.mod:") || string(gomod) != string(gomod2) {
		t.Fatalf("a second init: exit %d, go.mod changed %v\n%s%s", r.code, string(gomod) != string(gomod2), r.stdout, r.stderr)
	}
}

// stepCommands returns the commands of the steps init printed.
func stepCommands(t *testing.T, initOut string) []string {
	t.Helper()
	steps, err := printedSteps(initOut)
	if err != nil {
		t.Fatal(err)
	}
	cmds := make([]string, len(steps))
	for i, st := range steps {
		cmds[i] = st.cmd
	}
	return cmds
}

// TestInitNewModule starts where a user starts: an empty directory
// outside any module. init writes a module that takes execspec from this
// checkout, and its next steps, run as printed (go mod tidy, the checker
// on the planted bug, simulation, the fixed twin, go test, model-based
// testing), end as their comments say. It builds and tests a new module
// (about 8 CPU-s): it runs with EXECSPEC_E2E=1, as .ci/run sets it.
func TestInitNewModule(t *testing.T) {
	t.Parallel()
	if os.Getenv("EXECSPEC_E2E") == "" {
		t.Skip("builds and tests a generated module: set EXECSPEC_E2E=1")
	}
	dir := t.TempDir()
	r := execspecIn(t, dir, nil, "init", "--template", "scheduler", "sched")
	if r.code != 0 {
		t.Fatalf("init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "sched", "go.mod"))
	if err != nil || !strings.HasPrefix(string(gomod), "module sched\n") || !strings.Contains(string(gomod), "replace github.com/execspec/execspec => "+rootDir+"\n") {
		t.Fatalf("go.mod: %v\n%s", err, gomod)
	}
	want := []struct{ cmd, out string }{
		{"cd sched", ""},
		{"go mod tidy", ""},
		{"execspec check .", "VIOLATION: invariant committed_at_most_once does not hold after step 7 (7 steps, a shortest trace)"},
		{"execspec run .", "VIOLATION: invariant committed_at_most_once"},
		{"execspec check . --instance small_fixed", "temporal properties hold: every_job_done"},
		{"go test ./...", "ok  \tsched"},
		{"go test -run TestConformance -v .", "--- PASS: TestConformance"},
	}
	cmds := stepCommands(t, r.stdout)
	res := followSteps(t, dir, r.stdout)
	if len(res) != len(want) {
		t.Fatalf("%d next steps, want %d:\n%s", len(res), len(want), r.stdout)
	}
	for i, w := range want {
		if cmds[i] != w.cmd || !strings.Contains(res[i].out, w.out) {
			t.Errorf("next step %d: $ %s, want $ %s with %q in its output:\n%s", i+1, cmds[i], w.cmd, w.out, res[i].out)
		}
	}
}

// Outside any module, init writes a go.mod too and says what to run next.
func TestInitOutsideModule(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := execspecIn(t, dir, nil, "init", "my-model")
	if r.code != 0 || !strings.Contains(r.stdout, "  cd my-model ") {
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

// TestInitTemplates writes every template into one fresh module outside
// the repository (the work shared: one go mod tidy, one go test) and
// checks what each promises: execspec check finds the planted bug with
// the shortest trace init announced, execspec run finds it on default
// flags (a fixed seed, for a test that does not vary), the fixed twin is
// clean, invariants and temporal property, and go test passes.
//
// It builds six runners and six test binaries (about a minute of CPU), so
// it runs only with EXECSPEC_E2E=1, which .ci/run sets; the scheduler
// template is tested end to end by every go test (TestInitNewModule), and
// each template's package by its own tests in this repository.
func TestInitTemplates(t *testing.T) {
	t.Parallel()
	requireE2E(t, "builds and tests six generated packages")
	mod := t.TempDir()
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/pilot\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	kinds := []struct{ kind, dir, bugged, shortest string }{
		{"control-plane", "controlplane", "active_version_exists", "8 steps"},
		{"scheduler", "scheduler", "committed_at_most_once", "7 steps"},
		{"replication", "replication", "no_acked_commit_lost", "6 steps"},
		{"protocol", "election", "election_safety", "8 steps"},
		{"reconciliation-loop", "reconciler", "never_creates_above_desired", "3 steps"},
		{"idempotent-retries", "idempotency", "charged_at_most_once", "7 steps"},
	}
	for _, k := range kinds {
		r := execspecIn(t, mod, nil, "init", "--template", k.kind, k.dir)
		if r.code != 0 || !strings.Contains(r.stdout, "finds the planted bug: "+k.bugged+", "+k.shortest+" (exit 1)") {
			t.Fatalf("init --template %s: exit %d\n%s%s", k.kind, r.code, r.stdout, r.stderr)
		}
	}
	goCmd(t, mod, "mod", "tidy")
	for _, k := range kinds {
		pkg := "./" + k.dir
		steps := []shellStep{
			{cmd: "execspec check " + pkg, want: 1},
			{cmd: "execspec run " + pkg + " --seed 1", want: 1},
			{cmd: "execspec check " + pkg + " --instance small_fixed", want: 0},
		}
		res, err := runSession(t.Context(), mod, userEnv(), steps)
		if err != nil {
			t.Errorf("%s: %v", k.kind, err)
			continue
		}
		for i, want := range []string{
			"VIOLATION: invariant " + k.bugged + " does not hold after step " + strings.TrimSuffix(k.shortest, " steps") + " (" + k.shortest + ", a shortest trace)",
			"VIOLATION: invariant " + k.bugged,
			"Search complete: every reachable state explored; no invariant is violated; temporal properties hold",
		} {
			if !strings.Contains(res[i].out, want) {
				t.Errorf("%s: $ %s: output lacks %q:\n%s", k.kind, steps[i].cmd, want, res[i].out)
			}
		}
	}
	out := goCmd(t, mod, "test", "./...")
	for _, k := range kinds {
		if !strings.Contains(out, "ok  \texample.com/pilot/"+k.dir) {
			t.Errorf("go test: %s did not pass:\n%s", k.dir, out)
		}
	}
}

// requireE2E skips t unless EXECSPEC_E2E is set (as .ci/run sets it):
// the end-to-end tests that cost more than the go test ./... budget
// allows.
func requireE2E(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("EXECSPEC_E2E") == "" {
		t.Skipf("%s: set EXECSPEC_E2E=1 to run it (.ci/run does)", why)
	}
}
