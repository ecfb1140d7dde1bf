package itf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
)

type point struct {
	X, Y int
}

type account struct {
	Owner    string          `itf:"owner"`
	Balance  *big.Int        `itf:"balance"`
	Limits   [2]int8         `itf:"limits,tuple"`
	History  []uint16        `itf:"history"`
	Origin   point           `itf:"origin,tuple"`
	Tags     map[string]bool `itf:"tags"`
	Members  map[string]struct{}
	ByPoint  map[point]string `itf:"byPoint"`
	Parent   *account         `itf:"parent"`
	Note     Value            `itf:"note"`
	Skipped  string           `itf:"-"`
	internal int
}

type base struct {
	ID   int `itf:"id"`
	Kind string
}

type derived struct {
	base
	Kind string // shadows base.Kind
	Name string `itf:"name"`
}

type colour int

func (c colour) MarshalITF() (Value, error) {
	names := []string{"red", "green"}
	if int(c) >= len(names) {
		return Value{}, fmt.Errorf("no colour %d", int(c))
	}
	return Variant(names[c], Unit()), nil
}

func (c *colour) UnmarshalITF(v Value) error {
	switch v.Tag() {
	case "red":
		*c = 0
	case "green":
		*c = 1
	default:
		return fmt.Errorf("unknown colour %v", v)
	}
	return nil
}

// celsius marshals with a pointer receiver.
type celsius struct{ deg int }

func (c *celsius) MarshalITF() (Value, error) { return Int(int64(c.deg)), nil }
func (c *celsius) UnmarshalITF(v Value) error {
	n, ok := v.AsInt64()
	if !ok {
		return errors.New("want an int")
	}
	c.deg = int(n)
	return nil
}

type deposit struct {
	Amount int `itf:"amount"`
}

func (deposit) ITFTag() string { return "Deposit" }

type idle struct{}

func (*idle) ITFTag() string { return "Idle" }

type node struct {
	Val  int   `itf:"val"`
	Next *node `itf:"next"`
}

func TestMarshalScalars(t *testing.T) {
	huge := bigFromString(t, "123456789012345678901234567890")
	tests := []struct {
		in   any
		want Value
	}{
		{true, Bool(true)},
		{int8(-8), Int(-8)},
		{int64(math.MinInt64), Int(math.MinInt64)},
		{uint8(200), Int(200)},
		{uint64(math.MaxUint64), BigInt(new(big.Int).SetUint64(math.MaxUint64))},
		{uintptr(7), Int(7)},
		{"s", String("s")},
		{huge, BigInt(huge)},
		{*huge, BigInt(huge)},
		{[]int{}, List()},
		{[]int(nil), List()},
		{[]string{"a"}, List(String("a"))},
		{[0]int{}, List()},
		{map[int]string(nil), Map()},
		{map[string]int{"b": 2, "a": 1}, Map(Entry{String("a"), Int(1)}, Entry{String("b"), Int(2)})},
		{map[int]struct{}{3: {}, 1: {}}, Set(Int(1), Int(3))},
		{point{1, 2}, Record(Field{"X", Int(1)}, Field{"Y", Int(2)})},
		{struct{}{}, Record()},
		{Set(Int(1)), Set(Int(1))},
		{(*int)(nil), None()},
		{[]*int{nil, new(int)}, List(None(), Some(Int(0)))},
		{colour(1), Variant("green", Unit())},
		{deposit{5}, Variant("Deposit", Record(Field{"amount", Int(5)}))},
		{idle{}, Variant("Idle", Unit())},
		{[]any{1, "x", true}, List(Int(1), String("x"), Bool(true))},
		{celsius{21}, Int(21)},
		{[]celsius{{1}}, List(Int(1))},
	}
	for _, tt := range tests {
		got, err := Marshal(tt.in)
		if err != nil {
			t.Errorf("Marshal(%#v): %v", tt.in, err)
			continue
		}
		if !Equal(got, tt.want) {
			t.Errorf("Marshal(%#v) = %v, want %v", tt.in, got, tt.want)
		}
		// Back into a fresh value of the same type.
		ptr := reflect.New(reflect.TypeOf(tt.in))
		if err := Unmarshal(got, ptr.Interface()); err != nil {
			t.Errorf("Unmarshal(%v) into %T: %v", got, tt.in, err)
			continue
		}
		again, err := Marshal(ptr.Elem().Interface())
		if err != nil || !Equal(again, got) {
			t.Errorf("round trip of %#v: %v, %v", tt.in, again, err)
		}
	}
	x := 5
	if v, err := Marshal(&x); err != nil || !Equal(v, Int(5)) {
		t.Errorf("Marshal(&x) = %v, %v: a top-level pointer is dereferenced", v, err)
	}
	if v, err := Marshal(&[]*int{&x}); err != nil || !Equal(v, List(Some(Int(5)))) {
		t.Errorf("Marshal(&[]*int) = %v, %v", v, err)
	}
}

