package mbt

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec/internal/engine"
)

func TestTestDir(t *testing.T) {
	for name, want := range map[string]string{
		"TestBank":                 "TestBank",
		"TestBank/off_by_one":      "TestBank/off_by_one",
		"TestX/a:b*c":              "TestX/a_b_c",
		"TestX/..":                 "TestX/_..",
		"TestX/#01":                "TestX/#01",
		"TestX/with_space_already": "TestX/with_space_already",
	} {
		if got := engine.TestDir("root", name); got != filepath.Join("root", filepath.FromSlash(want)) {
			t.Errorf("testDir(%q) = %q, want root/%s", name, got, want)
		}
	}
}

func TestResolveEnvironment(t *testing.T) {
	given := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["execspec.traces"] || given["execspec.seed"] {
		t.Skip("flags given on the command line take precedence")
	}
	t.Setenv("EXECSPEC_TRACES", "7")
	t.Setenv("EXECSPEC_SEED", "16")
	t.Setenv("EXECSPEC_STEPS", "")
	s, err := resolve(Options{Traces: 1000, Seed: 3})
	if err != nil || s.Traces != 7 || s.Seed != 16 || !s.seedGiven || s.Steps != defaultSteps {
		t.Errorf("resolve: %+v, %v", s, err)
	}
	t.Setenv("EXECSPEC_TRACES", "many")
	if _, err := resolve(Options{}); err == nil || !strings.Contains(err.Error(), `EXECSPEC_TRACES="many"`) {
		t.Errorf("bad environment value: %v", err)
	}
	t.Setenv("EXECSPEC_TRACES", "")
	t.Setenv("EXECSPEC_SEED", "")
	s, err = resolve(Options{})
	want := defaultTraces
	if testing.Short() {
		want /= engine.ShortDivisor
	}
	// Dir is absolute, so that the files a failure names open from
	// wherever go test was run.
	if err != nil || !s.seedGiven || s.Seed != 0 || s.Traces != want || s.Dir != engine.AbsPath(defaultDir) || !filepath.IsAbs(s.Dir) || s.DisabledRate != defaultDisabledRate {
		t.Errorf("defaults (seed 0, deterministic): %+v, %v", s, err)
	}
	if c, err := resolveConcurrent(ConcurrentOptions{Dir: "saved"}); err != nil || c.Dir != engine.AbsPath("saved") || !filepath.IsAbs(c.Dir) {
		t.Errorf("concurrent Dir: %q, %v; want it absolute", c.Dir, err)
	}
	t.Setenv("EXECSPEC_SEED", "random")
	if s, err := resolve(Options{Seed: 5}); err != nil || s.seedGiven {
		t.Errorf("EXECSPEC_SEED=random: %+v, %v; want a fresh seed, not marked as given", s, err)
	}
	t.Setenv("EXECSPEC_SEED", "0x10")
	if _, err := resolve(Options{}); err == nil || !strings.Contains(err.Error(), "EXECSPEC_SEED") {
		t.Errorf("a seed that is not decimal: %v", err)
	}
	t.Setenv("EXECSPEC_SEED", "")
	if s, _ := resolve(Options{DisabledRate: -1}); s.DisabledRate != 0 {
		t.Errorf("negative DisabledRate should turn refusal steps off, got %v", s.DisabledRate)
	}
}

func TestCommand(t *testing.T) {
	r := &runner[struct{}]{name: "TestBank/it's", set: settings{Options: Options{Seed: 9}}}
	got := r.command(plan{sample: 4}, false)
	goTestRun := strings.SplitAfter(engine.TestCommand("TestX"), " -run ")[0] // with this build's tags
	want := goTestRun + `'^TestBank$/^it'\''s$' github.com/execspec/execspec/mbt -execspec.seed=9 -execspec.traces=5`
	if got != want {
		t.Errorf("command:\n got %s\nwant %s", got, want)
	}
	if got := r.command(plan{sample: 4}, true); got != goTestRun+`'^TestBank$/^it'\''s$' github.com/execspec/execspec/mbt` {
		t.Errorf("command of a saved trace: %s", got)
	}
}
