package cli_test

import (
	"os"
	"path/filepath"
	"testing"
)

// The examples that carry the file `execspec native` writes (so that their
// go tests and benchmarks run natively) carry its current version.
func TestCommittedNativeFilesAreCurrent(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(rootDir, "examples", "*", "zz_execspec_native.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no committed native files (%v)", err)
	}
	for _, f := range files {
		rel, err := filepath.Rel(rootDir, filepath.Dir(f))
		if err != nil {
			t.Fatal(err)
		}
		pkg := "./" + filepath.ToSlash(rel)
		committed, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := execspec(t, nil, "native", pkg, "-o", "-")
		if r.code != 0 || r.stdout != string(committed) {
			t.Errorf("%s is stale: regenerate it with go generate %s (exit %d)\n%s", f, pkg, r.code, r.stderr)
		}
	}
}
