package cli

import (
	"context"
	"errors"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/cli/scaffold/controlplane"
	"github.com/execspec/execspec/cli/scaffold/election"
	"github.com/execspec/execspec/cli/scaffold/idempotency"
	"github.com/execspec/execspec/cli/scaffold/reconciler"
	"github.com/execspec/execspec/cli/scaffold/replication"
	"github.com/execspec/execspec/cli/scaffold/scheduler"
	"github.com/execspec/execspec/machine"
)

// plantedBug checks what init --list says of a template against its
// model: the two instances, and a shortest violation of the invariant
// named, of the length given. It returns what differs.
func plantedBug[S any](ctx context.Context, spec *execspec.Spec[S], tmpl initTemplate) error {
	if got := spec.Instances(); !slices.Equal(got, []string{"small", "small_fixed"}) {
		return fmt.Errorf("instances %v, want [small small_fixed]", got)
	}
	m, err := spec.Model("small")
	if err != nil {
		return err
	}
	mc, err := machine.Compile(m)
	if err != nil {
		return err
	}
	res, err := check.Run(ctx, mc, check.Options{NoTemporal: true, Workers: 1})
	if err != nil {
		return err
	}
	if len(res.Findings) != 1 {
		return fmt.Errorf("no violation in instance small (%s)", res.Stopped)
	}
	f := res.Findings[0]
	if n := f.Trace.Len() - 1; f.Property != tmpl.Bugged || n != tmpl.Shortest {
		return fmt.Errorf("the shortest violation breaks %s in %d steps; the table says %s in %d", f.Property, n, tmpl.Bugged, tmpl.Shortest)
	}
	return nil
}

// TestTemplateTable keeps init --list honest: what the table says of each
// template's planted bug is what its model does, and every kind but the
// generic one has its package.
func TestTemplateTable(t *testing.T) {
	t.Parallel()
	checks := map[string]func(context.Context, initTemplate) error{
		"control-plane": func(ctx context.Context, tm initTemplate) error {
			return plantedBug(ctx, controlplane.Spec(), tm)
		},
		"scheduler":   func(ctx context.Context, tm initTemplate) error { return plantedBug(ctx, scheduler.Spec(), tm) },
		"replication": func(ctx context.Context, tm initTemplate) error { return plantedBug(ctx, replication.Spec(), tm) },
		"protocol":    func(ctx context.Context, tm initTemplate) error { return plantedBug(ctx, election.Spec(), tm) },
		"reconciliation-loop": func(ctx context.Context, tm initTemplate) error {
			return plantedBug(ctx, reconciler.Spec(), tm)
		},
		"idempotent-retries": func(ctx context.Context, tm initTemplate) error {
			return plantedBug(ctx, idempotency.Spec(), tm)
		},
	}
	if initTemplates[0].Kind != "generic" || initTemplates[0].Dir != "" {
		t.Errorf("the default template is %q, want the generic one first", initTemplates[0].Kind)
	}
	for _, tm := range initTemplates[1:] {
		check := checks[tm.Kind]
		if check == nil {
			t.Errorf("template %s: no check of its table entry", tm.Kind)
			continue
		}
		if err := check(t.Context(), tm); err != nil {
			t.Errorf("template %s: %v", tm.Kind, err)
		}
		if _, err := fs.Stat(scaffold, "scaffold/"+tm.Dir+"/model.go"); err != nil {
			t.Errorf("template %s: %v", tm.Kind, err)
		}
	}
	if len(checks) != len(initTemplates)-1 {
		t.Errorf("%d checks for %d templates", len(checks), len(initTemplates)-1)
	}
	// The helper's failure path: a table entry that does not match.
	wrong := initTemplates[2]
	wrong.Shortest++
	if err := plantedBug(t.Context(), scheduler.Spec(), wrong); err == nil || !strings.Contains(err.Error(), "the table says committed_at_most_once in 8") {
		t.Errorf("a wrong table entry: %v", err)
	}
	if err := plantedBug(t.Context(), execspec.NewSpec[scheduler.State]("x").Instance("big", func() *execspec.Model[scheduler.State] { return scheduler.New(scheduler.Small(true)) }), wrong); err == nil || !strings.Contains(err.Error(), "want [small small_fixed]") {
		t.Errorf("wrong instances: %v", err)
	}
}

