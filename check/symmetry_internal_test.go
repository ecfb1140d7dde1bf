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
