package reference

import (
	"bytes"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The identity of a state: Key walks a Go value with package reflect,
// reading only, and writes a string in which equal values, and only equal
// values, agree. It shares no code with the engines' state runtime (their
// copy, encoding and fingerprints are what it checks): maps and sets are
// written in the order of their entries' own keys, nil and empty maps,
// slices and sets alike, pointers by what they point at. The walk for a
// type is worked out once (see planOf).

const rootPkg = "github.com/execspec/execspec"

// plan is how Key and fresh handle one type.
type plan struct {
	// special says which of the model API's value types the type is, if
	// any ("Set", "VSet", "BigInt"): their representation is not their
	// meaning, so Key and fresh know each.
	special string
	// plain is true when an assignment copies a value of the type
	// completely: it holds no map, slice, pointer, interface or special
	// value.
	plain bool
	// key appends the key of v.
	key func(b []byte, v reflect.Value) []byte
	// copy writes a fresh copy of src into dst (see fresh); nil when
	// plain.
	copy func(dst, src reflect.Value)
}

var (
	plans sync.Map // reflect.Type -> *plan, complete

	// planMu serializes the working out of plans, so that no plan is
	// seen before it is complete: searches compared in parallel ask for
	// the same types at once.
	planMu   sync.Mutex
	building map[reflect.Type]*plan // under planMu: the plans being worked out
)

// planOf returns the plan of t, working it out the first time.
func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	planMu.Lock()
	defer planMu.Unlock()
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	building = map[reflect.Type]*plan{}
	p := partPlan(t)
	// Published together, once all are complete: a plan refers to the
	// plans of its parts.
	for t, q := range building {
		plans.Store(t, q)
	}
	building = nil
	return p
}

// partPlan is planOf for the parts of a type whose plan is being worked
// out (under planMu). A plan is registered before its parts are worked
// out, so that a type met again inside itself (not a state type, but Key
// must not loop) finds it.
func partPlan(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p := building[t]; p != nil {
		return p
	}
	p := &plan{}
	building[t] = p
	p.build(t)
	return p
}

// Key returns the canonical key of the value v.
func Key(v reflect.Value) string {
	return string(planOf(v.Type()).key(nil, v))
}

