package engine_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/execspec/execspec/internal/engine"
)

// The commands and files a failing test prints work as printed from the
// directory go test ran in, whichever it was: the module's root (go test
// ./...) or the package's own directory (go test .). A fresh module takes
// execspec from this checkout; its test fails, and the printed reproduce
// command and view command are run from where go test was.
func TestPrintedPathsRunFromWhereGoTestRan(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a fresh module and execspec view")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod": "module example.com/paths\n\ngo 1.25\n\nrequire github.com/execspec/execspec v0.0.0\n\nreplace github.com/execspec/execspec => " + root + "\n",
		"go.sum": string(gosum),
		"model/model_test.go": `package model

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
)

func TestCounter(t *testing.T) {
	m := execspec.NewModel[struct{ N int }]("counter")
	m.Init(func(c *execspec.Ctx[struct{ N int }]) {})
	m.Action("inc", func(c *execspec.Ctx[struct{ N int }]) { c.S.N++ })
	m.Invariant("below_2", func(s *struct{ N int }) bool { return s.N < 2 })
	check.Test(t, m, check.Options{MaxDepth: 3})
}
`,
	}
	for name, text := range files {
		path := filepath.Join(mod, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sh := func(dir, cmd string) (string, bool) {
		c := exec.Command("sh", "-c", cmd)
		c.Dir = dir
		c.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
		out, err := c.CombinedOutput()
		return string(out), err == nil
	}
	if out, ok := sh(mod, "go mod tidy"); !ok {
		t.Fatalf("go mod tidy:\n%s", out)
	}
	reproduce := regexp.MustCompile(`reproduce with: (go test .*)`)
	view := regexp.MustCompile(`view it with: ((?:go run \S+|execspec) view (\S+))\)`)
	for _, tc := range []struct{ dir, pkg string }{{".", "./..."}, {"model", "."}} {
		if err := os.RemoveAll(filepath.Join(mod, "model", engine.DefaultDir)); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(mod, tc.dir)
		out, ok := sh(dir, "go test "+tc.pkg)
		rm, vm := reproduce.FindStringSubmatch(out), view.FindStringSubmatch(out)
		if ok || rm == nil || vm == nil {
			t.Fatalf("go test %s in %s: want a failure with reproduce and view commands:\n%s", tc.pkg, tc.dir, out)
		}
		// The reproduce command replays the saved trace, which fails again.
		if out, ok := sh(dir, rm[1]); ok || !strings.Contains(out, "invariant violated: below_2") || !strings.Contains(out, "from the saved trace "+vm[2]) {
			t.Errorf("in %s, the printed `%s` did not fail with the saved finding:\n%s", tc.dir, rm[1], out)
		}
		if out, ok := sh(dir, vm[1]+" -o page.html"); !ok {
			t.Errorf("in %s, the printed `%s` failed:\n%s", tc.dir, vm[1], out)
		} else if _, err := os.Stat(filepath.Join(dir, "page.html")); err != nil {
			t.Errorf("in %s, `%s` wrote no page: %v", tc.dir, vm[1], err)
		}
	}
}
