package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"unsafe"
)

// Decoding the canonical encoding back into a Go value, so that an engine
// may keep the states it has yet to expand as compact bytes (a BFS
// frontier) instead of whole Go values. Every type's Ops.Dec mirrors its
// Enc; for every value of a state type it reproduces an equal value in the
// canonical form Fix gives: decode(encode(x)) encodes to the same bytes as
// x, with every map and Set made and every empty slice nil. A value of an
// interface type holding a type that was never registered as a variant
// cannot be decoded (its encoding holds only a printed form).

// Decoder reads one encoding. The first error stops it: later reads yield
// zero values, and the caller reports d.err.
type Decoder struct {
	b   []byte
	err error
	// strs interns decoded strings: models draw their strings from small
	// sets, so most decoded strings need no allocation.
	strs map[string]string
}

// maxInterned bounds a decoder's string table.
const maxInterned = 1 << 14

var errShort = errors.New("encoding ends early")

func (d *Decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *Decoder) bytes(n int) []byte {
	if n < 0 || len(d.b) < n {
		d.fail(errShort)
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

func (d *Decoder) byte1() byte {
	if len(d.b) < 1 {
		d.fail(errShort)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *Decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length. Elements may take no bytes (struct{}), so the
// bound is only a guard against huge allocations on corrupt input.
func (d *Decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b))+1<<20 {
		d.fail(fmt.Errorf("length %d is implausible", n))
		return 0
	}
	return int(n)
}

func (d *Decoder) str() string {
	b := d.bytes(d.count())
	if len(b) == 0 {
		return ""
	}
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if d.strs == nil {
		d.strs = make(map[string]string)
	}
	if len(d.strs) < maxInterned {
		d.strs[s] = s
	}
	return s
}

func (d *Decoder) u16() uint16 {
	b := d.bytes(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

func (d *Decoder) u32() uint32 {
	b := d.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (d *Decoder) u64() uint64 {
	b := d.bytes(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// decoderOf returns the decoder of t, whose child types' operations are
// compiled already (see compile), for the kinds whose Ops do not set Dec
// themselves.
func decoderOf(t reflect.Type) func(d *Decoder, p unsafe.Pointer) {
	child := func(ct reflect.Type) func(d *Decoder, p unsafe.Pointer) {
		c, _ := opsCache.Load(ct)
		return c.(*Ops).Dec
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(d *Decoder, p unsafe.Pointer) { *(*bool)(p) = d.byte1() != 0 }
	case reflect.Int8:
		return func(d *Decoder, p unsafe.Pointer) { *(*int8)(p) = int8(d.byte1()) }
	case reflect.Uint8:
		return func(d *Decoder, p unsafe.Pointer) { *(*uint8)(p) = d.byte1() }
	case reflect.Int16:
		return func(d *Decoder, p unsafe.Pointer) { *(*int16)(p) = int16(d.u16()) }
	case reflect.Uint16:
		return func(d *Decoder, p unsafe.Pointer) { *(*uint16)(p) = d.u16() }
	case reflect.Int32:
		return func(d *Decoder, p unsafe.Pointer) { *(*int32)(p) = int32(d.u32()) }
	case reflect.Uint32:
		return func(d *Decoder, p unsafe.Pointer) { *(*uint32)(p) = d.u32() }
	case reflect.Int64:
		return func(d *Decoder, p unsafe.Pointer) { *(*int64)(p) = int64(d.u64()) }
	case reflect.Uint64:
		return func(d *Decoder, p unsafe.Pointer) { *(*uint64)(p) = d.u64() }
	case reflect.Int:
		return func(d *Decoder, p unsafe.Pointer) { *(*int)(p) = int(int64(d.u64())) }
	case reflect.Uint:
		return func(d *Decoder, p unsafe.Pointer) { *(*uint)(p) = uint(d.u64()) }
	case reflect.String:
		return func(d *Decoder, p unsafe.Pointer) { *(*string)(p) = d.str() }
	case reflect.Array:
		ed := child(t.Elem())
		n, size := t.Len(), t.Elem().Size()
		return func(d *Decoder, p unsafe.Pointer) {
			for i := 0; i < n; i++ {
				ed(d, unsafe.Add(p, uintptr(i)*size))
			}
		}
	case reflect.Slice:
		ed := child(t.Elem())
		size := t.Elem().Size()
		return func(d *Decoder, p unsafe.Pointer) {
			v := reflect.NewAt(t, p).Elem()
			n := d.count()
			if n == 0 {
				v.SetZero() // the canonical empty slice is nil
				return
			}
			nv := reflect.MakeSlice(t, n, n)
			base := nv.Index(0).Addr().UnsafePointer()
			for i := 0; i < n; i++ {
				ed(d, unsafe.Add(base, uintptr(i)*size))
			}
			v.Set(nv)
		}
	case reflect.Map:
		// An empty map is made, as the copy of one is.
		kd, vd := child(t.Key()), child(t.Elem())
		return func(d *Decoder, p unsafe.Pointer) {
			v := reflect.NewAt(t, p).Elem()
			n := d.count()
			m := reflect.MakeMapWithSize(t, n)
			k := reflect.New(t.Key()).Elem()
			e := reflect.New(t.Elem()).Elem()
			for i := 0; i < n && d.err == nil; i++ {
				kd(d, k.Addr().UnsafePointer())
				vd(d, e.Addr().UnsafePointer())
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Pointer:
		ed := child(t.Elem())
		return func(d *Decoder, p unsafe.Pointer) {
			if d.byte1() == 0 {
				*(*unsafe.Pointer)(p) = nil
				return
			}
			nv := reflect.New(t.Elem())
			ed(d, nv.UnsafePointer())
			reflect.NewAt(t, p).Elem().Set(nv)
		}
	case reflect.Struct:
		type field struct {
			off uintptr
			dec func(d *Decoder, p unsafe.Pointer)
		}
		var fields []field
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fields = append(fields, field{f.Offset, child(f.Type)})
		}
		return func(d *Decoder, p unsafe.Pointer) {
			for _, f := range fields {
				f.dec(d, unsafe.Add(p, f.off))
			}
		}
	}
	return func(d *Decoder, p unsafe.Pointer) { d.fail(fmt.Errorf("no decoder for %s", t)) }
}

// StateDecoder turns canonical encodings back into states of type S (see
// machine.Decoder). It keeps a table of the strings it has decoded, so
// that decoding a string seen before allocates nothing; it is not safe for
// concurrent use.
type StateDecoder[S any] struct {
	dec func(d *Decoder, p unsafe.Pointer)
	d   Decoder
}

// NewStateDecoder returns a decoder of states of type S, whose operations
// are o.
func NewStateDecoder[S any](o *Ops) *StateDecoder[S] { return &StateDecoder[S]{dec: o.Dec} }

// Decode sets *s to the state whose canonical encoding is b. The state
// encodes to b again; an empty map in it is a new empty map, an empty
// slice is nil. It fails on bytes that are not the encoding of a state,
// and on a value of an interface type whose dynamic type is not a
// registered variant.
func (dc *StateDecoder[S]) Decode(b []byte, s *S) error {
	dc.d.b, dc.d.err = b, nil
	dc.dec(&dc.d, unsafe.Pointer(s))
	if dc.d.err == nil && len(dc.d.b) > 0 {
		dc.d.err = fmt.Errorf("%d bytes left over", len(dc.d.b))
	}
	err := dc.d.err
	dc.d.b, dc.d.err = nil, nil
	if err != nil {
		return fmt.Errorf("decoding a state: %w", err)
	}
	return nil
}
