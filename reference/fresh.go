package reference

import "reflect"

// fresh returns a deep copy of the value v that shares no memory with v
// or with anything else, built with package reflect, reading v through its
// exported fields only. It is the state an action starts from in the
// reference semantics, and it fixes the forms the identity of a state
// (Key) does not tell apart:
//
//   - every map and every Set is made, empty or not: an action may write
//     into it, also through an alias (a := s.Alloc[c]; a.Add(r));
//   - every slice has its length as its capacity, and an empty one is nil:
//     an append through one alias never writes into another's array, and
//     s.Q == nil says the same as len(s.Q) == 0;
//   - no two places share memory, so writing through one never changes
//     another, whatever the previous step made share.
//
// VSets and BigInts are immutable values: the copy shares them.
func fresh(v reflect.Value) reflect.Value { return planOf(v.Type()).fresh(v) }

// fresh returns a fresh copy of src, of the plan's type.
func (p *plan) fresh(src reflect.Value) reflect.Value {
	out := reflect.New(src.Type()).Elem()
	p.copyInto(out, src)
	return out
}

// copyInto writes a fresh copy of src into dst, a settable zero value of
// the plan's type.
func (p *plan) copyInto(dst, src reflect.Value) {
	if p.plain {
		dst.Set(src)
		return
	}
	p.copy(dst, src)
}
