// Package genmodel builds small execspec models from bytes, for
// differential tests of the engines against the reference semantics
// (package crosscheck's fuzz target).
//
// Every model has the same state type, State, which holds every kind of
// state value (maps of Sets, Sets of structs, slices of maps, arrays of
// slices, pointers, maps of pointers, slices of Sets, maps of maps, VSets
// of Sets, a sum type whose variant holds a Set and a map, a BigInt, a
// counter and queues). The bytes choose an initial state, a few actions,
// each a short program of operations, the invariants, an example, and
// whether there is a state constraint, a step invariant, an action
// constraint (each a predicate that stays true or does not change from
// the state before a step to the state after) and a data pick (which then ends
// every action, its value read by nothing but the state's D, as the
// data-pick reduction requires). The operations are the aliasing patterns
// a Go author writes: an alias of a Set, map, slice or pointer held in a
// map, slice, struct or variant, empty or not, then a write through it; an append to an alias; a nil map or a zero Set stored
// in a map; two places made to share one map, Set, array or target; a
// guard that fails after a write; a Set put into a VSet and written
// afterwards. Every index is checked, so models do not panic, and every
// value is drawn from a small domain, so models stay small (but may still
// be too large to compare: the caller bounds them).
package genmodel

import (
	"fmt"
	"strings"

	"github.com/execspec/execspec"
)

// Node is a pointer target.
type Node struct {
	X    int
	Tags map[int]bool
}

// Pair is a Set element.
type Pair struct{ A, B int }

// Msg is a sum type.
type Msg interface{ isMsg() }

// MsgA is a variant of Msg holding a number.
type MsgA struct{ N int }

// MsgB is a variant of Msg holding a Set and a map.
type MsgB struct {
	S execspec.Set[int]
	M map[int]int
}

func (MsgA) isMsg() {}
func (MsgB) isMsg() {}

func init() { execspec.Variants[Msg](MsgA{}, MsgB{}) }

// State holds a value of every kind execspec supports.
type State struct {
	N   int
	Q   []int
	R   []int
	MS  map[string]execspec.Set[int]
	SS  execspec.Set[Pair]
	SL  []map[string]int
	AR  [2][]int
	P   *Node
	MP  map[string]*Node
	LS  []execspec.Set[int]
	MM  map[string]map[int]bool
	V   execspec.VSet[execspec.Set[int]]
	Var Msg
	Big execspec.BigInt
	// D is written by the data pick d only, and read by no guard and no
	// property: the data-pick reduction's contract.
	D int
}

var keys = []string{"a", "b"}

// regs are an action's registers: the values its picks made.
type regs struct {
	k    string
	i, x int
}

// op is one operation of an action's program, with its argument byte.
type op struct {
	name string
	run  func(c *execspec.Ctx[State], r *regs, arg int)
}

// firstNonPick is the opcode of the first operation that is not a pick:
// the picks come first.
const firstNonPick = 3

