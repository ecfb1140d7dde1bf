package check

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/execspec/execspec/machine"
)

// Symmetry reduction: the model declares sets of interchangeable values
// (execspec.Model.Symmetry) with a function renaming them in a state. The
// checker fingerprints each state by its canonical representative, the
// smallest canonical encoding over every combination of permutations of
// every declared set, so all states of one orbit share a fingerprint and
// only the first one reached is explored.
//
// A permute function renames value i to perm[i] everywhere, so renaming by
// p and then by q renames by their composition (i to q[p[i]]). The
// combinations are therefore visited by chaining: one copy of the state,
// then per combination one rename of one set by the step from its previous
// permutation to its next (precomputed), and one encoding. The cost per
// state generated is one copy and, per permutation, one rename and one
// encoding: fine for the small sets models declare (3 deployers: 6
// permutations), and refused beyond maxPermutations in all.

// maxPermutations bounds the permutations tried per state.
const maxPermutations = 40320 // 8!

// symmetryPlan is the list of permutations to try, shared by the workers.
type symmetryPlan[S any] struct {
	syms  []machine.Symmetry[S]
	perms [][][]int // per set, every permutation of 0..N-1; the identity first
	// steps[i][k] renames a state renamed by perms[i][k-1] into one
	// renamed by perms[i][k]; steps[i][0] goes from the last permutation
	// back to the identity.
	steps [][][]int
	total int
}

// step returns the permutation q with q[from[i]] = to[i]: renaming by from
// and then by q renames by to.
func step(from, to []int) []int {
	q := make([]int, len(from))
	for i := range from {
		q[from[i]] = to[i]
	}
	return q
}

func newSymmetryPlan[S any](syms []machine.Symmetry[S]) (*symmetryPlan[S], error) {
	if len(syms) == 0 {
		return nil, nil
	}
	p := &symmetryPlan[S]{syms: syms, total: 1}
	for _, sy := range syms {
		ps := permutations(sy.N, maxPermutations/p.total+1)
		if p.total*len(ps) > maxPermutations {
			return nil, fmt.Errorf("symmetry: %d permutations of the declared sets exceed the %d the checker tries per state; declare fewer or smaller sets, or check without symmetry", p.total*len(ps), maxPermutations)
		}
		p.total *= len(ps)
		p.perms = append(p.perms, ps)
		steps := make([][]int, len(ps))
		for k := range ps {
			steps[k] = step(ps[(k+len(ps)-1)%len(ps)], ps[k])
		}
		p.steps = append(p.steps, steps)
	}
	return p, nil
}

// permutations returns the permutations of 0..n-1 in lexicographic order
// (the identity first), or more than limit of them when there are more.
func permutations(n, limit int) [][]int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	var out [][]int
	for {
		out = append(out, append([]int(nil), perm...))
		if len(out) > limit {
			return out
		}
		// Next permutation in lexicographic order.
		i := n - 2
		for i >= 0 && perm[i] >= perm[i+1] {
			i--
		}
		if i < 0 {
			return out
		}
		j := n - 1
		for perm[j] <= perm[i] {
			j--
		}
		perm[i], perm[j] = perm[j], perm[i]
		for a, b := i+1, n-1; a < b; a, b = a+1, b-1 {
			perm[a], perm[b] = perm[b], perm[a]
		}
	}
}

// canonicalizer is one worker's scratch space for canonical encodings.
type canonicalizer[S any] struct {
	plan      *symmetryPlan[S]
	mc        *machine.Machine[S]
	tmp       *S
	cur, best []byte
	id        []byte // the encoding of the last state canonicalised, as it is
	idx       []int
}

func (p *symmetryPlan[S]) newCanonicalizer(mc *machine.Machine[S]) *canonicalizer[S] {
	return &canonicalizer[S]{plan: p, mc: mc, tmp: new(S), idx: make([]int, len(p.perms))}
}

// appendCanonical appends the smallest encoding of s over every
// combination of permutations to dst; c.id must hold the encoding of s
// (the caller has it already, to look the state up in its memo). A panic
// in a permute function is returned as a *machine.PanicError.
func (c *canonicalizer[S]) appendCanonical(dst []byte, s *S) (out []byte, err error) {
	c.best = append(c.best[:0], c.id...) // the identity
	clear(c.idx)
	current := ""
	defer func() {
		if r := recover(); r != nil {
			err = &machine.PanicError{Where: "symmetry " + current, Value: r, Stack: string(debug.Stack())}
		}
	}()
	if c.plan.total > 1 {
		c.mc.Copy(c.tmp, s)
	}
	for c.next(&current) {
		c.cur = c.mc.AppendEncoding(c.cur[:0], c.tmp)
		if bytes.Compare(c.cur, c.best) < 0 {
			c.cur, c.best = c.best, c.cur
		}
	}
	return append(dst, c.best...), nil
}

// next advances idx to the next combination of permutations and renames
// c.tmp to match, reporting false after the last one (c.tmp is then the
// identity again, or part way there). It names the set being renamed in
// *current, for the report of a panic.
func (c *canonicalizer[S]) next(current *string) bool {
	for i := len(c.idx) - 1; i >= 0; i-- {
		if len(c.plan.perms[i]) == 1 {
			continue
		}
		c.idx[i]++
		if c.idx[i] == len(c.plan.perms[i]) {
			c.idx[i] = 0
		}
		sy := c.plan.syms[i]
		*current = sy.Name
		if c.idx[i] == 0 && i == 0 {
			return false // every combination done: no need to go back
		}
		sy.Permute(c.tmp, c.plan.steps[i][c.idx[i]])
		if c.idx[i] != 0 {
			return true
		}
	}
	return false
}

// symmetryName returns the name of the symmetry set whose permute function
// panicked.
func symmetryName(err error) string {
	var pe *machine.PanicError
	if errors.As(err, &pe) {
		return strings.TrimPrefix(pe.Where, "symmetry ")
	}
	return ""
}

// canonMemo remembers, for one worker, the fingerprints of the
// representatives of the states it canonicalised last, by the fingerprint
// of the state as it is. Most successors of a search under symmetry are
// states reached before by another path (71% of them on the DNS model), and
// finding the representative tries every renaming: a hit costs one
// encoding instead. It is direct-mapped: a new state takes its slot.
//
// Two states with the same fingerprint would share a representative:
// Result.Collision adds the birthday bound of the successors generated.
type canonMemo struct {
	slots []memoSlot
}

type memoSlot struct {
	raw, canon fingerprint
	used       bool
}

// memoSlots is the number of a worker's slots: 2.5 MiB.
const memoSlots = 1 << 16

func (m *canonMemo) get(raw fingerprint) (fingerprint, bool) {
	if m.slots == nil {
		return fingerprint{}, false
	}
	sl := &m.slots[raw.hi&(memoSlots-1)]
	if sl.used && sl.raw == raw {
		return sl.canon, true
	}
	return fingerprint{}, false
}

func (m *canonMemo) put(raw, canon fingerprint) {
	if m.slots == nil {
		m.slots = make([]memoSlot, memoSlots)
	}
	m.slots[raw.hi&(memoSlots-1)] = memoSlot{raw: raw, canon: canon, used: true}
}
