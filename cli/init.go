package cli

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/execspec/execspec/internal/atomicfile"
)

// scaffold holds what `execspec init` writes: the generic template (a
// model, go tests that check and simulate it, a model-based test against
// a stand-in implementation, and a README with a CI snippet, as text
// templates) and the template packages of the other kinds (see
// initTemplates), with the README they share.
//
//go:embed scaffold/*.tmpl scaffold/*/*.go
var scaffold embed.FS

const initUsage = `Usage: execspec init [DIR] [flags]

Writes a new model package into DIR (default: the current directory) and
prints the commands to run next. --template chooses what the model is of;
--list says what each template covers. The generic template (the default)
is a lock service: a model, go tests that check and simulate it, a
model-based test of a stand-in implementation, and a README with a CI
snippet. The other templates hold a model of their kind with a planted
bug (instance small) and its fixed twin (small_fixed), the tests, and an
MBT driver for an in-process implementation.

DIR must not already hold Go files. Outside a Go module, init writes a
go.mod too. The module takes execspec from a local clone through a replace
directive, since the module is not published: the clone this execspec was
built from, or --execspec DIR. In an existing module that does not
require execspec, init adds the requirement and the replace directive
(with go mod edit).

Flags:
`

func cmdInit(args []string, env Env) int {
	fs := newFrontFlags("init", env)
	name := fs.String("name", "", "the package name (default: from DIR's name)")
	module := fs.String("module", "", "the module path of a new go.mod, outside a module (default: the package name)")
	kind := fs.String("template", "generic", "what the model is of: "+strings.Join(templateKinds(), ", "))
	list := fs.Bool("list", false, "say what each template covers, and write nothing")
	source := fs.String("execspec", "", "a clone of execspec for the module's replace directive (default: the clone this execspec was built from)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), initUsage)
		printFlags(fs.Output(), fs)
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if *list {
		writeTemplateList(env.Stdout)
		return ExitOK
	}
	if len(pos) > 1 {
		fmt.Fprintf(env.Stderr, "execspec init: one directory at most, got %q\n", pos)
		return ExitUsage
	}
	t, err := findTemplate(*kind)
	if err != nil {
		fmt.Fprintf(env.Stderr, "execspec init: %v\n", err)
		return ExitUsage
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	res, err := initPackage(env, initRequest{dir: dir, name: *name, module: *module, template: t, source: *source})
	if err != nil {
		fmt.Fprintf(env.Stderr, "execspec init: %v\n", err)
		return ExitUsage
	}
	for _, f := range res.written {
		fmt.Fprintf(env.Stdout, "wrote %s\n", f)
	}
	if res.modEdit != "" {
		fmt.Fprintf(env.Stdout, "go.mod: %s\n", res.modEdit)
	}
	if !onPath(env, "execspec") {
		fmt.Fprintf(env.Stdout, "\nexecspec is not on your PATH: in the clone of execspec, run go install ./cmd/execspec\n(it installs into $(go env GOPATH)/bin, which PATH must hold).\n")
	}
	fmt.Fprintf(env.Stdout, "\nNext:\n")
	writeSteps(env, res.steps)
	return ExitOK
}

// initRequest is what init was asked for.
type initRequest struct {
	dir, name, module string
	template          initTemplate
	source            string // --execspec
}

// initResult is what init did, and what the user runs next.
type initResult struct {
	written []string // the files written
	modEdit string   // what init changed in an existing go.mod ("": nothing)
	steps   []step
}

// step is one command init prints as a next step, with a comment saying
// what it does (and its exit code when that is not 0).
type step struct{ cmd, why string }

// writeSteps prints the steps, their comments aligned.
func writeSteps(env Env, steps []step) {
	width := 0
	for _, s := range steps {
		width = max(width, len(s.cmd))
	}
	for _, s := range steps {
		fmt.Fprintf(env.Stdout, "  %-*s  # %s\n", width, s.cmd, s.why)
	}
}

// initPackage writes the scaffold into dir, all of it or nothing, and
// returns what it did.
func initPackage(env Env, req initRequest) (res initResult, err error) {
	dir := req.dir
	abs := dir
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(env.Dir, dir)
	}
	abs = filepath.Clean(abs)
	name := req.name
	if name == "" {
		name = goPackageName(filepath.Base(abs))
	}
	if !token.IsIdentifier(name) || name == "main" || token.IsKeyword(name) {
		return res, fmt.Errorf("%q is not a usable package name: pass --name", name)
	}
	created, err := mkdirAllNew(abs)
	if err != nil {
		return res, err
	}
	// All or nothing: every file is rendered and checked first, then
	// written; a failure part way (a full disk) removes what was written.
	defer func() {
		if err != nil {
			for _, f := range res.written {
				os.Remove(f)
			}
			for i := len(created) - 1; i >= 0; i-- {
				os.Remove(created[i]) // only if empty
			}
			res = initResult{}
		}
	}()
	existing, err := filepath.Glob(filepath.Join(abs, "*.go"))
	if err != nil {
		return res, err
	}
	if len(existing) > 0 {
		return res, fmt.Errorf("%s already holds Go files (%s): init writes a new package into an empty directory", dir, filepath.Base(existing[0]))
	}
	type output struct {
		path string
		data []byte
	}
	var outputs []output
	findSrc := func() (execspecSource, error) { return findSource(req.source) }
	var edit goModEdit
	modDir, modPath, err := findModule(abs)
	newModule := errors.Is(err, fs.ErrNotExist)
	switch {
	case newModule:
		module := req.module
		if module == "" {
			module = name
		}
		src, err := findSrc()
		if err != nil {
			return res, err
		}
		outputs = append(outputs, output{filepath.Join(abs, "go.mod"), newGoMod(module, src)})
		modDir, modPath = abs, module
	case err != nil:
		return res, err
	default:
		if edit, err = planModuleEdit(env, modDir, modPath, findSrc); err != nil {
			return res, err
		}
	}
	rel, err := filepath.Rel(modDir, abs)
	if err != nil {
		return res, err
	}
	// Dir is the package as go test takes it from the module root, where
	// the README's commands run.
	data := scaffoldData{Package: name, ImportPath: modPath, Dir: ".", T: req.template}
	if rel != "." {
		data.ImportPath = modPath + "/" + filepath.ToSlash(rel)
		data.Dir = goTestDir(filepath.ToSlash(rel))
	}
	files, err := renderTemplate(req.template, data)
	if err != nil {
		return res, err
	}
	imports, err := importNames(files, data.ImportPath)
	if err != nil {
		return res, err
	}
	if slices.Contains(imports, name) {
		return res, fmt.Errorf("package name %q would clash with the package %s the generated tests import: pass --name", name, name)
	}
	names := make([]string, 0, len(files))
	for fn := range files {
		names = append(names, fn)
	}
	sort.Strings(names)
	for _, fn := range names {
		outputs = append(outputs, output{filepath.Join(abs, fn), files[fn]})
	}
	var inTheWay []string
	for _, o := range outputs {
		if _, err := os.Lstat(o.path); err == nil {
			inTheWay = append(inTheWay, filepath.Base(o.path))
		}
	}
	if len(inTheWay) > 0 {
		return res, fmt.Errorf("%s already holds %s, which init would write: nothing was written; move them, or init into another directory",
			dir, strings.Join(inTheWay, " and "))
	}
	for _, o := range outputs {
		if err := atomicfile.Create(o.path, o.data, 0o644); err != nil {
			return res, fmt.Errorf("%w (nothing is left of the new package)", err)
		}
		res.written = append(res.written, o.path)
	}
	if err := edit.apply(env, modDir); err != nil {
		return res, fmt.Errorf("%w (nothing is left of the new package)", err)
	}
	res.modEdit = edit.what
	res.steps = nextSteps(env, req.template, dir, abs, modDir, newModule, modPath == modulePath)
	return res, nil
}

// nextSteps are the commands that take the new package from init to a
// checked model and passing tests, in order, as the user runs them from
// where they ran init.
func nextSteps(env Env, t initTemplate, dir, abs, modDir string, newModule, inExecspec bool) []step {
	var steps []step
	pkg, all := goTestDir(dir), goTestDir(dir)
	if newModule {
		steps = append(steps, step{"cd " + shellQuote(dir), "the new module"})
		pkg, all = ".", "./..."
	} else if !within(env.Dir, modDir) {
		rel, err := filepath.Rel(modDir, abs)
		if err != nil {
			rel = abs
		}
		steps = append(steps, step{"cd " + shellQuote(modDir), "the module that holds the package"})
		pkg = goTestDir(rel)
		all = pkg
	}
	if !inExecspec {
		steps = append(steps, step{"go mod tidy", "adds execspec's dependencies to go.sum"})
	}
	pkgArg := shellQuote(pkg)
	if t.Bug == "" {
		steps = append(steps, step{"execspec check " + pkgArg + " --instance small", "every reachable state: no invariant is violated"})
	} else {
		steps = append(steps,
			step{"execspec check " + pkgArg, "finds the planted bug: " + t.Bugged + ", " + fmt.Sprint(t.Shortest) + " steps (exit 1)"},
			step{"execspec run " + pkgArg, "random simulation finds it too (exit 1)"},
			step{"execspec check " + pkgArg + " --instance small_fixed", "the fixed twin: invariants and temporal property hold"})
	}
	steps = append(steps,
		step{"go test " + shellQuote(all), "the checker, simulation and model-based tests"},
		step{"go test -run TestConformance -v " + pkgArg, "model-based testing of the stand-in implementation"})
	return steps
}

// onPath reports whether the PATH of env holds an executable named cmd.
func onPath(env Env, cmd string) bool {
	for _, d := range filepath.SplitList(env.Getenv("PATH")) {
		if fi, err := os.Stat(filepath.Join(d, cmd)); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return true
		}
	}
	return false
}

// within reports whether dir is root or inside it.
func within(dir, root string) bool {
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_./=:@+,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
