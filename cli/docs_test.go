package cli_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Docs that run: every fenced block of README.md and docs/*.md says what
// it is, and this file runs or compiles it, so the docs cannot drift from
// the tool.
//
//   - ```sh blocks are shell sessions run from the repository root, one
//     line a command (a trailing \ continues it), each ending with the
//     exit code its comment names ("# the outage (exit 1)"), 0 if none;
//     `execspec` is the command under test, HOME a fresh directory.
//   - ```go blocks are complete files, each compiled (and vetted) as a
//     package of a fresh module that takes execspec from this checkout
//     (a _test.go file when it declares a test).
//   - ```text blocks are output or layout, ```yaml blocks configuration
//     for other tools (a Kubernetes Job, a CI workflow): never run.
//
// An HTML comment right above a block changes how it runs:
//
//	<!-- docs-test: skip (REASON) -->    never run (a server, a browser, the suite itself)
//	<!-- docs-test: long (REASON) -->    run only with EXECSPEC_E2E=1 (.ci/run sets it)
//	<!-- docs-test: exits 1 0 1 -->      the exit codes of the block's commands, in order,
//	                                     for a block whose text must not change
//
// Relative links must lead to files that exist, and README.md's first
// screen must hold what a newcomer needs.

// docFiles are the documents under test, relative to the repository root.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(rootDir, "docs", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no docs: %v", err)
	}
	files = append([]string{filepath.Join(rootDir, "README.md")}, files...)
	for i, f := range files {
		files[i], _ = filepath.Rel(rootDir, f)
	}
	return files
}

// docBlock is one fenced block of a document.
type docBlock struct {
	where string // file:line of the opening fence
	lang  string // sh, go or text
	body  string
	skip  string // the reason it is never run
	long  string // the reason it runs only with EXECSPEC_E2E
	exits []int  // the exit codes of its commands (an exits directive), or nil
}

// docLink is a relative link of a document.
type docLink struct{ where, target string }

var (
	directiveLine = regexp.MustCompile(`^<!-- docs-test: (.*) -->$`)
	reasoned      = regexp.MustCompile(`^(skip|long) \((.+)\)$`)
	markdownLink  = regexp.MustCompile(`\]\(([^)\s]+)\)`)
)

// parseDoc reads the fenced blocks and relative links of a document.
func parseDoc(file, text string) ([]docBlock, []docLink, error) {
	var blocks []docBlock
	var links []docLink
	var pending *docBlock // directives waiting for their block
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		where := fmt.Sprintf("%s:%d", file, i+1)
		if m := directiveLine.FindStringSubmatch(line); m != nil {
			if pending == nil {
				pending = &docBlock{}
			}
			d := m[1]
			switch r := reasoned.FindStringSubmatch(d); {
			case r != nil && r[1] == "skip":
				pending.skip = r[2]
			case r != nil:
				pending.long = r[2]
			case strings.HasPrefix(d, "exits "):
				for _, f := range strings.Fields(strings.TrimPrefix(d, "exits ")) {
					n, err := strconv.Atoi(f)
					if err != nil {
						return nil, nil, fmt.Errorf("%s: exits %q: not an exit code", where, f)
					}
					pending.exits = append(pending.exits, n)
				}
			default:
				return nil, nil, fmt.Errorf("%s: unknown directive %q (skip (REASON), long (REASON) or exits N...)", where, d)
			}
			continue
		}
		if !strings.HasPrefix(line, "```") {
			if pending != nil {
				return nil, nil, fmt.Errorf("%s: a docs-test directive must be right above a block", where)
			}
			for _, m := range markdownLink.FindAllStringSubmatch(line, -1) {
				links = append(links, docLink{where, m[1]})
			}
			continue
		}
		b := docBlock{where: where, lang: strings.TrimSpace(strings.TrimPrefix(line, "```"))}
		if pending != nil {
			b.skip, b.long, b.exits = pending.skip, pending.long, pending.exits
			pending = nil
		}
		switch b.lang {
		case "sh", "go", "text", "yaml":
		case "":
			return nil, nil, fmt.Errorf("%s: a block must say what it is: ```sh (run), ```go (compiled), ```text or ```yaml (not run)", where)
		default:
			return nil, nil, fmt.Errorf("%s: block of %q: the docs test knows sh, go, text and yaml", where, b.lang)
		}
		var body []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			return nil, nil, fmt.Errorf("%s: the block is not closed", where)
		}
		b.body = strings.Join(body, "\n") + "\n"
		if b.lang != "sh" && (b.long != "" || b.exits != nil) {
			return nil, nil, fmt.Errorf("%s: long and exits apply to sh blocks", where)
		}
		blocks = append(blocks, b)
	}
	if pending != nil {
		return nil, nil, fmt.Errorf("%s: a docs-test directive at the end, with no block", file)
	}
	return blocks, links, nil
}

// commands reads the steps of an sh block: one a line, comments and
// blank lines left out, a trailing \ joining the next line.
func (b docBlock) commands() ([]shellStep, error) {
	var steps []shellStep
	lines := strings.Split(strings.TrimRight(b.body, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		start := i
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + strings.TrimSpace(lines[i])
		}
		steps = append(steps, parseStepLine(line, fmt.Sprintf("%s+%d", b.where, start+1)))
	}
	if b.exits != nil {
		if len(b.exits) != len(steps) {
			return nil, fmt.Errorf("%s: the exits directive names %d exit codes for %d commands", b.where, len(b.exits), len(steps))
		}
		for i := range steps {
			steps[i].want = b.exits[i]
		}
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("%s: an sh block with no command", b.where)
	}
	return steps, nil
}

// readDocs parses every document, failing t on the first error.
func readDocs(t *testing.T) (blocks []docBlock, links []docLink) {
	t.Helper()
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(filepath.Join(rootDir, f))
		if err != nil {
			t.Fatal(err)
		}
		b, l, err := parseDoc(f, string(data))
		if err != nil {
			t.Fatal(err)
		}
		blocks, links = append(blocks, b...), append(links, l...)
	}
	return blocks, links
}

// TestDocs checks what needs no command run: every block says what it is
// and every sh block parses into commands, every relative link leads to a
// file, README.md's first screen holds the start, docs/templates.md names
// every template init knows, and the blocks that never run are few and
// say why.
func TestDocs(t *testing.T) {
	t.Parallel()
	blocks, links := readDocs(t)
	var skipped []string
	for _, b := range blocks {
		if b.lang == "sh" {
			if _, err := b.commands(); err != nil {
				t.Error(err)
			}
		}
		if b.skip != "" {
			skipped = append(skipped, b.where+": "+b.skip)
		}
	}
	t.Logf("%d blocks; never run:\n%s", len(blocks), strings.Join(skipped, "\n"))
	if len(skipped) > 6 {
		t.Errorf("%d blocks are never run; keep such exceptions few", len(skipped))
	}
	for _, l := range links {
		target, _, _ := strings.Cut(l.target, "#")
		if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		file, _, _ := strings.Cut(l.where, ":")
		if _, err := os.Stat(filepath.Join(rootDir, filepath.Dir(file), target)); err != nil {
			t.Errorf("%s: link to %s: %v", l.where, l.target, err)
		}
	}
	readme, err := os.ReadFile(filepath.Join(rootDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(readme), "\n")
	firstScreen := strings.Join(lines[:min(60, len(lines))], "\n")
	for _, want := range []string{
		"execspec is executable specifications and model-based testing",
		"```sh\ngo run ./cmd/execspec run ./examples/dnsbalancer", "```sh\ngo test ./...\n```",
		"(docs/tour.md)", "(docs/landscape.md)", "(docs/spec-languages.md)", "(docs/pilot.md)", "(docs/templates.md)",
	} {
		if !strings.Contains(firstScreen, want) {
			t.Errorf("README.md's first 60 lines lack %q", want)
		}
	}
	if len(lines) > 150 {
		t.Errorf("README.md has %d lines: it is a short start, the rest belongs in docs/", len(lines))
	}
	r := execspec(t, nil, "init", "--list")
	templates, err := os.ReadFile(filepath.Join(rootDir, "docs", "templates.md"))
	if err != nil || r.code != 0 {
		t.Fatalf("%v; init --list: exit %d %s", err, r.code, r.stderr)
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "execspec init") && line != "generic" {
			if !strings.Contains(string(templates), "| `"+line+"` |") {
				t.Errorf("docs/templates.md has no row for template %s", line)
			}
		}
	}
}

// The defaults the docs state are the ones the commands apply: every
// "`--flag` ... (default V)" of README.md and docs/*.md names the default
// of that flag in some command's help, and the tour says which strategy
// `execspec run` uses when none is given.
func TestDocsStateTheDefaults(t *testing.T) {
	t.Parallel()
	defaults := map[string][]string{} // flag -> its defaults in the commands' help
	// A flag's own default, and one another flag's help states for it
	// ("--reference: at most --max-states states, default 50,000").
	helpFlag := regexp.MustCompile(`(?m)^  --([a-z0-9-]+).*\n +.*\(default:? ([^)]+)\)$`)
	helpMention := regexp.MustCompile(`--([a-z0-9-]+)[^()\n]{0,20}?, default:? ([^ ),;]+)`)
	for _, cmd := range []string{"run", "check", "replay", "view", "trace", "explore"} {
		r := execspec(t, nil, cmd, "--help")
		if r.code != 0 {
			t.Fatalf("%s --help: exit %d\n%s", cmd, r.code, r.stderr)
		}
		help := r.stdout + r.stderr
		for _, m := range append(helpFlag.FindAllStringSubmatch(help, -1), helpMention.FindAllStringSubmatch(help, -1)...) {
			d := m[2]
			if m[1] == "workers" && d == strconv.Itoa(runtime.GOMAXPROCS(0)) {
				d = "one per core" // the help prints this machine's count
			}
			defaults[m[1]] = append(defaults[m[1]], d)
		}
	}
	if len(defaults["strategy"]) == 0 || len(defaults["max-steps"]) == 0 {
		t.Fatalf("the help's defaults were not read: %v", defaults)
	}
	number := strings.NewReplacer(",", "")
	docFlag := regexp.MustCompile("`--([a-z0-9-]+)`[^`]{0,24}?default:? ([^ ),;]+)")
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(filepath.Join(rootDir, f))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(data)), " ")
		for _, m := range docFlag.FindAllStringSubmatch(text, -1) {
			flag, stated := m[1], number.Replace(m[2])
			found := false
			for _, d := range defaults[flag] {
				found = found || strings.HasPrefix(number.Replace(d), stated)
			}
			if !found {
				t.Errorf("%s: --%s is said to default to %s; the commands' help says %q", f, flag, m[2], defaults[flag])
			}
		}
		if f == filepath.Join("docs", "tour.md") {
			m := regexp.MustCompile("`([a-z]+)`, the default of `execspec run`").FindStringSubmatch(text)
			if m == nil || !slices.Contains(defaults["strategy"], m[1]) {
				t.Errorf("%s must say which strategy is the default of execspec run (%q), as \"`NAME`, the default of `execspec run`\"; it says %q", f, defaults["strategy"], m)
			}
		}
	}
}

// Every document the repository names is in the repository: beside the
// relative links TestDocs follows, each plain mention of a document
// (docs/<name>.md, or one written in capitals such as BENCHMARKS.md) in
// README.md, docs/*.md and every Go file (package docs and the Doc of a
// model's Spec included) resolves from the mentioning file's directory or
// from the repository's root.
func TestDocMentionsResolve(t *testing.T) {
	t.Parallel()
	mention := regexp.MustCompile(`[A-Za-z0-9_./-]+\.md\b`)
	capitals := regexp.MustCompile(`^[A-Z][A-Z0-9_-]*\.md$`)
	check := func(file string, text string) {
		for _, m := range mention.FindAllString(text, -1) {
			m = strings.TrimLeft(m, "./")
			if !strings.HasPrefix(m, "docs/") && !capitals.MatchString(filepath.Base(m)) {
				continue // a name of the user's or a test's, such as d.md
			}
			_, errHere := os.Stat(filepath.Join(rootDir, filepath.Dir(file), m))
			_, errRoot := os.Stat(filepath.Join(rootDir, m))
			if errHere != nil && errRoot != nil {
				t.Errorf("%s names %s, which is not in the repository", file, m)
			}
		}
	}
	for _, f := range docFiles(t) {
		data, err := os.ReadFile(filepath.Join(rootDir, f))
		if err != nil {
			t.Fatal(err)
		}
		check(f, string(data))
	}
	err := filepath.WalkDir(rootDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != rootDir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(rootDir, path)
		check(rel, string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The parser itself: each directive, each mistake it must refuse.
func TestDocsParser(t *testing.T) {
	t.Parallel()
	good := "# T\n\nSee [the tour](tour.md#x) and [Go](https://go.dev).\n\n<!-- docs-test: exits 1 0 -->\n```sh\n# a comment\nexecspec check . \\\n  --instance small\ngo test ./...   # passes\n```\n\n<!-- docs-test: long (slow) -->\n```sh\nsleep 1   # (exit 0)\n```\n\n```go\npackage x\n```\n"
	blocks, links, err := parseDoc("d.md", good)
	if err != nil || len(blocks) != 3 || len(links) != 2 || links[0].target != "tour.md#x" {
		t.Fatalf("parseDoc: %v, %+v, %+v", err, blocks, links)
	}
	steps, err := blocks[0].commands()
	if err != nil || len(steps) != 2 || steps[0].cmd != "execspec check .  --instance small" || steps[0].want != 1 || steps[1].want != 0 || steps[0].where != "d.md:6+2" {
		t.Errorf("commands: %v, %+v", err, steps)
	}
	if blocks[1].long != "slow" || blocks[2].lang != "go" || blocks[2].body != "package x\n" {
		t.Errorf("blocks: %+v", blocks)
	}
	for _, tc := range []struct{ doc, want string }{
		{"```\nls\n```\n", "must say what it is"},
		{"```python\nx\n```\n", `block of "python"`},
		{"```sh\nls\n", "not closed"},
		{"<!-- docs-test: frobnicate -->\n```sh\nls\n```\n", "unknown directive"},
		{"<!-- docs-test: skip -->\n```sh\nls\n```\n", "unknown directive"},
		{"<!-- docs-test: skip (why) -->\n\n```sh\nls\n```\n", "right above a block"},
		{"<!-- docs-test: exits x -->\n```sh\nls\n```\n", "not an exit code"},
		{"<!-- docs-test: long (why) -->\n```go\npackage x\n```\n", "apply to sh blocks"},
		{"text\n<!-- docs-test: skip (why) -->", "at the end"},
	} {
		if _, _, err := parseDoc("d.md", tc.doc); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseDoc(%q): %v, want %q", tc.doc, err, tc.want)
		}
	}
	for _, tc := range []struct {
		b    docBlock
		want string
	}{
		{docBlock{where: "d.md:1", body: "# only a comment\n"}, "no command"},
		{docBlock{where: "d.md:1", body: "ls\nls\n", exits: []int{1}}, "names 1 exit codes for 2 commands"},
	} {
		if _, err := tc.b.commands(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("commands(%q): %v, want %q", tc.b.body, err, tc.want)
		}
	}
}

// goEnv returns the go command's settings that a changed HOME would
// otherwise move (the module and build caches, the env file).
func goEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "-json", "GOPATH", "GOMODCACHE", "GOCACHE", "GOENV", "GOFLAGS", "GOTOOLCHAIN").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var vars map[string]string
	if err := json.Unmarshal(out, &vars); err != nil {
		t.Fatal(err)
	}
	var env []string
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	slices.Sort(env)
	return env
}

// TestDocsGo compiles every Go block, each as a package of one fresh
// module that takes execspec from this checkout, with go vet.
func TestDocsGo(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the docs' Go blocks")
	}
	blocks, _ := readDocs(t)
	mod := t.TempDir()
	gomod := "module example.com/docs\n\ngo 1.25\n\nrequire github.com/execspec/execspec v0.0.0-00010101000000-000000000000\n\nreplace github.com/execspec/execspec => " + rootDir + "\n"
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	where := map[string]string{}
	n := 0
	for _, b := range blocks {
		if b.lang != "go" || b.skip != "" {
			continue
		}
		n++
		dir := fmt.Sprintf("b%02d", n)
		name := "doc.go"
		if strings.Contains(b.body, "\nfunc Test") {
			name = "doc_test.go"
		}
		if err := os.Mkdir(filepath.Join(mod, dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(mod, dir, name), []byte(b.body), 0o644); err != nil {
			t.Fatal(err)
		}
		where[dir] = b.where
	}
	if n == 0 {
		t.Fatal("no Go blocks")
	}
	env := append(os.Environ(), "GOPROXY=off", "GOFLAGS=-buildvcs=false")
	for _, args := range [][]string{{"mod", "tidy"}, {"vet", "./..."}} {
		c := exec.Command("go", args...)
		c.Dir, c.Env = mod, env
		if out, err := c.CombinedOutput(); err != nil {
			msg := string(out)
			for dir, w := range where {
				msg = strings.ReplaceAll(msg, "example.com/docs/"+dir, w+" (block)")
				msg = strings.ReplaceAll(msg, "./"+dir+"/", w+" (block) ")
				msg = strings.ReplaceAll(msg, dir+"/", w+" (block) ")
			}
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
		}
	}
}

// TestDocsCommands runs every sh block that may run: the quick ones in
// every go test, the long ones with EXECSPEC_E2E=1. Each block is one
// shell session from the repository root; files a block writes there (a
// trace, a page) are removed after it.
func TestDocsCommands(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the docs' commands")
	}
	blocks, _ := readDocs(t)
	e2e := os.Getenv("EXECSPEC_E2E") != ""
	tmp := t.TempDir()
	bin, gobin, home := filepath.Join(tmp, "bin"), filepath.Join(tmp, "gobin"), filepath.Join(tmp, "home")
	for _, d := range []string{bin, gobin, home} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(binary, filepath.Join(bin, "execspec")); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), goEnv(t)...)
	env = append(env, "HOME="+home, "GOBIN="+gobin, "PATH="+gobin+string(os.PathListSeparator)+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"EXECSPEC_CACHE="+cache, "GOPROXY=off")
	ran, skipped := 0, 0
	for _, b := range blocks {
		if b.lang != "sh" || b.skip != "" || (b.long != "" && !e2e) {
			if b.lang == "sh" {
				skipped++
			}
			continue
		}
		steps, err := b.commands()
		if err != nil {
			t.Fatal(err)
		}
		before, err := os.ReadDir(rootDir)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = runSession(t.Context(), rootDir, env, steps)
		if err != nil {
			t.Error(err)
		}
		t.Logf("%s: %d commands in %s", b.where, len(steps), time.Since(start).Round(time.Millisecond))
		removeNewFiles(t, before, b.body)
		ran += len(steps)
	}
	t.Logf("ran %d commands; %d sh blocks not run (skip, or long without EXECSPEC_E2E)", ran, skipped)
}

// removeNewFiles removes the entries of the repository root that were not
// in before and that the block names: the files its commands wrote.
func removeNewFiles(t *testing.T, before []os.DirEntry, body string) {
	t.Helper()
	had := map[string]bool{}
	for _, e := range before {
		had[e.Name()] = true
	}
	after, err := os.ReadDir(rootDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range after {
		if !had[e.Name()] && strings.Contains(body, e.Name()) {
			if err := os.RemoveAll(filepath.Join(rootDir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Error(err)
			}
		}
	}
}
