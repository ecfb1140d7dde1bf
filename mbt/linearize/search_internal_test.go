package linearize

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
)

// casRegister is a model of two registers with put, get (a read with an
// output) and cas (refused when the register does not hold from).
type casRegister struct{ M map[string]int }

const casValues = 3

var casKeys = []string{"a", "b"}

func casModel() *execspec.Model[casRegister] {
	m := execspec.NewModel[casRegister]("casregister")
	m.Init(func(c *execspec.Ctx[casRegister]) { c.S.M = map[string]int{} })
	m.Action("put", func(c *execspec.Ctx[casRegister]) {
		k := execspec.OneOf(c, "key", casKeys)
		c.S.M[k] = execspec.IntRange(c, "v", 0, casValues-1)
	})
	m.Action("get", func(c *execspec.Ctx[casRegister]) {
		k := execspec.OneOf(c, "key", casKeys)
		c.Assume(execspec.IntRange(c, "value", 0, casValues-1) == c.S.M[k])
	})
	m.Action("cas", func(c *execspec.Ctx[casRegister]) {
		k := execspec.OneOf(c, "key", casKeys)
		from := execspec.IntRange(c, "from", 0, casValues-1)
		to := execspec.IntRange(c, "to", 0, casValues-1)
		c.Assume(c.S.M[k] == from)
		c.S.M[k] = to
	})
	return m
}

// randomCASHistory returns a history of n operations on casModel: each
// takes effect at a random point inside its interval (a pending one
// perhaps never), its outputs computed from that order, and then, with
// some probability, one answer is changed, so that about half the
// histories are not linearizable.
func randomCASHistory(r *rand.Rand, n int) *History {
	times := r.Perm(3 * n)
	type op struct {
		Operation
		key         string
		v, from, to int
		at          int // when it takes effect (-1: never)
	}
	ops := make([]op, n)
	for i := range ops {
		t := []int{times[3*i], times[3*i+1], times[3*i+2]}
		slices.Sort(t)
		o := op{key: casKeys[r.IntN(len(casKeys))], at: t[1]}
		o.Client, o.Call = i, int64(t[0])+1
		o.Inputs = []Arg{{"key", itf.String(o.key)}}
		switch r.IntN(3) {
		case 0:
			o.Action, o.v = "put", r.IntN(casValues)
			o.Inputs = append(o.Inputs, Arg{"v", itf.Int(int64(o.v))})
		case 1:
			o.Action = "get"
		default:
			o.Action, o.from, o.to = "cas", r.IntN(casValues), r.IntN(casValues)
			o.Inputs = append(o.Inputs, Arg{"from", itf.Int(int64(o.from))}, Arg{"to", itf.Int(int64(o.to))})
		}
		if r.IntN(6) == 0 {
			o.Pending = true
			if r.IntN(2) == 0 {
				o.at = -1
			}
		} else {
			o.Return = int64(t[2]) + 1
		}
		ops[i] = o
	}
	byEffect := make([]*op, n)
	for i := range ops {
		byEffect[i] = &ops[i]
	}
	slices.SortFunc(byEffect, func(a, b *op) int { return a.at - b.at })
	m := map[string]int{}
	for _, o := range byEffect {
		if o.at < 0 {
			continue
		}
		switch o.Action {
		case "put":
			m[o.key] = o.v
		case "get":
			if !o.Pending {
				o.Outputs = []Arg{{"value", itf.Int(int64(m[o.key]))}}
			}
		case "cas":
			if m[o.key] == o.from {
				m[o.key] = o.to
			} else if !o.Pending {
				o.Refused = true
			}
		}
	}
	h := &History{Model: "casregister", Clients: n}
	for _, o := range ops {
		h.Ops = append(h.Ops, o.Operation)
	}
	slices.SortFunc(h.Ops, func(a, b Operation) int { return int(a.Call - b.Call) })
	if r.IntN(2) == 0 {
		// Change one answer.
		o := &h.Ops[r.IntN(n)]
		switch {
		case o.Pending:
		case o.Action == "get":
			v, _ := o.Outputs[0].Value.AsInt64()
			o.Outputs = []Arg{{"value", itf.Int((v + 1 + int64(r.IntN(casValues-1))) % casValues)}}
		case o.Action == "cas":
			o.Refused = !o.Refused
		}
	}
	return h
}

// bruteLinearizable decides h by trying every order of its operations that
// respects real time (an operation that returned before another's call
// comes first), a pending operation anywhere after its call or nowhere:
// the definition of linearizability, with none of the search's memo,
// candidate order or fingerprints' sharing beyond the model's steps.
func bruteLinearizable(t *testing.T, c *Checker[casRegister], h *History) bool {
	t.Helper()
	ops, err := c.prepare(h)
	if err != nil {
		t.Fatal(err)
	}
	init, err := c.initial(h)
	if err != nil {
		t.Fatal(err)
	}
	done := make([]bool, len(ops))
	var try func(s *casRegister, left int) bool
	try = func(s *casRegister, left int) bool {
		if left == 0 {
			return true
		}
		// Every remaining operation is pending: they may never take effect.
		allPending := true
		for i, o := range ops {
			if !done[i] && !o.pending {
				allPending = false
			}
		}
		if allPending {
			return true
		}
		for i := range ops {
			if done[i] {
				continue
			}
			blocked := false
			for j, o := range ops {
				if !done[j] && !o.pending && h.Ops[j].Return < h.Ops[i].Call {
					blocked = true
				}
			}
			if blocked {
				continue
			}
			succs, err := c.successors(ops[i], s, c.fingerprint(s))
			if err != nil {
				t.Fatal(err)
			}
			for _, sc := range succs {
				next := c.mc.Clone(sc.s)
				done[i] = true
				ok := try(next, left-1)
				done[i] = false
				if ok {
					return true
				}
			}
		}
		return false
	}
	return try(init, len(ops))
}

// TestSearchAgainstDefinition checks the search's verdicts, on random
// histories of up to seven operations (puts, reads, refused and applied
// compare-and-sets, pending operations), against bruteLinearizable: the
// order in which the search tries candidates, its memo and its lookahead
// for the operation due must never change a verdict.
func TestSearchAgainstDefinition(t *testing.T) {
	c, err := NewChecker(casModel(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	counts := map[bool]int{}
	for i := range 1500 {
		h := randomCASHistory(r, 1+i%7)
		lin, err := c.Check(h)
		if err != nil {
			t.Fatalf("history %d: %v", i, err)
		}
		want := bruteLinearizable(t, c, h)
		if lin.OK != want {
			t.Fatalf("history %d: search says linearizable=%v, the definition %v\n%s", i, lin.OK, want, historyText(h))
		}
		counts[want]++
	}
	if counts[true] < 300 || counts[false] < 300 {
		t.Fatalf("the generator is lopsided: %d linearizable, %d not", counts[true], counts[false])
	}
}

func historyText(h *History) string {
	s := ""
	for i, o := range h.Ops {
		s += fmt.Sprintf("%d: %s [%d,%d]\n", i, o, o.Call, o.Return)
	}
	return s
}
