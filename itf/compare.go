package itf

import (
	"cmp"
	"strings"
)

// Equal reports whether a and b are the same ITF value. Sets and maps are
// compared as sets (the order in which their elements were given does not
// matter) and integers by their numeric value, whatever their size.
func Equal(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case 0, KindNull:
		return true
	case KindBool:
		return a.num == b.num
	case KindInt:
		ab, bb := a.bigOrNil(), b.bigOrNil()
		if ab == nil || bb == nil {
			return ab == nil && bb == nil && a.num == b.num
		}
		return ab.Cmp(bb) == 0
	case KindString, KindUnserializable:
		return a.str == b.str
	case KindList, KindTuple, KindSet:
		ae, be := a.Elems(), b.Elems()
		if len(ae) != len(be) {
			return false
		}
		for i := range ae {
			if !Equal(ae[i], be[i]) {
				return false
			}
		}
		return true
	case KindMap:
		ae, be := a.Entries(), b.Entries()
		if len(ae) != len(be) {
			return false
		}
		for i := range ae {
			if !Equal(ae[i].Key, be[i].Key) || !Equal(ae[i].Value, be[i].Value) {
				return false
			}
		}
		return true
	case KindRecord:
		af, bf := a.Fields(), b.Fields()
		if len(af) != len(bf) {
			return false
		}
		for i := range af {
			if af[i].Name != bf[i].Name || !Equal(af[i].Value, bf[i].Value) {
				return false
			}
		}
		return true
	case KindVariant:
		return a.str == b.str && Equal(a.Payload(), b.Payload())
	}
	return false
}

// Compare returns -1, 0 or +1 depending on whether a sorts before, equal to
// or after b. It is a total order consistent with [Equal]: values are
// ordered first by kind (in the order of the Kind constants), then by
// content: booleans false before true, integers numerically, strings and
// unserializable texts bytewise, lists, tuples and sets lexicographically by
// element (sets in canonical order), maps lexicographically by key then
// value, records lexicographically by field name then value, variants by tag
// then payload. It defines the canonical order of set elements, map keys and
// thus of the canonical JSON encoding.
func Compare(a, b Value) int {
	if a.kind != b.kind {
		return cmp.Compare(a.kind, b.kind)
	}
	switch a.kind {
	case KindBool:
		return cmp.Compare(a.num, b.num)
	case KindInt:
		ab, bb := a.bigOrNil(), b.bigOrNil()
		switch {
		case ab == nil && bb == nil:
			return cmp.Compare(a.num, b.num)
		case ab == nil:
			return -bb.Sign() // a fits in int64, b does not
		case bb == nil:
			return ab.Sign()
		}
		return ab.Cmp(bb)
	case KindString, KindUnserializable:
		return strings.Compare(a.str, b.str)
	case KindList, KindTuple, KindSet:
		ae, be := a.Elems(), b.Elems()
		for i := range min(len(ae), len(be)) {
			if c := Compare(ae[i], be[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(ae), len(be))
	case KindMap:
		ae, be := a.Entries(), b.Entries()
		for i := range min(len(ae), len(be)) {
			if c := Compare(ae[i].Key, be[i].Key); c != 0 {
				return c
			}
			if c := Compare(ae[i].Value, be[i].Value); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(ae), len(be))
	case KindRecord:
		af, bf := a.Fields(), b.Fields()
		for i := range min(len(af), len(bf)) {
			if c := strings.Compare(af[i].Name, bf[i].Name); c != 0 {
				return c
			}
			if c := Compare(af[i].Value, bf[i].Value); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(af), len(bf))
	case KindVariant:
		if c := strings.Compare(a.str, b.str); c != 0 {
			return c
		}
		return Compare(a.Payload(), b.Payload())
	}
	return 0
}
