package state

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"slices"
	"unsafe"
)

// VSetRuntime describes the VSet type S, whose sorted keys (the
// elements' canonical encodings) and elements parts returns, to the
// runtime (see Special). A VSet never changes once built, so assignment
// copies it completely (Flat), and its encoding is the element count and
// the keys, already in order.
func VSetRuntime[T, S any](parts func(*S) (*[]string, *[]T)) Special {
	return specialFunc{elem: reflect.TypeFor[T](), build: func(ec *Ops) *Ops {
		o := &Ops{Type: reflect.TypeFor[S](), Flat: true}
		o.Enc = func(b []byte, p unsafe.Pointer) []byte {
			keys, _ := parts((*S)(p))
			b = binary.AppendUvarint(b, uint64(len(*keys)))
			for _, k := range *keys {
				b = append(b, k...)
			}
			return b
		}
		o.Eq = func(p, q unsafe.Pointer) bool {
			a, _ := parts((*S)(p))
			b, _ := parts((*S)(q))
			return slices.Equal(*a, *b)
		}
		// Each element is decoded, and the bytes it took are its key.
		o.Dec = func(d *Decoder, p unsafe.Pointer) {
			keys, elems := parts((*S)(p))
			n := d.count()
			if n == 0 {
				*keys, *elems = nil, nil
				return
			}
			ks := make([]string, n)
			es := make([]T, n)
			for i := 0; i < n && d.err == nil; i++ {
				before := d.b
				ec.Dec(d, unsafe.Pointer(&es[i]))
				ks[i] = string(before[:len(before)-len(d.b)])
			}
			*keys, *elems = ks, es
		}
		return o
	}}
}

// Values are the operations a container of values of type T (a VSet)
// needs, looked up once.
type Values[T any] struct{ c *Ops }

// ValuesOf returns the Values of T; T need not be a state type.
func ValuesOf[T any]() Values[T] {
	c, _ := Of(reflect.TypeFor[T]())
	return Values[T]{c}
}

// Key returns the canonical encoding of *x as a string (a VSet's key for
// an element), or, when T is not a state type, its Go syntax.
func (v Values[T]) Key(x *T) string {
	if v.c == nil {
		return fmt.Sprintf("%#v", *x)
	}
	return string(v.c.Enc(nil, unsafe.Pointer(x)))
}

// Copy returns a copy of x that shares nothing with it, in the canonical
// form (x itself when T is flat or not a state type).
func (v Values[T]) Copy(x T) T {
	if v.c != nil && v.c.Fix != nil {
		v.c.Fix(unsafe.Pointer(&x))
	}
	return x
}