func TestMarshalStruct(t *testing.T) {
	parent := &account{Owner: "root", Balance: big.NewInt(0), Note: Unserializable("Nat")}
	a := account{
		Owner:    "alice",
		Balance:  bigFromString(t, "-99999999999999999999"),
		Limits:   [2]int8{-1, 1},
		History:  []uint16{1, 65535},
		Origin:   point{3, 4},
		Tags:     map[string]bool{"vip": true},
		Members:  map[string]struct{}{"bob": {}, "al": {}},
		ByPoint:  map[point]string{{1, 2}: "a", {0, 5}: "b"},
		Parent:   parent,
		Note:     Set(String("n")),
		Skipped:  "gone",
		internal: 3,
	}
	v, err := Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	want := Record(
		Field{"owner", String("alice")},
		Field{"balance", BigInt(bigFromString(t, "-99999999999999999999"))},
		Field{"limits", Tuple(Int(-1), Int(1))},
		Field{"history", List(Int(1), Int(65535))},
		Field{"origin", Tuple(Int(3), Int(4))},
		Field{"tags", Map(Entry{String("vip"), Bool(true)})},
		Field{"Members", Set(String("al"), String("bob"))},
		Field{"byPoint", Map(
			Entry{Record(Field{"X", Int(0)}, Field{"Y", Int(5)}), String("b")},
			Entry{Record(Field{"X", Int(1)}, Field{"Y", Int(2)}), String("a")},
		)},
		Field{"parent", Some(Record(
			Field{"owner", String("root")},
			Field{"balance", Int(0)},
			Field{"limits", Tuple(Int(0), Int(0))},
			Field{"history", List()},
			Field{"origin", Tuple(Int(0), Int(0))},
			Field{"tags", Map()},
			Field{"Members", Set()},
			Field{"byPoint", Map()},
			Field{"parent", None()},
			Field{"note", Unserializable("Nat")},
		))},
		Field{"note", Set(String("n"))},
	)
	if !Equal(v, want) {
		t.Fatalf("Marshal =\n%v\nwant\n%v", v, want)
	}
	var back account
	if err := Unmarshal(v, &back); err != nil {
		t.Fatal(err)
	}
	a.Skipped, a.internal = "", 0
	parent.Tags, parent.Members, parent.ByPoint, parent.History = map[string]bool{}, map[string]struct{}{}, map[point]string{}, []uint16{}
	if !reflect.DeepEqual(back, a) {
		t.Errorf("Unmarshal =\n%+v\nwant\n%+v", back, a)
	}
}

func TestMarshalEmbedded(t *testing.T) {
	d := derived{base: base{ID: 1, Kind: "inner"}, Kind: "outer", Name: "n"}
	v, err := Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := Record(Field{"id", Int(1)}, Field{"Kind", String("outer")}, Field{"name", String("n")})
	if !Equal(v, want) {
		t.Fatalf("Marshal = %v, want %v", v, want)
	}
	var back derived
	if err := Unmarshal(v, &back); err != nil {
		t.Fatal(err)
	}
	if back.ID != 1 || back.Kind != "outer" || back.base.Kind != "" || back.Name != "n" {
		t.Errorf("Unmarshal = %+v", back)
	}
	type clash struct {
		A struct{ X int }
		B struct{ X int }
	}
	type ambiguous struct {
		A1 struct{ X int } `itf:"x"`
		A2 struct{ X int } `itf:"x"`
	}
	if _, err := Marshal(ambiguous{}); err == nil || !strings.Contains(err.Error(), `ambiguous field name "x"`) {
		t.Errorf("ambiguous fields: %v", err)
	}
	if _, err := Marshal(clash{}); err != nil {
		t.Errorf("distinct named fields: %v", err)
	}
}

