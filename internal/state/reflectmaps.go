package state

import (
	"reflect"
	"sync"
	"unsafe"
)

// mapEqual returns the equality of maps of type t, whose keys and values
// have the codecs kc and vc: the same length, and each entry of one found
// in the other with an equal value. The map at p must be made (not nil),
// as the copy of one is, and the map at q may be nil when the one at p is
// empty (see codec.eq). It
// allocates nothing: the entries go through pooled temporaries and the
// lookups through mapaccess.
func mapEqual(t reflect.Type, vc *Ops) func(p, q unsafe.Pointer) bool {
	type temps struct {
		k, v   reflect.Value
		kp, vp unsafe.Pointer
		it     reflect.MapIter
	}
	rt := abiType(t)
	pool := sync.Pool{New: func() any {
		k, v := reflect.New(t.Key()), reflect.New(t.Elem())
		return &temps{k: k.Elem(), v: v.Elem(), kp: k.UnsafePointer(), vp: v.UnsafePointer()}
	}}
	return func(p, q unsafe.Pointer) bool {
		a, b := *(*unsafe.Pointer)(p), *(*unsafe.Pointer)(q)
		if a == nil {
			return false // a copy's maps are made: a nil map cannot be written
		}
		ma := viewAt(rt, p, true)
		if b == nil {
			return ma.Len() == 0 // the copy of a nil map is an empty one
		}
		if ma.Len() != viewAt(rt, q, true).Len() {
			return false
		}
		tm := pool.Get().(*temps)
		defer pool.Put(tm)
		tm.it.Reset(ma)
		defer tm.it.Reset(reflect.Value{}) // drop the reference to the map
		kp, vp := tm.kp, tm.vp
		for tm.it.Next() {
			tm.k.SetIterKey(&tm.it)
			e := mapaccess(rt, b, kp)
			if e == nil {
				return false
			}
			tm.v.SetIterValue(&tm.it)
			if !vc.Eq(vp, e) {
				return false
			}
		}
		return true
	}
}

// mapRefs returns the refs of maps of type t: the map, and the references
// of its values (visited through reflection; values without references are
// not visited).
func mapRefs(t reflect.Type, vc *Ops) func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
	if vc.Refs == nil {
		return func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
			if m := *(*unsafe.Pointer)(p); m != nil {
				out = append(out, m)
			}
			return out
		}
	}
	type temps struct {
		v  reflect.Value
		vp unsafe.Pointer
		it reflect.MapIter
	}
	rt := abiType(t)
	pool := sync.Pool{New: func() any {
		v := reflect.New(t.Elem())
		return &temps{v: v.Elem(), vp: v.UnsafePointer()}
	}}
	return func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
		m := *(*unsafe.Pointer)(p)
		if m == nil {
			return out
		}
		out = append(out, m)
		tm := pool.Get().(*temps)
		tm.it.Reset(viewAt(rt, p, true))
		vp := tm.vp
		for tm.it.Next() {
			tm.v.SetIterValue(&tm.it)
			out = vc.Refs(vp, out)
		}
		tm.it.Reset(reflect.Value{})
		tm.v.SetZero() // hold no reference into the state
		pool.Put(tm)
		return out
	}
}
