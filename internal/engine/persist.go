package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
)

// DefaultDir is where go test helpers save failing traces, relative to the
// test's package directory.
const DefaultDir = "testdata/execspec"

// Failing traces are ITF files under <dir>/<TestName>/<hash>.itf.json,
// where the hash is taken over the trace's states (not its "#meta"), so the
// same trace found twice gets the same name. The next go test replays them
// before searching anew, as go's fuzzing does with its corpus.

// TestDir is the directory of a test's saved traces under root: one path
// element per level of the test's name, characters unsafe in file names
// replaced.
func TestDir(root, name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		p = unsafeChars.ReplaceAllString(p, "_")
		if p == "" || p == "." || p == ".." {
			p = "_" + p
		}
		parts[i] = p
	}
	return filepath.Join(append([]string{root}, parts...)...)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._,+=#@-]`)

// SavedTraces lists the saved traces of dir in name order (none when dir
// does not exist).
func SavedTraces(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.itf.json"))
	sort.Strings(files)
	return files, err
}

// MaxSavedTraceBytes caps what a saved trace file may hold: its JSON, and
// (itf.DecodeOptions.MaxBytes) what its values hold decoded. A saved trace
// is input: a corrupt or planted one must be an error, not a test binary
// that allocates until it dies.
const MaxSavedTraceBytes = 256 << 20

// ReadSavedTraces reads the traces of a saved trace file (or one given to
// replay), refusing a file over MaxSavedTraceBytes before reading it and
// stopping decoding where its values would hold more.
func ReadSavedTraces(path string) ([]*itf.Trace, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("itf: %w", err)
	}
	if fi.Size() > MaxSavedTraceBytes {
		return nil, fmt.Errorf("itf: read %s: %d bytes, over the limit of %d (engine.MaxSavedTraceBytes)", path, fi.Size(), MaxSavedTraceBytes)
	}
	return itf.DecodeOptions{MaxBytes: MaxSavedTraceBytes}.ReadFile(path)
}

// SaveTrace writes it as dir/<hash>.itf.json and, where t provides one
// (Go 1.26's testing.T.ArtifactDir), into t's artifact directory too. It
// returns the file's path.
func SaveTrace(t testing.TB, dir string, it *itf.Trace) (string, error) {
	name, err := contentName(it)
	if err != nil {
		return "", err
	}
	if a, ok := t.(interface{ ArtifactDir() string }); ok {
		if err := itf.WriteFile(filepath.Join(a.ArtifactDir(), name), it); err != nil {
			t.Logf("execspec: artifact: %v", err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("saving the trace: %w", err)
	}
	file := filepath.Join(dir, name)
	if err := itf.WriteFile(file, it); err != nil {
		return "", fmt.Errorf("saving the trace: %w", err)
	}
	return file, nil
}

// contentName is the file name of a trace: a hash of its states.
func contentName(it *itf.Trace) (string, error) {
	bare := *it
	bare.Meta = nil
	var buf bytes.Buffer
	if err := bare.Encode(&buf); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:8]) + ".itf.json", nil
}

// What a test prints must work from wherever go test was run: the test
// binary runs in its package's directory, but go test may have been run
// from the module's root (go test ./...), from the package's directory or
// from anywhere between, and the binary cannot tell which. So a printed
// command names the package by its import path, which go test resolves
// from any directory of the module, and a printed file is absolute (see
// AbsPath).

// TestCommand is the go test command that runs the test named name (a
// t.Name(), subtests included) alone, in the package under test, with extra
// arguments appended. It runs as printed from any directory of the module,
// and with the build tags of the running binary: a finding in a build with
// tags (planted bugs, trace logs, yield points) may need them to show.
func TestCommand(name string, extra ...string) string {
	parts := strings.Split(name, "/")
	for i, s := range parts {
		parts[i] = "^" + regexp.QuoteMeta(s) + "$"
	}
	run := strings.ReplaceAll(strings.Join(parts, "/"), "'", `'\''`)
	cmd := "go test "
	if bi, ok := debug.ReadBuildInfo(); ok {
		if tags := buildTags(bi.Settings); tags != "" {
			cmd += "-tags " + ShellQuote(tags) + " "
		}
	}
	cmd += fmt.Sprintf("-run '%s' %s", run, ShellQuote(testPackage()))
	for _, e := range extra {
		cmd += " " + e
	}
	return cmd
}

// buildTags returns the build tags recorded in a binary's build settings,
// comma-separated as go build records them, or "" when it has none.
func buildTags(settings []debug.BuildSetting) string {
	for _, s := range settings {
		if s.Key == "-tags" {
			return s.Value
		}
	}
	return ""
}

// testPackage is the import path of the package under test: a test
// binary's main package is that path with ".test" appended. A binary that
// is not a package's test (or a test of files named on the command line)
// gets the working directory, absolute, which go test also takes.
func testPackage() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if p, ok := strings.CutSuffix(bi.Path, ".test"); ok && p != "" && p != "command-line-arguments" {
			return p
		}
	}
	if wd, err := os.Getwd(); err == nil {
		return wd
	}
	return "."
}

// AbsPath returns path made absolute against the working directory (under
// go test, the package's directory), so that a file a test names opens as
// printed from wherever go test was run. A path that cannot be made
// absolute is returned as it is.
func AbsPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// ViewCommand is the command that turns the trace file into a page, as a
// test prints it: go run works in any module that requires execspec,
// installed or not.
func ViewCommand(file string) string {
	return "go run github.com/execspec/execspec/cmd/execspec view " + ShellQuote(file)
}

// ShellQuote returns s as one word of a POSIX shell: as it is when it holds
// only characters the shell leaves alone, single-quoted otherwise.
func ShellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:@%+=,", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
