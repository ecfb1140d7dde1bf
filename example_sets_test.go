package execspec_test

import (
	"fmt"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

// Quorums are a set of sets; the set algebra reads like the spec's
// \A Q1, Q2 \in Quorum : Q1 \cap Q2 # {}.
func ExampleVSet() {
	quorum := execspec.VSetOf(
		execspec.SetOf("a1", "a2"), execspec.SetOf("a1", "a3"), execspec.SetOf("a2", "a3"))
	intersect := quorum.ForAll(func(q1 execspec.Set[string]) bool {
		return quorum.ForAll(func(q2 execspec.Set[string]) bool { return !q1.Disjoint(q2) })
	})
	fmt.Println(quorum, intersect)
	voted := execspec.SetOf("a1", "a3")
	fmt.Println(quorum.Exists(func(q execspec.Set[string]) bool { return q.IsSubsetOf(voted) }))
	// Output:
	// {{"a1", "a2"}, {"a1", "a3"}, {"a2", "a3"}} true
	// true
}

// Msg is a sum type: a message is a Prepare or a Promise.
type Msg interface{ isMsg() }

// Prepare is phase 1a.
type Prepare struct{ Bal int }

// Promise is phase 1b.
type Promise struct {
	Acc string
	Bal int
}

func (Prepare) isMsg() {}
func (Promise) isMsg() {}

// Register the variants, then use the interface in state, sets and picks;
// traces show Quint variants.
func ExampleVariants() {
	execspec.Variants[Msg](Prepare{}, Promise{})
	type State struct{ Msgs execspec.Set[Msg] }
	m := execspec.NewModel[State]("paxos-ish")
	m.Init(func(c *execspec.Ctx[State]) { c.S.Msgs = execspec.SetOf[Msg](Prepare{Bal: 1}) })
	m.Action("promise", func(c *execspec.Ctx[State]) {
		c.S.Msgs = c.S.Msgs.With(Promise{Acc: "a1", Bal: 1})
	})
	mc, err := machine.Compile(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := State{Msgs: execspec.SetOf[Msg](Prepare{Bal: 1}, Promise{Acc: "a1", Bal: 1})}
	vals, _ := mc.ToITF(&s)
	fmt.Println(vals["Msgs"])
	js, _ := vals["Msgs"].MarshalJSON()
	fmt.Println(string(js))
	// Output:
	// {Prepare{Bal: 1}, Promise{Acc: "a1", Bal: 1}}
	// {"#set":[{"tag":"Prepare","value":{"Bal":{"#bigint":"1"}}},{"tag":"Promise","value":{"Acc":"a1","Bal":{"#bigint":"1"}}}]}
}

// A counter that outgrows int64 stays exact, and is written to ITF as a
// #bigint.
func ExampleBigInt() {
	type Ledger struct{ Supply execspec.BigInt }
	m := execspec.NewModel[Ledger]("ledger")
	m.Init(func(c *execspec.Ctx[Ledger]) { c.S.Supply = execspec.Big(1 << 62) })
	m.Action("mint", func(c *execspec.Ctx[Ledger]) { c.S.Supply = c.S.Supply.Mul(execspec.Big(4)) })
	mc, err := machine.Compile(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := Ledger{Supply: execspec.Big(1 << 62).Mul(execspec.Big(4))}
	vals, _ := mc.ToITF(&s)
	js, _ := vals["Supply"].MarshalJSON()
	fmt.Println(s.Supply, string(js))
	// Output: 18446744073709551616 {"#bigint":"18446744073709551616"}
}
