package execspec

import (
	"bytes"
	"encoding/binary"
	"maps"
	"reflect"
	"slices"
	"unsafe"
)

// fastMapFix returns a deep-copy function for the most common map types
// with plain keys and values, which maps.Clone copies far faster than a
// reflective loop; nil for other types.
func fastMapFix(t reflect.Type) func(p unsafe.Pointer) {
	switch t {
	case reflect.TypeFor[map[string]int]():
		return cloneAt[map[string]int]
	case reflect.TypeFor[map[int]int]():
		return cloneAt[map[int]int]
	case reflect.TypeFor[map[string]string]():
		return cloneAt[map[string]string]
	case reflect.TypeFor[map[string]bool]():
		return cloneAt[map[string]bool]
	case reflect.TypeFor[map[int]bool]():
		return cloneAt[map[int]bool]
	case reflect.TypeFor[map[int]string]():
		return cloneAt[map[int]string]
	case reflect.TypeFor[map[string]struct{}]():
		return cloneAt[map[string]struct{}]
	case reflect.TypeFor[map[int]struct{}]():
		return cloneAt[map[int]struct{}]
	case reflect.TypeFor[map[string]int64]():
		return cloneAt[map[string]int64]
	case reflect.TypeFor[map[int64]int64]():
		return cloneAt[map[int64]int64]
	case reflect.TypeFor[map[int]map[string]int]():
		return cloneNestedAt[map[int]map[string]int]
	case reflect.TypeFor[map[string]map[string]int]():
		return cloneNestedAt[map[string]map[string]int]
	case reflect.TypeFor[map[string]map[string]bool]():
		return cloneNestedAt[map[string]map[string]bool]
	}
	return nil
}

// cloneNestedAt deep-copies a map of plain maps (a map from ids to
// records kept as maps, say) natively: one maps.Clone per inner map.
func cloneNestedAt[M ~map[K]IM, K comparable, IM ~map[K2]V, K2 comparable, V any](p unsafe.Pointer) {
	m := (*M)(p)
	if *m == nil {
		return
	}
	out := make(M, len(*m))
	for k, v := range *m {
		if v != nil {
			v = maps.Clone(v)
		}
		out[k] = v
	}
	*m = out
}

func cloneAt[M ~map[K]V, K comparable, V any](p unsafe.Pointer) {
	m := (*M)(p)
	if *m != nil {
		*m = maps.Clone(*m)
	}
}

// fastMapEq returns the equality of the most common map types, natively;
// nil for other types.
func fastMapEq(t reflect.Type) func(p, q unsafe.Pointer) bool {
	switch t {
	case reflect.TypeFor[map[string]int]():
		return mapEqAt[map[string]int]
	case reflect.TypeFor[map[int]int]():
		return mapEqAt[map[int]int]
	case reflect.TypeFor[map[string]string]():
		return mapEqAt[map[string]string]
	case reflect.TypeFor[map[string]bool]():
		return mapEqAt[map[string]bool]
	case reflect.TypeFor[map[int]bool]():
		return mapEqAt[map[int]bool]
	case reflect.TypeFor[map[int]string]():
		return mapEqAt[map[int]string]
	case reflect.TypeFor[map[string]struct{}]():
		return mapEqAt[map[string]struct{}]
	case reflect.TypeFor[map[int]struct{}]():
		return mapEqAt[map[int]struct{}]
	case reflect.TypeFor[map[string]int64]():
		return mapEqAt[map[string]int64]
	case reflect.TypeFor[map[int64]int64]():
		return mapEqAt[map[int64]int64]
	case reflect.TypeFor[map[int]map[string]int]():
		return nestedMapEqAt[map[int]map[string]int]
	case reflect.TypeFor[map[string]map[string]int]():
		return nestedMapEqAt[map[string]map[string]int]
	case reflect.TypeFor[map[string]map[string]bool]():
		return nestedMapEqAt[map[string]map[string]bool]
	}
	return nil
}

// mapEq is maps.Equal that also tells a nil map from an empty one: they
// encode alike, but only the second can be written.
func mapEq[M ~map[K]V, K, V comparable](a, b M) bool {
	return (a == nil) == (b == nil) && maps.Equal(a, b)
}

func mapEqAt[M ~map[K]V, K, V comparable](p, q unsafe.Pointer) bool {
	return mapEq(*(*M)(p), *(*M)(q))
}

func nestedMapEqAt[M ~map[K]IM, K comparable, IM ~map[K2]V, K2, V comparable](p, q unsafe.Pointer) bool {
	a, b := *(*M)(p), *(*M)(q)
	return (a == nil) == (b == nil) && maps.EqualFunc(a, b, mapEq[IM])
}

