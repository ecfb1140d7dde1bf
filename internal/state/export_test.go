package state

import (
	"reflect"
	"unsafe"
)

// Hooks for the package's external tests (package state_test), which use
// the model API's value types and so cannot be in this package.

// NewTestDecoder returns a Decoder reading b.
func NewTestDecoder(b []byte) *Decoder { return &Decoder{b: b} }

// Err returns the decoder's first error.
func (d *Decoder) Err() error { return d.err }

// Interface layouts, as layoutOf computes them.
type IfaceLayout = ifaceLayout

const (
	LayoutCopy   = layoutCopy
	LayoutInWord = layoutInWord
	LayoutBehind = layoutBehind
)

// LayoutOf is layoutOf.
func LayoutOf(t reflect.Type) IfaceLayout { return layoutOf(t) }

// SameMap is sameMap.
func SameMap[M ~map[K]V, K comparable, V any](a, b M) bool { return sameMap(a, b) }

// WithoutNative runs f with the native operations of every type turned
// off, so that what it compiles is reflective: its operations are
// compiled anew, and forgotten again afterwards.
func WithoutNative(f func()) {
	lm, ls := lookupMap, lookupSlice
	lookupMap = func(reflect.Type) mapBuilder { return nil }
	lookupSlice = func(reflect.Type) sliceBuilder { return nil }
	opsCache.Clear()
	defer func() {
		lookupMap, lookupSlice = lm, ls
		opsCache.Clear()
	}()
	f()
}

// Shared reports whether a Set body's map may be shared with another
// body's.
func (b *SetBody[T]) Shared() bool { return b.shared.Load() }

// Enc returns a Set body's cached encoding.
func (b *SetBody[T]) CachedEnc() []byte { return b.enc }

// SortedCache returns a Set body's cached canonical order.
func (b *SetBody[T]) SortedCache() *[]T { return b.sorted.Load() }

// Addr returns the address of a value, for the references tests compare.
func Addr[T any](p *T) unsafe.Pointer { return unsafe.Pointer(p) }

// HasNative reports whether t has native operations.
func HasNative(t reflect.Type) bool { return lookupMap(t) != nil || lookupSlice(t) != nil }

// EncodeMap is encodeMap.
func EncodeMap(b []byte, v reflect.Value, kc, vc *Ops) []byte { return encodeMap(b, v, kc, vc) }

// SetItems returns the map of a Set value (a model API Set), through its
// StateRuntime: a reflect.Value of its map[T]struct{}.
func SetItems(set any) reflect.Value {
	v := reflect.New(reflect.TypeOf(set))
	v.Elem().Set(reflect.ValueOf(set))
	body := v.Elem().Field(1) // the body pointer, after the zero-size guard
	return reflect.NewAt(body.Type(), unsafe.Pointer(body.UnsafeAddr())).Elem().Elem().Field(0)
}

// BodyOf returns the body of a model API Set, read through reflection
// (its field after the zero-size guard).
func BodyOf[T comparable, S any](set *S) *SetBody[T] {
	f := reflect.ValueOf(set).Elem().Field(1)
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(*SetBody[T])
}
