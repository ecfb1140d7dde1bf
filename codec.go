package execspec

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/execspec/execspec/internal/native"
)

// The state codec turns a plan compiled once per Go type into three
// operations the engines run millions of times: deep copy, canonical binary
// encoding (maps and sets in sorted key order, so equal states encode to equal
// bytes) and, on top of the encoding, fingerprints. Plans work on raw pointers
// with field offsets; reflection is used only where Go offers nothing else
// (maps, allocation of slices and pointers).

// codec is the compiled plan for one Go type.
type codec struct {
	t reflect.Type
	// flat is true when a plain assignment copies the value completely: it
	// holds no slice, map or pointer (strings are immutable, so they count as
	// flat).
	flat bool
	// enc appends the canonical encoding of the value at p.
	enc func(b []byte, p unsafe.Pointer) []byte
	// fix replaces, in the value at p, every reference it shares with the
	// value it was assigned from by a deep copy, in the canonical form of
	// a state's values: every map and Set made, empty or not (so that an
	// action may write into it, also through an alias), every slice with
	// its length as capacity and nil when empty. Nil when flat.
	fix func(p unsafe.Pointer)
	// eq reports whether the value at p is what fix makes of a copy of the
	// value at q, memory aside: the same encoding, and p in the form a
	// copy has (maps and Sets made, empty slices nil), which user code can
	// tell apart from the others. A copy is therefore eq to its source.
	eq func(p, q unsafe.Pointer) bool
	// refs appends to out the memory the value at p refers to and may
	// write in place: the data of its slices, its maps, the targets of its
	// pointers, the bodies of its Sets, at any depth. Nil when there is
	// none (flat values; sum types, whose equality is identity).
	refs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer
	// eqRefs is eq(p, q) that also appends refs(p) to out, in one walk of
	// both values where it pays (structs, slices, native maps); when the
	// values differ, what it appended is incomplete. Nil when refs is.
	eqRefs func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool)
	// fixRefs is fix(p) that also appends refs(p) after it (the memory the
	// copy made), in one walk where it pays. Nil when refs is.
	fixRefs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer
}

// fixRefsOf returns the fused fixRefs of a codec that has none of its
// own: the copy, then the references.
func fixRefsOf(fix func(p unsafe.Pointer), refs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer) func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
	return func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
		if fix != nil {
			fix(p)
		}
		return refs(p, out)
	}
}

// eqRefsOf returns the fused eqRefs of a codec that has none of its own:
// the equality, then the references.
func eqRefsOf(eq func(p, q unsafe.Pointer) bool, refs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer) func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
	return func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
		if !eq(p, q) {
			return out, false
		}
		return refs(p, out), true
	}
}

// eqEnc reports whether the values at p and q have the same encoding.
func (c *codec) eqEnc(p, q unsafe.Pointer) bool {
	sc := native.GetScratch()
	a := c.enc(sc.Buf, p)
	n := len(a)
	a = c.enc(a, q)
	equal := bytes.Equal(a[:n], a[n:])
	sc.Buf = a
	native.PutScratch(sc)
	return equal
}

// eqOf returns the equality of a comparable Go type whose == agrees with
// the encoding (no interfaces, no floats).
func eqOf[T comparable](p, q unsafe.Pointer) bool { return *(*T)(p) == *(*T)(q) }

// encodeValue appends the encoding of *x, whose type must be c.t.
func (c *codec) encodeValue(b []byte, x any) []byte {
	return c.enc(b, reflect.ValueOf(x).UnsafePointer())
}

// TypeError reports a state type execspec cannot handle, naming the path of
// the offending field from the state's root.
type TypeError struct {
	Path   string       // e.g. "State.Zone.Trees[value].Handler"
	Type   reflect.Type // the offending type
	Reason string
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("state field %s (type %s): %s", e.Path, e.Type, e.Reason)
}

// TypeErrors is every problem found in a state type, in field order, so a
// model's author fixes them all in one go. machine.Compile returns it (wrapped)
// when the state type has more than one problem; errors.As finds both the
// list and each *TypeError in it.
type TypeErrors []*TypeError

// Error lists the problems, one per line.
func (e TypeErrors) Error() string {
	msgs := make([]string, len(e))
	for i, te := range e {
		msgs[i] = te.Error()
	}
	return fmt.Sprintf("%d problems with the state type:\n\t%s", len(e), strings.Join(msgs, "\n\t"))
}

// Unwrap returns the individual errors.
func (e TypeErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, te := range e {
		out[i] = te
	}
	return out
}

