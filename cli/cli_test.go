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
	"slices"
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

// expect reports, through t, an exit code other than code and each of want
// that the output (stdout then stderr) lacks.
func (r result) expect(t testing.TB, code int, want ...string) {
	t.Helper()
	out := r.stdout + r.stderr
	if r.code != code {
		t.Errorf("exit code %d, want %d\n%s", r.code, code, out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func execspec(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return invocation{dir: rootDir, env: env}.run(t, args...)
}

// execspecIn runs the execspec binary in dir.
func execspecIn(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	return invocation{dir: dir, env: env}.run(t, args...)
}

// invocation is how a test runs the execspec binary: in dir, with env
// added to the environment and stdin as its input.
type invocation struct {
	dir   string
	env   []string
	stdin string
}

func (inv invocation) run(t *testing.T, args ...string) result {
	t.Helper()
	c := exec.Command(binary, args...)
	c.Dir = inv.dir
	c.Env = append(append(os.Environ(), "EXECSPEC_CACHE="+cache), inv.env...)
	c.Stdin = strings.NewReader(inv.stdin)
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
	t.Parallel()
	cases := []struct {
		name string
		env  []string
		args []string
		code int
		want []string // substrings of stdout+stderr
	}{
		// The rest of the command's behaviour is pinned by the scripts
		// under testdata/script (TestScripts); these outputs vary from run
		// to run (a fresh seed, a timeout, a goroutine stack, Go's map
		// order, the toolchain version), so they are checked by substrings.
		{"seed printed when not given", nil, []string{"run", "./cli/testdata/models/counter", "--instance", "large", "--max-samples", "5"}, 0,
			[]string{"(random; pass --seed to fix it)", "Rerun with: execspec run ./cli/testdata/models/counter --instance large --seed "}},
		{"timeout proves nothing", nil, []string{"run", dns, "--instance", "n3_5_3_fixed", "--seed", "1", "--max-samples", "100000000", "--timeout", "300ms"}, 5,
			[]string{"stopped by --timeout before all samples ran: nothing found, which proves nothing"}},
		{"Spec panics, stack asked for", []string{"EXECSPEC_TRACEBACK=1"}, []string{"check", "./cli/testdata/models/specpanic"}, 4,
			[]string{"model code panicked in Spec(): spec table not loaded", " [running]:", "specpanic.Spec("}},
		{"nondeterministic model", nil, []string{"check", "./cli/testdata/models/nondet"}, 4,
			[]string{"NONDETERMINISTIC MODEL: action choose is not deterministic", "Last:", "ranging over a Go map"}},
		{"version", nil, []string{"version"}, 0, []string{"execspec "}},
		{"Spec returns another pointer", nil, []string{"run", "./cli/testdata/models/specptr"}, 4,
			[]string{"model package ./cli/testdata/models/specptr builds, but the runner execspec generates for it does not", "so Spec must be func Spec() *execspec.Spec[S]", "<execspec runner>"}},
		// The machine, not the model: exit 6, not "does not build".
		{"no temporary directory", []string{"TMPDIR=/nonexistent/execspec-tmp"}, []string{"run", "./cli/testdata/models/counter"}, 6,
			[]string{"could not build the model runner, for a reason outside the model", "creating work dir", "check the free space and permissions of $TMPDIR"}},
		// Which portfolio worker finds first depends on timing.
		{"portfolio finds", nil, []string{"run", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--portfolio", "--seed", "1", "--workers", "2", "--timeout", "2m"}, 1,
			[]string{"--portfolio: invariant no_inconsistent_root, seed 1, 2 workers until the first finding or 2m0s:", "worker 0: swarm simulation, seed ", "VIOLATION: invariant no_inconsistent_root", "Reproduce the search with:", "Portfolio: 2 workers in "}},
		{"portfolio proves", nil, []string{"run", dns, "--instance", "n3_5_3_fixed", "--portfolio", "--seed", "1", "--workers", "4", "--timeout", "2m"}, 0,
			[]string{"Search complete: an exhaustive worker explored every reachable state; no invariant is violated"}},
		{"portfolio proves nothing", nil, []string{"run", dns, "--instance", "n3_30_20_fixed", "--portfolio", "--seed", "1", "--workers", "1", "--timeout", "300ms"}, 5,
			[]string{"Nothing found, which proves nothing: no exhaustive worker finished."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := execspec(t, tc.env, tc.args...)
			r.expect(t, tc.code, tc.want...)
			// An input error shows a goroutine dump only when asked for.
			if out := r.stdout + r.stderr; tc.code == 4 && goroutineRE.MatchString(out) && !slices.Contains(tc.env, "EXECSPEC_TRACEBACK=1") {
				t.Errorf("unasked-for goroutine dump:\n%s", out)
			}
		})
	}
}

var goroutineRE = regexp.MustCompile(`goroutine \d+ \[`)

var replayRE = regexp.MustCompile(`execspec replay (\S+) (.*)`)

// The replay command printed with a finding reproduces the identical trace;
// after the model changes, the same command says so and shows the first
// step that differs.
func TestReplayReproducesAndDetectsChanges(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

// The file --out-itf writes is the one the replay line and the page name,
// as the user typed it where the command ran (the module's root or a
// subdirectory), and the printed replay command validates it from there.
// Without --out-itf, check's replay line names a copy in the cache.
func TestCheckOutITFIsWhatReplayNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ dir, pkg string }{{".", dns}, {"examples", "./dnsbalancer"}} {
		dir := filepath.Join(rootDir, tc.dir)
		out := t.TempDir()
		itfRel, err := filepath.Rel(dir, filepath.Join(out, "outage.itf.json"))
		if err != nil {
			t.Fatal(err)
		}
		html := filepath.Join(out, "outage.html")
		r := execspecIn(t, dir, nil, "check", tc.pkg, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--workers", "1", "--out-itf", itfRel, "--out-html", html)
		want := "execspec replay " + tc.pkg + " --instance n3_5_3 --itf " + itfRel
		r.expect(t, 1, "Replay with:\n  "+want+"\n")
		page, err := os.ReadFile(html)
		if err != nil || !bytes.Contains(page, []byte(want+`"`)) {
			t.Errorf("in %s: the page does not name %q as its replay command (%v)", tc.dir, want, err)
		}
		saved, err := os.ReadFile(filepath.Join(out, "outage.itf.json"))
		if err != nil || !bytes.Contains(saved, []byte(`"replay":"`+want+`"`)) {
			t.Errorf("in %s: the ITF file does not name itself as its replay (%v)", tc.dir, err)
		}
		execspecIn(t, dir, nil, strings.Fields(strings.TrimPrefix(want, "execspec "))...).expect(t, 0, "trace valid: 11 steps")
	}
	r := execspec(t, nil, "check", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--workers", "1")
	r.expect(t, 1, "--itf "+filepath.Join(cache, "findings", "check-dnsbalancer-n3_5_3-"))
}

// A finding of every strategy, shrunk, replays to the same trace: the
// replay command carries the strategy (swarm, the default, goes without
// saying) and re-draws the sample's configuration or corpus.
func TestStrategyFindingsReplay(t *testing.T) {
	t.Parallel()
	for _, st := range []string{"swarm", "guided", "uniform"} {
		run := execspec(t, nil, "run", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--seed", "5", "--strategy", st)
		m := replayRE.FindStringSubmatch(run.stdout)
		if run.code != 1 || m == nil || (st != "swarm") != strings.Contains(m[2], "--strategy "+st) {
			t.Fatalf("%s: exit %d, replay command %q\n%s%s", st, run.code, m, run.stdout, run.stderr)
		}
		rep := execspec(t, nil, append([]string{"replay", m[1]}, strings.Fields(m[2])...)...)
		if rep.code != 1 || !strings.Contains(rep.stdout, "Reproduced: identical to the trace saved by the run.") {
			t.Fatalf("%s: replay: exit %d\n%s%s", st, rep.code, rep.stdout, rep.stderr)
		}
	}
}

// A model runs by any path: an absolute one, from outside its module.
func TestModelByAbsolutePathOutsideModule(t *testing.T) {
	t.Parallel()
	r := execspecIn(t, t.TempDir(), nil, "list", filepath.Join(rootDir, "cli", "testdata", "models", "counter"))
	if r.code != 0 || !strings.Contains(r.stdout, "model counter") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// Every command's help lists its flags as the README writes them, without
// the flag package's artefacts.
func TestHelpHasNoFlagArtefacts(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"run", "replay", "check", "list", "explore", "trace", "view", "init"} {
		r := execspec(t, nil, cmd, "-h")
		out := r.stdout + r.stderr
		if r.code != 0 || !strings.Contains(out, "Usage: execspec "+cmd) || !strings.Contains(out, "\n  --") {
			t.Errorf("%s -h: exit %d\n%s", cmd, r.code, out)
		}
		for _, bad := range []string{"Usage of", "execspec list\n    \t", "-instance execspec"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s -h shows %q:\n%s", cmd, bad, out)
			}
		}
	}
}

// recordingT captures what a helper reports instead of failing the test.
type recordingT struct {
	testing.TB
	errors []string
}

func (r *recordingT) Helper() {}
func (r *recordingT) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// result.expect reports a wrong exit code and each missing output, and
// nothing for a result that meets its expectations.
func TestResultExpect(t *testing.T) {
	r := result{code: 1, stdout: "found it\n", stderr: "note\n"}
	for _, c := range []struct {
		name string
		code int
		want []string
		errs []string
	}{
		{"met", 1, []string{"found it", "note"}, nil},
		{"wrong code", 0, []string{"found it"}, []string{"exit code 1, want 0"}},
		{"missing output", 1, []string{"found it", "absent", "gone"}, []string{`output lacks "absent"`, `output lacks "gone"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recordingT{TB: t}
			r.expect(rec, c.code, c.want...)
			if len(rec.errors) != len(c.errs) {
				t.Fatalf("reported %q, want %d errors", rec.errors, len(c.errs))
			}
			for i, e := range c.errs {
				if !strings.Contains(rec.errors[i], e) {
					t.Errorf("error %d is %q, want it to contain %q", i, rec.errors[i], e)
				}
			}
		})
	}
}
