package cli_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The end-to-end tests build the execspec binary once and run it as a user
// would, from the module root, with a private cache directory.

var (
	binary  string
	rootDir string
	cache   string
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	tmp, err := os.MkdirTemp("", "execspec-cli-test")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	wd, err := os.Getwd()
	if err != nil {
		return 0, err
	}
	rootDir = filepath.Dir(wd)
	binary = filepath.Join(tmp, "execspec")
	cache = filepath.Join(tmp, "cache")
	build := exec.Command("go", "build", "-o", binary, "./cmd/execspec")
	build.Dir = rootDir
	if out, err := build.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("building execspec: %v\n%s", err, out)
	}
	return m.Run(), nil
}

type result struct {
	code           int
	stdout, stderr string
}

func execspec(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return execspecIn(t, rootDir, env, args...)
}

// execspecIn runs the execspec binary in dir.
func execspecIn(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	c := exec.Command(binary, args...)
	c.Dir = dir
	c.Env = append(append(os.Environ(), "EXECSPEC_CACHE="+cache), env...)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	err := c.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running execspec: %v", err)
	}
	return result{code, stdout.String(), stderr.String()}
}

const dns = "./examples/dnsbalancer"

func TestExitCodesAndMessages(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		args []string
		code int
		want []string // substrings of stdout+stderr
	}{
		{"violation", nil, []string{"run", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--seed", "123"}, 1,
			[]string{"VIOLATION: invariant no_inconsistent_root", "Replay with:", "execspec replay ./examples/dnsbalancer --instance n3_5_3 --property no_inconsistent_root --seed 123 --sample", "tried", "fired"}},
		{"clean", nil, []string{"run", dns, "--instance", "n3_5_3_fixed", "--seed", "1", "--max-samples", "200"}, 0,
			[]string{"Summary: 200 samples, 10000 steps", "note: simulation does not check temporal properties (no_stuck_deployer)"}},
		{"temporal property in simulation", nil, []string{"run", dns, "--property", "no_stuck_deployer", "--seed", "1"}, 4,
			[]string{`temporal "no_stuck_deployer" is a temporal property: simulation cannot check it`, "execspec check ./examples/dnsbalancer --instance n3_5_3 --property no_stuck_deployer"}},
		{"example found", nil, []string{"run", dns, "--instance", "n3_5_3", "--property", "plans3", "--seed", "1"}, 2,
			[]string{"EXAMPLE: plans3 reached"}},
		{"example not found", nil, []string{"run", "./cli/testdata/models/counter", "--property", "negative", "--seed", "1", "--max-samples", "20"}, 3,
			[]string{"example negative not reached"}},
		{"seed printed when not given", nil, []string{"run", "./cli/testdata/models/counter", "--instance", "large", "--max-samples", "5"}, 0,
			[]string{"(random; pass --seed to fix it)", "Rerun with: execspec run ./cli/testdata/models/counter --instance large --seed "}},
		{"panic is a finding", nil, []string{"run", "./cli/testdata/models/panicky", "--seed", "1"}, 1,
			[]string{"PANIC at step", "panic in action pop_at with picks index=", "slice bounds out of range", "Replay with:"}},
		{"no model in package", nil, []string{"run", "./cli/testdata/models/nospec"}, 4,
			[]string{"has no execspec model: it must declare func Spec()"}},
		{"package does not compile", nil, []string{"run", "./cli/testdata/models/broken"}, 4,
			[]string{"does not build", `broken.go:10:14: cannot use "not a number"`}},
		{"no such package", nil, []string{"run", "./no/such/package"}, 4, []string{"no/such/package"}},
		{"func field in state", nil, []string{"run", "./cli/testdata/models/funcfield"}, 4,
			[]string{"state field State.Zone.OnChange (type func()): functions cannot be part of state"}},
		{"nondeterministic model", nil, []string{"check", "./cli/testdata/models/nondet"}, 4,
			[]string{"NONDETERMINISTIC MODEL: action choose is not deterministic", "Last:", "ranging over a Go map"}},
		{"unknown instance", nil, []string{"run", dns, "--instance", "n9"}, 4,
			[]string{`unknown instance "n9"; valid: n3_20_3, n3_20_3_fixed, n3_20_3_live, n3_30_20`}},
		{"unknown property", nil, []string{"run", dns, "--property", "nope"}, 4,
			[]string{`unknown property "nope"; valid: epoch5, no_inconsistent_rollback, no_inconsistent_root, no_stuck_deployer, plans3`}},
		{"zero max steps", nil, []string{"run", dns, "--max-steps", "0"}, 4, []string{"--max-steps must be at least 1, got 0"}},
		{"negative samples", nil, []string{"run", dns, "--max-samples", "-5"}, 4, []string{"--max-samples must be at least 1, got -5"}},
		{"bad seed", nil, []string{"run", dns, "--seed", "-1"}, 4, []string{`--seed "-1": not a non-negative integer`}},
		{"unknown flag", nil, []string{"run", dns, "--frobnicate"}, 4, []string{"flag provided but not defined: -frobnicate"}},
		{"unknown command", nil, []string{"frobnicate"}, 4, []string{`unknown command "frobnicate"`}},
		{"replay without seed", nil, []string{"replay", dns, "--sample", "1"}, 4, []string{"replay needs --seed and --sample"}},
		{"list", nil, []string{"list", dns, "--instance", "n3_5_3"}, 0,
			[]string{"instance n3_5_3", "actions:     plan, sync, deploy, cleanup", "invariants:  no_inconsistent_root, no_inconsistent_rollback", "examples:    epoch5, plans3",
				"temporal:    no_stuck_deployer", "fairness:    WF(sync per deployer), WF(deploy per deployer)"}},
		{"version", nil, []string{"version"}, 0, []string{"execspec "}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := execspec(t, tc.env, tc.args...)
			out := r.stdout + r.stderr
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d\n%s", r.code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

var replayRE = regexp.MustCompile(`execspec replay (\S+) (.*)`)

// The replay command printed with a finding reproduces the identical trace;
// after the model changes, the same command says so and shows the first
// step that differs.
func TestReplayReproducesAndDetectsChanges(t *testing.T) {
	run := execspec(t, nil, "run", "./cli/testdata/models/counter", "--instance", "small", "--property", "below_limit", "--seed", "42")
	if run.code != 1 {
		t.Fatalf("run: exit %d\n%s%s", run.code, run.stdout, run.stderr)
	}
	m := replayRE.FindStringSubmatch(run.stdout)
	if m == nil {
		t.Fatalf("no replay command in\n%s", run.stdout)
	}
	args := append([]string{"replay", m[1]}, strings.Fields(m[2])...)
	rep := execspec(t, nil, args...)
	if rep.code != 1 || !strings.Contains(rep.stdout, "Reproduced: identical to the trace saved by the run.") {
		t.Fatalf("replay: exit %d\n%s%s", rep.code, rep.stdout, rep.stderr)
	}
	traceOf := func(s string) string {
		i := strings.Index(s, "step 0:")
		j := strings.Index(s, "Replay with:")
		if i < 0 || j < i {
			t.Fatalf("no trace in\n%s", s)
		}
		return s[i:j]
	}
	if traceOf(run.stdout) != traceOf(rep.stdout) {
		t.Fatalf("replayed trace differs:\n%s\nvs\n%s", traceOf(run.stdout), traceOf(rep.stdout))
	}
	changed := execspec(t, []string{"COUNTER_STEP=2"}, args...)
	if changed.code != 4 || !strings.Contains(changed.stdout, "does NOT reproduce") || !strings.Contains(changed.stdout, "First difference at step 1:") {
		t.Fatalf("replay after a model change: exit %d\n%s%s", changed.code, changed.stdout, changed.stderr)
	}
}

func TestJSONEvents(t *testing.T) {
	r := execspec(t, nil, "run", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--seed", "123", "--json")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("stdout line is not JSON: %q: %v", line, err)
		}
		kinds = append(kinds, ev["event"].(string))
		if ev["event"] == "finding" {
			tr, ok := ev["trace"].(map[string]any)
			if !ok || tr["states"] == nil || ev["replay"] == nil {
				t.Fatalf("finding event lacks trace or replay: %v", ev)
			}
		}
	}
	if strings.Join(kinds, ",") != "start,finding,summary" {
		t.Fatalf("events %v", kinds)
	}
	if !strings.Contains(r.stderr, "VIOLATION") {
		t.Fatalf("human text should go to stderr with --json:\n%s", r.stderr)
	}
}

func TestOutHTMLAndITF(t *testing.T) {
	dir := t.TempDir()
	html, itfPath := filepath.Join(dir, "finding.html"), filepath.Join(dir, "finding.itf.json")
	r := execspec(t, nil, "run", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--seed", "123", "--out-html", html, "--out-itf", itfPath)
	if r.code != 1 {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", "no_inconsistent_root", "deployer-a"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
	if bytes.Contains(page, []byte(`src="http`)) || bytes.Contains(page, []byte(`href="http`)) {
		t.Error("page loads something from the network")
	}
	data, err := os.ReadFile(itfPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"mbt::actionTaken"`, `"mbt::nondetPicks"`, `"seed":"123"`, `"status":"violation"`, `"replay":"execspec replay ./examples/dnsbalancer`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("ITF lacks %s", want)
		}
	}
	tr := execspec(t, nil, "trace", itfPath)
	if tr.code != 0 || !strings.Contains(tr.stdout, "step 0: init") || !strings.Contains(tr.stdout, "# property: no_inconsistent_root") {
		t.Fatalf("execspec trace: exit %d\n%s%s", tr.code, tr.stdout, tr.stderr)
	}
}

func TestCheckOutHTML(t *testing.T) {
	html := filepath.Join(t.TempDir(), "shortest.html")
	r := execspec(t, nil, "check", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--workers", "1", "--out-html", html)
	if r.code != 1 {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("<!DOCTYPE html>")) || !bytes.Contains(page, []byte("no_inconsistent_root")) {
		t.Fatal("the page lacks the document type or the property")
	}
}