// joinTypeErrors flattens errs (nil, *TypeError or TypeErrors) into nil,
// one *TypeError, or TypeErrors.
func joinTypeErrors(errs ...error) error {
	var all TypeErrors
	for _, err := range errs {
		switch e := err.(type) {
		case nil:
		case *TypeError:
			all = append(all, e)
		case TypeErrors:
			all = append(all, e...)
		default:
			all = append(all, &TypeError{Reason: err.Error()})
		}
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	return all
}

var codecCache sync.Map // reflect.Type -> *codec

var (
	setValueType = reflect.TypeOf((*setValue)(nil)).Elem()
	bigIntType   = reflect.TypeFor[big.Int]()
)

func reflectTypeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

// codecOf returns the codec for t, compiling it if needed.
func codecOf(t reflect.Type) (*codec, error) {
	return compileCodec(t, t.String(), nil)
}

func compileCodec(t reflect.Type, path string, stack []reflect.Type) (*codec, error) {
	if c, ok := codecCache.Load(t); ok {
		return c.(*codec), nil
	}
	for _, s := range stack {
		if s == t {
			return nil, &TypeError{Path: path, Type: t, Reason: "recursive type (a value could contain itself or a pointer cycle); use slices or maps of plain values instead"}
		}
	}
	stack = append(stack, t)
	c, err := buildCodec(t, path, stack)
	if err != nil {
		return nil, err
	}
	if c.eq == nil {
		// Flat values (no map, slice or pointer inside) are equal when
		// their encodings are. For the others, equal encodings could hide a
		// nil map against an empty one, which user code tells apart: those
		// left (maps of such values, sum types) are equal only when they are
		// the same value, bit for bit (the same map, the same variant).
		if c.flat {
			c.eq = c.eqEnc
		} else {
			size := t.Size()
			c.eq = func(p, q unsafe.Pointer) bool {
				return p == q || string(unsafe.Slice((*byte)(p), size)) == string(unsafe.Slice((*byte)(q), size))
			}
		}
	}
	if c.refs != nil && c.eqRefs == nil {
		c.eqRefs = eqRefsOf(c.eq, c.refs)
	}
	if c.refs != nil && c.fixRefs == nil {
		c.fixRefs = fixRefsOf(c.fix, c.refs)
	}
	actual, _ := codecCache.LoadOrStore(t, c)
	return actual.(*codec), nil
}

func buildCodec(t reflect.Type, path string, stack []reflect.Type) (*codec, error) {
	c := &codec{t: t, flat: true}
	if t.Implements(setValueType) && t.Kind() == reflect.Struct {
		return buildSetCodec(t, path, stack)
	}
	if t.Kind() == reflect.Struct && t.Implements(vsetValueType) {
		return buildVSetCodec(t, path, stack)
	}
	if t == bigIntValueType {
		return bigIntCodec(), nil
	}
	if t == bigIntType || t == reflect.PointerTo(bigIntType) {
		return nil, &TypeError{Path: path, Type: t, Reason: "math/big integers are mutable and shared through pointers, so a copied state would share them; use execspec.BigInt, an immutable big integer (written to ITF as #bigint)"}
	}
	switch t.Kind() {
	case reflect.Bool:
		c.eq = eqOf[bool]
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			if *(*bool)(p) {
				return append(b, 1)
			}
			return append(b, 0)
		}
	case reflect.Int8:
		c.eq = eqOf[int8]
		c.enc = func(b []byte, p unsafe.Pointer) []byte { return append(b, byte(*(*int8)(p))) }
	case reflect.Uint8:
		c.eq = eqOf[uint8]
		c.enc = func(b []byte, p unsafe.Pointer) []byte { return append(b, *(*uint8)(p)) }
	case reflect.Int16:
		c.eq = eqOf[int16]
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint16(b, uint16(*(*int16)(p)))
		}
	case reflect.Uint16:
		c.eq = eqOf[uint16]
		c.enc = func(b []byte, p unsafe.Pointer) []byte { return binary.LittleEndian.AppendUint16(b, *(*uint16)(p)) }
	case reflect.Int32:
		c.eq = eqOf[int32]
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint32(b, uint32(*(*int32)(p)))
		}
	case reflect.Uint32:
		c.eq = eqOf[uint32]
		c.enc = func(b []byte, p unsafe.Pointer) []byte { return binary.LittleEndian.AppendUint32(b, *(*uint32)(p)) }
	case reflect.Int64:
		c.eq = eqOf[int64]
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint64(b, uint64(*(*int64)(p)))
		}
	case reflect.Uint64:
		c.eq = eqOf[uint64]
		c.enc = func(b []byte, p unsafe.Pointer) []byte { return binary.LittleEndian.AppendUint64(b, *(*uint64)(p)) }
	case reflect.Int:
		c.eq = eqOf[int]
		// Always eight bytes, so fingerprints agree across architectures.
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint64(b, uint64(*(*int)(p)))
		}
	case reflect.Uint:
		c.eq = eqOf[uint]
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			return binary.LittleEndian.AppendUint64(b, uint64(*(*uint)(p)))
		}
	case reflect.String:
		c.eq = eqOf[string]
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			s := *(*string)(p)
			b = binary.AppendUvarint(b, uint64(len(s)))
			return append(b, s...)
		}
	case reflect.Array:
		ec, err := compileCodec(t.Elem(), path+"[i]", stack)
		if err != nil {
			return nil, err
		}
		n, size := t.Len(), t.Elem().Size()
		c.flat = ec.flat
		c.eq = func(p, q unsafe.Pointer) bool {
			for i := 0; i < n; i++ {
				if !ec.eq(unsafe.Add(p, uintptr(i)*size), unsafe.Add(q, uintptr(i)*size)) {
					return false
				}
			}
			return true
		}
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			for i := 0; i < n; i++ {
				b = ec.enc(b, unsafe.Add(p, uintptr(i)*size))
			}
			return b
		}
		if !ec.flat {
			c.fix = func(p unsafe.Pointer) {
				for i := 0; i < n; i++ {
					ec.fix(unsafe.Add(p, uintptr(i)*size))
				}
			}
		}
		if ec.refs != nil {
			c.refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
				for i := 0; i < n; i++ {
					out = ec.refs(unsafe.Add(p, uintptr(i)*size), out)
				}
				return out
			}
		}
	case reflect.Slice:
		ec, err := compileCodec(t.Elem(), path+"[i]", stack)
		if err != nil {
			return nil, err
		}
		size := t.Elem().Size()
		c.flat = false
		c.eq = func(p, q unsafe.Pointer) bool {
			a, b := (*sliceHeader)(p), (*sliceHeader)(q)
			if a.len != b.len {
				return false
			}
			if a.len == 0 {
				return a.data == nil // the copy of an empty slice is nil
			}
			if ec.flat && a.len > 0 {
				// Flat elements the same byte for byte are equal (their
				// strings share their bytes): a copy's elements, until
				// written, compare in one go.
				n := uintptr(a.len) * size
				if string(unsafe.Slice((*byte)(a.data), n)) == string(unsafe.Slice((*byte)(b.data), n)) {
					return true
				}
			}
			for i := 0; i < a.len; i++ {
				if !ec.eq(unsafe.Add(a.data, uintptr(i)*size), unsafe.Add(b.data, uintptr(i)*size)) {
					return false
				}
			}
			return true
		}
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			h := (*sliceHeader)(p)
			n := h.len
			b = binary.AppendUvarint(b, uint64(n))
			if n == 0 {
				return b
			}
			base := h.data
			for i := 0; i < n; i++ {
				b = ec.enc(b, unsafe.Add(base, uintptr(i)*size))
			}
			return b
		}
		c.refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
			h := (*sliceHeader)(p)
			if h.data == nil || h.cap == 0 {
				return out
			}
			out = append(out, h.data)
			if ec.refs != nil {
				for i := 0; i < h.len; i++ {
					out = ec.refs(unsafe.Add(h.data, uintptr(i)*size), out)
				}
			}
			return out
		}
		if ec.refs != nil {
			// Elements with references are compared and listed in one
			// walk; for others, the equality then the data pointer (see
			// compileCodec) is as cheap.
			c.eqRefs = func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
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
					out, ok = ec.eqRefs(unsafe.Add(a.data, uintptr(i)*size), unsafe.Add(b.data, uintptr(i)*size), out)
				}
				return out, ok
			}
		}
		if build := lookupSlice(t); build != nil {
			c.use(build(nativeDecoding, ec.ops()))
			break
		}
		rt := abiType(t)
		c.fix = func(p unsafe.Pointer) {
			h := (*sliceHeader)(p)
			if h.len == 0 {
				*h = sliceHeader{}
				return
			}
			n := h.len
			nv := reflect.MakeSlice(t, n, n)
			reflect.Copy(nv, viewAt(rt, p, false))
			*h = sliceHeader{data: nv.UnsafePointer(), len: n, cap: n}
			if ec.flat {
				return
			}
			base := h.data
			for i := 0; i < n; i++ {
				ec.fix(unsafe.Add(base, uintptr(i)*size))
			}
		}
	case reflect.Map:
		kerr := checkKeyType(t.Key(), path+"[key]")
		kc, err := compileCodec(t.Key(), path+"[key]", stack)
		if kerr == nil {
			kerr = err
		}
		vc, verr := compileCodec(t.Elem(), path+"[value]", stack)
		if err := joinTypeErrors(kerr, verr); err != nil {
			return nil, err
		}
		c.flat = false
		if build := lookupMap(t); build != nil {
			c.use(build(nativeDecoding, kc.ops(), vc.ops()))
			break
		}
		c.eq = mapEqual(t, vc)
		c.refs = mapRefs(t, vc)
		rt := abiType(t)
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			return encodeMap(b, viewAt(rt, p, true), kc, vc)
		}
		c.fix = func(p unsafe.Pointer) {
			if *(*unsafe.Pointer)(p) == nil {
				*(*unsafe.Pointer)(p) = reflect.MakeMap(t).UnsafePointer()
				return
			}
			*(*unsafe.Pointer)(p) = copyMap(viewAt(rt, p, true), vc).UnsafePointer()
		}
	case reflect.Pointer:
		ec, err := compileCodec(t.Elem(), path, stack)
		if err != nil {
			return nil, err
		}
		c.flat = false
		c.eq = func(p, q unsafe.Pointer) bool {
			a, b := *(*unsafe.Pointer)(p), *(*unsafe.Pointer)(q)
			return a == b || a != nil && b != nil && ec.eq(a, b)
		}
		c.refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				return out
			}
			out = append(out, q)
			if ec.refs != nil {
				out = ec.refs(q, out)
			}
			return out
		}
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				return append(b, 0)
			}
			return ec.enc(append(b, 1), q)
		}
		c.fix = func(p unsafe.Pointer) {
			v := reflect.NewAt(t, p).Elem()
			if v.IsNil() {
				return
			}
			nv := reflect.New(t.Elem())
			nv.Elem().Set(v.Elem())
			if ec.fix != nil {
				ec.fix(nv.UnsafePointer())
			}
			v.Set(nv)
		}
	case reflect.Struct:
		type field struct {
			off uintptr
			c   *codec
		}
		var fields []field
		var errs []error
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fpath := path + "." + f.Name
			if !f.IsExported() {
				reason := "unexported field: execspec copies, compares and prints every state field, so state fields must be exported; export it, or keep the value outside the state (in the model's closure); a type from another package that hides its fields (time.Time, say) needs a plain representation instead (an integer, a string)"
				errs = append(errs, &TypeError{Path: fpath, Type: f.Type, Reason: reason})
				continue
			}
			fc, err := compileCodec(f.Type, fpath, stack)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			fields = append(fields, field{f.Offset, fc})
			c.flat = c.flat && fc.flat
		}
		if err := joinTypeErrors(errs...); err != nil {
			return nil, err
		}
		c.eq = func(p, q unsafe.Pointer) bool {
			for _, f := range fields {
				if !f.c.eq(unsafe.Add(p, f.off), unsafe.Add(q, f.off)) {
					return false
				}
			}
			return true
		}
		var withRefs []field
		for _, f := range fields {
			if f.c.refs != nil {
				withRefs = append(withRefs, f)
			}
		}
		if len(withRefs) > 0 {
			c.refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
				for _, f := range withRefs {
					out = f.c.refs(unsafe.Add(p, f.off), out)
				}
				return out
			}
			type fusedField struct {
				off    uintptr
				eqRefs func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool)
			}
			fused := make([]fusedField, len(fields))
			for i, f := range fields {
				fused[i] = fusedField{f.off, f.c.ops().EqRefsOrEq()}
			}
			c.eqRefs = func(p, q unsafe.Pointer, out []unsafe.Pointer) ([]unsafe.Pointer, bool) {
				ok := true
				for _, f := range fused {
					if out, ok = f.eqRefs(unsafe.Add(p, f.off), unsafe.Add(q, f.off), out); !ok {
						return out, false
					}
				}
				return out, true
			}
		}
		c.enc = func(b []byte, p unsafe.Pointer) []byte {
			for _, f := range fields {
				b = f.c.enc(b, unsafe.Add(p, f.off))
			}
			return b
		}
		if !c.flat {
			var deep []field
			for _, f := range fields {
				if !f.c.flat {
					deep = append(deep, f)
				}
			}
			c.fix = func(p unsafe.Pointer) {
				for _, f := range deep {
					f.c.fix(unsafe.Add(p, f.off))
				}
			}
			if c.refs != nil {
				// Fields with references copy and list them in one walk;
				// deep ones without (sum types) are only copied.
				type fixField struct {
					off     uintptr
					fix     func(p unsafe.Pointer)
					fixRefs func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer
				}
				var ff []fixField
				for _, f := range deep {
					ff = append(ff, fixField{f.off, f.c.fix, f.c.fixRefs})
				}
				c.fixRefs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
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
		return nil, &TypeError{Path: path, Type: t, Reason: "floating-point values are not supported (ITF has no floats, and float equality makes state counts unstable); use an integer in fixed units (cents, milliseconds), execspec.BigInt for unbounded integers, or a rational as two integers (numerator, denominator)"}
	case reflect.Func:
		return nil, &TypeError{Path: path, Type: t, Reason: "functions cannot be part of state (they cannot be copied, compared or written to a trace); keep them in the model, outside the state"}
	case reflect.Chan:
		return nil, &TypeError{Path: path, Type: t, Reason: "channels cannot be part of state; model a channel as a slice (queue) or a Set (unordered network)"}
	case reflect.Interface:
		return buildVariantCodec(t, path, stack)
	default:
		return nil, &TypeError{Path: path, Type: t, Reason: "unsupported kind " + t.Kind().String() + "; use an integer, a string, or a struct of supported fields"}
	}
	return c, nil
}

