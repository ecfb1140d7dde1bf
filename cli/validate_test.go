package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
)

const counter = "./cli/testdata/models/counter"

// runToITF runs the counter model until below_limit breaks and writes the
// finding's trace to a file.
func runToITF(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	r := execspec(t, nil, "run", counter, "--instance", "small", "--property", "below_limit", "--seed", "42", "--out-itf", path)
	if r.code != 1 {
		t.Fatalf("run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return path
}

func readTraces(t *testing.T, path string) []*itf.Trace {
	t.Helper()
	ts, err := itf.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func writeTraces(t *testing.T, path string, ts ...*itf.Trace) string {
	t.Helper()
	if err := itf.WriteFile(path, ts...); err != nil {
		t.Fatal(err)
	}
	return path
}

// The trace of a finding written with --out-itf validates against the same
// model; a copy with one state edited does not, and the report names the
// step, the reason and the differing field.
func TestReplayITFValidatesOwnTraces(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := runToITF(t, dir, "finding.itf.json")
	ts := readTraces(t, path)
	if len(ts) != 1 {
		t.Fatalf("%d traces", len(ts))
	}
	it := ts[0]
	n := len(it.States) - 1

	// #meta says where the trace comes from and how to reproduce it.
	meta := it.Meta
	for k, want := range map[string]string{
		"model": "counter", "instance": "small", "property": "below_limit", "seed": "42", "status": "violation",
		"format": "ITF", "source": counter,
	} {
		if got, _ := meta[k].(string); got != want {
			t.Errorf("#meta.%s = %v, want %q", k, meta[k], want)
		}
	}
	if tool, _ := meta["tool"].(string); !strings.HasPrefix(tool, "execspec ") {
		t.Errorf("#meta.tool = %v", meta["tool"])
	}
	if _, ok := meta["sample"].(json.Number); !ok {
		t.Errorf("#meta.sample = %#v, want a number", meta["sample"])
	}
	if rc, _ := meta["replay"].(string); !strings.HasPrefix(rc, "execspec replay "+counter+" --instance small --property below_limit --seed 42 --sample ") {
		t.Errorf("#meta.replay = %v", meta["replay"])
	}
	if strings.Join(it.Vars, ",") != "n,moves,mbt::actionTaken,mbt::nondetPicks" {
		t.Errorf("vars %v", it.Vars)
	}

	r := execspec(t, nil, "replay", counter, "--instance", "small", "--itf", path)
	if r.code != 0 || !strings.Contains(r.stdout, "trace valid: "+itoa(n)+" steps") {
		t.Fatalf("replay --itf: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Edit one state in the middle: the model's closest successor differs
	// in that field.
	k := n / 2
	if k == 0 {
		k = 1
	}
	bad := *it
	bad.States = append([]itf.State(nil), it.States...)
	vals := map[string]itf.Value{}
	for name, v := range it.States[k].Values {
		vals[name] = v
	}
	vals["moves"] = itf.Int(1000)
	bad.States[k] = itf.State{Meta: it.States[k].Meta, Values: vals}
	badPath := writeTraces(t, filepath.Join(dir, "edited.itf.json"), &bad)
	r = execspec(t, nil, "replay", counter, "--instance", "small", "--itf", badPath)
	out := r.stdout + r.stderr
	action, _ := itf.ActionTaken(it.States[k])
	for _, want := range []string{
		"trace INVALID at state " + itoa(k) + " (" + action,
		"no successor of action " + action + " equals the recorded state",
		"closest successor: " + action,
		"moves: " + itoa(k) + " -> 1000",
		"The trace up to that state:",
		"<--",
		"reported like a violation (exit code 1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}

	// Several traces in one file (NDJSON): each is validated.
	both := writeTraces(t, filepath.Join(dir, "both.ndjson"), it, &bad)
	r = execspec(t, nil, "replay", counter, "--instance", "small", "--itf", both, "--json")
	if r.code != 1 {
		t.Fatalf("NDJSON: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var events []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("stdout line is not JSON: %q", line)
		}
		events = append(events, ev)
	}
	if len(events) != 4 || events[0]["event"] != "start" || events[1]["valid"] != true || events[2]["valid"] != false || events[3]["event"] != "summary" {
		t.Fatalf("events: %v", events)
	}
	inv := events[2]
	if inv["state"] != float64(k) || inv["reason"] != "no_match" || inv["action"] != action {
		t.Errorf("invalid event: %v", inv)
	}
	diff, _ := inv["diff"].([]any)
	if len(diff) != 1 || diff[0].(map[string]any)["path"] != "moves" {
		t.Errorf("diff: %v", inv["diff"])
	}
	if !strings.Contains(r.stderr, "trace 0 of 2 valid: ") || !strings.Contains(r.stderr, "trace 1 of 2 INVALID at state") || !strings.Contains(r.stderr, "1 of 2 traces valid") {
		t.Errorf("human text on stderr:\n%s", r.stderr)
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// The determinism contract: the same seed writes byte-identical ITF.
func TestOutITFIsDeterministic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, err := os.ReadFile(runToITF(t, dir, "a.itf.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(runToITF(t, dir, "b.itf.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("two runs with seed 42 wrote different ITF:\n%s\n---\n%s", a, b)
	}
	// And what replay --seed --sample writes is the same trace.
	ts := readTraces(t, filepath.Join(dir, "a.itf.json"))
	rc, _ := ts[0].Meta["replay"].(string)
	args := append(strings.Fields(strings.TrimPrefix(rc, "execspec ")), "--out-itf", filepath.Join(dir, "c.itf.json"))
	if r := execspec(t, nil, args...); r.code != 1 {
		t.Fatalf("%s: exit %d\n%s%s", rc, r.code, r.stdout, r.stderr)
	}
	c, err := os.ReadFile(filepath.Join(dir, "c.itf.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, c) {
		t.Fatalf("replay wrote different ITF than run:\n%s\n---\n%s", a, c)
	}
}

// Traces from elsewhere: plain JSON numbers, no recorded actions or picks,
// extra variables. Validation finds the actions.
func TestReplayITFForeignTrace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	doc := `{"#meta": {"source": "handwritten"}, "vars": ["moves", "n", "note"], "states": [
  {"n": 0, "moves": 0, "note": "start"},
  {"n": 2, "moves": 1, "note": "up by 2"},
  {"n": 1, "moves": {"#bigint": "2"}, "note": "down"}
]}`
	path := filepath.Join(dir, "foreign.itf.json")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "annotated.itf.json")
	r := execspec(t, nil, "replay", counter, "--itf", path, "--out-itf", out)
	for _, want := range []string{"note: trace: variables not in the model are ignored: note", "trace valid: 2 steps (2 action(s) not recorded, found by search)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	// --out-itf writes the trace with the actions and picks found.
	ts := readTraces(t, out)
	if a, _ := itf.ActionTaken(ts[0].States[1]); a != "up" {
		t.Errorf("state 1 action %q, want up", a)
	}
	if p, _ := itf.NondetPicks(ts[0].States[1]); !itf.Equal(p["by"], itf.Int(2)) {
		t.Errorf("state 1 picks %v", p)
	}
	if ts[0].Meta["validation"] != "valid" || ts[0].Meta["source"] != "handwritten" {
		t.Errorf("#meta %v", ts[0].Meta)
	}
}

func TestReplayITFInputErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := `{"vars": ["n", "moves"], "states": [{"n": 0, "moves": 0}]}`
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no such file", []string{"--itf", filepath.Join(dir, "nope.itf.json")}, 4, "no such file"},
		{"malformed JSON", []string{"--itf", write("bad.itf.json", `{"vars": ["n"], "states": [{"n": 1}`)}, 4, "byte offset"},
		{"missing model variable", []string{"--itf", write("vars.itf.json", `{"vars": ["n"], "states": [{"n": 0}]}`)}, 4,
			`the trace lacks variable(s) "moves" of model counter`},
		{"unknown action", []string{"--itf", write("action.itf.json", `{"vars": ["n", "moves", "mbt::actionTaken"], "states": [
			{"n": 0, "moves": 0, "mbt::actionTaken": "init"}, {"n": 1, "moves": 1, "mbt::actionTaken": "jump"}]}`)}, 4,
			`state 1: the trace's action is not in model counter: unknown action "jump"; valid: down, up`},
		{"with --seed", []string{"--itf", write("good.itf.json", good), "--seed", "1"}, 4, "--seed, --sample and --property do not apply"},
		{"zero budget", []string{"--itf", write("good2.itf.json", good), "--max-executions", "0"}, 4, "--max-executions must be at least 1"},
		{"budget exhausted", []string{"--itf", write("far.itf.json", `{"vars": ["n", "moves"], "states": [{"n": 0, "moves": 0}, {"n": 7, "moves": 1}]}`), "--max-executions", "2"}, 5,
			"undecided: no matching successor within the budget of 2 executions"},
		{"not initial", []string{"--itf", write("init.itf.json", `{"vars": ["n", "moves"], "states": [{"n": 3, "moves": 0}]}`)}, 1,
			"trace INVALID at state 0 (initial state)"},
		{"over --max-size", []string{"--itf", write("big.itf.json", good), "--max-size", "100B"}, 4,
			"big.itf.json: its 58 B of JSON decode to more than the limit of 100 B allows"},
		{"bad --max-size", []string{"--itf", write("good3.itf.json", good), "--max-size", "lots"}, 4, `--max-size: "lots" is not a size`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := execspec(t, nil, append([]string{"replay", counter}, tc.args...)...)
			out := r.stdout + r.stderr
			if r.code != tc.code || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d (want %d), output lacks %q?\n%s", r.code, tc.code, tc.want, out)
			}
		})
	}
}

// `execspec trace FILE` needs no model; bad files are input errors (exit
// code 4) with a message that says what is wrong and where.
func TestTraceCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	one := `{"vars": ["x"], "states": [{"x": 1}, {"x": {"#bigint": "2"}}]}`
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"NDJSON", []string{write("two.ndjson", one+"\n"+`{"vars": ["y"], "states": [{"y": {"#set": []}}], "loop": 0}`+"\n")}, 0,
			[]string{"== trace 0 ==", "== trace 1 ==", "x: 1 -> 2", "y = {}", "-- loop starts here --"}},
		{"full states", []string{"--full-states", write("one.itf.json", one)}, 0, []string{"step 1: (action not recorded)\n    x = 2"}},
		{"malformed JSON", []string{write("bad.itf.json", `{"vars": ["x"], "states": [{"x": 1},]}`)}, 4,
			[]string{"execspec trace: ", "bad.itf.json", "byte offset"}},
		{"missing variable", []string{write("missing.itf.json", `{"vars": ["x", "y"], "states": [{"x": 1}]}`)}, 4,
			[]string{`missing variable "y"`}},
		{"NDJSON with a bad second trace", []string{write("bad2.ndjson", one+"\n"+`{"vars": ["x"], "states": [{}]}`+"\n")}, 4,
			[]string{"trace 1", `missing variable "x"`}},
		{"empty file", []string{write("empty.itf.json", "")}, 4, []string{"the input holds no trace"}},
		{"over --max-size", []string{"--max-size", "10B", write("big.itf.json", one)}, 4,
			[]string{"big.itf.json is 62 B of JSON, over the limit of 10 B", "raise the limit with --max-size, e.g. --max-size 124B"}},
		{"--max-size 0 is no limit", []string{"--max-size", "0", write("big0.itf.json", one)}, 0, []string{"x: 1 -> 2"}},
		{"bad --max-size", []string{"--max-size", "lots", write("one2.itf.json", one)}, 4, []string{`--max-size: "lots" is not a size`}},
		{"a directory", []string{dir}, 4, []string{"is a directory, not an ITF trace file"}},
		{"not a trace", []string{write("array.itf.json", `[1, 2]`)}, 4, []string{"execspec trace: "}},
		{"no such file", []string{filepath.Join(dir, "nope.itf.json")}, 4, []string{"no such file"}},
		{"no argument", nil, 4, []string{"Usage: execspec trace"}},
		{"flags after the file", []string{write("one3.itf.json", one), "--strict", "--max-size", "1MiB"}, 0, []string{"x: 1 -> 2"}},
		{"a byte order mark", []string{write("bom.itf.json", "\ufeff"+one)}, 0, []string{"x: 1 -> 2"}},
		{"decoded over --max-size", []string{"--max-size", "1KB", write("many.itf.json", `{"vars": ["x"], "states": [`+strings.Repeat(`{"x": 1}, `, 20)+`{"x": 2}]}`)}, 4,
			[]string{"many.itf.json: its 237 B of JSON decode to more than the limit of 1.0 KiB allows (stopped at byte offset", "raise the limit with --max-size"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := execspec(t, nil, append([]string{"trace"}, tc.args...)...)
			r.expect(t, tc.code, tc.want...)
		})
	}
}
