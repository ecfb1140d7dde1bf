// Package picks is testdata/picks.qnt as an execspec model. Its picks are
// compound values (a variant, a tuple, a subset, a function), so replaying
// Quint's traces directs OneOf, SubsetOf and FunctionOf with the values
// Quint recorded in mbt::nondetPicks.
package picks

import (
	"fmt"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
)

// State is the model state.
type State struct {
	Chosen []Choice `itf:"chosen"`
	Total  int      `itf:"total"`
}

// Choice is the record { color, pair, sub, fn }.
type Choice struct {
	Color Color             `itf:"color"`
	Pair  Pair              `itf:"pair"`
	Sub   execspec.Set[int] `itf:"sub"`
	Fn    map[string]int    `itf:"fn"`
}

// Color is the sum type Red | Green | Blue(int).
type Color struct {
	Tag string
	N   int // Blue's payload
}

// MarshalITF writes the color as a variant.
func (c Color) MarshalITF() (itf.Value, error) {
	switch c.Tag {
	case "Red", "Green":
		return itf.Variant(c.Tag, itf.Unit()), nil
	case "Blue":
		return itf.Variant("Blue", itf.Int(int64(c.N))), nil
	}
	return itf.Value{}, fmt.Errorf("color with unknown tag %q", c.Tag)
}

// UnmarshalITF reads a variant.
func (c *Color) UnmarshalITF(v itf.Value) error {
	if v.Kind() != itf.KindVariant {
		return fmt.Errorf("not a variant: %s", v)
	}
	*c = Color{Tag: v.Tag()}
	switch v.Tag() {
	case "Red", "Green":
		return nil
	case "Blue":
		return itf.Unmarshal(v.Payload(), &c.N)
	}
	return fmt.Errorf("unknown color %s", v.Tag())
}

// Pair is the tuple (int, str).
type Pair struct {
	N int
	S string
}

// MarshalITF writes the pair as a tuple.
func (p Pair) MarshalITF() (itf.Value, error) {
	return itf.Tuple(itf.Int(int64(p.N)), itf.String(p.S)), nil
}

// UnmarshalITF reads an (int, str) tuple.
func (p *Pair) UnmarshalITF(v itf.Value) error {
	if v.Kind() != itf.KindTuple || v.Len() != 2 {
		return fmt.Errorf("not a pair: %s", v)
	}
	if err := itf.Unmarshal(v.Elems()[0], &p.N); err != nil {
		return err
	}
	return itf.Unmarshal(v.Elems()[1], &p.S)
}

var (
	colors = []Color{{Tag: "Red"}, {Tag: "Green"}, {Tag: "Blue", N: 1}, {Tag: "Blue", N: 2}}
	pairs  = []Pair{{1, "a"}, {1, "b"}, {2, "a"}, {2, "b"}}
)

// Spec returns the model.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("picks").Instance("default", Model)
}

// Model returns picks.qnt's state machine.
func Model() *execspec.Model[State] {
	m := execspec.NewModel[State]("picks")
	m.Init(func(c *execspec.Ctx[State]) { c.S.Chosen = []Choice{} })
	m.Action("step", func(c *execspec.Ctx[State]) {
		color := execspec.OneOf(c, "color", colors)
		pair := execspec.OneOf(c, "pair", pairs)
		sub := execspec.SubsetOf(c, "sub", []int{1, 2, 3})
		fn := execspec.FunctionOf(c, "fn", []string{"p", "q"}, []int{0, 1})
		c.S.Chosen = append(c.S.Chosen, Choice{Color: color, Pair: pair, Sub: execspec.SetOf(sub...), Fn: fn})
		c.S.Total += pair.N + len(sub) + fn["p"]
	})
	return m
}