// checkKeyType rejects map keys whose identity would change on copy.
func checkKeyType(t reflect.Type, path string) error {
	switch t.Kind() {
	case reflect.Interface:
		return variantKeyError(t, path)
	case reflect.Pointer, reflect.Chan, reflect.UnsafePointer:
		return &TypeError{Path: path, Type: t, Reason: "map keys and set elements must be plain values (no pointers or channels; an interface only once its variants are registered and comparable); use the value itself, or a VSet for set elements"}
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

func buildSetCodec(t reflect.Type, path string, stack []reflect.Type) (*codec, error) {
	mt := setMapType(t)
	et := mt.Key()
	if err := checkKeyType(et, path+"[elem]"); err != nil {
		return nil, err
	}
	ec, err := compileCodec(et, path+"[elem]", stack)
	if err != nil {
		return nil, err
	}
	// Set[T]'s methods are compiled for T: the set's map is copied and
	// encoded natively, whatever T is.
	c := &codec{t: t, flat: false}
	c.fix, c.enc, c.eq = reflect.Zero(t).Interface().(setValue).setCodec(ec)
	c.refs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
		// A Set's map is shared by copies until written (copy on write);
		// what a Set writes in place is its body.
		if b := *(*unsafe.Pointer)(p); b != nil {
			out = append(out, b)
		}
		return out
	}
	return c, nil
}

// sliceHeader is the layout of every Go slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// viewAt returns the value at p, whose type has the runtime descriptor rt,
// as a reflect.Value that reads it in place (it is not addressable and must
// not be written through). direct says that the type is one pointer, which
// an interface holds itself (maps); otherwise the interface points at p.
// It costs no allocation and none of reflect.NewAt's lookup of the pointer
// type.
func viewAt(rt, p unsafe.Pointer, direct bool) reflect.Value {
	var x any
	e := (*[2]unsafe.Pointer)(unsafe.Pointer(&x))
	e[0] = rt
	if direct {
		e[1] = *(*unsafe.Pointer)(p)
	} else {
		e[1] = p
	}
	return reflect.ValueOf(x)
}

// encodeMap appends len, then the entries sorted by key encoding.
func encodeMap(b []byte, v reflect.Value, kc, vc *codec) []byte {
	n := v.Len()
	b = binary.AppendUvarint(b, uint64(n))
	if n == 0 {
		return b
	}
	sc := native.GetScratch()
	kp, ep := reflect.New(v.Type().Key()), reflect.New(v.Type().Elem())
	k, kptr := kp.Elem(), kp.UnsafePointer()
	e, eptr := ep.Elem(), ep.UnsafePointer()
	var it reflect.MapIter
	it.Reset(v)
	for it.Next() {
		k.SetIterKey(&it)
		sc.Buf = kc.enc(sc.Buf, kptr)
		kend := len(sc.Buf)
		e.SetIterValue(&it)
		sc.Buf = vc.enc(sc.Buf, eptr)
		sc.EndEntry(kend)
	}
	b = sc.AppendSorted(b)
	native.PutScratch(sc)
	return b
}

// copyMap returns a deep copy of the map v.
func copyMap(v reflect.Value, vc *codec) reflect.Value {
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
		if vc != nil && !vc.flat {
			vc.fix(eptr)
		}
		nv.SetMapIndex(k, e)
	}
	return nv
}
