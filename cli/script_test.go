package cli_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The command's behaviour is pinned by scripts under testdata/script, in the
// style of etcd's data-driven tests: each file holds commands and, after
// each, its exit code and its whole output (stdout and stderr as a terminal
// would interleave them), normalized where it varies from run to run
// (durations, rates, paths of temporary directories). The files run in
// parallel, each command under a deadline. After a deliberate change,
//
//	go test ./cli -run TestScripts -rewrite
//
// rewrites the expected outputs; review the diff before committing.
//
// A file is a sequence of blocks:
//
//	# a comment, ignored (after an output, only past a blank line)
//	env NAME=VALUE            (for the next command only; may repeat)
//	$ execspec ARGS...        (run from the module root)
//	----
//	exit CODE
//	OUTPUT LINES...

var rewrite = flag.Bool("rewrite", false, "rewrite the expected outputs of testdata/script/*.txt")

// scriptDeadline bounds one command of a script.
const scriptDeadline = 2 * time.Minute

type scriptBlock struct {
	comments []string
	env      []string
	args     []string
	want     string // "exit N\n" + normalized output
}

// parseScript reads a script file.
func parseScript(data string) ([]scriptBlock, error) {
	var blocks []scriptBlock
	var cur scriptBlock
	lines := strings.Split(strings.TrimRight(data, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, "#") || (line == "" && cur.args == nil):
			cur.comments = append(cur.comments, line)
		case strings.HasPrefix(line, "env "):
			cur.env = append(cur.env, strings.TrimPrefix(line, "env "))
		case strings.HasPrefix(line, "$ execspec"):
			cur.args = strings.Fields(strings.TrimPrefix(line, "$ execspec"))
			if i+1 >= len(lines) || lines[i+1] != "----" {
				return nil, fmt.Errorf("line %d: a command must be followed by ----", i+1)
			}
			i++
			// The output runs to the next command, or to a blank line
			// followed by a comment or an env line.
			var out []string
			for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "$ execspec") {
				if lines[i+1] == "" && i+2 < len(lines) && (strings.HasPrefix(lines[i+2], "#") || strings.HasPrefix(lines[i+2], "env ")) {
					break
				}
				i++
				out = append(out, lines[i])
			}
			cur.want = strings.TrimRight(strings.Join(out, "\n"), "\n")
			blocks = append(blocks, cur)
			cur = scriptBlock{}
		default:
			return nil, fmt.Errorf("line %d: %q is not a comment, env line or $ execspec command", i+1, line)
		}
	}
	if cur.args != nil || len(cur.env) > 0 {
		return nil, errors.New("the file ends in the middle of a block")
	}
	return blocks, nil
}

// formatScript writes blocks back, with the outputs got.
func formatScript(blocks []scriptBlock) string {
	var b strings.Builder
	for _, bl := range blocks {
		for _, c := range bl.comments {
			b.WriteString(c + "\n")
		}
		for _, e := range bl.env {
			b.WriteString("env " + e + "\n")
		}
		b.WriteString("$ execspec " + strings.Join(bl.args, " ") + "\n----\n" + bl.want + "\n\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?m)^execspec: building the model runner .*\n`), ""},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s|m|h)\b`), "<dur>"},
	{regexp.MustCompile(`[\d,.]+ (steps|samples|distinct states|distinct)/s`), "<rate> $1/s"},
	{regexp.MustCompile(`memory [\d.]+ [KMGT]?i?B \(3/4 of RAM`), "memory <mem> (3/4 of RAM"},
	{regexp.MustCompile(`0x[0-9a-f]{6,}`), "0x?"},                                    // addresses in panic stacks
	{regexp.MustCompile(`(?m)^(\s+)\S+\.go:\d+( \+0x[0-9a-f]+)?$`), "$1<file:line>"}, // and their frames' positions
	{regexp.MustCompile(`\bgoroutine \d+\b`), "goroutine N"},                         // and goroutine numbers
	// A frame's argument words depend on the toolchain's register ABI and
	// on what the compiler kept live: only the function's name is stable.
	{regexp.MustCompile(`(?m)^(\s+\S+?)\((?:0x|\{|\.\.\.)[^\n]*\)$`), "$1(...)"},
}

// normalize makes a command's output comparable across runs and machines.
func normalize(out string) string {
	out = strings.ReplaceAll(out, cache, "$CACHE")
	out = strings.ReplaceAll(out, rootDir, "$ROOT")
	for _, n := range normalizers {
		out = n.re.ReplaceAllString(out, n.with)
	}
	return strings.TrimRight(out, "\n")
}

// runScriptCommand runs one command from the module root under the
// deadline and returns "exit N" and its normalized output.
func runScriptCommand(t *testing.T, bl scriptBlock) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), scriptDeadline)
	defer cancel()
	c := exec.CommandContext(ctx, binary, bl.args...)
	c.Dir = rootDir
	c.Env = append(append(os.Environ(), "EXECSPEC_CACHE="+cache), bl.env...)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("execspec %s: no result within %s", strings.Join(bl.args, " "), scriptDeadline)
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running execspec: %v", err)
	}
	got := fmt.Sprintf("exit %d", code)
	if o := normalize(out.String()); o != "" {
		got += "\n" + o
	}
	return got
}

