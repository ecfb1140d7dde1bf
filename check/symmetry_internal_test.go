package check

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

// symState has two independent symmetry sets: procs 0..2 (keys, values
// and a slice) and two values a, b.
type symState struct {
	Owner map[int]int // proc -> proc
	Order []int       // procs
	Vals  [3]string   // per proc: "a", "b" or ""
}

func renameVal(v string, perm []int) string {
	switch v {
	case "a":
		return []string{"a", "b"}[perm[0]]
	case "b":
		return []string{"a", "b"}[perm[1]]
	}
	return v
}

// naiveCanonical is the definition: a fresh copy renamed by each
// combination of permutations, the smallest encoding.
func naiveCanonical(mc *machine.Machine[symState], plan *symmetryPlan[symState], s *symState) []byte {
	best := mc.AppendEncoding(nil, s)
	for _, p0 := range plan.perms[0] {
		for _, p1 := range plan.perms[1] {
			t := mc.Clone(s)
			plan.syms[0].Permute(t, p0)
			plan.syms[1].Permute(t, p1)
			if enc := mc.AppendEncoding(nil, t); bytes.Compare(enc, best) < 0 {
				best = enc
			}
		}
	}
	return best
}

// The chained renaming of appendCanonical finds the same representative
// as renaming a fresh copy per combination, over random states with two
// symmetry sets.
func TestCanonicalChainedEqualsNaive(t *testing.T) {
	m := execspec.NewModel[symState]("sym2")
	m.Init(func(c *execspec.Ctx[symState]) {})
	m.Action("noop", func(c *execspec.Ctx[symState]) {})
	m.Symmetry("procs", 3, func(s *symState, perm []int) {
		owner := make(map[int]int, len(s.Owner))
		for k, v := range s.Owner {
			owner[perm[k]] = perm[v]
		}
		s.Owner = owner
		for i, p := range s.Order {
			s.Order[i] = perm[p]
		}
		var vals [3]string
		for i, v := range s.Vals {
			vals[perm[i]] = v
		}
		s.Vals = vals
	})
	m.Symmetry("vals", 2, func(s *symState, perm []int) {
		for i := range s.Vals {
			s.Vals[i] = renameVal(s.Vals[i], perm)
		}
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := newSymmetryPlan(mc.Symmetries())
	if err != nil {
		t.Fatal(err)
	}
	c := plan.newCanonicalizer(mc)
	rng := rand.New(rand.NewPCG(3, 4))
	vals := []string{"", "a", "b"}
	distinct := map[string]bool{}
	for n := 0; n < 2000; n++ {
		s := symState{Owner: map[int]int{}}
		for k := 0; k < 3; k++ {
			if rng.IntN(2) == 0 {
				s.Owner[k] = rng.IntN(3)
			}
			s.Vals[k] = vals[rng.IntN(3)]
		}
		for k := rng.IntN(4); k > 0; k-- {
			s.Order = append(s.Order, rng.IntN(3))
		}
		c.id = mc.AppendEncoding(c.id[:0], &s)
		got, err := c.appendCanonical(nil, &s)
		if err != nil {
			t.Fatal(err)
		}
		if want := naiveCanonical(mc, plan, &s); !bytes.Equal(got, want) {
			t.Fatalf("state %+v: chained representative differs from the naive one", s)
		}
		distinct[string(got)] = true
	}
	if len(distinct) < 50 {
		t.Fatalf("only %d distinct representatives: the test states are too alike", len(distinct))
	}
}

// The memo answers for the state it was told about, for no other, and a
// later state in the same slot takes the slot.
func TestCanonMemo(t *testing.T) {
	var m canonMemo
	a, b := fingerprint{hi: 7, lo: 1}, fingerprint{hi: 7 + memoSlots, lo: 2} // one slot
	if _, ok := m.get(a); ok {
		t.Fatal("an empty memo answers")
	}
	m.put(a, fingerprint{hi: 100})
	if got, ok := m.get(a); !ok || got.hi != 100 {
		t.Fatalf("get(a) = %v, %v", got, ok)
	}
	if _, ok := m.get(b); ok {
		t.Fatal("a state that shares a's slot gets a's representative")
	}
	if _, ok := m.get(fingerprint{hi: 7, lo: 9}); ok {
		t.Fatal("a 128-bit fingerprint that differs in its low half gets a's representative")
	}
	m.put(b, fingerprint{hi: 200})
	if _, ok := m.get(a); ok {
		t.Fatal("a kept its slot")
	}
	if got, ok := m.get(b); !ok || got.hi != 200 {
		t.Fatalf("get(b) = %v, %v", got, ok)
	}
}

// Under symmetry, the search's collision estimate counts the states the
// memo was keyed by as well as those stored.
func TestCollisionCountsTheMemo(t *testing.T) {
	m := execspec.NewModel[symState]("memo")
	m.Init(func(c *execspec.Ctx[symState]) { c.S.Owner = map[int]int{} })
	m.Action("own", func(c *execspec.Ctx[symState]) {
		p := execspec.IntRange(c, "p", 0, 2)
		q := execspec.IntRange(c, "q", 0, 2)
		c.S.Owner[p] = q
	})
	m.Invariant("any", func(*symState) bool { return true })
	m.Symmetry("procs", 3, func(s *symState, perm []int) {
		o := make(map[int]int, len(s.Owner))
		for k, v := range s.Owner {
			o[perm[k]] = perm[v]
		}
		s.Owner = o
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, strategy := range Strategies() {
		res, err := Run(t.Context(), mc, Options{Strategy: strategy, Workers: 1, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if stored := collision(res.Stats.Distinct, false); !res.Complete || res.Collision <= stored {
			t.Errorf("%s: complete %v, collision %g, not above the stored states' %g", strategy, res.Complete, res.Collision, stored)
		}
	}
	// The estimate does not depend on how the workers shared the work.
	one, err := Run(t.Context(), mc, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	two, err := Run(t.Context(), mc, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if one.Collision != two.Collision {
		t.Errorf("collision %g with one worker, %g with two", one.Collision, two.Collision)
	}
}
