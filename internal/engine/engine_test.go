package engine_test

import (
	"math"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
)

func TestParseSeed(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   uint64
		random bool
		err    bool
	}{
		{"0", 0, false, false},
		{"18446744073709551615", math.MaxUint64, false, false},
		{"random", 0, true, false},
		{"0x10", 0, false, true},
		{"-1", 0, false, true},
		{"", 0, false, true},
	} {
		got, random, err := engine.ParseSeed(tc.in)
		switch {
		case tc.err && err == nil:
			t.Errorf("ParseSeed(%q) accepted", tc.in)
		case !tc.err && err != nil:
			t.Errorf("ParseSeed(%q): %v", tc.in, err)
		case random != tc.random || (!tc.random && got != tc.want):
			t.Errorf("ParseSeed(%q) = %d, %v", tc.in, got, random)
		}
	}
}

func TestParseName(t *testing.T) {
	type st string
	valid := []st{"a", "b"}
	if got, err := engine.ParseName("mode", "b", valid); err != nil || got != "b" {
		t.Errorf("ParseName(b) = %q, %v", got, err)
	}
	if _, err := engine.ParseName("mode", "c", valid); err == nil || err.Error() != `unknown mode "c"; valid: a, b` {
		t.Errorf("ParseName(c): %v", err)
	}
}

func TestTestCommandAndDir(t *testing.T) {
	// The package by its import path: the command runs from any directory
	// of the module.
	if got := engine.TestCommand("TestX/it's", "-execspec.seed=3"); got != goTestRun()+`'^TestX$/^it'\''s$' github.com/execspec/execspec/internal/engine -execspec.seed=3` {
		t.Errorf("TestCommand: %s", got)
	}
	if got := engine.ViewCommand("/home/a b/it's.itf.json"); got != `go run github.com/execspec/execspec/cmd/execspec view '/home/a b/it'\''s.itf.json'` {
		t.Errorf("ViewCommand: %s", got)
	}
	if got := engine.ShellQuote("/tmp/x_1.itf.json"); got != "/tmp/x_1.itf.json" {
		t.Errorf("ShellQuote of a plain path: %s", got)
	}
	if got := engine.TestDir("root", "TestX/a:b/.."); got != "root/TestX/a_b/_.." {
		t.Errorf("TestDir: %s", got)
	}
}

func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		k       findings.Kind
		failure bool
		status  string
	}{
		{findings.InvariantViolated, true, "violation"},
		{findings.ExampleFound, false, "example"},
		{findings.Deadlocked, true, "deadlock"},
		{findings.Panicked, true, "error"},
		{findings.Nondeterministic, true, "error"},
	} {
		if tc.k.Failure() != tc.failure || findings.Status(tc.k) != tc.status || strings.HasPrefix(tc.k.String(), "Kind(") {
			t.Errorf("%v: failure %v status %s", tc.k, tc.k.Failure(), findings.Status(tc.k))
		}
	}
	if findings.Kind(99).String() != "Kind(99)" || findings.Stop(99).String() != "unknown" {
		t.Error("unknown kinds and stops must say so")
	}
}

func TestSwarmChoice(t *testing.T) {
	for sample := uint64(0); sample < 200; sample++ {
		c := engine.SwarmChoice(3, 7, sample)
		on := 0
		for i := range c.Off {
			if !c.Off[i] {
				on++
			}
			if c.Weights[i] < 1 || c.Weights[i] > 8 {
				t.Fatalf("weight %v out of 1..8", c.Weights[i])
			}
		}
		if on == 0 {
			t.Fatalf("sample %d switches every action off", sample)
		}
		again := engine.SwarmChoice(3, 7, sample)
		if again.Describe([]string{"a", "b", "c"}, nil) != c.Describe([]string{"a", "b", "c"}, nil) {
			t.Fatal("SwarmChoice is not a function of (seed, sample)")
		}
	}
	// Describe says what held back means, and draws with the weights the
	// walk uses: the model's times the choice's.
	for _, tc := range []struct {
		c     engine.Choice
		model []float64
		want  string
	}{
		{engine.Choice{Off: []bool{true, false}, Weights: []float64{1, 3}}, nil,
			"sync held back (taken only at a step where no other action was enabled); the others drawn by weight: deploy 3"},
		{engine.Choice{Off: []bool{false, false, true}, Weights: []float64{2, 5, 1}}, []float64{1, 0.1, 1},
			"crash held back (taken only at a step where no other action was enabled); the others drawn by weight: sync 2, deploy 0.5 (Weight 0.1 × 5)"},
		{engine.Choice{Off: []bool{false, false, false}, Weights: []float64{2, 5, 1}}, []float64{1, 1, 0.25},
			"no action held back; drawn by weight: sync 2, deploy 5, crash 0.25 (Weight 0.25 × 1)"},
	} {
		if d := tc.c.Describe([]string{"sync", "deploy", "crash"}[:len(tc.c.Off)], tc.model); d != tc.want {
			t.Errorf("Describe:\n got %s\nwant %s", d, tc.want)
		}
	}
	if (engine.Choice{}).Describe(nil, nil) != "uniform" {
		t.Error("the zero Choice is uniform")
	}
}

