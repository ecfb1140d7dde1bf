package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/execspec/execspec/internal/atomicfile"
	"github.com/execspec/execspec/internal/nativegen"
)

// How a model package becomes a program: execspec generates a tiny main
// package that imports the model package and calls RunModel with its Spec,
// places it (through `go build -overlay`, so nothing is written into the
// user's tree) in a directory of the model's own module, so that the module's
// go.mod resolves every import, and builds it into execspec's cache
// directory. The Go build cache makes rebuilds after a change to the model
// incremental; compile errors are the compiler's own, passed through.

// pkgInfo is what `go list` says of the model package.
type pkgInfo struct {
	Dir        string
	ImportPath string
	Name       string
	GoFiles    []string
	Module     *struct {
		Path string
		Dir  string
	}
	Error *struct {
		Err string
	}
}

// EnvPackage is the environment variable through which the front end tells
// the runner how the user named the model package (for replay commands).
const EnvPackage = "EXECSPEC_PACKAGE"

func runModelCommand(cmd, pkg string, args []string, env Env) int {
	bin, err := buildRunner(pkg, env)
	var ee *envError
	if errors.As(err, &ee) {
		fmt.Fprintf(env.Stderr, "execspec: %v\n(check the free space and permissions of $TMPDIR, where go build works, and of the cache directory)\n", err)
		return ExitNoResult
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "execspec: %v\n", err)
		return ExitUsage
	}
	return superviseRunner(bin, cmd, pkg, args, env)
}

const envTerminal = "EXECSPEC_STDERR_TERMINAL"

