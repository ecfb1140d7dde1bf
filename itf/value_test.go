package itf

import (
	"math/big"
	"slices"
	"testing"
)

func bigFromString(t testing.TB, s string) *big.Int {
	t.Helper()
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		t.Fatalf("bad big int %q", s)
	}
	return b
}

func TestKindString(t *testing.T) {
	want := []string{"invalid", "bool", "int", "string", "list", "tuple", "set", "map", "record", "variant", "unserializable"}
	for k := Kind(0); k <= KindUnserializable; k++ {
		if got := k.String(); got != want[k] {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want[k])
		}
	}
	if got := Kind(99).String(); got != "Kind(99)" {
		t.Errorf("Kind(99).String() = %q", got)
	}
}

func TestConstructorsAndAccessors(t *testing.T) {
	if (Value{}).IsValid() || (Value{}).Kind() != 0 {
		t.Fatal("zero Value must be invalid")
	}
	if b, ok := Bool(true).AsBool(); !ok || !b {
		t.Error("Bool(true).AsBool()")
	}
	if _, ok := Int(1).AsBool(); ok {
		t.Error("Int.AsBool must fail")
	}
	if n, ok := Int(-42).AsInt64(); !ok || n != -42 {
		t.Error("Int(-42).AsInt64()")
	}
	huge := bigFromString(t, "123456789012345678901234567890")
	hv := BigInt(huge)
	huge.SetInt64(0) // BigInt must have copied
	if _, ok := hv.AsInt64(); ok {
		t.Error("huge AsInt64 must fail")
	}
	got, ok := hv.AsBigInt()
	if !ok || got.String() != "123456789012345678901234567890" {
		t.Errorf("AsBigInt = %v", got)
	}
	got.SetInt64(1) // the result must be a fresh copy
	if hv.String() != "123456789012345678901234567890" {
		t.Error("AsBigInt returned shared storage")
	}
	if v := BigInt(big.NewInt(5)); v.kind != KindInt || v.ref != nil || v.num != 5 {
		t.Error("BigInt(5) must normalise to the int64 fast path")
	}
	if BigInt(nil).IsValid() {
		t.Error("BigInt(nil) must be invalid")
	}
	if s, ok := String("hi").AsString(); !ok || s != "hi" {
		t.Error("String.AsString")
	}

	elems := []Value{Int(2), Int(1)}
	l := List(elems...)
	elems[0] = Int(100) // List must have copied
	if l.Kind() != KindList || l.Len() != 2 || !Equal(l.Elems()[0], Int(2)) {
		t.Errorf("List = %v", l)
	}
	if tu := Tuple(Int(1), String("x")); tu.Kind() != KindTuple || tu.Len() != 2 {
		t.Errorf("Tuple = %v", tu)
	}
	if u := Unit(); u.Kind() != KindTuple || u.Len() != 0 {
		t.Errorf("Unit = %v", u)
	}

	r := Record(Field{"y", Int(1)}, Field{"x", Int(2)}, Field{"y", Int(3)})
	if names := fieldNames(r); !slices.Equal(names, []string{"x", "y"}) {
		t.Errorf("record fields = %v", names)
	}
	if y, ok := r.Field("y"); !ok || !Equal(y, Int(3)) {
		t.Errorf("duplicate field: last must win, got %v", y)
	}
	if _, ok := r.Field("z"); ok {
		t.Error("Field(z) found")
	}

	m := Map(Entry{String("b"), Int(1)}, Entry{String("a"), Int(2)}, Entry{String("b"), Int(3)})
	if m.Len() != 2 || !Equal(m.Entries()[0].Key, String("a")) {
		t.Errorf("map = %v", m)
	}
	if v, ok := m.Get(String("b")); !ok || !Equal(v, Int(3)) {
		t.Errorf("duplicate key: last must win, got %v", v)
	}
	if _, ok := m.Get(Int(1)); ok {
		t.Error("Get(1) found")
	}

	v := Variant("Some", Int(3))
	if v.Tag() != "Some" || !Equal(v.Payload(), Int(3)) || v.Kind() != KindVariant {
		t.Errorf("variant = %v", v)
	}
	if Int(3).Tag() != "" || Int(3).Payload().IsValid() {
		t.Error("Tag/Payload of non-variant")
	}
	if u := Unserializable("Int"); u.Text() != "Int" || u.Kind() != KindUnserializable {
		t.Error("Unserializable")
	}
	if String("Int").Text() != "" {
		t.Error("Text of non-unserializable")
	}
	if Some(Int(1)).Tag() != "Some" || !Equal(None(), Variant("None", Tuple())) {
		t.Error("Some/None")
	}
	if Int(5).Elems() != nil || Int(5).Entries() != nil || Int(5).Fields() != nil || Int(5).Len() != 0 {
		t.Error("accessors of scalars must be empty")
	}
}

func fieldNames(v Value) []string {
	var names []string
	for _, f := range v.Fields() {
		names = append(names, f.Name)
	}
	return names
}

