package native

import (
	"encoding/binary"
	"maps"
	"reflect"
	"sync"
	"unsafe"
)

// entry holds one key and value of a map while an operation passes them
// by pointer to the key's and the value's operations. The operations are
// function values, so what they point at escapes: pooled entries spare an
// allocation per map. An entry also carries the key order its holders
// remember (see keyOrder), and a buffer for the keys of a map whose order
// replaces it.
type entry[K comparable, V any] struct {
	k    K
	v, w V
	memo memo[K]
	keys []K
}

// entryPool pools the entries of one map type.
type entryPool[K comparable, V any] struct{ p sync.Pool }

func newEntryPool[K comparable, V any]() *entryPool[K, V] {
	return &entryPool[K, V]{p: sync.Pool{New: func() any { return new(entry[K, V]) }}}
}

func (ep *entryPool[K, V]) get() *entry[K, V] { return ep.p.Get().(*entry[K, V]) }

func (ep *entryPool[K, V]) put(e *entry[K, V]) {
	// Hold nothing of a state but the remembered keys, which are values.
	var zk K
	var zv V
	e.k, e.v, e.w = zk, zv, zv
	clear(e.keys)
	e.keys = e.keys[:0]
	ep.p.Put(e)
}

// mapOps is the MapBuilder of the map type M.
func mapOps[M ~map[K]V, K comparable, V any](dec Decoding, k, v Ops) Ops {
	pool := newEntryPool[K, V]()
	get, put := pool.get, pool.put
	// byOrder: visit maps by lookups in a remembered key order.
	byOrder := cheapLookup(reflect.TypeFor[K]())
	order := func(e *entry[K, V], m M) *keyOrder[K] {
		if !byOrder {
			return nil
		}
		if o := e.memo.order; o != nil && len(o.keys) == len(m) {
			return o
		}
		return nil
	}
	o := Ops{Flat: false}
	// sameGroup's shortcut, for maps of plain values (see mapbytes.go).
	gsize, small := groupSize[K, V]()
	shortcut := small && v.Refs == nil && v.Fix == nil && layoutHolds()
	o.Fix = func(p unsafe.Pointer) {
		m := *(*M)(p)
		if m == nil {
			return
		}
		if v.Fix == nil {
			*(*M)(p) = maps.Clone(m)
			return
		}
		// A clone copies the map's table in one go; overwriting the values
		// of its keys then allocates nothing, where inserting into a new
		// map grows it.
		out := maps.Clone(m)
		e := get()
		if ord := order(e, out); ord != nil && covers(ord, out) {
			for _, key := range ord.keys {
				e.v = out[key]
				v.Fix(unsafe.Pointer(&e.v))
				out[key] = e.v
			}
		} else {
			for key, val := range out {
				e.v = val
				v.Fix(unsafe.Pointer(&e.v))
				out[key] = e.v
			}
		}
		put(e)
		*(*M)(p) = out
	}
	o.Eq = func(p, q unsafe.Pointer) bool {
		if *(*unsafe.Pointer)(p) == *(*unsafe.Pointer)(q) {
			return true
		}
		a, b := *(*M)(p), *(*M)(q)
		if a == nil || b == nil || len(a) != len(b) {
			return false // nil and empty encode alike, but a nil map cannot be written
		}
		if shortcut && sameGroup(*(*unsafe.Pointer)(p), *(*unsafe.Pointer)(q), gsize) {
			return true
		}
		e := get()
		if ord := order(e, a); ord != nil {
			if equal, known := eqInOrder(ord, a, b, e, v.Eq); known {
				put(e)
				return equal
			}
		}
		equal := true
		for key, x := range a {
			y, ok := b[key]
			if !ok {
				equal = false
				break
			}
			e.v, e.w = x, y
			if !v.Eq(unsafe.Pointer(&e.v), unsafe.Pointer(&e.w)) {
				equal = false
				break
			}
		}
		put(e)
		return equal
	}
	o.Refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
		m := *(*M)(p)
		if m == nil {
			return out
		}
		out = append(out, *(*unsafe.Pointer)(p))
		if v.Refs == nil {
			return out
		}
		e := get()
		if ord := order(e, m); ord != nil && covers(ord, m) {
			for _, key := range ord.keys {
				e.v = m[key]
				out = v.Refs(unsafe.Pointer(&e.v), out)
			}
		} else {
			for _, val := range m {
				e.v = val
				out = v.Refs(unsafe.Pointer(&e.v), out)
			}
		}
		put(e)
		return out
	}
	o.FixRefs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
		if v.Refs == nil {
			o.Fix(p)
			return o.Refs(p, out)
		}
		m := *(*M)(p)
		if m == nil {
			return out
		}
		cp := maps.Clone(m) // see Fix
		*(*M)(p) = cp
		// The map first, then its values' references: the order of Refs
		// and EqRefs, so that equal lists compare equal unsorted.
		out = append(out, *(*unsafe.Pointer)(p))
		e := get()
		if ord := order(e, cp); ord != nil && covers(ord, cp) {
			for _, key := range ord.keys {
				e.v = cp[key]
				out = v.FixRefs(unsafe.Pointer(&e.v), out)
				cp[key] = e.v
			}
		} else {
			for key, val := range cp {
				e.v = val
				out = v.FixRefs(unsafe.Pointer(&e.v), out)
				cp[key] = e.v
			}
		}
		put(e)
		return out
	}
	o.EqRefs = func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
		if v.Refs == nil || *(*unsafe.Pointer)(p) == *(*unsafe.Pointer)(q) {
			if !o.Eq(p, q) {
				return out, false
			}
			return o.Refs(p, out), true
		}
		a, b := *(*M)(p), *(*M)(q)
		if a == nil || b == nil || len(a) != len(b) {
			return out, false
		}
		out = append(out, *(*unsafe.Pointer)(p))
		e := get()
		if ord := order(e, a); ord != nil {
			res, equal, known := eqRefsInOrder(ord, a, b, e, v.EqRefs, out)
			if known {
				put(e)
				return res, equal
			}
		}
		ok := true
		for key, x := range a {
			var y V
			if y, ok = b[key]; !ok {
				break
			}
			e.v, e.w = x, y
			if out, ok = v.EqRefs(unsafe.Pointer(&e.v), unsafe.Pointer(&e.w), out); !ok {
				break
			}
		}
		put(e)
		return out, ok
	}
	o.Enc = encoder[M](k.Enc, v.Enc, get, put)
	if k.Dec != nil && v.Dec != nil {
		o.Dec = func(d, p unsafe.Pointer) {
			n := dec.Count(d)
			m := make(M, n)
			e := get()
			for i := 0; i < n && !dec.Failed(d); i++ {
				k.Dec(d, unsafe.Pointer(&e.k))
				v.Dec(d, unsafe.Pointer(&e.v))
				m[e.k] = e.v
			}
			put(e)
			*(*M)(p) = m
		}
	}
	return o
}

