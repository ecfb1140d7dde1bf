package state

import (
	"bytes"
	"encoding/binary"
	"math/big"
	"reflect"
	"sync"
	"unsafe"
)

// The state codec turns a plan compiled once per Go type into three
// operations the engines run millions of times: deep copy, canonical binary
// encoding (maps and sets in sorted key order, so equal states encode to equal
// bytes) and, on top of the encoding, fingerprints. Plans work on raw pointers
// with field offsets; reflection is used only where Go offers nothing else
// (maps, allocation of slices and pointers).

// eqEnc reports whether the values at p and q have the same encoding.
func (c *Ops) eqEnc(p, q unsafe.Pointer) bool {
	sc := getScratch()
	a := c.Enc(sc.buf, p)
	n := len(a)
	a = c.Enc(a, q)
	equal := bytes.Equal(a[:n], a[n:])
	sc.buf = a
	putScratch(sc)
	return equal
}

// eqOf returns the equality of a comparable Go type whose == agrees with
// the encoding (no interfaces, no floats).
func eqOf[T comparable](p, q unsafe.Pointer) bool { return *(*T)(p) == *(*T)(q) }

var opsCache sync.Map // reflect.Type -> *Ops

var bigIntType = reflect.TypeFor[big.Int]()

// Of returns the operations of t, compiling them the first time; an error
// (Problems) names every part of t the runtime cannot
// handle, with the path of its field from t.
func Of(t reflect.Type) (*Ops, error) { return compile(t, t.String(), nil) }

// OfState returns the operations of the state type t, naming fields in
// errors from t's name, as the model's author wrote it.
func OfState(t reflect.Type) (*Ops, error) { return compile(t, t.Name(), nil) }

func compile(t reflect.Type, path string, stack []reflect.Type) (*Ops, error) {
	if c, ok := opsCache.Load(t); ok {
		return c.(*Ops), nil
	}
	for _, s := range stack {
		if s == t {
			return nil, problem(path, t, "recursive type (a value could contain itself or a pointer cycle); use slices or maps of plain values instead")
		}
	}
	stack = append(stack, t)
	c, err := buildCodec(t, path, stack)
	if err != nil {
		return nil, err
	}
	if c.Eq == nil {
		// Flat values (no map, slice or pointer inside) are equal when
		// their encodings are. For the others, equal encodings could hide a
		// nil map against an empty one, which user code tells apart: those
		// left (maps of such values, sum types) are equal only when they are
		// the same value, bit for bit (the same map, the same variant).
		if c.Flat {
			c.Eq = c.eqEnc
		} else {
			size := t.Size()
			c.Eq = func(p, q unsafe.Pointer) bool {
				return p == q || string(unsafe.Slice((*byte)(p), size)) == string(unsafe.Slice((*byte)(q), size))
			}
		}
	}
	if c.Refs != nil && c.EqRefs == nil {
		c.EqRefs = eqRefsOf(c.Eq, c.Refs)
	}
	if c.Refs != nil && c.FixRefs == nil {
		c.FixRefs = fixRefsOf(c.Fix, c.Refs)
	}
	if c.Dec == nil {
		c.Dec = decoderOf(t)
	}
	actual, _ := opsCache.LoadOrStore(t, c)
	return actual.(*Ops), nil
}