// TestRenderTemplates renders every template as a package of another name
// and path: Go files that parse, are gofmt-clean, declare the new package
// and import it by its new path, with nothing left of the template's.
func TestRenderTemplates(t *testing.T) {
	t.Parallel()
	for _, tm := range initTemplates {
		t.Run(tm.Kind, func(t *testing.T) {
			data := scaffoldData{Package: "pilot", ImportPath: "example.com/acme/pilot", Dir: "./pilot", T: tm}
			files, err := renderTemplate(tm, data)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for fn := range files {
				names = append(names, fn)
			}
			slices.Sort(names)
			if want := []string{"README.md", "driver_test.go", "model.go", "model_test.go"}; !slices.Equal(names, want) {
				t.Errorf("files %v, want %v", names, want)
			}
			for fn, src := range files {
				if strings.Contains(string(src), "cli/scaffold") || (tm.Dir != "" && tm.Dir != "pilot" && strings.Contains(string(src), tm.Dir+".")) {
					t.Errorf("%s: still refers to the template package:\n%s", fn, src)
				}
				if !strings.HasSuffix(fn, ".go") {
					continue
				}
				f, err := parser.ParseFile(token.NewFileSet(), fn, src, parser.ImportsOnly|parser.ParseComments)
				if err != nil {
					t.Errorf("%s: %v", fn, err)
					continue
				}
				if formatted, err := format.Source(src); err != nil || string(formatted) != string(src) {
					t.Errorf("%s is not gofmt-clean (%v)", fn, err)
				}
				wantPkg := "pilot"
				if strings.HasSuffix(fn, "_test.go") {
					wantPkg = "pilot_test"
					if !strings.Contains(string(src), "\t\"example.com/acme/pilot\"\n") {
						t.Errorf("%s does not import example.com/acme/pilot", fn)
					}
				}
				if f.Name.Name != wantPkg {
					t.Errorf("%s: package %s, want %s", fn, f.Name.Name, wantPkg)
				}
				if fn == "model.go" && f.Doc != nil && !strings.HasPrefix(f.Doc.Text(), "Package pilot ") {
					t.Errorf("model.go: doc comment %q", f.Doc.Text())
				}
			}
			readme := string(files["README.md"])
			if !strings.Contains(readme, "execspec check ./pilot") {
				t.Errorf("README.md does not say how to check ./pilot:\n%s", readme)
			}
			if tm.Bug != "" && (!strings.Contains(readme, tm.Bug) || !strings.Contains(readme, "--template "+tm.Kind)) {
				t.Errorf("README.md does not describe the template:\n%s", readme)
			}
		})
	}
}

// rewritePackage refuses what it cannot rewrite safely.
func TestRewritePackageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, src, want string }{
		{"another package", "package other\n", "package other, want sched or sched_test"},
		{"a named import", "package sched_test\n\nimport s \"github.com/execspec/execspec/cli/scaffold/sched\"\n\nvar _ = s.X\n", "imported under a name"},
		{"no Go", "package sched\nfunc (\n", "expected"},
	} {
		if _, err := rewritePackage("f.go", []byte(tc.src), "sched", "x", "example.com/x"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
	out, err := rewritePackage("f_test.go", []byte("package sched_test\n\nimport \"github.com/execspec/execspec/cli/scaffold/sched\"\n\nvar v = sched.New\n"), "sched", "longername", "example.com/m/longername")
	if err != nil || string(out) != "package longername_test\n\nimport \"example.com/m/longername\"\n\nvar v = longername.New\n" {
		t.Errorf("rewrite: %v\n%s", err, out)
	}
}

// The templates' imports name the packages a model package must not be
// called (its tests import them).
func TestImportNames(t *testing.T) {
	t.Parallel()
	files, err := renderTemplate(initTemplates[2], scaffoldData{Package: "p", ImportPath: "example.com/p", Dir: "."})
	if err != nil {
		t.Fatal(err)
	}
	names, err := importNames(files, "example.com/p")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"check", "execspec", "mbt", "simulate", "testing"} {
		if !slices.Contains(names, want) {
			t.Errorf("import names %v lack %s", names, want)
		}
	}
	if slices.Contains(names, "p") {
		t.Errorf("import names %v hold the package itself", names)
	}
	if _, err := importNames(map[string][]byte{"bad.go": []byte("package")}, "x"); err == nil {
		t.Error("a file that does not parse: no error")
	}
}

