package itf

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// Kind identifies the shape of a [Value].
type Kind uint8

// The kinds of ITF values. The zero Kind marks the invalid zero [Value].
const (
	KindBool           Kind = iota + 1 // JSON true/false
	KindInt                            // {"#bigint": "..."} or a JSON integer
	KindString                         // JSON string
	KindList                           // JSON array
	KindTuple                          // {"#tup": [...]}
	KindSet                            // {"#set": [...]}
	KindMap                            // {"#map": [[k, v], ...]}
	KindRecord                         // JSON object with field names not starting with '#'
	KindVariant                        // {"tag": "T", "value": v}
	KindUnserializable                 // {"#unserializable": "text"}
	KindNull                           // JSON null (not ADR-015; see Null)
)

var kindNames = [...]string{
	0:                  "invalid",
	KindBool:           "bool",
	KindInt:            "int",
	KindString:         "string",
	KindList:           "list",
	KindTuple:          "tuple",
	KindSet:            "set",
	KindMap:            "map",
	KindRecord:         "record",
	KindVariant:        "variant",
	KindUnserializable: "unserializable",
	KindNull:           "null",
}

// String returns the lower-case name of the kind, such as "set" or "record".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is an immutable ITF value.
//
// Values are built with the constructors ([Bool], [Int], [Set], [Record], ...)
// or decoded from JSON. Constructors copy their arguments, so a Value never
// changes after it is built and can be shared freely between goroutines.
// Sets, maps and records are kept in a canonical order, so two equal values
// have the same representation and the same canonical JSON encoding.
//
// The zero Value is invalid: its Kind is 0 and IsValid reports false.
//
// Values cannot be compared with ==; use [Equal] or [Compare].
type Value struct {
	_    [0]func() // not comparable: == would not compare sets and maps as sets
	kind Kind
	num  int64  // KindBool: 0 or 1; KindInt: the value when ref is nil
	str  string // KindString: the string; KindVariant: the tag; KindUnserializable: the text
	// ref holds the rest, depending on kind:
	//   KindInt: *big.Int (only when the value does not fit in an int64)
	//   KindList, KindTuple, KindSet: []Value
	//   KindMap: []Entry
	//   KindRecord: []Field
	//   KindVariant: *Value (the payload)
	ref any
}

// Entry is one key/value pair of an ITF map.
type Entry struct {
	Key   Value // the key, of any kind
	Value Value // the value associated with Key
}

// Field is one named field of an ITF record.
type Field struct {
	Name  string // the field name; it must not start with '#'
	Value Value  // the field value
}

// Bool returns a boolean value.
func Bool(b bool) Value {
	v := Value{kind: KindBool}
	if b {
		v.num = 1
	}
	return v
}

// Int returns an integer value.
func Int(i int64) Value { return Value{kind: KindInt, num: i} }

// BigInt returns an integer value holding a copy of i. Integers that fit in an
// int64 are stored like those made by [Int], so BigInt(big.NewInt(5)) and
// Int(5) are identical. BigInt(nil) returns the invalid zero Value.
func BigInt(i *big.Int) Value {
	if i == nil {
		return Value{}
	}
	if i.IsInt64() {
		return Int(i.Int64())
	}
	return Value{kind: KindInt, ref: new(big.Int).Set(i)}
}

// bigOwned is like BigInt but takes ownership of i.
func bigOwned(i *big.Int) Value {
	if i.IsInt64() {
		return Int(i.Int64())
	}
	return Value{kind: KindInt, ref: i}
}

// String returns a string value.
func String(s string) Value { return Value{kind: KindString, str: s} }

// List returns a list (sequence) of the given elements, in order.
func List(elems ...Value) Value { return Value{kind: KindList, ref: clone(elems)} }

// Tuple returns a tuple of the given elements, in order.
func Tuple(elems ...Value) Value { return Value{kind: KindTuple, ref: clone(elems)} }