// ops are the operations, by opcode.
var ops = []op{
	{"pick k", func(c *execspec.Ctx[State], r *regs, arg int) { r.k = execspec.OneOf(c, "k", keys) }},
	{"pick i", func(c *execspec.Ctx[State], r *regs, arg int) { r.i = execspec.IntRange(c, "i", 0, 1) }},
	{"pick x", func(c *execspec.Ctx[State], r *regs, arg int) { r.x = execspec.IntRange(c, "x", 0, 2) }},
	{"guard N", func(c *execspec.Ctx[State], r *regs, arg int) { c.Assume(c.S.N != arg%3) }},
	{"guard set", func(c *execspec.Ctx[State], r *regs, arg int) { c.Assume(!c.S.MS[r.k].Has(r.x)) }},
	{"write then guard", func(c *execspec.Ctx[State], r *regs, arg int) {
		c.S.N = r.x
		a := c.S.MS[r.k]
		a.Add(r.x)
		c.Assume(r.x != arg%3)
	}},
	{"alias set add", func(c *execspec.Ctx[State], r *regs, arg int) {
		a := c.S.MS[r.k] // a Set held in a map, empty or not
		a.Add(r.x)
	}},
	{"alias set remove", func(c *execspec.Ctx[State], r *regs, arg int) {
		a := c.S.MS[r.k]
		a.Remove(r.x)
	}},
	{"zero set into map", func(c *execspec.Ctx[State], r *regs, arg int) { c.S.MS[r.k] = execspec.Set[int]{} }},
	{"set with", func(c *execspec.Ctx[State], r *regs, arg int) { c.S.MS[r.k] = c.S.MS[r.k].With(r.x) }},
	{"delete set", func(c *execspec.Ctx[State], r *regs, arg int) { delete(c.S.MS, r.k) }},
	{"alias map of maps", func(c *execspec.Ctx[State], r *regs, arg int) {
		if m, ok := c.S.MM[r.k]; ok && m != nil {
			m[r.x] = arg%2 == 0
		} else {
			c.S.MM[r.k] = map[int]bool{}
		}
	}},
	{"nil map into map", func(c *execspec.Ctx[State], r *regs, arg int) { c.S.MM[r.k] = nil }},
	{"maps share", func(c *execspec.Ctx[State], r *regs, arg int) { c.S.MM["a"] = c.S.MM["b"] }},
	{"alias slice of maps", func(c *execspec.Ctx[State], r *regs, arg int) {
		if r.i < len(c.S.SL) {
			m := c.S.SL[r.i]
			m[r.k] = r.x
		}
	}},
	{"append map", func(c *execspec.Ctx[State], r *regs, arg int) {
		if len(c.S.SL) < 2 {
			c.S.SL = append(c.S.SL, map[string]int{})
		}
	}},
	{"slice maps share", func(c *execspec.Ctx[State], r *regs, arg int) {
		if len(c.S.SL) == 2 {
			c.S.SL[arg%2] = c.S.SL[1-arg%2]
		}
	}},
	{"push", func(c *execspec.Ctx[State], r *regs, arg int) {
		if len(c.S.Q) < 3 {
			c.S.Q = append(c.S.Q, r.x)
		}
	}},
	{"pop front", func(c *execspec.Ctx[State], r *regs, arg int) {
		if len(c.S.Q) > 0 {
			c.S.Q = c.S.Q[1:]
		}
	}},
	{"append to an alias twice", func(c *execspec.Ctx[State], r *regs, arg int) {
		a := append(c.S.Q, r.x)
		b := append(c.S.Q, 2-r.x)
		if len(a) <= 3 {
			c.S.Q, c.S.R = a, b
		}
	}},
	{"clear queue", func(c *execspec.Ctx[State], r *regs, arg int) {
		switch arg % 3 {
		case 0:
			c.S.Q = c.S.Q[:0]
		case 1:
			c.S.Q = nil
		default:
			c.S.Q = []int{}
		}
	}},
	{"array slice append", func(c *execspec.Ctx[State], r *regs, arg int) {
		if len(c.S.AR[r.i]) < 2 {
			c.S.AR[r.i] = append(c.S.AR[r.i], r.x)
		}
	}},
	{"array slices share", func(c *execspec.Ctx[State], r *regs, arg int) { c.S.AR[0] = c.S.AR[1] }},
	{"array slice write", func(c *execspec.Ctx[State], r *regs, arg int) {
		if len(c.S.AR[0]) > 0 {
			c.S.AR[0][0] = r.x
		}
	}},
	{"pointer set", func(c *execspec.Ctx[State], r *regs, arg int) {
		if c.S.P == nil {
			c.S.P = &Node{X: r.x, Tags: map[int]bool{}}
		} else {
			c.S.P.X = r.x
		}
	}},
	{"alias pointer in map", func(c *execspec.Ctx[State], r *regs, arg int) {
		if p := c.S.MP[r.k]; p != nil {
			p.X = r.x
			if p.Tags != nil {
				p.Tags[r.x] = true
			}
		}
	}},
	{"pointer into map", func(c *execspec.Ctx[State], r *regs, arg int) {
		c.S.MP[r.k] = &Node{X: r.x, Tags: map[int]bool{}}
	}},
	{"pointers share", func(c *execspec.Ctx[State], r *regs, arg int) { c.S.MP[r.k] = c.S.P }},
	{"pointer drop", func(c *execspec.Ctx[State], r *regs, arg int) {
		if arg%2 == 0 {
			delete(c.S.MP, r.k)
		} else {
			c.S.P = nil
		}
	}},
	{"alias slice of sets", func(c *execspec.Ctx[State], r *regs, arg int) {
		if r.i < len(c.S.LS) {
			a := c.S.LS[r.i]
			a.Add(r.x)
		}
	}},
	{"append zero set", func(c *execspec.Ctx[State], r *regs, arg int) {
		if len(c.S.LS) < 2 {
			c.S.LS = append(c.S.LS, execspec.Set[int]{})
		}
	}},
	{"slice sets share", func(c *execspec.Ctx[State], r *regs, arg int) {
		if len(c.S.LS) == 2 {
			c.S.LS[1] = c.S.LS[0]
		}
	}},
	{"set of structs", func(c *execspec.Ctx[State], r *regs, arg int) {
		if arg%2 == 0 {
			c.S.SS.Add(Pair{r.i, r.x})
		} else {
			c.S.SS.Remove(Pair{r.i, r.x})
		}
	}},
	{"vset with a set", func(c *execspec.Ctx[State], r *regs, arg int) {
		if r.i < len(c.S.LS) && c.S.V.Len() < 2 {
			c.S.V = c.S.V.With(c.S.LS[r.i])
		}
	}},
	{"vset with, then write", func(c *execspec.Ctx[State], r *regs, arg int) {
		if c.S.V.Len() < 2 {
			a := execspec.SetOf(r.x)
			c.S.V = c.S.V.With(a)
			a.Add(2) // a VSet copies its elements on the way in
		}
	}},
	{"variant a", func(c *execspec.Ctx[State], r *regs, arg int) { c.S.Var = MsgA{N: r.x} }},
	{"variant b", func(c *execspec.Ctx[State], r *regs, arg int) {
		c.S.Var = MsgB{S: c.S.MS[r.k], M: map[int]int{r.x: 1}} // shares the Set
	}},
	{"variant write", func(c *execspec.Ctx[State], r *regs, arg int) {
		if b, ok := c.S.Var.(MsgB); ok {
			b.S.Add(r.x)
			b.M[r.x] = 2
		}
	}},
	{"big add", func(c *execspec.Ctx[State], r *regs, arg int) {
		if c.S.Big.Cmp(execspec.Big(3)) < 0 {
			c.S.Big = c.S.Big.Add(execspec.Big(int64(r.x)))
		}
	}},
	{"count", func(c *execspec.Ctx[State], r *regs, arg int) { c.S.N = (c.S.N + 1) % 3 }},
}

