package execspec

import (
	"maps"
	"reflect"
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
	}
	return nil
}

func cloneAt[M ~map[K]V, K comparable, V any](p unsafe.Pointer) {
	m := (*M)(p)
	if *m != nil {
		*m = maps.Clone(*m)
	}
}
