package execspec_test

import (
	"bytes"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

type vote struct {
	Bal    int
	Voters execspec.Set[string]
	Extra  map[string]int
}

func TestVSetOfSets(t *testing.T) {
	q := execspec.VSetOf(
		execspec.SetOf("a1", "a2"), execspec.SetOf("a1", "a3"),
		execspec.SetOf("a2", "a3"), execspec.SetOf("a2", "a1"), // a duplicate
	)
	if q.Len() != 3 {
		t.Fatalf("quorums = %s, want 3 distinct", q)
	}
	if got := q.String(); got != `{{"a1", "a2"}, {"a1", "a3"}, {"a2", "a3"}}` {
		t.Fatalf("String = %s", got)
	}
	if !q.Has(execspec.SetOf("a3", "a1")) || q.Has(execspec.SetOf("a1")) {
		t.Fatal("Has does not compare sets by value")
	}
	// Every two quorums intersect: the Paxos quorum assumption.
	for _, q1 := range q.Elems() {
		for _, q2 := range q.Elems() {
			if q1.Disjoint(q2) {
				t.Fatalf("%s and %s are disjoint", q1, q2)
			}
		}
	}
}

func TestVSetAlgebra(t *testing.T) {
	s := func(xs ...int) execspec.VSet[int] { return execspec.VSetOf(xs...) }
	a, b := s(1, 2, 3), s(3, 4)
	cases := []struct {
		name string
		got  execspec.VSet[int]
		want execspec.VSet[int]
	}{
		{"with", a.With(4, 1), s(1, 2, 3, 4)},
		{"with on zero", execspec.VSet[int]{}.With(7), s(7)},
		{"with nothing", a.With(), a},
		{"without", a.Without(2, 9), s(1, 3)},
		{"union", a.Union(b), s(1, 2, 3, 4)},
		{"intersect", a.Intersect(b), s(3)},
		{"diff", a.Diff(b), s(1, 2)},
		{"filter", a.Filter(func(x int) bool { return x != 2 }), s(1, 3)},
		{"map", execspec.MapVSet(a, func(x int) int { return x % 2 }), s(0, 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.got.Equal(tc.want) {
				t.Fatalf("got %s, want %s", tc.got, tc.want)
			}
		})
	}
	preds := []struct {
		name      string
		got, want bool
	}{
		{"subset", s(1, 3).IsSubsetOf(a), true},
		{"not subset", s(1, 4).IsSubsetOf(a), false},
		{"superset", a.IsSupersetOf(s(2)), true},
		{"disjoint", a.Disjoint(s(7)), true},
		{"not disjoint", a.Disjoint(b), false},
		{"exists", a.Exists(func(x int) bool { return x == 3 }), true},
		{"for all", a.ForAll(func(x int) bool { return x < 3 }), false},
		{"empty", execspec.VSet[int]{}.IsEmpty(), true},
		{"unequal lengths", a.Equal(b), false},
	}
	for _, tc := range preds {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	if !a.Equal(s(3, 2, 1)) || !b.Equal(s(4, 3)) {
		t.Fatal("an operation changed its receiver or argument")
	}
}

func TestVSetIsAValue(t *testing.T) {
	v := vote{Bal: 1, Voters: execspec.SetOf("a1"), Extra: map[string]int{"k": 1}}
	s := execspec.VSetOf(v)
	v.Voters.Add("a2") // changing the inserted value
	v.Extra["k"] = 2
	got := s.Elems()[0]
	got.Voters.Add("a3") // changing what Elems returned
	got.Extra["k"] = 3
	if e := s.Elems()[0]; e.Voters.Len() != 1 || e.Extra["k"] != 1 {
		t.Fatalf("the set's element changed: %+v", e)
	}
}

type vsetState struct {
	Votes  execspec.VSet[vote]
	Quorum execspec.VSet[execspec.Set[string]]
	Plain  execspec.Set[int]
	Same   execspec.VSet[int]
	Events execspec.VSet[vEvent]
}

func TestVSetInState(t *testing.T) {
	mc := compileWith(t, func(s *vsetState) {})
	s := vsetState{
		Votes:  execspec.VSetOf(vote{Bal: 2, Voters: execspec.SetOf("a2")}, vote{Bal: 1, Voters: execspec.SetOf("a1", "a2"), Extra: map[string]int{"x": 1}}),
		Quorum: execspec.VSetOf(execspec.SetOf("a1", "a2")),
		Plain:  execspec.SetOf(300, 2, 1),
		Same:   execspec.VSetOf(1, 300, 2),
		Events: execspec.VSetOf[vEvent](Gossip{Seen: map[string]int{"a": 1}}, Ping{}),
	}
	enc := mc.AppendEncoding(nil, &s)
	// A Set and a VSet of the same elements encode alike.
	type withSet struct{ X execspec.Set[int] }
	type withVSet struct{ X execspec.VSet[int] }
	a := compileWith(t, func(*withSet) {}).AppendEncoding(nil, &withSet{execspec.SetOf(300, 2, -1)})
	b := compileWith(t, func(*withVSet) {}).AppendEncoding(nil, &withVSet{execspec.VSetOf(2, -1, 300)})
	if !bytes.Equal(a, b) {
		t.Fatalf("Set encodes as %x, VSet as %x", a, b)
	}
	cp := mc.Clone(&s)
	cp.Votes = cp.Votes.With(vote{Bal: 3})
	if !bytes.Equal(mc.AppendEncoding(nil, &s), enc) {
		t.Fatal("changing the copy changed the original")
	}
	vals, err := mc.ToITF(&s)
	if err != nil {
		t.Fatal(err)
	}
	if got := vals["Events"].String(); got != `{Gossip{Seen: Map("a" -> 1)}, Ping}` {
		t.Fatalf("Events = %s", got)
	}
	back, err := mc.FromITF(vals)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mc.AppendEncoding(nil, &back), enc) {
		t.Fatalf("ITF round trip changed the state:\n%v", vals)
	}
}

func TestVSetPicks(t *testing.T) {
	type st struct {
		Q execspec.VSet[execspec.Set[string]]
	}
	quorums := execspec.VSetOf(execspec.SetOf("a1", "a2"), execspec.SetOf("a2", "a3"), execspec.SetOf("a1", "a3"))
	cases := []struct {
		name string
		act  func(c *execspec.Ctx[st])
		want int
	}{
		{"one quorum", func(c *execspec.Ctx[st]) {
			c.S.Q = execspec.VSetOf(execspec.OneOfVSet(c, "q", quorums))
		}, 3},
		{"subset of quorums", func(c *execspec.Ctx[st]) {
			c.S.Q = execspec.SubsetOfVSet(c, "qs", quorums)
		}, 8},
		{"empty set drops", func(c *execspec.Ctx[st]) {
			execspec.OneOfVSet(c, "q", execspec.VSet[execspec.Set[string]]{})
		}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := execspec.NewModel[st]("picks")
			m.Init(func(c *execspec.Ctx[st]) {})
			m.Action("act", tc.act)
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			ex := mc.NewExecutor()
			var from, to st
			n := 0
			ex.Enumerate(0, &from, &to, func(r machine.Result) bool { n++; return true })
			if n != tc.want {
				t.Fatalf("branches = %d, want %d", n, tc.want)
			}
		})
	}
}
