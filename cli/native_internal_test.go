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