// Unit returns Quint's unit value, the empty tuple. It is the payload of
// variants without data, such as None.
func Unit() Value { return Value{kind: KindTuple} }

// Set returns a set of the given elements. Duplicates (by [Equal]) are
// removed and the elements are kept in canonical order (by [Compare]).
func Set(elems ...Value) Value { return setOwned(clone(elems)) }

// Map returns a map of the given entries. When several entries have equal
// keys the last one wins. Entries are kept in canonical key order.
func Map(entries ...Entry) Value { return mapOwned(clone(entries)) }

// Record returns a record with the given fields, kept sorted by name. When
// several fields have the same name the last one wins.
func Record(fields ...Field) Value { return recordOwned(clone(fields)) }

// Variant returns a variant (a value of a sum type) with the given tag and
// payload. Variants without data carry [Unit] as payload.
func Variant(tag string, v Value) Value {
	return Value{kind: KindVariant, str: tag, ref: &v}
}

// Null returns the null value: JSON null, which ADR-015 does not define
// but which some producers write inside states (an unset field such as a
// "ghost_action" before the first step). It decodes from and encodes to
// null, prints as null, is equal only to itself and sorts after every
// other kind. Decoding in strict mode ([DecodeOptions].Strict) refuses it.
func Null() Value { return Value{kind: KindNull} }

// Unserializable returns a value standing for something a tool could not
// write, such as the infinite set Int. text is its human-readable form.
func Unserializable(text string) Value {
	return Value{kind: KindUnserializable, str: text}
}

