package state

import "reflect"

// keyOrder is the key set of a map that an encoding met: the keys in their
// canonical order, each with its encoding. The maps of a model's state
// mostly keep their keys (one entry per process, per resource manager,
// per replica) while the values change, so an operation that finds the
// same key set again can visit the map in that order by lookups: for an
// encoding, that skips encoding the keys and sorting them; for small maps
// with integer keys, a lookup also costs less than a step of an iterator,
// whose start the runtime draws at random every time.
//
// A map has this key set exactly when it has as many entries and every
// key is in it, since the keys are distinct. A lookup by a remembered key
// finds an entry whose key equals it, so the remembered encoding is that
// key's only for key types whose equality is equality of encodings: no
// floating-point numbers (0 equals -0) and no interfaces; see orderable.
type keyOrder[K comparable] struct {
	keys []K
	enc  []byte // the keys' encodings, one after the other
	ends []int  // per key, the end of its encoding in enc
}

// key returns the encoding of key i.
func (o *keyOrder[K]) key(i int) []byte {
	start := 0
	if i > 0 {
		start = o.ends[i-1]
	}
	return o.enc[start:o.ends[i]]
}

// memo is the key order an entry's holder remembers, with what decides
// when to replace it. It lives in pooled entries, so each goroutine's
// operations on one map type mostly reuse one without sharing it.
type memo[K comparable] struct {
	order *keyOrder[K]
	// credit counts the recent hits less the recent misses, within
	// ±creditCap; a miss replaces the order only while credit is not
	// negative, or on every replaceEvery'th miss otherwise, so maps of
	// one type with different key sets do not rebuild it on every use.
	credit int32
	misses uint32
}

const (
	creditCap    = 64
	replaceEvery = 64
)

// hit records that the order matched.
func (m *memo[K]) hit() {
	if m.credit < creditCap {
		m.credit++
	}
}

// miss records that the order did not match, and reports whether to
// replace it.
func (m *memo[K]) miss() bool {
	m.misses++
	replace := m.credit >= 0 || m.misses%replaceEvery == 0
	if m.credit > -creditCap {
		m.credit--
	}
	return replace
}

// remember replaces the order by the keys of the entries in sc, in the
// canonical order that sc.Order returned; keys holds them in the order
// the entries were ended.
func (m *memo[K]) remember(sc *scratch, order []int, keys []K) {
	o := &keyOrder[K]{keys: make([]K, len(order)), ends: make([]int, len(order))}
	for j, i := range order {
		o.keys[j] = keys[i]
		o.enc = append(o.enc, sc.buf[sc.start(i):sc.ends[i][0]]...)
		o.ends[j] = len(o.enc)
	}
	m.order = o
}

// covers reports whether the map m has exactly the keys of o (a nil o
// covers nothing).
func covers[M ~map[K]V, K comparable, V any](o *keyOrder[K], m M) bool {
	if o == nil || len(o.keys) != len(m) {
		return false
	}
	for _, k := range o.keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

// orderable reports whether keys of type t can be remembered with their
// encodings: whether two keys that Go finds equal always encode alike.
func orderable(t reflect.Type) bool {
	if cheapLookup(t) {
		return true
	}
	switch t.Kind() {
	case reflect.String:
		return true
	case reflect.Array:
		return orderable(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !orderable(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}

// cheapLookup reports whether looking keys of type t up in a small map
// costs less than iterating over it: integers and booleans, whose hash is
// a few instructions. Strings are hashed byte by byte, and iterating
// costs less.
func cheapLookup(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}