// pair is a model with two always-enabled actions.
type pair struct{ A, B int }

func pairModel(weightB float64) *machine.Machine[pair] {
	m := execspec.NewModel[pair]("pair")
	m.Init(func(c *execspec.Ctx[pair]) {})
	m.Action("a", func(c *execspec.Ctx[pair]) { c.S.A++ })
	m.Action("b", func(c *execspec.Ctx[pair]) { c.S.B++ })
	if weightB != 1 {
		m.Weight("b", weightB)
	}
	mc, err := machine.Compile(m)
	if err != nil {
		panic(err)
	}
	return mc
}

// Each enabled action is taken in proportion to its weight; an action
// switched off is taken only when nothing else is enabled.
func TestWalkChoice(t *testing.T) {
	count := func(mc *machine.Machine[pair], c engine.Choice) (a, b int) {
		w := engine.NewWalk(mc, 0)
		w.SetChoice(c)
		rnd := rng.New(1, 0)
		w.Start(rnd)
		for i := 0; i < 20000; i++ {
			if act, _ := w.Step(rnd); act == 0 {
				a++
			} else {
				b++
			}
		}
		return a, b
	}
	if a, b := count(pairModel(1), engine.Choice{}); math.Abs(float64(a)/float64(b)-1) > 0.05 {
		t.Errorf("uniform: %d to %d", a, b)
	}
	if a, b := count(pairModel(0.25), engine.Choice{}); math.Abs(float64(b)/float64(a)-0.25) > 0.03 {
		t.Errorf("model weight 0.25: %d to %d", a, b)
	}
	if a, b := count(pairModel(1), engine.Choice{Weights: []float64{3, 1}}); math.Abs(float64(a)/float64(b)-3) > 0.2 {
		t.Errorf("choice weights 3:1: %d to %d", a, b)
	}
	if a, b := count(pairModel(1), engine.Choice{Off: []bool{false, true}}); b != 0 || a != 20000 {
		t.Errorf("b off: %d to %d", a, b)
	}
}

// SetState puts the walk at a copy of a state: the next step starts from
// it, and the caller's state is left alone.
func TestWalkSetState(t *testing.T) {
	w := engine.NewWalk(pairModel(1), 0)
	rnd := rng.New(1, 0)
	w.Start(rnd)
	s := pair{A: 10, B: 20}
	w.SetState(&s)
	act, _ := w.Step(rnd)
	want := pair{A: 11, B: 20}
	if act == 1 {
		want = pair{A: 10, B: 21}
	}
	if got := *w.State(); got != want || s != (pair{A: 10, B: 20}) {
		t.Errorf("after SetState and a step of action %d: %+v (the state set: %+v), want %+v", act, got, s, want)
	}
}

// The shrinker keeps a candidate only when try accepts it, never grows the
// plan, and finds the one step that matters.
func TestShrinker(t *testing.T) {
	p := engine.Plan{Init: []int{2}}
	for i := 0; i < 20; i++ {
		p.Steps = append(p.Steps, engine.PlanStep{Action: i % 4, Path: []int{i % 3}, Enabled: true})
	}
	// A plan fails when it holds a step of action 3, whatever its choices.
	try := func(c engine.Plan) (engine.Plan, bool) {
		for i, s := range c.Steps {
			if s.Action == 3 {
				return c.Cut(i + 1), true
			}
		}
		return engine.Plan{}, false
	}
	sh := engine.NewShrinker(p, try, 1000)
	got := sh.Shrink()
	if len(got.Steps) != 1 || got.Steps[0].Action != 3 || got.Steps[0].Path[0] != 0 || got.Init[0] != 0 {
		t.Fatalf("shrunk to %+v in %d runs", got, sh.Runs)
	}
	if len(p.Steps) != 20 {
		t.Fatal("Shrink changed the plan it was given")
	}
	// A budget of 0 tries nothing.
	if got := engine.NewShrinker(p, try, 0).Shrink(); len(got.Steps) != 20 {
		t.Fatalf("budget 0 shrank to %d steps", len(got.Steps))
	}
}

// goTestRun is how TestCommand's commands start in this build, up to the
// test pattern: "go test -run ", with the build's tags in tagged builds.
func goTestRun() string {
	return strings.SplitAfter(engine.TestCommand("TestX"), " -run ")[0]
}
