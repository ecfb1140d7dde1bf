package execspec_test

import (
	"slices"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

func TestSetAlgebra(t *testing.T) {
	a := execspec.SetOf(1, 2, 3)
	b := execspec.SetOf(3, 4)
	even := func(x int) bool { return x%2 == 0 }
	cases := []struct {
		name string
		got  execspec.Set[int]
		want []int
	}{
		{"with", a.With(4, 1), []int{1, 2, 3, 4}},
		{"with on the zero set", execspec.Set[int]{}.With(7), []int{7}},
		{"without", a.Without(2, 9), []int{1, 3}},
		{"intersect", a.Intersect(b), []int{3}},
		{"intersect is symmetric", b.Intersect(a), []int{3}},
		{"diff", a.Diff(b), []int{1, 2}},
		{"filter", a.Filter(even), []int{2}},
		{"map", execspec.MapSet(a, func(x int) int { return x / 2 }), []int{0, 1}},
		{"union all", execspec.UnionAll(a, b, execspec.SetOf(9)), []int{1, 2, 3, 4, 9}},
		{"union all of none", execspec.UnionAll[int](), nil},
		{"range", execspec.SetRange(-1, 1), []int{-1, 0, 1}},
		{"empty range", execspec.SetRange(1, 0), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.got.Elems()
			slices.Sort(got)
			if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	if !slices.Equal(a.Elems(), execspec.SetOf(1, 2, 3).Elems()) {
		t.Fatalf("an operation changed its receiver: %v", a)
	}
	if !slices.Equal(b.Elems(), execspec.SetOf(3, 4).Elems()) {
		t.Fatalf("an operation changed its argument: %v", b)
	}
}

func TestSetPredicates(t *testing.T) {
	a := execspec.SetOf(1, 2, 3)
	cases := []struct {
		name string
		got  bool
		want bool
	}{
		{"subset", execspec.SetOf(1, 3).IsSubsetOf(a), true},
		{"not subset", execspec.SetOf(1, 4).IsSubsetOf(a), false},
		{"larger is not a subset", a.With(4).IsSubsetOf(a), false},
		{"empty is a subset", execspec.Set[int]{}.IsSubsetOf(a), true},
		{"superset", a.IsSupersetOf(execspec.SetOf(2)), true},
		{"not superset", a.IsSupersetOf(execspec.SetOf(5)), false},
		{"disjoint", a.Disjoint(execspec.SetOf(4, 5)), true},
		{"not disjoint", a.Disjoint(execspec.SetOf(5, 3)), false},
		{"empty", execspec.Set[int]{}.IsEmpty(), true},
		{"not empty", a.IsEmpty(), false},
		{"exists", a.Exists(func(x int) bool { return x > 2 }), true},
		{"exists none", a.Exists(func(x int) bool { return x > 3 }), false},
		{"for all", a.ForAll(func(x int) bool { return x > 0 }), true},
		{"not for all", a.ForAll(func(x int) bool { return x > 1 }), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestSetMinMax(t *testing.T) {
	cases := []struct {
		name         string
		s            execspec.Set[int]
		min, max     int
		nonEmptyWant bool
	}{
		{"negatives", execspec.SetOf(3, -2, 7, 0), -2, 7, true},
		{"one", execspec.SetOf(5), 5, 5, true},
		{"empty", execspec.Set[int]{}, 0, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lo, ok1 := execspec.SetMin(tc.s)
			hi, ok2 := execspec.SetMax(tc.s)
			if lo != tc.min || hi != tc.max || ok1 != tc.nonEmptyWant || ok2 != tc.nonEmptyWant {
				t.Fatalf("min, max = %d %v, %d %v; want %d, %d, %v", lo, ok1, hi, ok2, tc.min, tc.max, tc.nonEmptyWant)
			}
		})
	}
}

// A map of sets updated with With, as a spec writes inbox[q] \cup {m}.
func TestWithOnAMapOfSets(t *testing.T) {
	type st struct{ Inbox map[string]execspec.Set[int] }
	mc := compileWith(t, func(s *st) {})
	s := st{Inbox: map[string]execspec.Set[int]{"q": execspec.SetOf(1)}}
	cp := mc.Clone(&s)
	cp.Inbox["q"] = cp.Inbox["q"].With(2)
	if s.Inbox["q"].Len() != 1 || cp.Inbox["q"].Len() != 2 {
		t.Fatalf("original %v, copy %v", s.Inbox["q"], cp.Inbox["q"])
	}
}

func TestSubsetOfSetEnumeratesThePowerSet(t *testing.T) {
	type st struct{ Q execspec.Set[string] }
	m := execspec.NewModel[st]("subsets")
	m.Init(func(c *execspec.Ctx[st]) {})
	m.Action("pick", func(c *execspec.Ctx[st]) {
		c.S.Q = execspec.SubsetOfSet(c, "q", execspec.SetOf("a", "b", "c"))
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ex := mc.NewExecutor()
	var from, to st
	seen := map[string]bool{}
	ex.Enumerate(0, &from, &to, func(r machine.Result) bool {
		seen[to.Q.String()] = true
		return true
	})
	if len(seen) != 8 || !seen["{}"] || !seen["{a, b, c}"] {
		t.Fatalf("subsets = %v, want the 8 subsets of {a, b, c}", seen)
	}
}