// eqInOrder compares the maps a and b, of equal lengths, by looking up the
// keys of ord, as many as a has. known is false when a turns out not to
// have ord's keys, and the maps must be compared by iterating.
func eqInOrder[M ~map[K]V, K comparable, V any](ord *keyOrder[K], a, b M, e *entry[K, V], eq func(p, q unsafe.Pointer) bool) (equal, known bool) {
	for _, key := range ord.keys {
		x, ok := a[key]
		if !ok {
			return false, false
		}
		y, ok := b[key]
		if !ok {
			return false, true // a has the key and b, as long, does not
		}
		e.v, e.w = x, y
		if !eq(unsafe.Pointer(&e.v), unsafe.Pointer(&e.w)) {
			return false, true
		}
	}
	return true, true
}

// eqRefsInOrder is eqInOrder for EqRefs: it appends the references of a's
// values to out as it goes, and returns out as it was when it cannot tell.
func eqRefsInOrder[M ~map[K]V, K comparable, V any](ord *keyOrder[K], a, b M, e *entry[K, V], eqRefs func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool), out []unsafe.Pointer) (res []unsafe.Pointer, equal, known bool) {
	mark := len(out)
	for _, key := range ord.keys {
		x, ok := a[key]
		if !ok {
			return out[:mark], false, false
		}
		y, ok := b[key]
		if !ok {
			return out, false, true
		}
		e.v, e.w = x, y
		if out, ok = eqRefs(unsafe.Pointer(&e.v), unsafe.Pointer(&e.w), out); !ok {
			return out, false, true
		}
	}
	return out, true, true
}

