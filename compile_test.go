package execspec_test

import (
	"bytes"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

type inner struct {
	N    int
	Tags []string
}

type rich struct {
	B     bool
	I8    int8
	U16   uint16
	I     int
	S     string
	Arr   [3]int
	Sl    []inner
	M     map[string]inner
	MM    map[int]map[string]int
	Set   execspec.Set[string]
	Ptr   *inner
	Inner inner
}

func compileWith[S any](t testing.TB, init func(*S)) *machine.Machine[S] {
	t.Helper()
	m := execspec.NewModel[S]("t")
	m.Init(func(c *execspec.Ctx[S]) { init(c.S) })
	m.Action("noop", func(c *execspec.Ctx[S]) {})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return mc
}

func sample() rich {
	return rich{
		B: true, I8: -3, U16: 7, I: 42, S: "x", Arr: [3]int{1, 2, 3},
		Sl:    []inner{{1, []string{"a"}}, {2, nil}},
		M:     map[string]inner{"k": {5, []string{"b", "c"}}},
		MM:    map[int]map[string]int{1: {"a": 1}, 2: {"b": 2}},
		Set:   execspec.SetOf("p", "q"),
		Ptr:   &inner{9, []string{"z"}},
		Inner: inner{3, []string{"y"}},
	}
}

func TestCopyIsDeep(t *testing.T) {
	mc := compileWith(t, func(s *rich) {})
	orig := sample()
	ref := sample()
	cp := mc.Clone(&orig)
	// Mutate every reference the copy holds.
	cp.Sl[0].Tags[0] = "mutated"
	cp.Sl[1].N = 100
	cp.M["k"].Tags[0] = "mutated"
	cp.M["new"] = inner{}
	cp.MM[1]["a"] = 99
	cp.Set.Add("r")
	cp.Ptr.Tags[0] = "mutated"
	cp.Ptr.N = 0
	cp.Inner.Tags[0] = "mutated"
	cp.Arr[0] = 50
	a := mc.AppendEncoding(nil, &orig)
	b := mc.AppendEncoding(nil, &ref)
	if !bytes.Equal(a, b) {
		t.Fatalf("mutating the copy changed the original")
	}
	if c := mc.AppendEncoding(nil, cp); bytes.Equal(a, c) {
		t.Fatalf("the copy's mutations are not visible in its encoding")
	}
}

func TestEncodingIsCanonical(t *testing.T) {
	mc := compileWith(t, func(s *rich) {})
	x, y := sample(), sample()
	// Same contents, built in another insertion order.
	y.M = map[string]inner{}
	y.M["k"] = inner{5, []string{"b", "c"}}
	y.MM = map[int]map[string]int{}
	y.MM[2] = map[string]int{"b": 2}
	y.MM[1] = map[string]int{"a": 1}
	y.Set = execspec.SetOf("q", "p")
	for i := 0; i < 20; i++ {
		if !bytes.Equal(mc.AppendEncoding(nil, &x), mc.AppendEncoding(nil, &y)) {
			t.Fatal("equal states encode differently")
		}
	}
	distinct := []func(*rich){
		func(s *rich) { s.B = false },
		func(s *rich) { s.S = "y" },
		func(s *rich) { s.Sl = s.Sl[:1] },
		func(s *rich) { s.M["k2"] = inner{} },
		func(s *rich) { s.Set.Add("zz") },
		func(s *rich) { s.Ptr = nil },
		func(s *rich) { s.MM[1]["a"] = 2 },
		func(s *rich) { s.Sl = nil; s.Arr[2] = 0 },
	}
	base := mc.AppendEncoding(nil, &x)
	for i, f := range distinct {
		z := sample()
		f(&z)
		if bytes.Equal(base, mc.AppendEncoding(nil, &z)) {
			t.Errorf("change %d does not change the encoding", i)
		}
	}
}

type withFunc struct {
	Zone struct{ Handler func() }
}
type withChan struct{ C chan int }
type withIface struct{ V any }
type withFloat struct{ Weights map[string]float64 }
type withUnexported struct{ hidden int }
type node struct {
	Next *node
}
type withCycle struct{ Head *node }
type withPtrKey struct{ M map[*int]bool }

func TestUnsupportedTypesNameTheField(t *testing.T) {
	cases := []struct {
		name    string
		compile func() error
		path    string
		reason  string
	}{
		{"func", compileErr[withFunc], "withFunc.Zone.Handler", "functions"},
		{"chan", compileErr[withChan], "withChan.C", "channels"},
		{"interface", compileErr[withIface], "withIface.V", "interface"},
		{"float", compileErr[withFloat], "withFloat.Weights[value]", "floating-point"},
		{"unexported", compileErr[withUnexported], "withUnexported.hidden", "unexported"},
		{"pointer cycle", compileErr[withCycle], "withCycle.Head", "recursive"},
		{"pointer key", compileErr[withPtrKey], "withPtrKey.M[key]", "plain values"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.compile()
			if err == nil {
				t.Fatal("Compile accepted the type")
			}
			var te *execspec.TypeError
			if !errors.As(err, &te) {
				t.Fatalf("error %v is not a *TypeError", err)
			}
			if !strings.HasPrefix(te.Path, tc.path) || !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("error %q: want path %q and reason %q", err, tc.path, tc.reason)
			}
		})
	}
}