// slowScripts are the scripts -short skips: they run many searches.
var slowScripts = map[string]bool{"check": true, "run": true}

func TestScripts(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "script", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			if testing.Short() && slowScripts[name] {
				t.Skip("a long script (-short)")
			}
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			blocks, err := parseScript(string(data))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for i := range blocks {
				got := runScriptCommand(t, blocks[i])
				if got == blocks[i].want {
					continue
				}
				if *rewrite {
					blocks[i].want = got
					continue
				}
				t.Errorf("%s: $ execspec %s\n%s", file, strings.Join(blocks[i].args, " "), lineDiff(blocks[i].want, got))
			}
			if *rewrite {
				if err := os.WriteFile(file, []byte(formatScript(blocks)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// lineDiff shows where want and got part: the first differing line with
// some context, and both sides' line counts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	line := func(xs []string, i int) string {
		if i < len(xs) {
			return xs[i]
		}
		return "(end of output)"
	}
	return fmt.Sprintf("output differs at line %d (want %d lines, got %d; rerun with -rewrite if the change is intended):\n- %s\n+ %s", i+1, len(w), len(g), line(w, i), line(g, i))
}

// The script harness itself: parsing errors, formatting round trips,
// normalization and the diff report.
func TestScriptHarness(t *testing.T) {
	t.Parallel()
	good := "# comment\n\nenv A=1\n$ execspec run x --seed 1\n----\nexit 1\nline\n# not a comment: output\n\n# comment\n$ execspec version\n----\nexit 0\n"
	blocks, err := parseScript(good)
	if err != nil || len(blocks) != 2 || blocks[0].env[0] != "A=1" || blocks[0].want != "exit 1\nline\n# not a comment: output" || strings.Join(blocks[1].args, " ") != "version" {
		t.Fatalf("parse: %+v, %v", blocks, err)
	}
	if again, err := parseScript(formatScript(blocks)); err != nil || formatScript(again) != formatScript(blocks) {
		t.Errorf("format/parse round trip: %v\n%s", err, formatScript(again))
	}
	for _, bad := range []string{"$ execspec run\nexit 0\n", "frobnicate\n", "env A=1\n"} {
		if _, err := parseScript(bad); err == nil {
			t.Errorf("parseScript(%q) accepted", bad)
		}
	}
	in := "execspec: building the model runner for x...\nTime: 571µs, 22,756 distinct states/s, 3.2s\nlimits: memory 17.7 GiB (3/4 of RAM; --memory to change)\ngoroutine 19 [running]:\n"
	want := "Time: <dur>, <rate> distinct states/s, <dur>\nlimits: memory <mem> (3/4 of RAM; --memory to change)\ngoroutine N [running]:"
	if got := normalize(in); got != want {
		t.Errorf("normalize:\n%s\nwant\n%s", got, want)
	}
	if d := lineDiff("a\nb", "a\nc"); !strings.Contains(d, "line 2") || !strings.Contains(d, "- b") || !strings.Contains(d, "+ c") {
		t.Errorf("lineDiff: %s", d)
	}
}
