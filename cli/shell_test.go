package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The end-to-end tests of init and of the docs run commands the way a
// user types them: lines of a shell session, each with the exit code it
// must end with, taken from its comment ("# finds the bug (exit 1)").

// shellStep is one command line of a session.
type shellStep struct {
	cmd   string // as typed, without its comment
	want  int    // the exit code it must end with
	where string // where it was written, for messages (file:line)
}

// stepResult is what one step printed (stdout and stderr interleaved)
// and its exit code.
type stepResult struct {
	out  string
	code int
}

// exitComment finds the exit code a step's comment promises.
var exitComment = regexp.MustCompile(`\bexit ([0-9]+)\b`)

// parseStepLine splits "CMD  # COMMENT" into a step; the exit code is
// the one the comment names, 0 when it names none. A '#' starts a comment
// only after a space, as in the shell.
func parseStepLine(line, where string) shellStep {
	cmd, comment := line, ""
	if i := strings.Index(line, " #"); i >= 0 {
		cmd, comment = line[:i], line[i+2:]
	}
	st := shellStep{cmd: strings.TrimSpace(cmd), where: where}
	if m := exitComment.FindStringSubmatch(comment); m != nil {
		st.want, _ = strconv.Atoi(m[1])
	}
	return st
}

// printedSteps reads the commands init prints after "Next:", one per
// indented line, as the steps of a session.
func printedSteps(out string) ([]shellStep, error) {
	_, next, ok := strings.Cut(out, "\nNext:\n")
	if !ok {
		return nil, errors.New("no \"Next:\" in the output")
	}
	var steps []shellStep
	for i, line := range strings.Split(strings.TrimRight(next, "\n"), "\n") {
		if !strings.HasPrefix(line, "  ") {
			return nil, fmt.Errorf("next step %d: %q is not an indented command", i+1, line)
		}
		steps = append(steps, parseStepLine(line, fmt.Sprintf("next step %d", i+1)))
	}
	if len(steps) == 0 {
		return nil, errors.New("no next steps")
	}
	return steps, nil
}

// stepMark separates the steps' outputs in the session's output.
const stepMark = "\x1eexecspec-docs-test step "

// runSession runs steps in one sh process started in dir with env (so a
// cd or an export carries over to the next step; a step must not exit the
// shell itself), stopping after the first step whose exit code differs
// from its want. It returns the
// results of the steps that ran, and an error naming the step that
// failed, with its output.
func runSession(ctx context.Context, dir string, env []string, steps []shellStep) ([]stepResult, error) {
	var script strings.Builder
	for i, st := range steps {
		fmt.Fprintf(&script, "%s\n__rc=$?\nprintf '%s%d %%d\\036\\n' \"$__rc\"\n[ \"$__rc\" -eq %d ] || exit 97\n", st.cmd, stepMark, i, st.want)
	}
	c := exec.CommandContext(ctx, "sh", "-c", script.String())
	c.Dir, c.Env = dir, env
	c.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	runErr := c.Run()
	var results []stepResult
	rest := out.String()
	for i := range steps {
		mark := fmt.Sprintf("%s%d ", stepMark, i)
		j := strings.Index(rest, mark)
		if j < 0 {
			if ctx.Err() != nil {
				return results, fmt.Errorf("%s: $ %s: no result before the deadline:\n%s", steps[i].where, steps[i].cmd, rest)
			}
			return results, fmt.Errorf("%s: $ %s: the session ended before its result (%v):\n%s", steps[i].where, steps[i].cmd, runErr, rest)
		}
		tail := rest[j+len(mark):]
		k := strings.Index(tail, "\x1e\n")
		if k < 0 {
			return results, fmt.Errorf("%s: malformed step marker in the output", steps[i].where)
		}
		code, err := strconv.Atoi(tail[:k])
		if err != nil {
			return results, fmt.Errorf("%s: malformed step marker: %v", steps[i].where, err)
		}
		results = append(results, stepResult{out: rest[:j], code: code})
		rest = tail[k+2:]
		if code != steps[i].want {
			return results, fmt.Errorf("%s: $ %s\nexit %d, want %d:\n%s", steps[i].where, steps[i].cmd, code, steps[i].want, results[i].out)
		}
	}
	var ee *exec.ExitError
	if runErr != nil && !errors.As(runErr, &ee) {
		return results, fmt.Errorf("running sh: %w", runErr)
	}
	return results, nil
}

// The session helpers themselves: comments and exit codes, init's printed
// steps, a cd that carries over, and each way a session fails.
func TestShellSession(t *testing.T) {
	t.Parallel()
	for line, want := range map[string]shellStep{
		"execspec check .   # finds the bug (exit 1)": {cmd: "execspec check .", want: 1},
		"go test ./...":                        {cmd: "go test ./..."},
		"echo a#b # no exit code named":        {cmd: "echo a#b"},
		"  cd sched  # the new module":         {cmd: "cd sched"},
		"exit 3 # exits 3, not exit3 (exit 2)": {cmd: "exit 3", want: 2},
	} {
		if got := parseStepLine(line, "x"); got.cmd != want.cmd || got.want != want.want {
			t.Errorf("parseStepLine(%q) = %+v, want %+v", line, got, want)
		}
	}
	if steps, err := printedSteps("wrote x\n\nNext:\n  cd d  # the module\n  go test .  # tests\n"); err != nil || len(steps) != 2 || steps[1].cmd != "go test ." {
		t.Errorf("printedSteps: %+v, %v", steps, err)
	}
	for _, bad := range []string{"wrote x\n", "\nNext:\n", "\nNext:\nnot indented\n"} {
		if _, err := printedSteps(bad); err == nil {
			t.Errorf("printedSteps(%q): no error", bad)
		}
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	steps := []shellStep{{cmd: "cd sub"}, {cmd: "pwd"}, {cmd: "echo out; echo err >&2; sh -c 'exit 3'", want: 3}}
	res, err := runSession(t.Context(), dir, os.Environ(), steps)
	if err != nil || len(res) != 3 || !strings.HasSuffix(strings.TrimSpace(res[1].out), "/sub") || res[2].out != "out\nerr\n" || res[2].code != 3 {
		t.Errorf("runSession: %v, %+v", err, res)
	}
	steps = []shellStep{{cmd: "true"}, {cmd: "false", where: "doc.md:7"}, {cmd: "echo never"}}
	if res, err := runSession(t.Context(), dir, os.Environ(), steps); err == nil || len(res) != 2 || !strings.Contains(err.Error(), "doc.md:7: $ false\nexit 1, want 0") {
		t.Errorf("a failing step: %v, %+v", err, res)
	}
	if _, err := runSession(t.Context(), dir, os.Environ(), []shellStep{{cmd: "exit 0", where: "doc.md:9"}}); err == nil || !strings.Contains(err.Error(), "doc.md:9: $ exit 0: the session ended before its result") {
		t.Errorf("a step that ends the session: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if _, err := runSession(ctx, dir, os.Environ(), []shellStep{{cmd: "exec sleep 5", where: "doc.md:11"}}); err == nil || !strings.Contains(err.Error(), "no result before the deadline") {
		t.Errorf("a step past the deadline: %v", err)
	}
}
