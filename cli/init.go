package cli

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"unicode"
)

// scaffold holds the templates `execspec init` writes: a model, go tests
// that check and simulate it, a model-based test against a stand-in
// implementation, and a README with a CI snippet.
//
//go:embed scaffold/*.tmpl
var scaffold embed.FS

// scaffoldData fills the templates.
type scaffoldData struct {
	Package    string // the Go package name
	ImportPath string // the package's import path
	Dir        string // the package directory as go test takes it (./x)
}

const initUsage = `Usage: execspec init [DIR] [flags]

Writes a new model package into DIR (default: the current directory): a
model (state, two actions, an invariant, an example, a state constraint and
an instance), go tests that check and simulate it, a model-based test that
drives a stand-in implementation, and a README with a CI snippet. The result
passes "execspec check" and "go test" as generated. DIR must not already
hold Go files. Outside a Go module, a go.mod is written too (then run
"go get github.com/execspec/execspec").

Flags:
`

func cmdInit(args []string, env Env) int {
	fs := newFrontFlags("init", env)
	name := fs.String("name", "", "the package name (default: from DIR's name)")
	module := fs.String("module", "", "the module path of a new go.mod, outside a module (default: the package name)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), initUsage)
		printFlags(fs.Output(), fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(env.Stderr, "execspec init: one directory at most, got %q\n", fs.Args())
		return ExitUsage
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	written, newModule, err := initPackage(env, dir, *name, *module)
	if err != nil {
		fmt.Fprintf(env.Stderr, "execspec init: %v\n", err)
		return ExitUsage
	}
	for _, f := range written {
		fmt.Fprintf(env.Stdout, "wrote %s\n", f)
	}
	rel := goTestDir(dir)
	if newModule {
		fmt.Fprintf(env.Stdout, "\nNext (a new module):\n  cd %s\n  go get github.com/execspec/execspec\n  execspec check . --instance small\n  go test ./...\n", dir)
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "\nNext:\n  execspec check %s --instance small\n  go test %s\n", rel, rel)
	return ExitOK
}

// initPackage writes the scaffold into dir and returns the files written,
// and whether it wrote a go.mod.
func initPackage(env Env, dir, name, module string) (written []string, newModule bool, err error) {
	abs := dir
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(env.Dir, dir)
	}
	abs = filepath.Clean(abs)
	if name == "" {
		name = goPackageName(filepath.Base(abs))
	}
	if !token.IsIdentifier(name) || name == "main" || token.IsKeyword(name) {
		return nil, false, fmt.Errorf("%q is not a usable package name: pass --name", name)
	}
	created, err := mkdirAllNew(abs)
	if err != nil {
		return nil, false, err
	}
	// All or nothing: every file is rendered and checked first, then
	// written; a failure part way (a full disk) removes what was written.
	defer func() {
		if err != nil {
			for _, f := range written {
				os.Remove(f)
			}
			for i := len(created) - 1; i >= 0; i-- {
				os.Remove(created[i]) // only if empty
			}
			written, newModule = nil, false
		}
	}()
	existing, err := filepath.Glob(filepath.Join(abs, "*.go"))
	if err != nil {
		return nil, false, err
	}
	if len(existing) > 0 {
		return nil, false, fmt.Errorf("%s already holds Go files (%s): init writes a new package into an empty directory", dir, filepath.Base(existing[0]))
	}
	type output struct {
		path string
		data []byte
	}
	var outputs []output
	modDir, modPath, err := findModule(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if module == "" {
			module = name
		}
		outputs = append(outputs, output{filepath.Join(abs, "go.mod"), []byte(fmt.Sprintf("module %s\n\ngo 1.25\n", module))})
		modDir, modPath = abs, module
	case err != nil:
		return nil, false, err
	}
	rel, err := filepath.Rel(modDir, abs)
	if err != nil {
		return nil, false, err
	}
	data := scaffoldData{Package: name, ImportPath: modPath, Dir: goTestDir(dir)}
	if rel != "." {
		data.ImportPath = modPath + "/" + filepath.ToSlash(rel)
	}
	files := []struct{ tmpl, out string }{
		{"model.go.tmpl", "model.go"},
		{"model_test.go.tmpl", "model_test.go"},
		{"driver_test.go.tmpl", "driver_test.go"},
		{"README.md.tmpl", "README.md"},
	}
	for _, f := range files {
		t, err := template.ParseFS(scaffold, "scaffold/"+f.tmpl)
		if err != nil {
			return nil, false, err
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return nil, false, err
		}
		outputs = append(outputs, output{filepath.Join(abs, f.out), b.Bytes()})
	}
	var inTheWay []string
	for _, o := range outputs {
		if _, err := os.Lstat(o.path); err == nil {
			inTheWay = append(inTheWay, filepath.Base(o.path))
		}
	}
	if len(inTheWay) > 0 {
		return nil, false, fmt.Errorf("%s already holds %s, which init would write: nothing was written; move them, or init into another directory",
			dir, strings.Join(inTheWay, " and "))
	}
	for _, o := range outputs {
		if err := writeNew(o.path, o.data); err != nil {
			return written, false, fmt.Errorf("%w (nothing is left of the new package)", err)
		}
		written = append(written, o.path)
		if filepath.Base(o.path) == "go.mod" {
			newModule = true
		}
	}
	return written, newModule, nil
}

// mkdirAllNew is os.MkdirAll, returning the directories it created,
// outermost first.
func mkdirAllNew(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, j := 0, len(missing)-1; i < j; i, j = i+1, j-1 {
		missing[i], missing[j] = missing[j], missing[i]
	}
	return missing, nil
}

// writeNew writes a file that must not exist yet, completely or not at
// all: into a temporary file first, then linked into place.
func writeNew(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Link(tmp, path)
}

// findModule returns the directory and module path of the go.mod that
// governs dir, or an error wrapping fs.ErrNotExist when there is none.
func findModule(dir string) (string, string, error) {
	for d := dir; ; {
		f, err := os.Open(filepath.Join(d, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
					return d, strings.Trim(strings.TrimSpace(rest), `"`), nil
				}
			}
			return "", "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", fmt.Errorf("no go.mod above %s: %w", dir, fs.ErrNotExist)
		}
		d = parent
	}
}

// goPackageName turns a directory name into a Go package name.
func goPackageName(base string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" || unicode.IsDigit(rune(s[0])) {
		s = "model" + s
	}
	return s
}

// goTestDir is dir as a go package argument: ./dir for a relative path.
func goTestDir(dir string) string {
	if filepath.IsAbs(dir) || dir == "." || strings.HasPrefix(dir, "./") || strings.HasPrefix(dir, "../") {
		return filepath.ToSlash(dir)
	}
	return "./" + filepath.ToSlash(dir)
}
