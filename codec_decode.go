package execspec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"sync"
	"unsafe"

	"github.com/execspec/execspec/internal/native"
	"github.com/execspec/execspec/itf"
)

// Decoding the canonical encoding back into a Go value, so that an engine
// may keep the states it has yet to expand as compact bytes (a BFS
// frontier) instead of whole Go values. The decoder mirrors the codec kind
// by kind; for every value of a state type it reproduces an equal value:
// decode(encode(x)) encodes to the same bytes as x.
//
// Two distinctions the encoding does not keep come back in a fixed form: an
// empty map is decoded as an empty non-nil map (so that a model may write
// into it, as into the map it started from), an empty slice as nil. A
// value of an interface type holding a type that was never registered as
// a variant cannot be decoded (its encoding holds only a printed form).

// decFunc decodes a value from d into the value at p, overwriting it
// completely.
type decFunc func(d *decoder, p unsafe.Pointer)

// decoder reads one encoding. The first error stops it: later reads yield
// zero values, and the caller reports d.err.
type decoder struct {
	b   []byte
	err error
	// strs interns decoded strings: models draw their strings from small
	// sets, so most decoded strings need no allocation.
	strs map[string]string
}

// maxInterned bounds a decoder's string table.
const maxInterned = 1 << 14

var errShort = errors.New("encoding ends early")

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *decoder) bytes(n int) []byte {
	if n < 0 || len(d.b) < n {
		d.fail(errShort)
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) byte1() byte {
	if len(d.b) < 1 {
		d.fail(errShort)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
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
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b))+1<<20 {
		d.fail(fmt.Errorf("length %d is implausible", n))
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
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

var decCache sync.Map // reflect.Type -> decFunc

// decoderOf returns the decoding function of t, a type the codec accepts.
func decoderOf(t reflect.Type) (decFunc, error) {
	if f, ok := decCache.Load(t); ok {
		return f.(decFunc), nil
	}
	f, err := buildDecoder(t)
	if err != nil {
		return nil, err
	}
	actual, _ := decCache.LoadOrStore(t, f)
	return actual.(decFunc), nil
}

func buildDecoder(t reflect.Type) (decFunc, error) {
	if _, err := codecOf(t); err != nil {
		return nil, err
	}
	switch {
	case t.Kind() == reflect.Struct && t.Implements(setValueType):
		return setDecoder(t)
	case t.Kind() == reflect.Struct && t.Implements(vsetValueType):
		return vsetDecoder(t)
	case t == bigIntValueType:
		return decodeBigInt, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(d *decoder, p unsafe.Pointer) { *(*bool)(p) = d.byte1() != 0 }, nil
	case reflect.Int8:
		return func(d *decoder, p unsafe.Pointer) { *(*int8)(p) = int8(d.byte1()) }, nil
	case reflect.Uint8:
		return func(d *decoder, p unsafe.Pointer) { *(*uint8)(p) = d.byte1() }, nil
	case reflect.Int16:
		return func(d *decoder, p unsafe.Pointer) { *(*int16)(p) = int16(d.u16()) }, nil
	case reflect.Uint16:
		return func(d *decoder, p unsafe.Pointer) { *(*uint16)(p) = d.u16() }, nil
	case reflect.Int32:
		return func(d *decoder, p unsafe.Pointer) { *(*int32)(p) = int32(d.u32()) }, nil
	case reflect.Uint32:
		return func(d *decoder, p unsafe.Pointer) { *(*uint32)(p) = d.u32() }, nil
	case reflect.Int64:
		return func(d *decoder, p unsafe.Pointer) { *(*int64)(p) = int64(d.u64()) }, nil
	case reflect.Uint64:
		return func(d *decoder, p unsafe.Pointer) { *(*uint64)(p) = d.u64() }, nil
	case reflect.Int:
		return func(d *decoder, p unsafe.Pointer) { *(*int)(p) = int(int64(d.u64())) }, nil
	case reflect.Uint:
		return func(d *decoder, p unsafe.Pointer) { *(*uint)(p) = uint(d.u64()) }, nil
	case reflect.String:
		return func(d *decoder, p unsafe.Pointer) { *(*string)(p) = d.str() }, nil
	case reflect.Array:
		ed, err := decoderOf(t.Elem())
		if err != nil {
			return nil, err
		}
		n, size := t.Len(), t.Elem().Size()
		return func(d *decoder, p unsafe.Pointer) {
			for i := 0; i < n; i++ {
				ed(d, unsafe.Add(p, uintptr(i)*size))
			}
		}, nil
	case reflect.Slice:
		ed, err := decoderOf(t.Elem())
		if err != nil {
			return nil, err
		}
		if build := lookupSlice(t); build != nil {
			return fromNative(build(nativeDecoding, native.Ops{Dec: toNative(ed)}).Dec), nil
		}
		size := t.Elem().Size()
		return func(d *decoder, p unsafe.Pointer) {
			v := reflect.NewAt(t, p).Elem()
			n := d.count()
			if n == 0 {
				v.SetZero()
				return
			}
			nv := reflect.MakeSlice(t, n, n)
			base := nv.Index(0).Addr().UnsafePointer()
			for i := 0; i < n; i++ {
				ed(d, unsafe.Add(base, uintptr(i)*size))
			}
			v.Set(nv)
		}, nil
	case reflect.Map:
		kd, err := decoderOf(t.Key())
		if err != nil {
			return nil, err
		}
		vd, err := decoderOf(t.Elem())
		if err != nil {
			return nil, err
		}
		if build := lookupMap(t); build != nil {
			return fromNative(build(nativeDecoding, native.Ops{Dec: toNative(kd)}, native.Ops{Dec: toNative(vd)}).Dec), nil
		}
		return reflectMapDecoder(t, kd, vd), nil
	case reflect.Pointer:
		ed, err := decoderOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(d *decoder, p unsafe.Pointer) {
			if d.byte1() == 0 {
				*(*unsafe.Pointer)(p) = nil
				return
			}
			nv := reflect.New(t.Elem())
			ed(d, nv.UnsafePointer())
			reflect.NewAt(t, p).Elem().Set(nv)
		}, nil
	case reflect.Struct:
		type field struct {
			off uintptr
			dec decFunc
		}
		var fields []field
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fd, err := decoderOf(f.Type)
			if err != nil {
				return nil, err
			}
			fields = append(fields, field{f.Offset, fd})
		}
		return func(d *decoder, p unsafe.Pointer) {
			for _, f := range fields {
				f.dec(d, unsafe.Add(p, f.off))
			}
		}, nil
	case reflect.Interface:
		return variantDecoder(t)
	}
	return nil, fmt.Errorf("no decoder for %s", t)
}

func (d *decoder) u16() uint16 {
	b := d.bytes(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

func (d *decoder) u32() uint32 {
	b := d.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (d *decoder) u64() uint64 {
	b := d.bytes(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// reflectMapDecoder decodes a map of type t (an empty one as a new empty
// map).
func reflectMapDecoder(t reflect.Type, kd, vd decFunc) decFunc {
	return func(d *decoder, p unsafe.Pointer) {
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
}

func setDecoder(t reflect.Type) (decFunc, error) {
	mt := setMapType(t)
	kd, err := decoderOf(mt.Key())
	if err != nil {
		return nil, err
	}
	return reflect.Zero(t).Interface().(setValue).setDecoder(kd), nil
}

// vsetDecoder decodes a VSet: each element is decoded, and the bytes it
// took are its key.
func vsetDecoder(t reflect.Type) (decFunc, error) {
	et := reflect.Zero(t).Interface().(vsetValue).vsetElemType()
	ed, err := decoderOf(et)
	if err != nil {
		return nil, err
	}
	elems := t.Field(1)
	return func(d *decoder, p unsafe.Pointer) {
		n := d.count()
		keys := (*[]string)(p)
		ev := reflect.NewAt(elems.Type, unsafe.Add(p, elems.Offset)).Elem()
		if n == 0 {
			*keys = nil
			ev.SetZero()
			return
		}
		ks := make([]string, n)
		es := reflect.MakeSlice(elems.Type, n, n)
		base := es.Index(0).Addr().UnsafePointer()
		for i := 0; i < n && d.err == nil; i++ {
			before := d.b
			ed(d, unsafe.Add(base, uintptr(i)*et.Size()))
			ks[i] = string(before[:len(before)-len(d.b)])
		}
		*keys = ks
		ev.Set(es)
	}, nil
}

func decodeBigInt(d *decoder, p unsafe.Pointer) {
	sign := int(d.byte1()) - 1
	mag := d.bytes(d.count())
	x := (*BigInt)(p)
	if sign == 0 || d.err != nil {
		x.v = nil
		return
	}
	v := new(big.Int).SetBytes(mag)
	if sign < 0 {
		v.Neg(v)
	}
	x.v = v
}

func variantDecoder(t reflect.Type) (decFunc, error) {
	type dcase struct {
		t   reflect.Type
		dec decFunc
	}
	byTag := map[string]dcase{}
	for _, vc := range itf.Variants(t) {
		vd, err := decoderOf(vc.Type)
		if err != nil {
			return nil, err
		}
		byTag[vc.Tag] = dcase{vc.Type, vd}
	}
	return func(d *decoder, p unsafe.Pointer) {
		iv := reflect.NewAt(t, p).Elem()
		tag := d.bytes(d.count())
		if len(tag) == 0 {
			iv.SetZero()
			return
		}
		c, ok := byTag[string(tag)]
		if !ok {
			d.fail(fmt.Errorf("%s holds %q, which is not a registered variant", t, tag))
			iv.SetZero()
			return
		}
		nv := reflect.New(c.t)
		c.dec(d, nv.UnsafePointer())
		iv.Set(nv.Elem())
	}, nil
}

// stateDecoder turns canonical encodings back into states of type S (see
// machine.Decoder). It keeps a table of the strings it has decoded, so
// that decoding a string seen before allocates nothing; it is not safe for
// concurrent use.
type stateDecoder[S any] struct {
	dec decFunc
	d   decoder
}

// decode sets *s to the state whose canonical encoding is b. The state
// encodes to b again; an empty map in it is a new empty map, an empty
// slice is nil. It fails on bytes that are not the encoding of a state,
// and on a value of an interface type whose dynamic type is not a
// registered variant.
func (dc *stateDecoder[S]) decode(b []byte, s *S) error {
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