// fastMapRefs returns the refs of the nested map types fastMapFix copies
// natively (the map and its inner maps), natively; nil for other types.
func fastMapRefs(t reflect.Type) func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
	switch t {
	case reflect.TypeFor[map[int]map[string]int]():
		return nestedMapRefsAt[map[int]map[string]int]
	case reflect.TypeFor[map[string]map[string]int]():
		return nestedMapRefsAt[map[string]map[string]int]
	case reflect.TypeFor[map[string]map[string]bool]():
		return nestedMapRefsAt[map[string]map[string]bool]
	}
	return nil
}

func nestedMapRefsAt[M ~map[K]IM, K comparable, IM ~map[K2]V, K2 comparable, V any](p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
	m := *(*M)(p)
	if m == nil {
		return out
	}
	out = append(out, *(*unsafe.Pointer)(p))
	for _, im := range m {
		if im != nil {
			out = append(out, *(*unsafe.Pointer)(unsafe.Pointer(&im)))
		}
	}
	return out
}

// fastMapEnc returns an encoder for the most common map types (and the maps
// behind the most common Sets, with vc nil) that iterates natively instead
// of through reflection; nil for other types. Its output is byte for byte
// encodeMap's.
func fastMapEnc(t reflect.Type, kc, vc *codec) func(b []byte, p unsafe.Pointer) []byte {
	switch t {
	case reflect.TypeFor[map[string]int]():
		return encodeMapOf[map[string]int](kc, vc)
	case reflect.TypeFor[map[int]int]():
		return encodeMapOf[map[int]int](kc, vc)
	case reflect.TypeFor[map[string]string]():
		return encodeMapOf[map[string]string](kc, vc)
	case reflect.TypeFor[map[string]bool]():
		return encodeMapOf[map[string]bool](kc, vc)
	case reflect.TypeFor[map[int]bool]():
		return encodeMapOf[map[int]bool](kc, vc)
	case reflect.TypeFor[map[int]string]():
		return encodeMapOf[map[int]string](kc, vc)
	case reflect.TypeFor[map[string]struct{}]():
		return encodeMapOf[map[string]struct{}](kc, vc)
	case reflect.TypeFor[map[int]struct{}]():
		return encodeMapOf[map[int]struct{}](kc, vc)
	case reflect.TypeFor[map[string]int64]():
		return encodeMapOf[map[string]int64](kc, vc)
	case reflect.TypeFor[map[int64]int64]():
		return encodeMapOf[map[int64]int64](kc, vc)
	case reflect.TypeFor[map[int]map[string]int]():
		return encodeMapOf[map[int]map[string]int](kc, vc)
	}
	return nil
}

func encodeMapOf[M ~map[K]V, K comparable, V any](kc, vc *codec) func(b []byte, p unsafe.Pointer) []byte {
	return func(b []byte, p unsafe.Pointer) []byte {
		m := *(*M)(p)
		b = binary.AppendUvarint(b, uint64(len(m)))
		if len(m) == 0 {
			return b
		}
		// The encoders take pointers, so the entry escapes to the heap:
		// one holder per call, not a key and a value per entry.
		e := new(struct {
			k K
			v V
		})
		if len(m) == 1 {
			for e.k, e.v = range m {
				b = kc.enc(b, unsafe.Pointer(&e.k))
				if vc != nil {
					b = vc.enc(b, unsafe.Pointer(&e.v))
				}
			}
			return b
		}
		sc := mapScratchPool.Get().(*mapScratch)
		sc.buf, sc.ends, sc.idx = sc.buf[:0], sc.ends[:0], sc.idx[:0]
		for e.k, e.v = range m {
			sc.buf = kc.enc(sc.buf, unsafe.Pointer(&e.k))
			kend := len(sc.buf)
			if vc != nil {
				sc.buf = vc.enc(sc.buf, unsafe.Pointer(&e.v))
			}
			sc.ends = append(sc.ends, [2]int{kend, len(sc.buf)})
			sc.idx = append(sc.idx, len(sc.idx))
		}
		b = sc.appendSorted(b)
		mapScratchPool.Put(sc)
		return b
	}
}

// appendSorted appends the scratch's entries in the order of their key
// encodings.
func (sc *mapScratch) appendSorted(b []byte) []byte {
	start := func(i int) int {
		if i == 0 {
			return 0
		}
		return sc.ends[i-1][1]
	}
	slices.SortFunc(sc.idx, func(i, j int) int {
		return bytes.Compare(sc.buf[start(i):sc.ends[i][0]], sc.buf[start(j):sc.ends[j][0]])
	})
	for _, i := range sc.idx {
		b = append(b, sc.buf[start(i):sc.ends[i][1]]...)
	}
	return b
}