// KeysEncoder returns the canonical encoder of maps of type M that encodes
// their keys only, with the encoder enc: the encoding of a set kept as a
// map.
func KeysEncoder[M ~map[K]V, K comparable, V any](enc func(b []byte, p unsafe.Pointer) []byte) func(b []byte, p unsafe.Pointer) []byte {
	pool := newEntryPool[K, V]()
	return encoder[M](enc, nil, pool.get, pool.put)
}

// encoder returns the canonical encoder of maps of type M: the length,
// then the entries in the order of their keys' encodings. A nil venc
// encodes the keys only. For key types that allow it (orderable), it
// remembers the last key set it sorted and encodes maps with that key set
// by looking its keys up, without encoding or sorting them.
func encoder[M ~map[K]V, K comparable, V any](kenc, venc func(b []byte, p unsafe.Pointer) []byte, get func() *entry[K, V], put func(*entry[K, V])) func(b []byte, p unsafe.Pointer) []byte {
	remembers := orderable(reflect.TypeFor[K]())
	return func(b []byte, p unsafe.Pointer) []byte {
		m := *(*M)(p)
		b = binary.AppendUvarint(b, uint64(len(m)))
		if len(m) == 0 {
			return b
		}
		e := get()
		replace := false
		if remembers {
			if ord := e.memo.order; ord != nil && len(ord.keys) == len(m) {
				if out, ok := encodeInOrder(ord, m, b, e, venc); ok {
					e.memo.hit()
					put(e)
					return out
				}
			}
			replace = e.memo.miss()
		}
		if len(m) == 1 && !replace {
			for e.k, e.v = range m {
				b = kenc(b, unsafe.Pointer(&e.k))
				if venc != nil {
					b = venc(b, unsafe.Pointer(&e.v))
				}
			}
			put(e)
			return b
		}
		sc := GetScratch()
		for e.k, e.v = range m {
			if replace {
				e.keys = append(e.keys, e.k)
			}
			sc.Buf = kenc(sc.Buf, unsafe.Pointer(&e.k))
			kend := len(sc.Buf)
			if venc != nil {
				sc.Buf = venc(sc.Buf, unsafe.Pointer(&e.v))
			}
			sc.EndEntry(kend)
		}
		order := sc.Order()
		for _, i := range order {
			b = append(b, sc.Buf[sc.start(i):sc.ends[i][1]]...)
		}
		if replace {
			e.memo.remember(sc, order, e.keys)
		}
		put(e)
		PutScratch(sc)
		return b
	}
}

// encodeInOrder appends the entries of m in the key order ord, whose
// length m has, and reports false (with b as it was) when m turns out not
// to have ord's keys.
func encodeInOrder[M ~map[K]V, K comparable, V any](ord *keyOrder[K], m M, b []byte, e *entry[K, V], venc func(b []byte, p unsafe.Pointer) []byte) ([]byte, bool) {
	mark := len(b)
	for i, key := range ord.keys {
		val, ok := m[key]
		if !ok {
			return b[:mark], false
		}
		b = append(b, ord.key(i)...)
		if venc != nil {
			e.v = val
			b = venc(b, unsafe.Pointer(&e.v))
		}
	}
	return b, true
}
