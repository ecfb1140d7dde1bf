package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// When the generated native code does not compile, the runner is built
// without it: the model runs (reflectively) and the user is told why.
func TestRunnerBuildsWithoutBrokenNativeCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a model runner")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	generateNative = func(info *pkgInfo) ([]byte, error) {
		return []byte("package " + info.Name + "\n\nfunc init() { notDeclaredAnywhere() }\n"), nil
	}
	defer func() { generateNative = nativeSource }()
	var stdout, stderr bytes.Buffer
	env := Env{
		Stdout: &stdout, Stderr: &stderr, Dir: filepath.Dir(wd),
		Environ: append(os.Environ(), "EXECSPEC_CACHE="+t.TempDir()),
	}
	code := Main([]string{"list", "./examples/tcommit"}, env)
	if code != ExitOK || !strings.Contains(stdout.String(), "instance ") {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	for _, want := range []string{
		"execspec: the generated native code for the types of ./examples/tcommit does not compile, so its maps and slices go through reflection",
		"undefined: notDeclaredAnywhere",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestEnvironmentFailure(t *testing.T) {
	for out, want := range map[string]bool{
		"compile: writing output: write $WORK/b001/_pkg_.a: file too large":   true,
		"go: creating work dir: stat /nonexistent: no such file or directory": true,
		"write /tmp/go-build1/x: no space left on device":                     true,
		"./m.go:3:14: undefined: execspec":                                    false,
		"":                                                                    false,
	} {
		if got := environmentFailure(out); got != want {
			t.Errorf("environmentFailure(%q) = %v, want %v", out, got, want)
		}
	}
}