func buildCodec(t reflect.Type, path string, stack []reflect.Type) (*Ops, error) {
	c := &Ops{Type: t, Flat: true}
	if sp := special(t); sp != nil {
		return buildSpecial(t, sp, path, stack)
	}
	if t == bigIntType || t == reflect.PointerTo(bigIntType) {
		return nil, problem(path, t, "math/big integers are mutable and shared through pointers, so a copied state would share them; use execspec.BigInt, an immutable big integer (written to ITF as #bigint)")
	}
	switch t.Kind() {
	case reflect.Bool:
		c.Eq = eqOf[bool]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			if *(*bool)(p) {
				return append(b, 1)
			}
			return append(b, 0)
		}
	case reflect.Int8:
		c.Eq = eqOf[int8]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte { return append(b, byte(*(*int8)(p))) }
	case reflect.Uint8:
		c.Eq = eqOf[uint8]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte { return append(b, *(*uint8)(p)) }
	case reflect.Int16:
		c.Eq = eqOf[int16]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint16(b, uint16(*(*int16)(p)))
		}
	case reflect.Uint16:
		c.Eq = eqOf[uint16]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte { return binary.LittleEndian.AppendUint16(b, *(*uint16)(p)) }
	case reflect.Int32:
		c.Eq = eqOf[int32]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint32(b, uint32(*(*int32)(p)))
		}
	case reflect.Uint32:
		c.Eq = eqOf[uint32]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte { return binary.LittleEndian.AppendUint32(b, *(*uint32)(p)) }
	case reflect.Int64:
		c.Eq = eqOf[int64]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint64(b, uint64(*(*int64)(p)))
		}
	case reflect.Uint64:
		c.Eq = eqOf[uint64]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte { return binary.LittleEndian.AppendUint64(b, *(*uint64)(p)) }
	case reflect.Int:
		c.Eq = eqOf[int]
		// Always eight bytes, so fingerprints agree across architectures.
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint64(b, uint64(*(*int)(p)))
		}
	case reflect.Uint:
		c.Eq = eqOf[uint]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint64(b, uint64(*(*uint)(p)))
		}
	case reflect.String:
		c.Eq = eqOf[string]
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			s := *(*string)(p)
			b = binary.AppendUvarint(b, uint64(len(s)))
			return append(b, s...)
		}
	case reflect.Array:
		ec, err := compile(t.Elem(), path+"[i]", stack)
		if err != nil {
			return nil, err
		}
		n, size := t.Len(), t.Elem().Size()
		c.Flat = ec.Flat
		c.Eq = func(p, q unsafe.Pointer) bool {
			for i := 0; i < n; i++ {
				if !ec.Eq(unsafe.Add(p, uintptr(i)*size), unsafe.Add(q, uintptr(i)*size)) {
					return false
				}
			}
			return true
		}
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			for i := 0; i < n; i++ {
				b = ec.Enc(b, unsafe.Add(p, uintptr(i)*size))
			}
			return b
		}
		if !ec.Flat {
			c.Fix = func(p unsafe.Pointer) {
				for i := 0; i < n; i++ {
					ec.Fix(unsafe.Add(p, uintptr(i)*size))
				}
			}
		}
		if ec.Refs != nil {
			c.Refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
				for i := 0; i < n; i++ {
					out = ec.Refs(unsafe.Add(p, uintptr(i)*size), out)
				}
				return out
			}
		}
	case reflect.Slice:
		ec, err := compile(t.Elem(), path+"[i]", stack)
		if err != nil {
			return nil, err
		}
		size := t.Elem().Size()
		c.Flat = false
		c.Eq = func(p, q unsafe.Pointer) bool {
			a, b := (*sliceHeader)(p), (*sliceHeader)(q)
			if a.len != b.len {
				return false
			}
			if a.len == 0 {
				return a.data == nil // the copy of an empty slice is nil
			}
			if ec.Flat && a.len > 0 {
				// Flat elements the same byte for byte are equal (their
				// strings share their bytes): a copy's elements, until
				// written, compare in one go.
				n := uintptr(a.len) * size
				if string(unsafe.Slice((*byte)(a.data), n)) == string(unsafe.Slice((*byte)(b.data), n)) {
					return true
				}
			}
			for i := 0; i < a.len; i++ {
				if !ec.Eq(unsafe.Add(a.data, uintptr(i)*size), unsafe.Add(b.data, uintptr(i)*size)) {
					return false
				}
			}
			return true
		}
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			h := (*sliceHeader)(p)
			n := h.len
			b = binary.AppendUvarint(b, uint64(n))
			if n == 0 {
				return b
			}
			base := h.data
			for i := 0; i < n; i++ {
				b = ec.Enc(b, unsafe.Add(base, uintptr(i)*size))
			}
			return b
		}
		c.Refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
			h := (*sliceHeader)(p)
			if h.data == nil || h.cap == 0 {
				return out
			}
			out = append(out, h.data)
			if ec.Refs != nil {
				for i := 0; i < h.len; i++ {
					out = ec.Refs(unsafe.Add(h.data, uintptr(i)*size), out)
				}
			}
			return out
		}
		if ec.Refs != nil {
			// Elements with references are compared and listed in one
			// walk; for others, the equality then the data pointer (see
			// compileCodec) is as cheap.
			c.EqRefs = func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
				a, b := (*sliceHeader)(p), (*sliceHeader)(q)
				if a.len != b.len {
					return out, false
				}
				if a.len == 0 {
					return out, a.data == nil // the copy of an empty slice is nil
				}
				out = append(out, a.data)
				ok := true
				for i := 0; i < a.len && ok; i++ {
					out, ok = ec.EqRefs(unsafe.Add(a.data, uintptr(i)*size), unsafe.Add(b.data, uintptr(i)*size), out)
				}
				return out, ok
			}
		}
		if build := lookupSlice(t); build != nil {
			c.use(build(ec))
			break
		}
		rt := abiType(t)
		c.Fix = func(p unsafe.Pointer) {
			h := (*sliceHeader)(p)
			if h.len == 0 {
				*h = sliceHeader{}
				return
			}
			n := h.len
			nv := reflect.MakeSlice(t, n, n)
			reflect.Copy(nv, viewAt(rt, p, false))
			*h = sliceHeader{data: nv.UnsafePointer(), len: n, cap: n}
			if ec.Flat {
				return
			}
			base := h.data
			for i := 0; i < n; i++ {
				ec.Fix(unsafe.Add(base, uintptr(i)*size))
			}
		}
	case reflect.Map:
		kerr := checkKeyType(t.Key(), path+"[key]")
		kc, err := compile(t.Key(), path+"[key]", stack)
		if kerr == nil {
			kerr = err
		}
		vc, verr := compile(t.Elem(), path+"[value]", stack)
		if err := joinProblems(kerr, verr); err != nil {
			return nil, err
		}
		c.Flat = false
		if build := lookupMap(t); build != nil {
			c.use(build(kc, vc))
			break
		}
		c.Eq = mapEqual(t, vc)
		c.Refs = mapRefs(t, vc)
		rt := abiType(t)
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			return encodeMap(b, viewAt(rt, p, true), kc, vc)
		}
		c.Fix = func(p unsafe.Pointer) {
			if *(*unsafe.Pointer)(p) == nil {
				*(*unsafe.Pointer)(p) = reflect.MakeMap(t).UnsafePointer()
				return
			}
			*(*unsafe.Pointer)(p) = copyMap(viewAt(rt, p, true), vc).UnsafePointer()
		}
	case reflect.Pointer:
		ec, err := compile(t.Elem(), path, stack)
		if err != nil {
			return nil, err
		}
		c.Flat = false
		c.Eq = func(p, q unsafe.Pointer) bool {
			a, b := *(*unsafe.Pointer)(p), *(*unsafe.Pointer)(q)
			return a == b || a != nil && b != nil && ec.Eq(a, b)
		}
		c.Refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				return out
			}
			out = append(out, q)
			if ec.Refs != nil {
				out = ec.Refs(q, out)
			}
			return out
		}
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				return append(b, 0)
			}
			return ec.Enc(append(b, 1), q)
		}
		c.Fix = func(p unsafe.Pointer) {
			v := reflect.NewAt(t, p).Elem()
			if v.IsNil() {
				return
			}
			nv := reflect.New(t.Elem())
			nv.Elem().Set(v.Elem())
			if ec.Fix != nil {
				ec.Fix(nv.UnsafePointer())
			}
			v.Set(nv)
		}
	case reflect.Struct:
		type field struct {
			off uintptr
			c   *Ops
		}
		var fields []field
		var errs []error
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fpath := path + "." + f.Name
			if !f.IsExported() {
				reason := "unexported field: execspec copies, compares and prints every state field, so state fields must be exported; export it, or keep the value outside the state (in the model's closure); a type from another package that hides its fields (time.Time, say) needs a plain representation instead (an integer, a string)"
				errs = append(errs, problem(fpath, f.Type, reason))
				continue
			}
			fc, err := compile(f.Type, fpath, stack)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			fields = append(fields, field{f.Offset, fc})
			c.Flat = c.Flat && fc.Flat
		}
		if err := joinProblems(errs...); err != nil {
			return nil, err
		}
		c.Eq = func(p, q unsafe.Pointer) bool {
			for _, f := range fields {
				if !f.c.Eq(unsafe.Add(p, f.off), unsafe.Add(q, f.off)) {
					return false
				}
			}
			return true
		}
		var withRefs []field
		for _, f := range fields {
			if f.c.Refs != nil {
				withRefs = append(withRefs, f)
			}
		}
		if len(withRefs) > 0 {
			c.Refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
				for _, f := range withRefs {
					out = f.c.Refs(unsafe.Add(p, f.off), out)
				}
				return out
			}
			type fusedField struct {
				off    uintptr
				eqRefs func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool)
			}
			fused := make([]fusedField, len(fields))
			for i, f := range fields {
				fused[i] = fusedField{f.off, f.c.EqRefsOrEq()}
			}
			c.EqRefs = func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
				ok := true
				for _, f := range fused {
					if out, ok = f.eqRefs(unsafe.Add(p, f.off), unsafe.Add(q, f.off), out); !ok {
						return out, false
					}
				}
				return out, true
			}
		}
		c.Enc = func(b []byte, p unsafe.Pointer) []byte {
			for _, f := range fields {
				b = f.c.Enc(b, unsafe.Add(p, f.off))
			}
			return b
		}
		if !c.Flat {
			var deep []field
			for _, f := range fields {
				if !f.c.Flat {
					deep = append(deep, f)
				}
			}
			c.Fix = func(p unsafe.Pointer) {
				for _, f := range deep {
					f.c.Fix(unsafe.Add(p, f.off))
				}
			}
			if c.Refs != nil {
				// Fields with references copy and list them in one walk;
				// deep ones without (sum types) are only copied.
				type fixField struct {
					off     uintptr
					fix     func(p unsafe.Pointer)
					fixRefs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer
				}
				var ff []fixField
				for _, f := range deep {
					ff = append(ff, fixField{f.off, f.c.Fix, f.c.FixRefs})
				}
				c.FixRefs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
					for _, f := range ff {
						if f.fixRefs != nil {
							out = f.fixRefs(unsafe.Add(p, f.off), out)
						} else {
							f.fix(unsafe.Add(p, f.off))
						}
					}
					return out
				}
			}
		}
	case reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return nil, problem(path, t, "floating-point values are not supported (ITF has no floats, and float equality makes state counts unstable); use an integer in fixed units (cents, milliseconds), execspec.BigInt for unbounded integers, or a rational as two integers (numerator, denominator)")
	case reflect.Func:
		return nil, problem(path, t, "functions cannot be part of state (they cannot be copied, compared or written to a trace); keep them in the model, outside the state")
	case reflect.Chan:
		return nil, problem(path, t, "channels cannot be part of state; model a channel as a slice (queue) or a Set (unordered network)")
	case reflect.Interface:
		return buildVariantCodec(t, path, stack)
	default:
		return nil, problem(path, t, "unsupported kind "+t.Kind().String()+"; use an integer, a string, or a struct of supported fields")
	}
	return c, nil
}