func TestSetCanonical(t *testing.T) {
	s := Set(Int(3), Int(1), String("a"), Int(2), Int(1), Bool(true), BigInt(big.NewInt(2)))
	want := []Value{Bool(true), Int(1), Int(2), Int(3), String("a")}
	if !slices.EqualFunc(s.Elems(), want, Equal) {
		t.Errorf("Set elems = %v, want %v", s.Elems(), want)
	}
	if !s.Contains(Int(2)) || s.Contains(Int(4)) {
		t.Error("Contains")
	}
	if !List(Int(1), Int(2)).Contains(Int(2)) {
		t.Error("list Contains")
	}
	if e := Set(); e.Kind() != KindSet || e.Len() != 0 {
		t.Error("empty set")
	}
}

func TestEqualCompare(t *testing.T) {
	big1 := bigFromString(t, "100000000000000000000")
	negBig := bigFromString(t, "-100000000000000000000")
	tests := []struct {
		name string
		a, b Value
		cmp  int
	}{
		{"bools", Bool(false), Bool(true), -1},
		{"ints", Int(-5), Int(3), -1},
		{"int vs bigint same", Int(5), BigInt(big.NewInt(5)), 0},
		{"small vs big", Int(1 << 62), BigInt(big1), -1},
		{"negative big vs small", BigInt(negBig), Int(-1 << 62), -1},
		{"big vs big", BigInt(negBig), BigInt(big1), -1},
		{"big equal", BigInt(big1), BigInt(new(big.Int).Set(big1)), 0},
		{"strings", String("a"), String("b"), -1},
		{"kind order bool<int", Bool(true), Int(0), -1},
		{"kind order list<tuple", List(Int(9)), Tuple(), -1},
		{"kind order record<variant", Record(), None(), -1},
		{"list prefix", List(Int(1)), List(Int(1), Int(0)), -1},
		{"list elementwise", List(Int(2)), List(Int(1), Int(5)), 1},
		{"sets order-insensitive", Set(Int(1), Int(2), Int(3)), Set(Int(3), Int(2), Int(1)), 0},
		{"sets with dup", Set(Int(1), Int(1)), Set(Int(1)), 0},
		{"sets differ", Set(Int(1), Int(2)), Set(Int(1), Int(3)), -1},
		{"maps order-insensitive",
			Map(Entry{Int(1), String("a")}, Entry{Int(2), String("b")}),
			Map(Entry{Int(2), String("b")}, Entry{Int(1), String("a")}), 0},
		{"maps differ in value",
			Map(Entry{Int(1), String("a")}), Map(Entry{Int(1), String("b")}), -1},
		{"maps with set keys",
			Map(Entry{Set(Int(1), Int(2)), Bool(true)}),
			Map(Entry{Set(Int(2), Int(1)), Bool(true)}), 0},
		{"records order-insensitive",
			Record(Field{"a", Int(1)}, Field{"b", Int(2)}),
			Record(Field{"b", Int(2)}, Field{"a", Int(1)}), 0},
		{"records by name", Record(Field{"a", Int(9)}), Record(Field{"b", Int(0)}), -1},
		{"variants by tag", Variant("A", Int(9)), Variant("B", Int(0)), -1},
		{"variants by payload", Some(Int(1)), Some(Int(2)), -1},
		{"unserializable", Unserializable("Int"), Unserializable("Nat"), -1},
		{"nested sets", Set(Set(Int(2)), Set(Int(1))), Set(Set(Int(1)), Set(Int(2))), 0},
		{"zero values", Value{}, Value{}, 0},
		{"zero before all", Value{}, Bool(false), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare(tt.a, tt.b); got != tt.cmp {
				t.Errorf("Compare(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.cmp)
			}
			if got := Compare(tt.b, tt.a); got != -tt.cmp {
				t.Errorf("Compare(%v, %v) = %d, want %d", tt.b, tt.a, got, -tt.cmp)
			}
			if got := Equal(tt.a, tt.b); got != (tt.cmp == 0) {
				t.Errorf("Equal(%v, %v) = %v", tt.a, tt.b, got)
			}
		})
	}
}

func TestString(t *testing.T) {
	huge := bigFromString(t, "-123456789012345678901234567890")
	tests := []struct {
		v    Value
		want string
	}{
		{Bool(true), "true"},
		{Int(-7), "-7"},
		{BigInt(huge), "-123456789012345678901234567890"},
		{String("a\"b"), `"a\"b"`},
		{List(String("a"), String("b")), `["a", "b"]`},
		{List(), "[]"},
		{Tuple(Int(1), String("x")), `(1, "x")`},
		{Unit(), "()"},
		{Set(Int(2), Int(1)), "{1, 2}"},
		{Set(), "{}"},
		{Map(Entry{Int(1), Int(2)}, Entry{Int(3), Int(4)}), "Map(1 -> 2, 3 -> 4)"},
		{Map(), "Map()"},
		{Record(Field{"y", Bool(true)}, Field{"x", Int(1)}), "{x: 1, y: true}"},
		{Some(Int(3)), "Some(3)"},
		{None(), "None"},
		{Variant("Pair", Tuple(Int(1), Int(2))), "Pair((1, 2))"},
		{Unserializable("Int"), "<unserializable: Int>"},
		{Value{}, "<invalid>"},
		{List(Set(Record(Field{"a", Some(Map(Entry{String("k"), List()}))}))), `[{{a: Some(Map("k" -> []))}}]`},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
	}
}