// preds are the invariants, examples and constraints a model may have,
// each with its argument.
var preds = []struct {
	name string
	p    func(s *State, arg int) bool
}{
	{"N != arg", func(s *State, arg int) bool { return s.N != arg%3 }},
	{"len(Q) < 3", func(s *State, arg int) bool { return len(s.Q) < 3 }},
	{"MS[a] lacks arg", func(s *State, arg int) bool { return !s.MS["a"].Has(arg % 3) }},
	{"MS[b] small", func(s *State, arg int) bool { return s.MS["b"].Len() < 2 }},
	{"SS small", func(s *State, arg int) bool { return s.SS.Len() < 2 }},
	{"P.X != 2", func(s *State, arg int) bool { return s.P == nil || s.P.X != 2 }},
	{"MP[a].X != arg", func(s *State, arg int) bool { return s.MP["a"] == nil || s.MP["a"].X != arg%3 }},
	{"V small", func(s *State, arg int) bool { return s.V.Len() < 2 }},
	{"MM[a] small", func(s *State, arg int) bool { return len(s.MM["a"]) < 2 }},
	{"SL[0] small", func(s *State, arg int) bool { return len(s.SL) == 0 || len(s.SL[0]) < 2 }},
	{"Big < 2", func(s *State, arg int) bool { return s.Big.Cmp(execspec.Big(2)) < 0 }},
	{"Var's set small", func(s *State, arg int) bool {
		b, ok := s.Var.(MsgB)
		return !ok || b.S.Len() < 2
	}},
	{"LS[0] lacks arg", func(s *State, arg int) bool { return len(s.LS) == 0 || !s.LS[0].Has(arg%3) }},
	{"Q and R differ", func(s *State, arg int) bool {
		return len(s.Q) == 0 || len(s.R) == 0 || s.Q[len(s.Q)-1] != s.R[len(s.R)-1]
	}},
	{"AR[0] small", func(s *State, arg int) bool { return len(s.AR[0]) < 2 }},
}

// reader reads bytes, 0 past their end.
type reader struct {
	b   []byte
	pos int
}

func (r *reader) next() int {
	if r.pos >= len(r.b) {
		r.pos++
		return 0
	}
	v := int(r.b[r.pos])
	r.pos++
	return v
}