func compileErr[S any]() error {
	m := execspec.NewModel[S]("bad")
	m.Init(func(c *execspec.Ctx[S]) {})
	m.Action("a", func(c *execspec.Ctx[S]) {})
	_, err := machine.Compile(m)
	return err
}

func TestModelDefinitionErrors(t *testing.T) {
	type st struct{ N int }
	cases := []struct {
		name  string
		build func(m *execspec.Model[st])
		want  string
	}{
		{"no init", func(m *execspec.Model[st]) { m.Action("a", func(*execspec.Ctx[st]) {}) }, "no Init"},
		{"no actions", func(m *execspec.Model[st]) { m.Init(func(*execspec.Ctx[st]) {}) }, "no actions"},
		{"duplicate action", func(m *execspec.Model[st]) {
			m.Init(func(*execspec.Ctx[st]) {})
			m.Action("a", func(*execspec.Ctx[st]) {})
			m.Action("a", func(*execspec.Ctx[st]) {})
		}, `action "a" defined twice`},
		{"duplicate property", func(m *execspec.Model[st]) {
			m.Init(func(*execspec.Ctx[st]) {})
			m.Action("a", func(*execspec.Ctx[st]) {})
			m.Invariant("p", func(*st) bool { return true })
			m.Example("p", func(*st) bool { return true })
		}, `property "p" defined twice`},
		{"bad name", func(m *execspec.Model[st]) {
			m.Init(func(*execspec.Ctx[st]) {})
			m.Action("two words", func(*execspec.Ctx[st]) {})
		}, "must be non-empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := execspec.NewModel[st]("m")
			tc.build(m)
			_, err := machine.Compile(m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Compile error %v, want %q", err, tc.want)
			}
		})
	}
	var notStruct execspec.Model[int]
	if _, err := machine.Compile((&notStruct)); err == nil {
		t.Fatal("a non-struct state compiled")
	}
}

type manyProblems struct {
	OK      int
	Ratio   float64
	Handler func()
	Big     *big.Int
	Inner   struct {
		Ch     chan int
		hidden int
	}
	Weights map[*int]float32
}

func TestEveryTypeProblemIsReported(t *testing.T) {
	err := compileErr[manyProblems]()
	var all execspec.TypeErrors
	if !errors.As(err, &all) {
		t.Fatalf("error %v is not a TypeErrors", err)
	}
	want := []struct{ path, fix string }{
		{"manyProblems.Ratio", "integer in fixed units"},
		{"manyProblems.Handler", "outside the state"},
		{"manyProblems.Big", "execspec.BigInt"},
		{"manyProblems.Inner.Ch", "as a slice"},
		{"manyProblems.Inner.hidden", "export it"},
		{"manyProblems.Weights[key]", "plain values"},
		{"manyProblems.Weights[value]", "integer in fixed units"},
	}
	if len(all) != len(want) {
		t.Fatalf("%d problems reported, want %d:\n%v", len(all), len(want), err)
	}
	for i, w := range want {
		if all[i].Path != w.path || !strings.Contains(all[i].Reason, w.fix) {
			t.Errorf("problem %d = %s: %s; want path %s with fix %q", i, all[i].Path, all[i].Reason, w.path, w.fix)
		}
	}
	var one *execspec.TypeError
	if !errors.As(err, &one) || one.Path != "manyProblems.Ratio" {
		t.Fatalf("errors.As(*TypeError) = %v, want the first problem", one)
	}
	if !strings.Contains(err.Error(), "7 problems") {
		t.Fatalf("message %q does not count the problems", err)
	}
}

// Model mistakes and state type problems come back together.
func TestCompileReportsModelAndTypeErrorsTogether(t *testing.T) {
	m := execspec.NewModel[manyProblems]("m")
	m.Action("a", func(*execspec.Ctx[manyProblems]) {})
	m.Action("a", func(*execspec.Ctx[manyProblems]) {})
	_, err := machine.Compile(m)
	var all execspec.TypeErrors
	if err == nil || !errors.As(err, &all) || len(all) != 7 ||
		!strings.Contains(err.Error(), "no Init") || !strings.Contains(err.Error(), `action "a" defined twice`) {
		t.Fatalf("Compile = %v; want the model's two mistakes and the 7 type problems", err)
	}
}