func TestMarshalRecursive(t *testing.T) {
	list := &node{1, &node{2, nil}}
	v, err := Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	want := Record(Field{"val", Int(1)}, Field{"next", Some(Record(Field{"val", Int(2)}, Field{"next", None()}))})
	if !Equal(v, want) {
		t.Fatalf("Marshal = %v", v)
	}
	var back *node
	if err := Unmarshal(Some(v), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, list) {
		t.Errorf("Unmarshal = %+v", back)
	}
}

func TestUnmarshalLenient(t *testing.T) {
	var s []int
	if err := Unmarshal(Set(Int(2), Int(1)), &s); err != nil || !reflect.DeepEqual(s, []int{1, 2}) {
		t.Errorf("set into slice: %v %v", s, err)
	}
	if err := Unmarshal(Tuple(Int(3)), &s); err != nil || !reflect.DeepEqual(s, []int{3}) {
		t.Errorf("tuple into slice: %v %v", s, err)
	}
	var arr [2]string
	if err := Unmarshal(List(String("a"), String("b")), &arr); err != nil || arr != [2]string{"a", "b"} {
		t.Errorf("list into array: %v %v", arr, err)
	}
	var m map[string]int
	if err := Unmarshal(Record(Field{"a", Int(1)}), &m); err != nil || !reflect.DeepEqual(m, map[string]int{"a": 1}) {
		t.Errorf("record into map: %v %v", m, err)
	}
	var setBool map[int]bool
	if err := Unmarshal(Set(Int(4)), &setBool); err != nil || !reflect.DeepEqual(setBool, map[int]bool{4: true}) {
		t.Errorf("set into map[int]bool: %v %v", setBool, err)
	}
	var p point // extra record fields are ignored
	if err := Unmarshal(Record(Field{"X", Int(1)}, Field{"Y", Int(2)}, Field{"Z", Int(3)}), &p); err != nil || p != (point{1, 2}) {
		t.Errorf("record with extra field: %v %v", p, err)
	}
	var anything any
	if err := Unmarshal(Set(Int(1)), &anything); err != nil || !Equal(anything.(Value), Set(Int(1))) {
		t.Errorf("into any: %v %v", anything, err)
	}
	var str fmt.Stringer
	if err := Unmarshal(Int(1), &str); err != nil || str.String() != "1" {
		t.Errorf("into fmt.Stringer: %v %v", str, err)
	}
	target := 0
	var holder any = &target
	if err := Unmarshal(Int(9), &holder); err != nil || target != 9 {
		t.Errorf("into interface holding a pointer: %v %v", target, err)
	}
	var c colour
	if err := Unmarshal(Variant("green", Unit()), &c); err != nil || c != 1 {
		t.Errorf("Unmarshaler: %v %v", c, err)
	}
	var empty struct{}
	if err := Unmarshal(Unit(), &empty); err != nil {
		t.Errorf("unit into struct{}: %v", err)
	}
	var i idle
	if err := Unmarshal(Variant("Idle", Record()), &i); err != nil {
		t.Errorf("empty record payload into idle: %v", err)
	}
	var tup struct {
		P point `itf:"p,tuple"`
	}
	if err := Unmarshal(Record(Field{"p", List(Int(1), Int(2))}), &tup); err != nil || tup.P != (point{1, 2}) {
		t.Errorf("list into tuple struct: %v %v", tup, err)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	type inner struct {
		Zone map[int]int `itf:"zone"`
	}
	type wrapper struct {
		Items []inner `itf:"items"`
	}
	tests := []struct {
		name string
		val  Value
		dst  any
		want string
	}{
		{"kind", String("x"), new(int), "cannot unmarshal string into int"},
		{"int8 range", Int(300), new(int8), "cannot unmarshal 300 into int8: out of range"},
		{"int8 low", Int(-129), new(int8), "out of range"},
		{"uint negative", Int(-1), new(uint), "cannot unmarshal -1 into uint: out of range"},
		{"uint8 range", Int(256), new(uint8), "out of range"},
		{"int64 big", BigInt(bigFromString(t, "9223372036854775808")), new(int64), "out of range"},
		{"uint64 big", BigInt(bigFromString(t, "18446744073709551616")), new(uint64), "out of range"},
		{"bool", Int(1), new(bool), "cannot unmarshal int into bool"},
		{"big", String("1"), new(big.Int), "cannot unmarshal string into big.Int"},
		{"big ptr", String("1"), new(*big.Int), "cannot unmarshal string into *big.Int"},
		{"array length", List(Int(1)), new([2]int), "cannot unmarshal list of 1 elements into [2]int"},
		{"array from set", Set(Int(1)), new([1]int), "cannot unmarshal set into [1]int"},
		{"map", List(), new(map[int]int), "cannot unmarshal list into map[int]int"},
		{"set into map[int]int", Set(), new(map[int]int), "cannot unmarshal set into map[int]int"},
		{"missing field", Record(Field{"X", Int(1)}), new(point), `record has no field "Y" (needed by itf.point)`},
		{"struct from list", List(), new(point), "cannot unmarshal list into itf.point"},
		{"tuple arity", Record(Field{"limits", Tuple(Int(1))}), new(struct {
			L [2]int `itf:"limits,tuple"`
		}), ".limits: cannot unmarshal tuple of 1 elements into [2]int"},
		{"tuple struct arity", Record(Field{"P", Tuple(Int(1))}), new(struct {
			P point `itf:",tuple"`
		}), ".P: cannot unmarshal tuple of 1 elements into itf.point (tuple of 2 fields)"},
		{"pointer", Int(1), new(*int), "cannot unmarshal int into *int (want Some(x) or None)"},
		{"pointer tag", Variant("Maybe", Int(1)), new(*int), `cannot unmarshal variant "Maybe" into *int`},
		{"pointer payload", Some(String("x")), new(*int), ".value: cannot unmarshal string into int"},
		{"interface", Int(1), new(error), "cannot unmarshal int into interface error"},
		{"variant tag", Variant("Withdraw", Record()), new(deposit), `cannot unmarshal variant "Withdraw" into itf.deposit (tag "Deposit")`},
		{"variant kind", Record(), new(deposit), "cannot unmarshal record into itf.deposit"},
		{"variant payload", Variant("Deposit", Record(Field{"amount", String("x")})), new(deposit), ".value.amount: cannot unmarshal string into int"},
		{"unmarshaler", Variant("blue", Unit()), new(colour), "itf.colour.UnmarshalITF: unknown colour blue"},
		{"float", Int(1), new(float64), "unsupported type float64: ITF has no float64 values"},
		{"chan", Int(1), new(chan int), "unsupported type chan int"},
		{"zero value", Value{}, new(int), "cannot unmarshal invalid (zero) Value into int"},
		{"path", Record(Field{"items", List(
			Record(Field{"zone", Map()}),
			Record(Field{"zone", Map(Entry{Int(1), Int(1)}, Entry{Int(2), Int(2)}, Entry{Int(3), String("x")})}),
		)}), new(wrapper), "itf: unmarshal into itf.wrapper: .items[1].zone.#map[2].value: cannot unmarshal string into int"},
		{"map key path", Map(Entry{String("k"), Int(1)}), new(map[int]int), ".#map[0].key: cannot unmarshal string into int"},
		{"record as map path", Record(Field{"a", String("k")}), new(map[string]int), ".a: cannot unmarshal string into int"},
		{"set into map path", Set(String("k")), new(map[int]bool), "[0]: cannot unmarshal string into int"},
	}
	for _, tt := range tests {
		err := Unmarshal(tt.val, tt.dst)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Unmarshal(%v) = %v\nwant error containing %q", tt.name, tt.val, err, tt.want)
			continue
		}
		var ve *ValueError
		if !errors.As(err, &ve) {
			t.Errorf("%s: not a *ValueError: %T", tt.name, err)
		}
	}
	for _, dst := range []any{nil, 3, (*int)(nil)} {
		if err := Unmarshal(Int(1), dst); err == nil || !strings.Contains(err.Error(), "need a non-nil pointer") {
			t.Errorf("Unmarshal into %#v: %v", dst, err)
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	type withFloat struct {
		Rates map[string][]float64 `itf:"rates"`
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, "itf: marshal: nil value"},
		{"float", 1.5, "unsupported type float64"},
		{"path", withFloat{map[string][]float64{"a": {1}}}, `itf: marshal itf.withFloat: .rates.#map[key a].value[0]: unsupported type float64`},
		{"func", struct{ F func() }{}, ".F: unsupported type func()"},
		{"nil big", struct{ B *big.Int }{}, ".B: nil *big.Int"},
		{"nil interface", struct{ I any }{}, ".I: nil interface {}"},
		{"marshaler error", []colour{0, 7}, "[1]: itf.colour.MarshalITF: no colour 7"},
		{"zero Value", struct{ V Value }{}, ".V: invalid (zero) Value"},
		{"complex", []complex64{1}, "[0]: unsupported type complex64"},
	}
	for _, tt := range tests {
		_, err := Marshal(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Marshal = %v\nwant error containing %q", tt.name, err, tt.want)
		}
	}
	// A failing codec does not accumulate paths across calls.
	for range 2 {
		_, err := Marshal(struct{ F []func() }{[]func(){nil}})
		if err == nil || !strings.HasSuffix(err.Error(), ": .F[0]: unsupported type func(): ITF has no func values") {
			t.Errorf("repeated failure: %v", err)
		}
	}
}

func TestUnmarshalStates(t *testing.T) {
	tr := decodeFile(t, "quint-mbt.itf.json")
	type step struct {
		Balances map[string]int   `itf:"balances"`
		Action   string           `itf:"mbt::actionTaken"`
		Picks    map[string]Value `itf:"mbt::nondetPicks"`
	}
	var steps []step
	if err := tr.UnmarshalStates(&steps); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 4 || steps[2].Action != "transfer" || steps[2].Balances["bob"] != 3 || !Equal(steps[2].Picks["amount"], Some(Int(3))) {
		t.Errorf("steps = %+v", steps)
	}
	var one step
	if err := tr.States[1].Unmarshal(&one); err != nil || one.Balances["alice"] != 10 {
		t.Errorf("State.Unmarshal: %+v %v", one, err)
	}
	type wrong struct {
		Balances map[string]string `itf:"balances"`
	}
	var bad []wrong
	err := tr.UnmarshalStates(&bad)
	if err == nil || !strings.Contains(err.Error(), "itf: unmarshal states: states[1].balances.#map[0].value: cannot unmarshal int into string") {
		t.Errorf("UnmarshalStates error = %v", err)
	}
	if err := tr.UnmarshalStates(steps); err == nil {
		t.Error("UnmarshalStates into a non-pointer succeeded")
	}
}

func TestMarshalConcurrent(t *testing.T) {
	type fresh struct {
		A []map[string]*node `itf:"a"`
	}
	done := make(chan error)
	for range 8 {
		go func() {
			v, err := Marshal(fresh{A: []map[string]*node{{"x": {Val: 1}}}})
			if err == nil {
				var back fresh
				err = Unmarshal(v, &back)
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestMarshalCyclic(t *testing.T) {
	type cyc struct{ Next *cyc }
	c := &cyc{}
	c.Next = c
	if _, err := Marshal(c); err == nil || !strings.Contains(err.Error(), "cyclic data?") {
		t.Errorf("cyclic pointers: %v", err)
	}
	a := []any{nil}
	a[0] = a
	if _, err := Marshal(a); err == nil || !strings.Contains(err.Error(), "cyclic data?") {
		t.Errorf("cyclic slice: %v", err)
	}
}

var errSentinel = errors.New("sentinel")

type failingMarshaler struct{}

func (failingMarshaler) MarshalITF() (Value, error) { return Value{}, errSentinel }

func TestErrorsUnwrap(t *testing.T) {
	_, err := Marshal([]failingMarshaler{{}})
	if !errors.Is(err, errSentinel) {
		t.Errorf("Marshal error does not wrap the Marshaler's: %v", err)
	}
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Path != "[0]" {
		t.Errorf("ValueError = %+v", ve)
	}
	tr := &Trace{Vars: []string{"x"}, States: []State{{Values: map[string]Value{"x": List(Value{})}}}}
	err = tr.Encode(io.Discard)
	if !errors.As(err, &ve) || ve.Path != "[0]" || !errors.Is(err, errInvalidValue) {
		t.Errorf("Encode error = %v", err)
	}
	if err == nil || err.Error() != `itf: encode: state 0, variable "x": [0]: invalid (zero) Value` {
		t.Errorf("Encode error = %v", err)
	}
}