// buildRunner builds (or reuses) the runner program for pkg and returns its
// path.
func buildRunner(pkg string, env Env) (string, error) {
	info, err := listPackage(pkg, env)
	if err != nil {
		return "", err
	}
	if err := hasSpec(info); err != nil {
		return "", err
	}
	if info.Module == nil {
		return "", fmt.Errorf("package %s is not in a Go module; execspec builds models with the module's go.mod", pkg)
	}
	sum := sha256.Sum256([]byte(info.Module.Dir + "\x00" + info.ImportPath))
	key := hex.EncodeToString(sum[:8])
	cache, err := cacheDir(env)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "runners", key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("runner cache: %w", err)
	}
	src := filepath.Join(dir, "main.go")
	main := fmt.Sprintf(runnerTemplate, info.ImportPath)
	if err := writeIfChanged(src, []byte(main)); err != nil {
		return "", fmt.Errorf("runner cache: %w", err)
	}
	virtual := filepath.Join(info.Module.Dir, "execspec_runner_"+key, "main.go")
	nativeVirtual := filepath.Join(info.Dir, nativegen.FileName)
	replace := map[string]string{virtual: src}
	// The native code for the model's maps and slices; a failure to
	// generate it costs speed, not the run.
	nativeSrc, nativeErr := generateNative(info)
	if errors.Is(nativeErr, errForeignNative) {
		fmt.Fprintf(env.Stderr, "execspec: no native code for the maps and slices of %s (slower): %v\n", pkg, nativeErr)
	}
	if nativeErr == nil && nativeSrc != nil {
		nativeFile := filepath.Join(dir, "native.go")
		if err := writeIfChanged(nativeFile, nativeSrc); err != nil {
			return "", fmt.Errorf("runner cache: %w", err)
		}
		replace[nativeVirtual] = nativeFile
	}
	bin := filepath.Join(dir, "runner")
	// Several execspec commands may build the same runner at once (tests
	// in parallel, a user's two terminals): they take turns. Building in
	// place lets go build skip the link when the runner is up to date.
	unlock, err := lockFile(filepath.Join(dir, "lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	// A first build compiles the model and execspec and can take a while:
	// say so rather than sit silent.
	slow := time.AfterFunc(time.Second, func() {
		fmt.Fprintf(env.Stderr, "execspec: building the model runner for %s (the first build compiles the model and execspec; later ones are incremental)...\n", pkg)
	})
	defer slow.Stop()
	errOut, err := goBuildRunner(pkg, info, dir, replace, bin, virtual, env)
	if err == nil || replace[nativeVirtual] == "" {
		return bin, err
	}
	// Perhaps the generated file is at fault: without it, the model still
	// runs, only slower. If the model itself does not build, the errors
	// reported are those of the build without it.
	delete(replace, nativeVirtual)
	if _, err2 := goBuildRunner(pkg, info, dir, replace, bin, virtual, env); err2 != nil {
		return "", err2
	}
	fmt.Fprintf(env.Stderr, "execspec: the generated native code for the types of %s does not compile, so its maps and slices go through reflection (slower; please report this):\n%s\n", pkg, errOut)
	return bin, nil
}

// goBuildRunner builds the runner at bin with the overlay replace. It
// returns the compiler's errors twice: as an error saying that the model
// does not build, and as text.
func goBuildRunner(pkg string, info *pkgInfo, dir string, replace map[string]string, bin, virtual string, env Env) (string, error) {
	overlay, _ := json.Marshal(map[string]any{"Replace": replace})
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := writeIfChanged(overlayFile, overlay); err != nil {
		return "", fmt.Errorf("runner cache: %w", err)
	}
	var stderr bytes.Buffer
	build := exec.Command(goTool(), "build", "-overlay", overlayFile, "-o", bin, "./"+filepath.Base(filepath.Dir(virtual)))
	build.Dir = info.Module.Dir
	build.Env = env.Environ
	build.Stderr = &stderr
	setParentDeathSignal(build) // a killed execspec leaves no build behind
	if err := build.Run(); err != nil {
		out := strings.TrimRight(rewriteBuildErrors(stderr.String(), virtual), "\n")
		// The overlay's source, as the go command names it: absolute, or
		// relative to the module when that is shorter (a cache beside the
		// module's directory).
		src := filepath.Join(dir, "main.go")
		if rel, err := filepath.Rel(info.Module.Dir, src); err == nil {
			out = strings.ReplaceAll(out, rel, "<execspec runner>/main.go")
		}
		out = strings.ReplaceAll(out, src, "<execspec runner>/main.go")
		switch {
		case environmentFailure(out):
			return out, &envError{fmt.Errorf("could not build the model runner for %s, for a reason outside the model:\n%s", pkg, out)}
		case strings.Contains(out, "no required module provides package "+modulePath), strings.Contains(out, "module "+modulePath+" provides package") && strings.Contains(out, "is replaced but not required"):
			return out, fmt.Errorf("the module of %s does not require %s, which is not published: %s\n%s", pkg, modulePath, requireAdvice(), out)
		case strings.Contains(out, "<execspec runner>"):
			return out, fmt.Errorf("model package %s builds, but the runner execspec generates for it does not: it calls cli.RunSpec(os.Args[1:], model.Spec), so Spec must be func Spec() *execspec.Spec[S]:\n%s", pkg, out)
		}
		return out, fmt.Errorf("model package %s does not build:\n%s%s", pkg, out, buildHints(out))
	}
	return "", nil
}

// buildHints adds a line for the compiler errors a newcomer to execspec's
// state types meets first, naming what to use instead.
func buildHints(out string) string {
	var b strings.Builder
	if strings.Contains(out, "does not satisfy comparable") {
		b.WriteString("\nhint: execspec.Set[T] needs a comparable T (one a Go map could use as a key); a struct that holds a Set, a map or a slice is not comparable: for a set of such values use execspec.VSet[T], which compares its elements by value")
	}
	if strings.Contains(out, "invalid map key type") {
		b.WriteString("\nhint: a Go map's key must be comparable, and a Set, a map or a slice is not: key the map by something comparable (an ID, a string), or hold the pairs in an execspec.VSet")
	}
	return b.String()
}

// requireAdvice says how a module comes to require execspec: from a
// local clone, through a replace directive.
func requireAdvice() string {
	clone, which := "CLONE", "CLONE is a clone of execspec"
	if src, err := findSource(""); err == nil && src.Dir != "" {
		clone, which = src.Dir, "the clone this execspec was built from"
	}
	return fmt.Sprintf("in the module, run\n  go mod edit -require=%s@%s -replace=%s=%s\n  go mod tidy\n(%s; execspec init does this when it writes a package into a module)", modulePath, unversioned, modulePath, clone, which)
}

// envError is a failure of the machine, not of the model: a full disk, a
// missing or read-only temporary directory. The command ends with
// ExitNoResult.
type envError struct{ err error }

func (e *envError) Error() string { return e.err.Error() }
func (e *envError) Unwrap() error { return e.err }

// environmentFailure reports whether the go command's output says it
// could not write or create what it needed: its work directory (in
// $TMPDIR), the build cache, the runner.
func environmentFailure(out string) bool {
	for _, s := range []string{"no space left on device", "disk quota exceeded", "file too large", "read-only file system", "creating work dir", "GOCACHE is not defined"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

// generateNative is nativeSource (a variable so that a test can break it).
var generateNative = nativeSource

const runnerTemplate = `// Code generated by execspec; DO NOT EDIT.

package main

import (
	"os"

	"github.com/execspec/execspec/cli"
	model %q
)

func main() {
	os.Exit(cli.RunSpec(os.Args[1:], model.Spec))
}
`

func listPackage(pkg string, env Env) (*pkgInfo, error) {
	var stdout, stderr bytes.Buffer
	// A directory is listed from inside it, so that a model runs by any
	// path, from inside its module or from anywhere else.
	dir, arg := env.Dir, pkg
	if p := pkg; filepath.IsAbs(p) || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || p == "." || p == ".." {
		if !filepath.IsAbs(p) {
			p = filepath.Join(env.Dir, p)
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			dir, arg = p, "."
		} else if err != nil {
			return nil, fmt.Errorf("package %s: %w", pkg, err)
		}
	}
	c := exec.Command(goTool(), "list", "-e", "-json", arg)
	c.Dir = dir
	c.Env = env.Environ
	c.Stdout, c.Stderr = &stdout, &stderr
	setParentDeathSignal(c)
	if err := c.Run(); err != nil {
		err := fmt.Errorf("go list %s: %v\n%s", pkg, err, strings.TrimSpace(stderr.String()))
		if environmentFailure(stderr.String()) {
			return nil, &envError{fmt.Errorf("could not build the model runner, for a reason outside the model: %w", err)}
		}
		return nil, err
	}
	var info pkgInfo
	if err := json.Unmarshal(stdout.Bytes(), &info); err != nil {
		return nil, fmt.Errorf("go list %s: %w", pkg, err)
	}
	if info.Error != nil && len(info.GoFiles) == 0 {
		return nil, fmt.Errorf("package %s: %s", pkg, info.Error.Err)
	}
	return &info, nil
}

// hasSpec checks, without compiling, that the package declares a
// package-level Spec function with no parameters.
func hasSpec(info *pkgInfo) error {
	fset := token.NewFileSet()
	for _, f := range info.GoFiles {
		file, err := parser.ParseFile(fset, filepath.Join(info.Dir, f), nil, parser.SkipObjectResolution)
		if err != nil {
			// Let the compiler report syntax errors in its own words.
			return nil
		}
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if ok && fd.Recv == nil && fd.Name.Name == "Spec" {
				if fd.Type.Params.NumFields() != 0 {
					return fmt.Errorf("package %s: Spec must take no parameters: func Spec() *execspec.Spec[S]", info.ImportPath)
				}
				// The result is checked as far as syntax allows: a pointer
				// (a type alias of execspec.Spec[S] may hide the rest).
				if res := fd.Type.Results; res.NumFields() != 1 {
					return fmt.Errorf("package %s: Spec must return one result, the model: func Spec() *execspec.Spec[S]", info.ImportPath)
				} else if _, star := res.List[0].Type.(*ast.StarExpr); !star {
					return fmt.Errorf("package %s: Spec returns %s, not the model: func Spec() *execspec.Spec[S]", info.ImportPath, types.ExprString(res.List[0].Type))
				}
				return nil
			}
		}
	}
	if info.Name == "main" {
		return fmt.Errorf("package %s is a main package; put the model in an importable package that declares func Spec() *execspec.Spec[S]", info.ImportPath)
	}
	return fmt.Errorf("package %s has no execspec model: it must declare func Spec() *execspec.Spec[S] (see the README)", info.ImportPath)
}

// rewriteBuildErrors hides the generated runner's temporary name.
func rewriteBuildErrors(s, virtual string) string {
	return strings.ReplaceAll(s, filepath.Dir(virtual), "<execspec runner>")
}

// writeIfChanged writes data to path unless the file holds it already
// (its time then stays, and go build's cache keeps the runner).
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return atomicfile.Write(path, data, 0o644)
}

func cacheDir(env Env) (string, error) {
	if v := env.Getenv("EXECSPEC_CACHE"); v != "" {
		return v, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		// No $HOME or $XDG_CACHE_HOME (some CI and container setups):
		// the temporary directory still works, only less persistently.
		return filepath.Join(os.TempDir(), "execspec-cache"), nil
	}
	return filepath.Join(d, "execspec"), nil
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}
