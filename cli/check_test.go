package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
)

func TestCheckExitCodesAndMessages(t *testing.T) {
	if testing.Short() {
		t.Skip("many searches (-short)")
	}
	t.Parallel()
	const tc3 = "./examples/tcommit"
	cases := []struct {
		name string
		args []string
		code int
		want []string // substrings of stdout+stderr
	}{
		{"clean", []string{tc3}, 0, []string{"Search complete: every reachable state explored; no invariant is violated.",
			"94 states generated, 34 distinct states found, 0 states left on queue.", "The depth of the state graph search is 7", "collision probability"}},
		{"violation, shortest", []string{dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root"}, 1,
			[]string{"VIOLATION: invariant no_inconsistent_root does not hold after step 11 (11 steps, a shortest trace)",
				"data picks reduced: one value of ips, weights", "Replay with:", "--itf", "Reproduce the search with:"}},
		{"example found", []string{tc3, "--property", "AllCommitted"}, 2, []string{"EXAMPLE: AllCommitted reached at step 6"}},
		{"example not reachable", []string{tc3, "--property", "Disagree"}, 3, []string{"Search complete", "example Disagree is not reachable"}},
		{"incomplete: max depth", []string{"./cli/testdata/models/counter", "--property", "negative", "--max-depth", "5"}, 5,
			[]string{"SEARCH INCOMPLETE: stopped (max depth reached)", "proves nothing"}},
		{"incomplete: max states", []string{tc3, "--max-states", "10"}, 5, []string{"SEARCH INCOMPLETE: stopped (max states reached)", "10 distinct states found"}},
		{"incomplete: timeout", []string{"./cli/testdata/models/counter", "--instance", "large", "--property", "always", "--timeout", "200ms"}, 5,
			[]string{"SEARCH INCOMPLETE: stopped (timeout)"}},
		{"deadlock", []string{"./examples/ewd840", "--deadlock", "--strategy", "dfs"}, 1, []string{"DEADLOCK: no action is enabled"}},
		{"panic", []string{"./cli/testdata/models/panicky"}, 1, []string{"PANIC at step", "slice bounds out of range"}},
		{"random-dfs prints its seed", []string{tc3, "--strategy", "random-dfs"}, 0, []string{"(random; pass --seed to fix it)", "Rerun with: execspec check ./examples/tcommit --instance rm3 --strategy random-dfs --seed "}},
		{"seed without random-dfs", []string{tc3, "--seed", "3"}, 4, []string{"--seed applies only to --strategy random-dfs"}},
		{"workers 0", []string{tc3, "--workers", "0"}, 4, []string{"--workers must be at least 1, got 0"}},
		{"unknown strategy", []string{tc3, "--strategy", "sideways"}, 4, []string{`unknown strategy "sideways"; valid: bfs, dfs, random-dfs`}},
		{"unknown instance", []string{tc3, "--instance", "rm9"}, 4, []string{`unknown instance "rm9"; valid: rm3, rm4, rm5`}},
		{"unknown property", []string{tc3, "--property", "nope"}, 4, []string{`unknown property "nope"; valid: AllCommitted, Disagree, TCConsistent, TCTypeOK`}},
		{"bad timeout", []string{tc3, "--timeout", "soon"}, 4, []string{`invalid value "soon" for flag -timeout`}},
		{"bad memory", []string{tc3, "--memory", "lots"}, 4, []string{`"lots" is not a size such as 50MiB, 2GiB`}},
		{"negative depth", []string{tc3, "--max-depth", "-1"}, 4, []string{"--max-depth must not be negative"}},
		{"invariant holds", []string{tc3, "--property", "TCConsistent", "--strategy", "dfs"}, 0, []string{"Search complete: every reachable state explored; invariant TCConsistent holds."}},
		{"memory cap too small to start", []string{tc3, "--memory", "1KiB"}, 4, []string{"--memory 1.0 KiB: the model runner uses", "before it searches; give it more than"}},
		{"temporal property: limit never proves it", []string{dns, "--instance", "n3_5_3_live", "--property", "no_stuck_deployer", "--max-states", "500"}, 5,
			[]string{"SEARCH INCOMPLETE", "Temporal properties NOT verified"}},
		{"memory cap reached", []string{"./examples/twophase", "--instance", "rm8", "--no-symmetry", "--memory", "32MiB"}, 5, []string{"SEARCH INCOMPLETE: stopped (memory cap reached)", "distinct states found"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := execspec(t, nil, append([]string{"check"}, tc.args...)...)
			r.expect(t, tc.code, tc.want...)
		})
	}
}

var timing = regexp.MustCompile(`(?m)^  Store: .*$`)

// With one worker the output is the same every time; with two, the same
// trace and counts.
func TestCheckDeterministic(t *testing.T) {
	t.Parallel()
	args := []string{"check", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--workers", "1"}
	first := execspec(t, nil, args...)
	second := execspec(t, nil, args...)
	two := execspec(t, nil, append(args[:len(args)-1], "2")...)
	norm := func(s string) string {
		s = timing.ReplaceAllString(s, "")
		return strings.ReplaceAll(s, "2 workers", "1 worker")
	}
	if norm(first.stdout) != norm(second.stdout) {
		t.Errorf("two runs with one worker differ:\n%s\n---\n%s", first.stdout, second.stdout)
	}
	if norm(first.stdout) != norm(two.stdout) {
		t.Errorf("one and two workers differ:\n%s\n---\n%s", first.stdout, two.stdout)
	}
}

func TestCheckJSONAndITF(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "v.itf.json")
	r := execspec(t, nil, "check", dns, "--instance", "n3_5_3", "--property", "no_inconsistent_root", "--json", "--out-itf", out)
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
		if ev["event"] == "summary" && (ev["distinct"] == nil || ev["levels"] == nil || ev["collision_probability"] == nil) {
			t.Errorf("summary lacks statistics: %v", ev)
		}
	}
	if strings.Join(kinds, ",") != "start,finding,summary" {
		t.Fatalf("events %v", kinds)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	traces, err := itf.ReadFile(out)
	if err != nil || len(traces) != 1 || len(traces[0].States) != 12 {
		t.Fatalf("ITF file: %v, %d traces\n%s", err, len(traces), data)
	}
	if traces[0].Meta["strategy"] != "bfs" || traces[0].Meta["status"] != "violation" {
		t.Errorf("meta %v", traces[0].Meta)
	}
}

// A trace found by check is a behaviour of the model: replay --itf
// validates it, custom ITF mappings of packed state types included.
func TestCheckTraceReplays(t *testing.T) {
	if testing.Short() {
		t.Skip("many searches (-short)")
	}
	t.Parallel()
	for _, c := range []struct{ pkg, property string }{
		{"./examples/twophase", "AllCommitted"},
		{"./examples/paxoscommit", "RecoveredAbort"},
		{"./examples/ewd840", "terminationDetected"},
		{dns, "no_inconsistent_root"},
	} {
		out := filepath.Join(t.TempDir(), "t.itf.json")
		r := execspec(t, nil, "check", c.pkg, "--property", c.property, "--out-itf", out)
		if r.code != 1 && r.code != 2 {
			t.Fatalf("%s: check exit %d\n%s%s", c.pkg, r.code, r.stdout, r.stderr)
		}
		rep := execspec(t, nil, "replay", c.pkg, "--itf", out)
		if rep.code != 0 || !strings.Contains(rep.stdout+rep.stderr, "trace valid") {
			t.Errorf("%s: replay exit %d\n%s%s", c.pkg, rep.code, rep.stdout, rep.stderr)
		}
	}
}

// TestCheckLasso: the flagship's liveness failure. check exits 1 with a
// lasso, written as ITF with "loop"; replay --itf validates it as a
// behaviour of the model (exit 0); view draws its loop.
func TestCheckLasso(t *testing.T) {
	if testing.Short() {
		t.Skip("many searches (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "stuck.itf.json")
	r := execspec(t, nil, "check", dns, "--instance", "n3_5_3_fixed", "--property", "no_stuck_deployer", "--out-itf", file)
	out := r.stdout + r.stderr
	if r.code != 1 {
		t.Fatalf("check: exit %d, want 1\n%s", r.code, out)
	}
	for _, w := range []string{"temporal property no_stuck_deployer", "LIVENESS VIOLATION: temporal property no_stuck_deployer does not hold",
		"fairness: WF(sync per deployer), WF(deploy per deployer)", "symmetry reduces the safety search only", "forever (stuttering)", "Replay with:"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	trs, err := itf.ReadFile(file)
	if err != nil || len(trs) != 1 {
		t.Fatalf("%d traces, %v", len(trs), err)
	}
	tr := trs[0]
	if tr.Loop == nil || *tr.Loop != len(tr.States)-1 {
		t.Fatalf("loop %v for %d states, want the last state (a stuttering lasso)", tr.Loop, len(tr.States))
	}
	if r := execspec(t, nil, "replay", dns, "--instance", "n3_5_3_fixed", "--itf", file); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "a lasso stuttering in state") {
		t.Errorf("replay --itf of the lasso: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	page := filepath.Join(dir, "stuck.html")
	if r := execspec(t, nil, "view", file, "-o", page); r.code != 0 {
		t.Fatalf("view: exit %d\n%s", r.code, r.stderr)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`"loop":%d`, *tr.Loop); !strings.Contains(string(html), want) {
		t.Errorf("the page lacks %s", want)
	}
}
