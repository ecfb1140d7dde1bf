package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execspec/execspec/cli"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"
)

// dnsTraceFile writes a trace of the DNS model violating
// no_inconsistent_root to dir and returns its path.
func dnsTraceFile(t *testing.T, dir string) string {
	t.Helper()
	m, err := dnsbalancer.Spec().Model("n3_5_3")
	if err != nil {
		t.Fatal(err)
	}
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	tr, fd, err := simulate.Replay(mc, simulate.Options{Seed: 123, MaxSteps: 50, Property: "no_inconsistent_root"}, 0)
	if err != nil || fd == nil {
		t.Fatalf("no violating trace for seed 123: %v", err)
	}
	tr.Meta = map[string]any{"model": "dnsbalancer", "instance": "n3_5_3", "property": "no_inconsistent_root", "status": "violation"}
	path := filepath.Join(dir, "finding.itf.json")
	if err := itf.WriteFile(path, tr.ToITF()); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestViewWritesPages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := dnsTraceFile(t, dir)

	// By default the page goes next to the trace.
	r := execspec(t, nil, "view", file)
	if r.code != 0 || !strings.Contains(r.stderr, "wrote "+filepath.Join(dir, "finding.html")) {
		t.Fatalf("view: exit %d, stderr %q", r.code, r.stderr)
	}
	page, err := os.ReadFile(filepath.Join(dir, "finding.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) || !bytes.Contains(page, []byte(`<script type="application/json" id="itf-data">`)) || !bytes.Contains(page, []byte("<title>dnsbalancer n3_5_3: no_inconsistent_root</title>")) {
		t.Errorf("the page does not look like a trace page: %.300s", page)
	}

	// Flags after the file; filters; -o.
	out := filepath.Join(dir, "part.html")
	r = execspec(t, nil, "view", file, "-o", out, "--vars", "zone", "--steps", "2..5", "--title", "part", "--actor", "-")
	if r.code != 0 {
		t.Fatalf("view with filters: exit %d, %s", r.code, r.stderr)
	}
	page, _ = os.ReadFile(out)
	for _, want := range []string{`"vars":["zone"]`, `showing steps 2..5 of 0..11`, `<title>part</title>`, `"actor":null`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the filtered page lacks %s", want)
		}
	}

	// -o - writes to stdout; --open prints the file's URL.
	r = execspec(t, nil, "view", "-o", "-", file)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "<!DOCTYPE html>") {
		t.Errorf("view -o -: exit %d, stdout %.100q", r.code, r.stdout)
	}
	r = execspec(t, []string{cli.EnvNoBrowser + "=1"}, "view", "--open", file)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "file://"+filepath.ToSlash(filepath.Join(dir, "finding.html")) {
		t.Errorf("view --open: exit %d, stdout %q", r.code, r.stdout)
	}

	// Several traces in one file (NDJSON): the first, with a note, or the
	// one asked for.
	one, _ := itf.ReadFile(file)
	multi := filepath.Join(dir, "two.itf.json")
	var buf bytes.Buffer
	one[0].Encode(&buf)
	short := *one[0]
	short.States = short.States[:3]
	short.Loop = nil
	short.Encode(&buf)
	os.WriteFile(multi, buf.Bytes(), 0o644)
	r = execspec(t, nil, "view", multi, "--trace", "1", "-o", "-")
	if r.code != 0 || !strings.Contains(r.stderr, "holds 2 traces; showing trace 1") || !strings.Contains(r.stdout, `"total":3`) {
		t.Errorf("view --trace 1: exit %d, stderr %q", r.code, r.stderr)
	}

	// A trace on stdin.
	c := exec.Command(binary, "view", "-", "-o", filepath.Join(dir, "stdin.html"))
	c.Stdin = bytes.NewReader(buf.Bytes()[:bytes.IndexByte(buf.Bytes(), '\n')+1])
	if outb, err := c.CombinedOutput(); err != nil {
		t.Errorf("view - (stdin): %v: %s", err, outb)
	}
}

func TestViewRefusesBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := dnsTraceFile(t, dir)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	malformed := write("bad.itf.json", `{"vars": ["x"], "states": [{"x": 1}, {"x": 1.5}]}`)
	truncated := write("cut.itf.json", `{"vars": ["x"], "states": [{"x": {"#bigint": "1"}`)
	notTrace := write("list.itf.json", `[1, 2, 3]`)
	empty := write("empty.itf.json", ``)
	for _, c := range []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"malformed", []string{"view", malformed}, []string{"not a valid ITF trace", "state 1", "1.5", "byte offset"}},
		{"truncated", []string{"view", truncated}, []string{"not a valid ITF trace"}},
		{"not a trace", []string{"view", notTrace}, []string{"not a valid ITF trace"}},
		{"empty", []string{"view", empty}, []string{"holds no trace"}},
		{"missing", []string{"view", filepath.Join(dir, "nope.itf.json")}, []string{"no such file"}},
		{"directory", []string{"view", dir}, []string{"is a directory"}},
		{"no file", []string{"view"}, []string{"Usage: execspec view"}},
		{"two files", []string{"view", file, file}, []string{"Usage: execspec view"}},
		{"bad steps", []string{"view", file, "--steps", "5..2"}, []string{"--steps", "the end is before the start", "10..40"}},
		{"steps syntax", []string{"view", file, "--steps", "x"}, []string{"--steps", `"x"`}},
		{"steps past the end", []string{"view", file, "--steps", "99.."}, []string{"steps 0..11"}},
		{"unknown var", []string{"view", file, "--vars", "zone,nope"}, []string{`"nope"`, "plans, zone, deployers"}},
		{"empty vars", []string{"view", file, "--vars", ","}, []string{"--vars"}},
		{"unknown actor", []string{"view", file, "--actor", "who"}, []string{`"who"`, "deployer"}},
		{"too large", []string{"view", file, "--max-size", "10KB"}, []string{"over the limit of 10.0 KiB", "--max-size"}},
		{"too large decoded", []string{"view", file, "--max-size", "20KB"}, []string{"decode to more than the limit of 20.0 KiB allows", "--max-size"}},
		{"steps too large for the page", []string{"view", file, "--max-page", "1KB", "--steps", "0..5"}, []string{"over the limit of 1.0 KiB", "--vars"}},
		{"bad size", []string{"view", file, "--max-size", "big"}, []string{"--max-size"}},
		{"bad page size", []string{"view", file, "--max-page", "big"}, []string{"--max-page"}},
		{"open and serve", []string{"view", file, "--open", "--serve", ":0"}, []string{"do not go together"}},
		{"trace number", []string{"view", file, "--trace", "2"}, []string{"holds 1 trace"}},
		{"stdin without -o", []string{"view", "-"}, []string{"-o FILE"}},
		{"unknown flag", []string{"view", file, "--bogus"}, []string{"flag provided but not defined"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := execspec(t, nil, c.args...)
			if r.code != cli.ExitUsage {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, cli.ExitUsage, r.stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q lacks %q", r.stderr, w)
				}
			}
		})
	}
	// Filters bring a large trace under the page's cap.
	if r := execspec(t, nil, "view", file, "--max-page", "20KB", "--vars", "zone", "--steps", "0..10", "-o", "-"); r.code != 0 {
		t.Errorf("filtered under the cap: exit %d, %s", r.code, r.stderr)
	}
	// A trace too large for the page is shown as a window of its last steps.
	if r := execspec(t, nil, "view", file, "--max-page", "20KB", "-o", "-"); r.code != 0 || !strings.Contains(r.stdout, "that lead to step 11; choose others with --steps") {
		t.Errorf("a window: exit %d, %s", r.code, r.stderr)
	}
}

// watchWriter collects output and signals every write, so a test can wait
// for a line without sleeping.
type watchWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	notify chan struct{}
}

func newWatchWriter() *watchWriter { return &watchWriter{notify: make(chan struct{}, 1)} }

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.buf.Write(p)
	w.mu.Unlock()
	select {
	case w.notify <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// wait returns the first submatch of re once the output matches it.
func (w *watchWriter) wait(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		if m := re.FindStringSubmatch(w.String()); m != nil {
			return m[1]
		}
		select {
		case <-w.notify:
		case <-deadline:
			t.Fatalf("waiting for %s in the output:\n%s", re, w.String())
		}
	}
}

var servingRE = regexp.MustCompile(`serving (http://\S+)/ `)