// Build returns the model the bytes describe, and a description of it
// (its initial state, actions, properties) for failure messages.
func Build(data []byte) (*execspec.Model[State], string) {
	rd := &reader{b: data}
	var desc strings.Builder
	m := execspec.NewModel[State]("generated")
	flags := rd.next()
	initKind := rd.next()
	fmt.Fprintf(&desc, "init %d", initKind%4)
	m.Init(func(c *execspec.Ctx[State]) { initState(c.S, initKind) })
	dataPick := flags&16 != 0
	nActions := 1 + rd.next()%4
	for a := 0; a < nActions; a++ {
		n := 1 + rd.next()%6
		prog := make([]struct{ op, arg int }, n)
		var names []string
		picks := 0
		for i := range prog {
			prog[i].op, prog[i].arg = rd.next()%len(ops), rd.next()
			if prog[i].op < firstNonPick {
				// At most one pick beyond the key and value every action
				// makes, so that an action has at most 18 branches: the
				// reference semantics copies the state for each.
				if picks++; picks > 1 {
					prog[i].op = firstNonPick + prog[i].arg%(len(ops)-firstNonPick)
				}
			}
			names = append(names, fmt.Sprintf("%s(%d)", ops[prog[i].op].name, prog[i].arg))
		}
		name := fmt.Sprintf("a%d", a)
		fmt.Fprintf(&desc, "; %s: %s", name, strings.Join(names, ", "))
		m.Action(name, func(c *execspec.Ctx[State]) {
			// Every action picks a key and a value first, so that its
			// writes branch.
			r := &regs{k: execspec.OneOf(c, "k", keys), x: execspec.IntRange(c, "x", 0, 2)}
			for _, in := range prog {
				if !c.Alive() {
					return
				}
				ops[in.op].run(c, r, in.arg)
			}
			if dataPick {
				c.S.D = execspec.IntRange(c, "d", 0, 2) // trails every other pick
			}
		})
	}
	for i := 0; i < 1+flags%3; i++ {
		p, arg := preds[rd.next()%len(preds)], rd.next()
		fmt.Fprintf(&desc, "; invariant %s(%d)", p.name, arg)
		m.Invariant(fmt.Sprintf("inv%d", i), func(s *State) bool { return p.p(s, arg) })
	}
	if flags&4 != 0 {
		p, arg := preds[rd.next()%len(preds)], rd.next()
		fmt.Fprintf(&desc, "; example not %s(%d)", p.name, arg)
		m.Example("example", func(s *State) bool { return !p.p(s, arg) })
	}
	if flags&8 != 0 {
		p, arg := preds[rd.next()%len(preds)], rd.next()
		fmt.Fprintf(&desc, "; constraint %s(%d)", p.name, arg)
		m.Constraint("constraint", func(s *State) bool { return p.p(s, arg) })
	}
	if flags&32 != 0 {
		name, rel := stepRelation(rd)
		fmt.Fprintf(&desc, "; step invariant %s", name)
		m.StepInvariant("step", rel)
	}
	if flags&64 != 0 {
		name, rel := stepRelation(rd)
		fmt.Fprintf(&desc, "; action constraint %s", name)
		m.ActionConstraint("action", rel)
	}
	if dataPick {
		desc.WriteString("; data pick d")
		m.DataPicks("d")
	}
	return m, desc.String()
}

// stepRelation reads a relation between the states before and after a
// step, for a step invariant or an action constraint: a predicate that
// stays true once true, or one that the step leaves as it was.
func stepRelation(rd *reader) (string, func(before, after *State) bool) {
	form, p, arg := rd.next(), preds[rd.next()%len(preds)], rd.next()
	if form%2 == 0 {
		return fmt.Sprintf("%s(%d) stays true", p.name, arg), func(before, after *State) bool {
			return !p.p(before, arg) || p.p(after, arg)
		}
	}
	return fmt.Sprintf("%s(%d) unchanged", p.name, arg), func(before, after *State) bool {
		return p.p(before, arg) == p.p(after, arg)
	}
}

// initState writes one of four initial states: all empty, some shared,
// some nil or zero, and some filled.
func initState(s *State, kind int) {
	s.MS = map[string]execspec.Set[int]{}
	s.MM = map[string]map[int]bool{}
	s.MP = map[string]*Node{}
	s.Var = MsgA{} // a sum-type value in a trace holds a variant
	switch kind % 4 {
	case 0: // made and empty
		s.MS["a"], s.MS["b"] = execspec.SetOf[int](), execspec.SetOf[int]()
		s.MM["a"], s.MM["b"] = map[int]bool{}, map[int]bool{}
	case 1: // two places share one value
		e := execspec.SetOf[int]()
		s.MS["a"], s.MS["b"] = e, e
		m := map[int]bool{}
		s.MM["a"], s.MM["b"] = m, m
		s.SL = []map[string]int{{}, nil}
		s.SL[1] = s.SL[0]
		n := &Node{Tags: map[int]bool{}}
		s.P, s.MP["a"] = n, n
		q := make([]int, 1, 4)
		s.Q, s.AR[0], s.AR[1] = q, q[:0], q
	case 2: // nil and zero values in containers
		s.MS["a"] = execspec.Set[int]{}
		s.MM["a"] = nil
		s.LS = []execspec.Set[int]{{}}
		s.SL = []map[string]int{nil}
		s.Q = []int{}
	case 3: // filled
		s.MS["a"] = execspec.SetOf(1)
		s.MM["b"] = map[int]bool{2: true}
		s.LS = []execspec.Set[int]{execspec.SetOf(0), execspec.SetOf[int]()}
		s.SS = execspec.SetOf(Pair{1, 1})
		s.Var = MsgB{S: execspec.SetOf(1), M: map[int]int{}}
		s.V = execspec.VSetOf(execspec.SetOf(2))
		s.Big = execspec.Big(1)
	}
}