// checkKeyType rejects map keys whose identity would change on copy.
func checkKeyType(t reflect.Type, path string) error {
	switch t.Kind() {
	case reflect.Interface:
		return variantKeyError(t, path)
	case reflect.Pointer, reflect.Chan, reflect.UnsafePointer:
		return problem(path, t, "map keys and set elements must be plain values (no pointers or channels; an interface only once its variants are registered and comparable); use the value itself, or a VSet for set elements")
	case reflect.Array:
		return checkKeyType(t.Elem(), path+"[i]")
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if err := checkKeyType(t.Field(i).Type, path+"."+t.Field(i).Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildSpecial compiles one of the model API's value types (see Special):
// its element type first, under the path's [elem].
func buildSpecial(t reflect.Type, sp Special, path string, stack []reflect.Type) (*Ops, error) {
	var ec *Ops
	if et, key := sp.Elem(); et != nil {
		if key {
			if err := checkKeyType(et, path+"[elem]"); err != nil {
				return nil, err
			}
		}
		var err error
		if ec, err = compile(et, path+"[elem]", stack); err != nil {
			return nil, err
		}
	}
	return sp.Build(ec), nil
}

// encodeMap appends len, then the entries sorted by key encoding.
func encodeMap(b []byte, v reflect.Value, kc, vc *Ops) []byte {
	n := v.Len()
	b = binary.AppendUvarint(b, uint64(n))
	if n == 0 {
		return b
	}
	sc := getScratch()
	kp, ep := reflect.New(v.Type().Key()), reflect.New(v.Type().Elem())
	k, kptr := kp.Elem(), kp.UnsafePointer()
	e, eptr := ep.Elem(), ep.UnsafePointer()
	var it reflect.MapIter
	it.Reset(v)
	for it.Next() {
		k.SetIterKey(&it)
		sc.buf = kc.Enc(sc.buf, kptr)
		kend := len(sc.buf)
		e.SetIterValue(&it)
		sc.buf = vc.Enc(sc.buf, eptr)
		sc.endEntry(kend)
	}
	b = sc.appendSorted(b)
	putScratch(sc)
	return b
}

// copyMap returns a deep copy of the map v.
func copyMap(v reflect.Value, vc *Ops) reflect.Value {
	t := v.Type()
	nv := reflect.MakeMapWithSize(t, v.Len())
	it := v.MapRange()
	// The key and value go through addressable temporaries: it.Key() and
	// it.Value() would box a copy of each non-pointer key and value.
	k := reflect.New(t.Key()).Elem()
	ep := reflect.New(t.Elem())
	e, eptr := ep.Elem(), ep.UnsafePointer()
	for it.Next() {
		k.SetIterKey(it)
		e.SetIterValue(it)
		if vc != nil && !vc.Flat {
			vc.Fix(eptr)
		}
		nv.SetMapIndex(k, e)
	}
	return nv
}