func getBody(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func TestViewServe(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("needs os.Interrupt to stop the server")
	}
	file := dnsTraceFile(t, t.TempDir())
	c := exec.Command(binary, "view", file, "--serve", "127.0.0.1:0")
	stderr := newWatchWriter()
	c.Stderr = stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	t.Cleanup(func() {
		if c.ProcessState == nil {
			c.Process.Kill()
		}
	})
	base := stderr.wait(t, servingRE)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("served on %s, want loopback", base)
	}
	code, body := getBody(t, base+"/")
	if code != 200 || !bytes.Contains(body, []byte(`id="itf-data"`)) {
		t.Errorf("GET /: %d %.200s", code, body)
	}
	if code, _ := getBody(t, base+"/other"); code != 404 {
		t.Errorf("GET /other: %d, want 404", code)
	}
	// A page on another site cannot read the trace by DNS rebinding.
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.Host = "evil.example"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET / with Host evil.example: %v, %v; want 403", resp, err)
	} else {
		resp.Body.Close()
	}
	// --serve writes no file unless asked.
	if _, err := os.Stat(strings.TrimSuffix(file, ".itf.json") + ".html"); err == nil {
		t.Error("--serve wrote a page file without -o")
	}
	if err := c.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("view --serve after an interrupt: %v, want exit 0\n%s", err, stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("view --serve did not stop on an interrupt")
	}
}

func TestExplore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dnsTraceFile(t, dir) // finding.itf.json
	run := func(ctx context.Context, stderr io.Writer, args ...string) int {
		return cli.RunModelEnv(ctx, append([]string{"explore"}, args...), dnsbalancer.Spec(),
			cli.Env{Stdout: io.Discard, Stderr: stderr, Dir: dir, Environ: []string{cli.EnvPackage + "=./examples/dnsbalancer"}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := newWatchWriter()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, stderr, "--instance", "n3_5_3", "--itf", "finding.itf.json", "--page-size", "20")
	}()
	base := stderr.wait(t, servingRE)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("served on %s, want loopback", base)
	}
	code, body := getBody(t, base+"/api/state")
	var st struct {
		Instance   string
		Depth      int
		Successors struct{ Total, PageSize int }
		Trace      struct{ Steps []json.RawMessage }
	}
	if err := json.Unmarshal(body, &st); err != nil || code != 200 {
		t.Fatalf("GET /api/state: %d, %v", code, err)
	}
	if st.Instance != "n3_5_3" || st.Depth != 1 || st.Successors.Total != 10650 || st.Successors.PageSize != 20 || len(st.Trace.Steps) != 12 {
		t.Errorf("state %+v", st)
	}
	code, body = getBody(t, base+"/api/export.itf.json")
	if _, err := itf.DecodeBytes(body); err != nil || code != 200 {
		t.Errorf("export: %d, %v", code, err)
	}
	if it, _ := itf.DecodeBytes(body); it != nil && it.Meta["source"] != "./examples/dnsbalancer" {
		t.Errorf("export #meta source %v", it.Meta["source"])
	}
	cancel()
	select {
	case code := <-done:
		if code != cli.ExitOK {
			t.Errorf("explore after cancel: exit %d\n%s", code, stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("explore did not stop")
	}

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"missing trace", []string{"--itf", "nope.itf.json"}, "--itf"},
		{"page size", []string{"--page-size", "0"}, "--page-size must be at least 1"},
		{"page size too large", []string{"--page-size", "1001"}, "--page-size must be at most 1000"},
		{"instance", []string{"--instance", "n9"}, "n3_5_3"},
		{"trace number", []string{"--itf", "finding.itf.json", "--trace", "1"}, "holds 1 trace"},
		{"address", []string{"--addr", "256.1.1.1:0"}, "listening"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(context.Background(), &stderr, c.args...); code != cli.ExitUsage {
				t.Errorf("exit %d, want %d: %s", code, cli.ExitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), c.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), c.want)
			}
		})
	}
	// Through the front end too: a bad saved trace is an input error.
	bad := filepath.Join(dir, "bad.itf.json")
	os.WriteFile(bad, []byte(`{"vars": ["x"], "states": [{"x": 1}]}`), 0o644)
	r := execspec(t, nil, "explore", dns, "--instance", "n3_5_3", "--itf", bad)
	if r.code != cli.ExitUsage || !strings.Contains(r.stderr, `variable "plans" missing`) {
		t.Errorf("explore --itf of another model: exit %d, %q", r.code, r.stderr)
	}
}