func (p *plan) build(t reflect.Type) {
	if t.PkgPath() == rootPkg {
		switch name := t.Name(); {
		case strings.HasPrefix(name, "Set["):
			p.special = "Set"
		case strings.HasPrefix(name, "VSet["):
			p.special = "VSet"
		case name == "BigInt":
			p.special = "BigInt"
		}
	}
	switch p.special {
	case "Set":
		// A Set is a pointer to its body, whose map holds the elements;
		// the body's caches are not read: the map is the truth.
		ep := partPlan(t.Field(1).Type.Elem().Field(0).Type.Key())
		p.key = func(b []byte, v reflect.Value) []byte {
			var elems [][]byte
			if body := v.Field(1); !body.IsNil() {
				if m := body.Elem().Field(0); !m.IsNil() {
					it := m.MapRange()
					for it.Next() {
						elems = append(elems, ep.key(nil, it.Key()))
					}
				}
			}
			return appendSorted(b, "set{", elems)
		}
		// Set.Clone makes a new set with its own body and map.
		clone, _ := t.MethodByName("Clone")
		p.copy = func(dst, src reflect.Value) { dst.Set(src.Method(clone.Index).Call(nil)[0]) }
		return
	case "VSet":
		ep := partPlan(t.Field(1).Type.Elem())
		p.key = func(b []byte, v reflect.Value) []byte {
			es := v.Field(1)
			elems := make([][]byte, es.Len())
			for i := range elems {
				elems[i] = ep.key(nil, es.Index(i))
			}
			return appendSorted(b, "set{", elems)
		}
		p.copy = func(dst, src reflect.Value) { dst.Set(src) } // immutable
		return
	case "BigInt":
		p.key = func(b []byte, v reflect.Value) []byte { return bigOf(v).Append(b, 10) }
		p.copy = func(dst, src reflect.Value) { dst.Set(src) } // immutable
		return
	}
	p.plain = true
	switch t.Kind() {
	case reflect.Bool:
		p.key = func(b []byte, v reflect.Value) []byte { return strconv.AppendBool(b, v.Bool()) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.key = func(b []byte, v reflect.Value) []byte { return strconv.AppendInt(b, v.Int(), 10) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.key = func(b []byte, v reflect.Value) []byte { return strconv.AppendUint(b, v.Uint(), 10) }
	case reflect.String:
		p.key = func(b []byte, v reflect.Value) []byte { return strconv.AppendQuote(b, v.String()) }
	case reflect.Array, reflect.Slice:
		ep := partPlan(t.Elem())
		p.plain = t.Kind() == reflect.Array && ep.plain
		p.key = func(b []byte, v reflect.Value) []byte {
			b = append(b, '[')
			for i := 0; i < v.Len(); i++ {
				if i > 0 {
					b = append(b, ',')
				}
				b = ep.key(b, v.Index(i))
			}
			return append(b, ']')
		}
		if t.Kind() == reflect.Slice {
			p.copy = func(dst, src reflect.Value) {
				n := src.Len()
				if n == 0 {
					return // the empty slice is nil
				}
				s := reflect.MakeSlice(t, n, n)
				if ep.plain {
					reflect.Copy(s, src)
				} else {
					for i := 0; i < n; i++ {
						ep.copyInto(s.Index(i), src.Index(i))
					}
				}
				dst.Set(s)
			}
		} else if !p.plain {
			p.copy = func(dst, src reflect.Value) {
				for i := 0; i < src.Len(); i++ {
					ep.copyInto(dst.Index(i), src.Index(i))
				}
			}
		}
	case reflect.Map:
		p.plain = false
		kp, vp := partPlan(t.Key()), partPlan(t.Elem())
		p.key = func(b []byte, v reflect.Value) []byte {
			entries := make([][]byte, 0, v.Len())
			it := v.MapRange()
			for it.Next() {
				e := kp.key(nil, it.Key())
				e = append(e, ':')
				entries = append(entries, vp.key(e, it.Value()))
			}
			return appendSorted(b, "map{", entries)
		}
		p.copy = func(dst, src reflect.Value) {
			m := reflect.MakeMapWithSize(t, src.Len())
			it := src.MapRange()
			for it.Next() {
				// Keys are plain values (no pointers, maps or slices): a
				// copy of one is a deep copy.
				if vp.plain {
					m.SetMapIndex(it.Key(), it.Value())
				} else {
					m.SetMapIndex(it.Key(), vp.fresh(it.Value()))
				}
			}
			dst.Set(m)
		}
	case reflect.Struct:
		var fields []int
		fps := make([]*plan, t.NumField())
		for i := range fps {
			fps[i] = partPlan(t.Field(i).Type)
			if t.Field(i).Name != "_" {
				fields = append(fields, i)
			}
			p.plain = p.plain && fps[i].plain
		}
		p.key = func(b []byte, v reflect.Value) []byte {
			b = append(b, '(')
			for j, i := range fields {
				if j > 0 {
					b = append(b, ',')
				}
				b = fps[i].key(b, v.Field(i))
			}
			return append(b, ')')
		}
		if !p.plain {
			p.copy = func(dst, src reflect.Value) {
				for _, i := range fields {
					if t.Field(i).IsExported() {
						fps[i].copyInto(dst.Field(i), src.Field(i))
					}
				}
			}
		}
	case reflect.Pointer:
		p.plain = false
		ep := partPlan(t.Elem())
		p.key = func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, "nil"...)
			}
			return ep.key(append(b, '&'), v.Elem())
		}
		p.copy = func(dst, src reflect.Value) {
			if src.IsNil() {
				return
			}
			q := reflect.New(t.Elem())
			ep.copyInto(q.Elem(), src.Elem())
			dst.Set(q)
		}
	case reflect.Interface:
		p.plain = false
		p.key = func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, "nil"...)
			}
			e := v.Elem()
			b = append(b, e.Type().String()...)
			b = planOf(e.Type()).key(append(b, '('), e)
			return append(b, ')')
		}
		p.copy = func(dst, src reflect.Value) {
			if src.IsNil() {
				return
			}
			dst.Set(planOf(src.Elem().Type()).fresh(src.Elem()))
		}
	default:
		// Floats, funcs, chans: not state types (the model does not
		// compile); written so that Key never panics.
		p.plain = false
		p.key = func(b []byte, v reflect.Value) []byte { return append(b, "?"+t.String()...) }
		p.copy = func(dst, src reflect.Value) { dst.Set(src) }
	}
}

// appendSorted appends open, the parts sorted and comma-separated, and
// '}'. Map keys are distinct, so their entries sort by key; a Set's
// elements are distinct; a VSet's are, by the engines' encoding, and
// sorting makes duplicates adjacent, which the key keeps.
func appendSorted(b []byte, open string, parts [][]byte) []byte {
	sort.Slice(parts, func(i, j int) bool { return bytes.Compare(parts[i], parts[j]) < 0 })
	b = append(b, open...)
	for i, p := range parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, p...)
	}
	return append(b, '}')
}

// bigOf returns the number a BigInt holds: its pointer to a big.Int, nil
// meaning 0, read field by field since the value may have been reached
// through unexported fields, where methods cannot be called.
func bigOf(v reflect.Value) *big.Int {
	p := v.FieldByName("v")
	if p.IsNil() {
		return new(big.Int)
	}
	n := p.Elem()
	abs := n.FieldByName("abs")
	words := make([]big.Word, abs.Len())
	for i := range words {
		words[i] = big.Word(abs.Index(i).Uint())
	}
	out := new(big.Int).SetBits(words)
	if n.FieldByName("neg").Bool() {
		out.Neg(out)
	}
	return out
}
