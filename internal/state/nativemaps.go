package state

import (
	"encoding/binary"
	"iter"
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
func mapOps[M ~map[K]V, K comparable, V any](k, v *Ops) Ops {
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
	// vEqRefs compares two values and lists the first one's references;
	// for values without references, it only compares them.
	vEqRefs := v.EqRefsOrEq()
	// eqWalk compares the maps a and b, not nil and as long, entry by
	// entry, and appends the references of a's values to out (what it
	// appended is incomplete when they differ).
	eqWalk := func(a, b M, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
		e := get()
		defer put(e)
		if ord := order(e, a); ord != nil {
			if res, equal, known := eqRefsInOrder(ord, a, b, e, vEqRefs, out); known {
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
			if out, ok = vEqRefs(unsafe.Pointer(&e.v), unsafe.Pointer(&e.w), out); !ok {
				break
			}
		}
		return out, ok
	}
	o := Ops{Flat: false}
	// sameGroup's shortcut, for maps of plain values (see mapbytes.go).
	gsize, small := groupSize[K, V]()
	shortcut := small && v.Refs == nil && v.Fix == nil && layoutHolds()
	o.Fix = func(p unsafe.Pointer) {
		m := *(*M)(p)
		if m == nil {
			*(*M)(p) = M{} // a copy's maps are made, so that they can be written
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
		for key, val := range entries(order(e, out), out) {
			e.v = val
			v.Fix(unsafe.Pointer(&e.v))
			out[key] = e.v
		}
		put(e)
		*(*M)(p) = out
	}
	o.Eq = func(p, q unsafe.Pointer) bool {
		a, b := *(*M)(p), *(*M)(q)
		switch {
		case a == nil:
			return false // a copy's maps are made: a nil map cannot be written
		case len(a) != len(b):
			return false
		case len(a) == 0:
			return true // also when b is nil: its copy is an empty map
		}
		if shortcut && sameGroup(*(*unsafe.Pointer)(p), *(*unsafe.Pointer)(q), gsize) {
			return true
		}
		_, equal := eqWalk(a, b, nil)
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
		for _, val := range entries(order(e, m), m) {
			e.v = val
			out = v.Refs(unsafe.Pointer(&e.v), out)
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
			cp := M{} // see Fix
			*(*M)(p) = cp
			return append(out, *(*unsafe.Pointer)(p))
		}
		cp := maps.Clone(m) // see Fix
		*(*M)(p) = cp
		// The map first, then its values' references: the order of Refs
		// and EqRefs, so that equal lists compare equal unsorted.
		out = append(out, *(*unsafe.Pointer)(p))
		e := get()
		for key, val := range entries(order(e, cp), cp) {
			e.v = val
			out = v.FixRefs(unsafe.Pointer(&e.v), out)
			cp[key] = e.v
		}
		put(e)
		return out
	}
	o.EqRefs = func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
		if v.Refs == nil {
			if !o.Eq(p, q) {
				return out, false
			}
			return o.Refs(p, out), true
		}
		a, b := *(*M)(p), *(*M)(q)
		if a == nil || len(a) != len(b) {
			return out, false
		}
		if len(a) == 0 {
			return append(out, *(*unsafe.Pointer)(p)), true
		}
		return eqWalk(a, b, append(out, *(*unsafe.Pointer)(p)))
	}
	o.Enc = encoder[M](k.Enc, v.Enc, get, put)
	if k.Dec != nil && v.Dec != nil {
		o.Dec = func(d *Decoder, p unsafe.Pointer) {
			n := d.count()
			m := make(M, n)
			e := get()
			for i := 0; i < n && d.err == nil; i++ {
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

// eqRefsInOrder compares the maps a and b, of equal lengths, by looking
// up the keys of ord, as many as a has, with eqRefs, which appends the
// references of a's values to out as it goes. known is false, and out as
// it was, when a turns out not to have ord's keys: then the maps must be
// compared by iterating.
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

// entries returns the entries of m: in the key order ord when m has
// exactly its keys, otherwise in the map's own order.
func entries[M ~map[K]V, K comparable, V any](ord *keyOrder[K], m M) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if covers(ord, m) {
			for _, key := range ord.keys {
				if !yield(key, m[key]) {
					return
				}
			}
			return
		}
		for key, val := range m {
			if !yield(key, val) {
				return
			}
		}
	}
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
		sc := getScratch()
		for e.k, e.v = range m {
			if replace {
				e.keys = append(e.keys, e.k)
			}
			sc.buf = kenc(sc.buf, unsafe.Pointer(&e.k))
			kend := len(sc.buf)
			if venc != nil {
				sc.buf = venc(sc.buf, unsafe.Pointer(&e.v))
			}
			sc.endEntry(kend)
		}
		order := sc.order()
		for _, i := range order {
			b = append(b, sc.buf[sc.start(i):sc.ends[i][1]]...)
		}
		if replace {
			e.memo.remember(sc, order, e.keys)
		}
		put(e)
		putScratch(sc)
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
