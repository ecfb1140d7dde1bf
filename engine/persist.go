package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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

// TestCommand is the go test command that runs the test named name (a
// t.Name(), subtests included) alone, in the current package, with extra
// arguments appended.
func TestCommand(name string, extra ...string) string {
	parts := strings.Split(name, "/")
	for i, s := range parts {
		parts[i] = "^" + regexp.QuoteMeta(s) + "$"
	}
	run := strings.ReplaceAll(strings.Join(parts, "/"), "'", `'\''`)
	cmd := fmt.Sprintf("go test -run '%s' %s", run, packageDir())
	for _, e := range extra {
		cmd += " " + e
	}
	return cmd
}

// packageDir returns the current directory relative to its module's root,
// as go test's package argument ("./mbt"), or "." when there is no go.mod.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil || rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}
