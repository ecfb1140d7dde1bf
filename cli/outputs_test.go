package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Help needs no model; --out-itf and --out-html accept a directory; a file
// that cannot be written does not hide what the search found; replay names
// a bad sample number; trace reads stdin.
func TestHelpOutputsAndSmallInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	htmlDir := filepath.Join(dir, "pages")
	if err := os.Mkdir(htmlDir, 0o755); err != nil {
		t.Fatal(err)
	}
	noDir := filepath.Join(dir, "no", "such", "dir", "finding.itf.json")
	const panicky = "./cli/testdata/models/panicky"
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []string // substrings of stdout+stderr
		files []string // files that must exist afterwards
	}{
		{"check --help without a package", "", []string{"check", "--help"}, 0, []string{"Usage: execspec check PACKAGE", "--max-depth N", "--instance NAME"}, nil},
		{"run -h with a package", "", []string{"run", "./cli/testdata/models/broken", "-h"}, 0, []string{"-max-samples"}, nil},
		{"replay --sample -1", "", []string{"replay", panicky, "--seed", "1", "--sample", "-1"}, 4,
			[]string{"--sample -1: samples are numbered from 0"}, nil},
		{"--out-html DIR", "", []string{"run", panicky, "--seed", "1", "--out-html", htmlDir}, 1,
			[]string{"PANIC at step"}, []string{filepath.Join(htmlDir, "panicky-default.html")}},
		{"--out-itf DIR/ (check)", "", []string{"check", panicky, "--out-itf", htmlDir + "/"}, 1,
			[]string{"PANIC"}, []string{filepath.Join(htmlDir, "panicky-default.itf.json")}},
		{"unwritable --out-itf keeps the finding's exit code", "", []string{"run", panicky, "--seed", "1", "--out-itf", noDir}, 1,
			[]string{"PANIC at step", "Replay with:", "execspec: writing ITF: ", "no such file or directory"}, nil},
		{"trace - reads stdin", `{"vars":["x"],"states":[{"x":1},{"x":2}]}`, []string{"trace", "-"}, 0, []string{"x: 1 -> 2"}, nil},
		{"trace - within --max-size", `{"vars":["x"],"states":[{"x":1},{"x":2}]}`, []string{"trace", "--max-size", "4KB", "-"}, 0, []string{"x: 1 -> 2"}, nil},
		{"trace - over --max-size decoded", `{"vars":["x"],"states":[{"x":1},{"x":2}]}`, []string{"trace", "--max-size", "1KB", "-"}, 4, []string{"stdin: its 41 B of JSON decode to more than the limit of 1.0 KiB allows"}, nil},
		{"trace - over --max-size", `{"vars":["x"],"states":[{"x":1},{"x":2}]}`, []string{"trace", "--max-size", "20", "-"}, 4, []string{"stdin is 21 B of JSON, over the limit of 20 B"}, nil},
		{"trace - with bad stdin", `{"vars":["x"],"states":[{"x":1},]}`, []string{"trace", "-"}, 4, []string{"execspec trace: stdin: ", "byte offset"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := invocation{dir: rootDir, stdin: tc.stdin}.run(t, tc.args...)
			r.expect(t, tc.code, tc.want...)
			for _, f := range tc.files {
				if _, err := os.Stat(f); err != nil {
					t.Errorf("%v\n%s%s", err, r.stdout, r.stderr)
				}
			}
		})
	}
	// Nothing was written outside the directories named.
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%s holds %d entries, want only pages/", dir, len(entries))
	}
}

// Traces written by the workshop's Python tool hold "loop": null and null
// values: trace, view and replay --itf accept them, and refuse them with
// --strict.
func TestNullTracesAndStrict(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const door = "itf/testdata/wunderspec-door.itf.json"
	counter := filepath.Join(dir, "counter.itf.json")
	if err := os.WriteFile(counter, []byte(`{"vars":["n","moves"],"states":[{"n":0,"moves":0,"ghost_action":null},{"n":1,"moves":{"#bigint":"1"},"ghost_action":"up"}],"loop":null}`), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "door.html")
	const model = "./cli/testdata/models/counter"
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"trace", []string{"trace", door}, 0, []string{"owner: null}", `ghost_action: null -> "unlock"`}},
		{"trace --strict", []string{"trace", "--strict", door}, 4, []string{`field "owner": null is not an ITF value (strict mode) (at byte offset 229)`}},
		{"view", []string{"view", door, "-o", page}, 0, []string{"wrote"}},
		{"view --strict", []string{"view", "--strict", door, "-o", page}, 4, []string{"null is not an ITF value (strict mode)"}},
		{"replay --itf", []string{"replay", model, "--instance", "small", "--itf", counter}, 0, []string{"trace valid: 1 steps"}},
		{"replay --itf --strict", []string{"replay", model, "--instance", "small", "--itf", counter, "--strict"}, 4,
			[]string{`state 0: variable "ghost_action" is not declared in vars or params (strict mode) (at byte offset 49)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := execspec(t, nil, tc.args...)
			r.expect(t, tc.code, tc.want...)
		})
	}
	data, err := os.ReadFile(page)
	if err != nil || !bytes.Contains(data, []byte(`"owner":null`)) {
		t.Errorf("the page lacks the null owner (%v)", err)
	}
}
