package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
)

// How a user's module gets execspec. The module is not published, so a
// `go get` cannot fetch it: init points the module at a local clone with
// a replace directive (by default the clone this execspec was built from,
// which the compiler recorded in the binary's file names), and requires
// it. Only an execspec installed from a released version
// (go install github.com/execspec/execspec/cmd/execspec@vX.Y.Z) is
// required by that version, for go mod tidy to fetch.

// modulePath is execspec's module path.
const modulePath = "github.com/execspec/execspec"

// unversioned is the version a go.mod requires of a module that a replace
// directive supplies (the go command's own convention).
const unversioned = "v0.0.0-00010101000000-000000000000"

// execspecSource is where a module takes execspec from: a local clone
// (Dir, through a replace directive) or a released Version.
type execspecSource struct {
	Dir     string
	Version string
}

// release matches a released version (not a pseudo-version of a commit,
// not a build of a modified tree).
var release = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$`)
var pseudo = regexp.MustCompile(`[0-9]{14}-[0-9a-f]{12}$`)

// findSource says where modules should take execspec from: dir when given
// (--execspec), else the clone this binary was built from, else its
// released version. It fails when it cannot tell.
func findSource(dir string) (execspecSource, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return execspecSource{}, err
		}
		if err := isClone(abs); err != nil {
			return execspecSource{}, fmt.Errorf("--execspec %s: %w", dir, err)
		}
		return execspecSource{Dir: abs}, nil
	}
	// This file's name as the compiler saw it: <clone>/cli/init_module.go,
	// or <module cache>/github.com/execspec/execspec@vX.Y.Z/cli/...
	_, file, _, ok := runtime.Caller(0)
	if ok && filepath.IsAbs(file) {
		root := filepath.Dir(filepath.Dir(file))
		if _, v, found := strings.Cut(filepath.Base(root), "@"); found && release.MatchString(v) {
			return execspecSource{Version: v}, nil
		}
		if isClone(root) == nil {
			return execspecSource{Dir: root}, nil
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == modulePath {
		if v := bi.Main.Version; release.MatchString(v) && !pseudo.MatchString(v) {
			return execspecSource{Version: v}, nil
		}
	}
	return execspecSource{}, errors.New("cannot tell where this execspec's source is (it was built with -trimpath, or its clone moved): pass --execspec DIR, a clone of " + modulePath)
}

// isClone reports, as an error, why dir is not a checkout of execspec.
func isClone(dir string) error {
	_, mod, err := findModule(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s is not in a Go module, so not a clone of %s", dir, modulePath)
	case err != nil:
		return err
	case mod != modulePath:
		return fmt.Errorf("%s is in module %s, not a clone of %s", dir, mod, modulePath)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return fmt.Errorf("%s is inside a clone of %s, not its root", dir, modulePath)
	}
	return nil
}

// newGoMod is the go.mod of a new module that takes execspec from src.
func newGoMod(module string, src execspecSource) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo 1.25\n\n", module)
	if src.Dir == "" {
		fmt.Fprintf(&b, "require %s %s\n", modulePath, src.Version)
		return []byte(b.String())
	}
	fmt.Fprintf(&b, "require %s %s\n\n", modulePath, unversioned)
	fmt.Fprintf(&b, "// execspec is not published: it comes from a local clone.\nreplace %s => %s\n", modulePath, src.Dir)
	return []byte(b.String())
}

// goModEdit is what an existing module's go.mod needs for execspec: the
// arguments of `go mod edit`, none when it needs nothing.
type goModEdit struct {
	args []string
	what string // said to the user
}

// planModuleEdit reads the go.mod in modDir and says what it lacks to
// build execspec models: a requirement of execspec, and (when src is a
// clone and the module has none) a replace directive. findSrc is called
// only when a source is needed.
func planModuleEdit(env Env, modDir, modPath string, findSrc func() (execspecSource, error)) (goModEdit, error) {
	if modPath == modulePath {
		return goModEdit{}, nil // a model inside execspec's own module
	}
	var mod struct {
		Require []struct{ Path, Version string }
		Replace []struct {
			Old struct{ Path, Version string }
		}
	}
	cmd := exec.Command(goTool(), "mod", "edit", "-json")
	cmd.Dir, cmd.Env = modDir, env.Environ
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%s", strings.TrimSpace(string(ee.Stderr)))
		}
		return goModEdit{}, fmt.Errorf("reading %s: %w", filepath.Join(modDir, "go.mod"), err)
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return goModEdit{}, fmt.Errorf("reading %s: %w", filepath.Join(modDir, "go.mod"), err)
	}
	for _, r := range mod.Require {
		if r.Path == modulePath {
			return goModEdit{}, nil // the user has set it up
		}
	}
	for _, r := range mod.Replace {
		if r.Old.Path == modulePath {
			// Replaced but not required: the go command refuses that.
			v := r.Old.Version
			if v == "" {
				v = unversioned
			}
			return goModEdit{args: []string{"-require=" + modulePath + "@" + v}, what: "requires " + modulePath + " (its replace directive was there)"}, nil
		}
	}
	src, err := findSrc()
	if err != nil {
		return goModEdit{}, err
	}
	if src.Dir == "" {
		return goModEdit{args: []string{"-require=" + modulePath + "@" + src.Version}, what: "requires " + modulePath + " " + src.Version}, nil
	}
	return goModEdit{
		args: []string{"-require=" + modulePath + "@" + unversioned, "-replace=" + modulePath + "=" + src.Dir},
		what: "requires " + modulePath + ", replaced by the local clone " + src.Dir,
	}, nil
}

// apply edits the go.mod in modDir with the go command.
func (e goModEdit) apply(env Env, modDir string) error {
	if len(e.args) == 0 {
		return nil
	}
	cmd := exec.Command(goTool(), append([]string{"mod", "edit"}, e.args...)...)
	cmd.Dir, cmd.Env = modDir, env.Environ
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("editing %s: %v: %s", filepath.Join(modDir, "go.mod"), err, strings.TrimSpace(string(out)))
	}
	return nil
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