func clone[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// setOwned sorts and deduplicates elems in place and takes ownership.
func setOwned(elems []Value) Value {
	if !sortedStrict(elems) {
		slices.SortStableFunc(elems, Compare)
		elems = slices.CompactFunc(elems, Equal)
	}
	if len(elems) == 0 {
		elems = nil
	}
	return Value{kind: KindSet, ref: elems}
}

func sortedStrict(elems []Value) bool {
	for i := 1; i < len(elems); i++ {
		if Compare(elems[i-1], elems[i]) >= 0 {
			return false
		}
	}
	return true
}

// mapOwned sorts entries by key in place (last duplicate wins) and takes
// ownership.
func mapOwned(entries []Entry) Value {
	sorted := true
	for i := 1; i < len(entries); i++ {
		if Compare(entries[i-1].Key, entries[i].Key) >= 0 {
			sorted = false
			break
		}
	}
	if !sorted {
		slices.SortStableFunc(entries, func(a, b Entry) int { return Compare(a.Key, b.Key) })
		entries = compactLast(entries, func(a, b Entry) bool { return Equal(a.Key, b.Key) })
	}
	if len(entries) == 0 {
		entries = nil
	}
	return Value{kind: KindMap, ref: entries}
}

// recordOwned sorts fields by name in place (last duplicate wins) and takes
// ownership.
func recordOwned(fields []Field) Value {
	sorted := true
	for i := 1; i < len(fields); i++ {
		if fields[i-1].Name >= fields[i].Name {
			sorted = false
			break
		}
	}
	if !sorted {
		slices.SortStableFunc(fields, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
		fields = compactLast(fields, func(a, b Field) bool { return a.Name == b.Name })
	}
	if len(fields) == 0 {
		fields = nil
	}
	return Value{kind: KindRecord, ref: fields}
}

// compactLast removes runs of equal consecutive elements, keeping the last
// element of each run.
func compactLast[T any](s []T, eq func(a, b T) bool) []T {
	out := s[:0]
	for i := range s {
		if i+1 < len(s) && eq(s[i], s[i+1]) {
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// Kind returns the kind of v, or 0 for the zero Value.
func (v Value) Kind() Kind { return v.kind }

// IsValid reports whether v is a value, that is, not the zero Value. It does
// not look inside composite values.
func (v Value) IsValid() bool { return v.kind != 0 }

// AsBool returns the boolean held by v and whether v is a boolean.
func (v Value) AsBool() (bool, bool) {
	if v.kind != KindBool {
		return false, false
	}
	return v.num != 0, true
}

// AsInt64 returns the integer held by v. It reports false if v is not an
// integer or does not fit in an int64.
func (v Value) AsInt64() (int64, bool) {
	if v.kind != KindInt || v.ref != nil {
		return 0, false
	}
	return v.num, true
}

// AsBigInt returns a fresh copy of the integer held by v and whether v is an
// integer.
func (v Value) AsBigInt() (*big.Int, bool) {
	if v.kind != KindInt {
		return nil, false
	}
	if b, ok := v.ref.(*big.Int); ok {
		return new(big.Int).Set(b), true
	}
	return big.NewInt(v.num), true
}

// bigOrNil returns the shared big integer of an out-of-range integer, or nil.
func (v Value) bigOrNil() *big.Int {
	b, _ := v.ref.(*big.Int)
	return b
}

// AsString returns the string held by v and whether v is a string.
func (v Value) AsString() (string, bool) {
	if v.kind != KindString {
		return "", false
	}
	return v.str, true
}

// Elems returns the elements of a list, tuple or set (sets in canonical
// order), and nil for other kinds. Callers must not modify the result.
func (v Value) Elems() []Value {
	e, _ := v.ref.([]Value)
	return slices.Clip(e) // appending to the result must not share storage
}

// Entries returns the entries of a map in canonical key order, and nil for
// other kinds. Callers must not modify the result.
func (v Value) Entries() []Entry {
	e, _ := v.ref.([]Entry)
	return slices.Clip(e)
}

// Fields returns the fields of a record sorted by name, and nil for other
// kinds. Callers must not modify the result.
func (v Value) Fields() []Field {
	f, _ := v.ref.([]Field)
	return slices.Clip(f)
}

// Field returns the record field with the given name.
func (v Value) Field(name string) (Value, bool) {
	fields := v.Fields()
	i, ok := slices.BinarySearchFunc(fields, name, func(f Field, n string) int {
		return strings.Compare(f.Name, n)
	})
	if !ok {
		return Value{}, false
	}
	return fields[i].Value, true
}

// Get returns the value a map associates with key.
func (v Value) Get(key Value) (Value, bool) {
	entries := v.Entries()
	i, ok := slices.BinarySearchFunc(entries, key, func(e Entry, k Value) int {
		return Compare(e.Key, k)
	})
	if !ok {
		return Value{}, false
	}
	return entries[i].Value, true
}

// Contains reports whether the set, list or tuple v has an element equal to
// elem.
func (v Value) Contains(elem Value) bool {
	if v.kind == KindSet {
		_, ok := slices.BinarySearchFunc(v.Elems(), elem, Compare)
		return ok
	}
	return slices.ContainsFunc(v.Elems(), func(e Value) bool { return Equal(e, elem) })
}

// Tag returns the tag of a variant, and "" for other kinds.
func (v Value) Tag() string {
	if v.kind != KindVariant {
		return ""
	}
	return v.str
}

// Payload returns the value carried by a variant, and the zero Value for
// other kinds.
func (v Value) Payload() Value {
	if p, ok := v.ref.(*Value); ok {
		return *p
	}
	return Value{}
}

// Text returns the text of an unserializable value, and "" for other kinds.
func (v Value) Text() string {
	if v.kind != KindUnserializable {
		return ""
	}
	return v.str
}

// Len returns the number of elements of a list, tuple or set, of entries of
// a map, of fields of a record, or of bytes of a string; 0 otherwise.
func (v Value) Len() int {
	switch v.kind {
	case KindList, KindTuple, KindSet:
		return len(v.Elems())
	case KindMap:
		return len(v.Entries())
	case KindRecord:
		return len(v.Fields())
	case KindString:
		return len(v.str)
	}
	return 0
}