// findSource takes execspec from the clone it was built from, or from
// --execspec, which must be the root of a clone.
func TestFindSource(t *testing.T) {
	t.Parallel()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(wd)
	if src, err := findSource(""); err != nil || src.Dir != root {
		t.Errorf("findSource: %+v, %v; want the clone %s", src, err, root)
	}
	if src, err := findSource(root); err != nil || src.Dir != root {
		t.Errorf("--execspec %s: %+v, %v", root, src, err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, want string }{
		{filepath.Join(root, "cli"), "inside a clone of github.com/execspec/execspec, not its root"},
		{other, "is in module example.com/other, not a clone"},
		{"/", "is not in a Go module"},
	} {
		if _, err := findSource(tc.dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--execspec %s: %v, want %q", tc.dir, err, tc.want)
		}
	}
	if m := release.MatchString("v1.2.3") && !pseudo.MatchString("v1.2.3") && pseudo.MatchString("v0.0.0-20260101120000-abcdefabcdef") && !release.MatchString("v0.1.0+dirty"); !m {
		t.Error("release and pseudo-version patterns")
	}
}

// planModuleEdit adds to an existing go.mod only what it lacks.
func TestPlanModuleEdit(t *testing.T) {
	t.Parallel()
	env := Env{}.withDefaults()
	clone := func() (execspecSource, error) { return execspecSource{Dir: "/src/execspec"}, nil }
	released := func() (execspecSource, error) { return execspecSource{Version: "v1.2.0"}, nil }
	unknown := func() (execspecSource, error) { return execspecSource{}, errors.New("cannot tell") }
	for _, tc := range []struct {
		name, gomod string
		src         func() (execspecSource, error)
		want        string // the go mod edit arguments, or the error
	}{
		{"nothing", "module m\n\ngo 1.24\n", clone, "-require=github.com/execspec/execspec@v0.0.0-00010101000000-000000000000 -replace=github.com/execspec/execspec=/src/execspec"},
		{"a release", "module m\n\ngo 1.24\n", released, "-require=github.com/execspec/execspec@v1.2.0"},
		{"required", "module m\n\ngo 1.24\n\nrequire github.com/execspec/execspec v0.3.0\n", unknown, ""},
		{"replaced, not required", "module m\n\ngo 1.24\n\nreplace github.com/execspec/execspec => ../execspec\n", unknown, "-require=github.com/execspec/execspec@v0.0.0-00010101000000-000000000000"},
		{"replaced at a version", "module m\n\ngo 1.24\n\nreplace github.com/execspec/execspec v0.2.0 => ../execspec\n", unknown, "-require=github.com/execspec/execspec@v0.2.0"},
		{"no source", "module m\n\ngo 1.24\n", unknown, "error: cannot tell"},
		{"a broken go.mod", "module m\n\nfrobnicate\n", clone, "error: reading"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(tc.gomod), 0o644); err != nil {
			t.Fatal(err)
		}
		edit, err := planModuleEdit(env, dir, "m", tc.src)
		got := strings.Join(edit.args, " ")
		if err != nil {
			got = "error: " + err.Error()
		}
		if !strings.HasPrefix(got, tc.want) || (tc.want == "" && got != "") {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if edit, err := planModuleEdit(env, "/nonexistent", modulePath, unknown); err != nil || len(edit.args) != 0 {
		t.Errorf("execspec's own module: %+v, %v", edit, err)
	}
}

// The next steps start where the user is: in a new module, inside the
// module that holds the package, or outside it.
func TestNextSteps(t *testing.T) {
	t.Parallel()
	cmds := func(steps []step) string {
		var s []string
		for _, st := range steps {
			s = append(s, st.cmd)
		}
		return strings.Join(s, "; ")
	}
	sched := initTemplates[2]
	for _, tc := range []struct {
		name, cwd, dir, abs, modDir string
		tm                          initTemplate
		newModule, inExecspec       bool
		want                        string
	}{
		{"new module", "/home/u", "sched", "/home/u/sched", "/home/u/sched", sched, true, false,
			"cd sched; go mod tidy; execspec check .; execspec run .; execspec check . --instance small_fixed; go test ./...; go test -run TestConformance -v ."},
		{"in the module", "/m", "internal/x", "/m/internal/x", "/m", initTemplates[0], false, false,
			"go mod tidy; execspec check ./internal/x --instance small; go test ./internal/x; go test -run TestConformance -v ./internal/x"},
		{"outside the module", "/tmp", "/m/my dir/x", "/m/my dir/x", "/m/my dir", initTemplates[0], false, false,
			"cd '/m/my dir'; go mod tidy; execspec check ./x --instance small; go test ./x; go test -run TestConformance -v ./x"},
		{"in execspec's module", "/src/execspec", "examples/x", "/src/execspec/examples/x", "/src/execspec", initTemplates[0], false, true,
			"execspec check ./examples/x --instance small; go test ./examples/x; go test -run TestConformance -v ./examples/x"},
	} {
		got := cmds(nextSteps(Env{Dir: tc.cwd}, tc.tm, tc.dir, tc.abs, tc.modDir, tc.newModule, tc.inExecspec))
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	for in, want := range map[string]string{"./a/b": "./a/b", "my dir": "'my dir'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
