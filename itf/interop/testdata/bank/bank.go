// Package bank is testdata/bank.qnt as an execspec model: the ITF interop
// test replays Quint's traces of that spec against it. Its state types show
// how Quint's value forms map to Go: a map, a list of tuples (Entry), a sum
// type with a unit variant (Status), a set, an integer beyond int64 (Big)
// and a record (Account).
package bank

import (
	"fmt"
	"math/big"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
)

// State is the model state; the tags are bank.qnt's variable names.
type State struct {
	Balances map[string]int    `itf:"balances"`
	Log      []Entry           `itf:"log"`
	Status   Status            `itf:"status"`
	Seen     execspec.Set[int] `itf:"seen"`
	Big      Big               `itf:"big"`
	Acct     Account           `itf:"acct"`
}

// Entry is a (who, amount) tuple.
type Entry struct {
	Who    string
	Amount int
}

// MarshalITF writes the entry as a tuple.
func (e Entry) MarshalITF() (itf.Value, error) {
	return itf.Tuple(itf.String(e.Who), itf.Int(int64(e.Amount))), nil
}

// UnmarshalITF reads a (who, amount) tuple.
func (e *Entry) UnmarshalITF(v itf.Value) error {
	if v.Kind() != itf.KindTuple || v.Len() != 2 {
		return fmt.Errorf("not a pair: %s", v)
	}
	if err := itf.Unmarshal(v.Elems()[0], &e.Who); err != nil {
		return err
	}
	return itf.Unmarshal(v.Elems()[1], &e.Amount)
}

// Status is the sum type Idle | Busy(int) | Done(str).
type Status struct {
	Tag    string // "Idle", "Busy" or "Done"
	Amount int    // Busy's payload
	Who    string // Done's payload
}

// MarshalITF writes the status as a variant; Idle's payload is the unit
// value, as Quint writes it.
func (s Status) MarshalITF() (itf.Value, error) {
	switch s.Tag {
	case "Idle":
		return itf.Variant("Idle", itf.Unit()), nil
	case "Busy":
		return itf.Variant("Busy", itf.Int(int64(s.Amount))), nil
	case "Done":
		return itf.Variant("Done", itf.String(s.Who)), nil
	}
	return itf.Value{}, fmt.Errorf("status with unknown tag %q", s.Tag)
}

// UnmarshalITF reads a variant.
func (s *Status) UnmarshalITF(v itf.Value) error {
	if v.Kind() != itf.KindVariant {
		return fmt.Errorf("not a variant: %s", v)
	}
	*s = Status{Tag: v.Tag()}
	switch v.Tag() {
	case "Idle":
		return nil
	case "Busy":
		return itf.Unmarshal(v.Payload(), &s.Amount)
	case "Done":
		return itf.Unmarshal(v.Payload(), &s.Who)
	}
	return fmt.Errorf("unknown status %s", v.Tag())
}

// Big is an integer of any size, kept as its decimal text so that the
// state stays a plain, comparable Go value.
type Big struct{ Dec string }

// NewBig returns x as a Big.
func NewBig(x *big.Int) Big { return Big{x.String()} }

// Int returns the value.
func (b Big) Int() *big.Int {
	x, ok := new(big.Int).SetString(b.Dec, 10)
	if !ok {
		return new(big.Int)
	}
	return x
}

// MarshalITF writes the integer.
func (b Big) MarshalITF() (itf.Value, error) { return itf.BigInt(b.Int()), nil }

// UnmarshalITF reads an integer.
func (b *Big) UnmarshalITF(v itf.Value) error {
	x, ok := v.AsBigInt()
	if !ok {
		return fmt.Errorf("not an integer: %s", v)
	}
	b.Dec = x.String()
	return nil
}

// Account is the record { owner: str, total: int }.
type Account struct {
	Owner string `itf:"owner"`
	Total int    `itf:"total"`
}

var users = []string{"alice", "bob"}

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("bank").Instance("default", Model)
}

// Model returns bank.qnt's state machine.
func Model() *execspec.Model[State] {
	m := execspec.NewModel[State]("bank")
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Balances = map[string]int{}
		for _, u := range users {
			c.S.Balances[u] = 0
		}
		c.S.Log = []Entry{}
		c.S.Status = Status{Tag: "Idle"}
		c.S.Big = NewBig(new(big.Int).Lsh(big.NewInt(1), 70))
		c.S.Acct = Account{Owner: "alice"}
	})
	m.Action("deposit", func(c *execspec.Ctx[State]) {
		who := execspec.OneOf(c, "who", users)
		amount := execspec.IntRange(c, "amount", 1, 5)
		c.S.Balances[who] += amount
		c.S.Log = append(c.S.Log, Entry{who, amount})
		c.S.Status = Status{Tag: "Busy", Amount: amount}
		c.S.Seen.Add(amount)
		c.S.Big = NewBig(new(big.Int).Mul(c.S.Big.Int(), big.NewInt(3)))
		c.S.Acct.Total += amount
	})
	m.Action("finish", func(c *execspec.Ctx[State]) {
		who := execspec.OneOf(c, "who", users)
		if !c.Assume(c.S.Balances[who] > 0) {
			return
		}
		c.S.Status = Status{Tag: "Done", Who: who}
		c.S.Big = NewBig(new(big.Int).Neg(c.S.Big.Int()))
	})
	return m
}
