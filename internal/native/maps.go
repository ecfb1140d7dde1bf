package native

import (
	"encoding/binary"
	"maps"
	"sync"
	"unsafe"
)

// entry holds one key and value of a map while an operation passes them
// by pointer to the key's and the value's operations. The operations are
// function values, so what they point at escapes: pooled entries spare an
// allocation per map.
type entry[K comparable, V any] struct {
	k    K
	v, w V
}

// mapOps is the MapBuilder of the map type M.
func mapOps[M ~map[K]V, K comparable, V any](dec Decoding, k, v Ops) Ops {
	pool := sync.Pool{New: func() any { return new(entry[K, V]) }}
	get := func() *entry[K, V] { return pool.Get().(*entry[K, V]) }
	put := func(e *entry[K, V]) {
		*e = entry[K, V]{} // hold nothing of a state
		pool.Put(e)
	}
	o := Ops{Flat: false}
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
		for key, val := range out {
			e.v = val
			v.Fix(unsafe.Pointer(&e.v))
			out[key] = e.v
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
		e := get()
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
		for _, val := range m {
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
			return out
		}
		cp := maps.Clone(m) // see Fix
		e := get()
		for key, val := range cp {
			e.v = val
			out = v.FixRefs(unsafe.Pointer(&e.v), out)
			cp[key] = e.v
		}
		put(e)
		*(*M)(p) = cp
		return append(out, *(*unsafe.Pointer)(p))
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

// KeysEncoder returns the canonical encoder of maps of type M that encodes
// their keys only, with the encoder enc: the encoding of a set kept as a
// map.
func KeysEncoder[M ~map[K]V, K comparable, V any](enc func(b []byte, p unsafe.Pointer) []byte) func(b []byte, p unsafe.Pointer) []byte {
	pool := sync.Pool{New: func() any { return new(entry[K, V]) }}
	return encoder[M](enc, nil, func() *entry[K, V] { return pool.Get().(*entry[K, V]) }, func(e *entry[K, V]) {
		*e = entry[K, V]{}
		pool.Put(e)
	})
}

// encoder returns the canonical encoder of maps of type M: the length,
// then the entries in the order of their keys' encodings. A nil venc
// encodes the keys only.
func encoder[M ~map[K]V, K comparable, V any](kenc, venc func(b []byte, p unsafe.Pointer) []byte, get func() *entry[K, V], put func(*entry[K, V])) func(b []byte, p unsafe.Pointer) []byte {
	return func(b []byte, p unsafe.Pointer) []byte {
		m := *(*M)(p)
		b = binary.AppendUvarint(b, uint64(len(m)))
		if len(m) == 0 {
			return b
		}
		e := get()
		if len(m) == 1 {
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
			sc.Buf = kenc(sc.Buf, unsafe.Pointer(&e.k))
			kend := len(sc.Buf)
			if venc != nil {
				sc.Buf = venc(sc.Buf, unsafe.Pointer(&e.v))
			}
			sc.EndEntry(kend)
		}
		put(e)
		b = sc.AppendSorted(b)
		PutScratch(sc)
		return b
	}
}
