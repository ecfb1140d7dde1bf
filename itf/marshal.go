package itf

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Marshaler is implemented by types that convert themselves to ITF values.
// [Marshal] calls MarshalITF for values of such types, whether it is
// declared with a value or a pointer receiver.
type Marshaler interface {
	MarshalITF() (Value, error)
}

// Unmarshaler is implemented by types that set themselves from ITF values.
// [Unmarshal] calls UnmarshalITF (declared with a pointer receiver) instead
// of its own rules.
type Unmarshaler interface {
	UnmarshalITF(Value) error
}

// VariantValue is implemented by Go types standing for one case of a sum
// type. [Marshal] writes such a value as Variant(v.ITFTag(), payload), where
// the payload is the value marshaled by the ordinary rules ([Unit] for a
// struct without fields). [Unmarshal] accepts only a variant with the tag
// that ITFTag returns for the zero value of the type, and unmarshals its
// payload. Marshaler and Unmarshaler take precedence over VariantValue.
type VariantValue interface {
	ITFTag() string
}

// Marshal converts a Go value to an ITF value:
//
//   - bool to a boolean; every integer kind, big.Int and *big.Int (non-nil)
//     to an integer; string to a string;
//   - slices and arrays to lists, or tuples when the struct field holding
//     them has the tag `itf:",tuple"`;
//   - maps to maps, with keys of any type; a map[K]struct{} to a set of K;
//   - structs to records with the exported fields' names, or the name
//     given by the tag `itf:"name"`; `itf:"-"` leaves a field out; a
//     struct-typed field tagged `itf:",tuple"` becomes a tuple of its
//     fields in declaration order; the fields of embedded structs without
//     a tag name are promoted, as in encoding/json;
//   - pointers follow Quint's Option: nil to None(), non-nil to Some(x),
//     except that a non-nil pointer passed to Marshal itself is
//     dereferenced, so Marshal(&x) and Marshal(x) agree;
//   - an interface value is marshaled by its dynamic value (nil is an
//     error);
//   - a Value is itself; types implementing [Marshaler] or [VariantValue]
//     are converted by them; a type registered as a variant with
//     [RegisterVariants] becomes Variant(tag, payload).
//
// Floating-point and complex numbers, channels and functions cannot be
// marshaled. Errors are *ValueError values giving the path of the value
// that failed.
func Marshal(v any) (Value, error) {
	if v == nil {
		return Value{}, errors.New("itf: marshal: nil value")
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	val, err := codecFor(rv.Type(), false).enc(rv, 0)
	if err != nil {
		return Value{}, fmt.Errorf("itf: marshal %s: %w", rv.Type(), asValueError(err))
	}
	return val, nil
}

// Unmarshal stores the ITF value val in the Go value ptr points to,
// following the rules of [Marshal] in reverse, with these additions:
//
//   - integers are range-checked against the target type;
//   - slices accept lists, tuples and sets (in canonical order); arrays
//     accept lists and tuples of the same length; tuple-tagged structs
//     accept tuples and lists of the same length;
//   - a struct accepts a record with at least its fields (a missing field
//     is an error, extra fields are ignored);
//   - a map[string]T (any string key type) accepts records too; a
//     map[K]struct{} or map[K]bool accepts sets;
//   - a pointer accepts Some(x) and None;
//   - an interface with registered variants ([RegisterVariants]) accepts
//     a variant of one of them, chosen by tag; an interface that Value
//     implements (such as any) receives val itself; a non-nil interface
//     holding a pointer receives the value in the pointee; other
//     interfaces are an error.
//
// Errors are *ValueError values giving the path of the value that did not
// fit, for example `.zone.#map[2].value: cannot unmarshal string into int`.
func Unmarshal(val Value, ptr any) error {
	rv := reflect.ValueOf(ptr)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("itf: unmarshal: need a non-nil pointer, got %T", ptr)
	}
	rv = rv.Elem()
	if err := codecFor(rv.Type(), false).dec(val, rv); err != nil {
		return fmt.Errorf("itf: unmarshal into %s: %w", rv.Type(), asValueError(err))
	}
	return nil
}

// Unmarshal stores the values of the state in the struct (or map) ptr
// points to, as [Unmarshal] does with a record holding one field per
// variable.
func (s State) Unmarshal(ptr any) error {
	return Unmarshal(s.record(), ptr)
}

func (s State) record() Value {
	fields := make([]Field, 0, len(s.Values))
	for name, v := range s.Values {
		fields = append(fields, Field{Name: name, Value: v})
	}
	return recordOwned(fields)
}

// UnmarshalStates stores the states of t in the slice dst points to, one
// element per state, each as by [State.Unmarshal]. Error paths start with
// the state, for example `states[3].zone.#map[2].value`.
func (t *Trace) UnmarshalStates(dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("itf: unmarshal states: need a non-nil pointer to a slice, got %T", dst)
	}
	sv := rv.Elem()
	c := codecFor(sv.Type().Elem(), false)
	out := reflect.MakeSlice(sv.Type(), len(t.States), len(t.States))
	for i, s := range t.States {
		if err := c.dec(s.record(), out.Index(i)); err != nil {
			return fmt.Errorf("itf: unmarshal states: %w", atPath(err, "states["+strconv.Itoa(i)+"]"))
		}
	}
	sv.Set(out)
	return nil
}

// A codec converts between one Go type and ITF values. enc accepts any
// reflect.Value of the type; dec needs a settable one.
type codec struct {
	enc encFunc
	dec decFunc
}

// encFunc converts a Go value; depth counts the enclosing composite values
// (it stops cyclic data).
type encFunc func(rv reflect.Value, depth int) (Value, error)

// decFunc stores val in the settable rv.
type decFunc func(val Value, rv reflect.Value) error

// checkDepth fails beyond MaxDepth, which only cyclic or absurdly deep data
// reaches.
func checkDepth(depth int) error {
	if depth > MaxDepth {
		return &ValueError{Err: errors.New(errTooDeep.Error() + " (cyclic data?)")}
	}
	return nil
}

type codecKey struct {
	t     reflect.Type
	tuple bool // the field has `itf:",tuple"`
	base  bool // ignore Marshaler, Unmarshaler and VariantValue
}

var (
	codecs  sync.Map // codecKey -> *codec
	buildMu sync.Mutex
)

// codecFor returns the cached codec for t, building it on first use.
func codecFor(t reflect.Type, tuple bool) *codec {
	k := codecKey{t: t, tuple: tuple}
	if c, ok := codecs.Load(k); ok {
		return c.(*codec)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	b := builder{pending: map[codecKey]*codec{}}
	c := b.build(k)
	for k, c := range b.pending {
		codecs.Store(k, c)
	}
	return c
}

// builder builds codecs for a type and the types it refers to. Codecs in
// pending may not be filled in yet (recursive types), so codecs refer to
// one another through pointers and read their functions only when called.
type builder struct {
	pending map[codecKey]*codec
}

func (b *builder) build(k codecKey) *codec {
	if c, ok := codecs.Load(k); ok {
		return c.(*codec)
	}
	if c, ok := b.pending[k]; ok {
		return c
	}
	c := new(codec)
	b.pending[k] = c
	b.fill(c, k)
	return c
}

var (
	valueType       = reflect.TypeFor[Value]()
	bigIntType      = reflect.TypeFor[big.Int]()
	marshalerType   = reflect.TypeFor[Marshaler]()
	unmarshalerType = reflect.TypeFor[Unmarshaler]()
	variantType     = reflect.TypeFor[VariantValue]()
	emptyStructType = reflect.TypeFor[struct{}]()
)

// mismatch returns the error for a value of the wrong kind.
func mismatch(val Value, t reflect.Type) error {
	what := val.Kind().String()
	if !val.IsValid() {
		what = "invalid (zero) Value"
	}
	return &ValueError{Err: fmt.Errorf("cannot unmarshal %s into %s", what, t)}
}

// failing returns a codec that always fails with err.
func failing(err error) (encFunc, decFunc) {
	return func(reflect.Value, int) (Value, error) { return Value{}, &ValueError{Err: err} },
		func(Value, reflect.Value) error { return &ValueError{Err: err} }
}

// addressable returns rv if it is addressable, or an addressable copy.
func addressable(rv reflect.Value) reflect.Value {
	if rv.CanAddr() {
		return rv
	}
	c := reflect.New(rv.Type()).Elem()
	c.Set(rv)
	return c
}

func (b *builder) fill(c *codec, k codecKey) {
	t := k.t
	kind := t.Kind()
	if !k.base && kind != reflect.Pointer && kind != reflect.Interface && t != valueType {
		pt := reflect.PointerTo(t)
		hasM := pt.Implements(marshalerType)
		hasU := pt.Implements(unmarshalerType)
		hasV := pt.Implements(variantType)
		regTag, hasR := registeredTag(t)
		if hasM || hasU || hasV || hasR {
			base := b.build(codecKey{t: t, tuple: k.tuple, base: true})
			c.enc = func(rv reflect.Value, depth int) (Value, error) { return base.enc(rv, depth) }
			c.dec = func(val Value, rv reflect.Value) error { return base.dec(val, rv) }
			if hasV || hasR {
				c.enc, c.dec = variantCodec(t, base, regTag)
			}
			if hasM {
				c.enc = marshalerEnc(t)
			}
			if hasU {
				c.dec = func(val Value, rv reflect.Value) error {
					if err := rv.Addr().Interface().(Unmarshaler).UnmarshalITF(val); err != nil {
						return asValueError(fmt.Errorf("%s.UnmarshalITF: %w", t, err))
					}
					return nil
				}
			}
			return
		}
	}
	switch {
	case t == valueType:
		c.enc = func(rv reflect.Value, depth int) (Value, error) {
			v := addressable(rv).Addr().Interface().(*Value)
			if !v.IsValid() {
				return Value{}, &ValueError{Err: errInvalidValue}
			}
			return *v, nil
		}
		c.dec = func(val Value, rv reflect.Value) error {
			*rv.Addr().Interface().(*Value) = val
			return nil
		}
		return
	case t == bigIntType:
		c.enc = func(rv reflect.Value, depth int) (Value, error) {
			return BigInt(addressable(rv).Addr().Interface().(*big.Int)), nil
		}
		c.dec = func(val Value, rv reflect.Value) error {
			if val.kind != KindInt {
				return mismatch(val, t)
			}
			dst := rv.Addr().Interface().(*big.Int)
			if b := val.bigOrNil(); b != nil {
				dst.Set(b)
			} else {
				dst.SetInt64(val.num)
			}
			return nil
		}
		return
	case t == reflect.PointerTo(bigIntType):
		c.enc = func(rv reflect.Value, depth int) (Value, error) {
			if rv.IsNil() {
				return Value{}, &ValueError{Err: errors.New("nil *big.Int")}
			}
			return BigInt(rv.Interface().(*big.Int)), nil
		}
		c.dec = func(val Value, rv reflect.Value) error {
			if val.kind != KindInt {
				return mismatch(val, t)
			}
			n, _ := val.AsBigInt()
			rv.Set(reflect.ValueOf(n))
			return nil
		}
		return
	}
	switch kind {
	case reflect.Bool:
		c.enc = func(rv reflect.Value, depth int) (Value, error) { return Bool(rv.Bool()), nil }
		c.dec = func(val Value, rv reflect.Value) error {
			b, ok := val.AsBool()
			if !ok {
				return mismatch(val, t)
			}
			rv.SetBool(b)
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := uint(t.Bits())
		c.enc = func(rv reflect.Value, depth int) (Value, error) { return Int(rv.Int()), nil }
		c.dec = func(val Value, rv reflect.Value) error {
			if val.kind != KindInt {
				return mismatch(val, t)
			}
			n, ok := val.AsInt64()
			if !ok || n<<(64-bits)>>(64-bits) != n {
				return &ValueError{Err: fmt.Errorf("cannot unmarshal %s into %s: out of range", val, t)}
			}
			rv.SetInt(n)
			return nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		bits := uint(t.Bits())
		c.enc = func(rv reflect.Value, depth int) (Value, error) {
			u := rv.Uint()
			if u > math.MaxInt64 {
				return bigOwned(new(big.Int).SetUint64(u)), nil
			}
			return Int(int64(u)), nil
		}
		c.dec = func(val Value, rv reflect.Value) error {
			if val.kind != KindInt {
				return mismatch(val, t)
			}
			var u uint64
			ok := false
			if b := val.bigOrNil(); b != nil {
				ok = b.IsUint64()
				u = b.Uint64()
			} else if val.num >= 0 {
				ok, u = true, uint64(val.num)
			}
			if !ok || u<<(64-bits)>>(64-bits) != u {
				return &ValueError{Err: fmt.Errorf("cannot unmarshal %s into %s: out of range", val, t)}
			}
			rv.SetUint(u)
			return nil
		}
	case reflect.String:
		c.enc = func(rv reflect.Value, depth int) (Value, error) { return String(rv.String()), nil }
		c.dec = func(val Value, rv reflect.Value) error {
			s, ok := val.AsString()
			if !ok {
				return mismatch(val, t)
			}
			rv.SetString(s)
			return nil
		}
	case reflect.Slice, reflect.Array:
		c.enc, c.dec = b.sequenceCodec(t, k.tuple)
	case reflect.Map:
		c.enc, c.dec = b.mapCodec(t)
	case reflect.Struct:
		c.enc, c.dec = b.structCodec(t, k.tuple)
	case reflect.Pointer:
		c.enc, c.dec = b.pointerCodec(t, k.tuple)
	case reflect.Interface:
		if len(Variants(t)) > 0 {
			c.enc, c.dec = sumCodec(t)
		} else {
			c.enc, c.dec = interfaceCodec(t)
		}
	default:
		c.enc, c.dec = failing(fmt.Errorf("unsupported type %s: ITF has no %s values", t, kind))
	}
}

// marshalerEnc calls MarshalITF, with a value or a pointer receiver.
func marshalerEnc(t reflect.Type) encFunc {
	valueRecv := t.Implements(marshalerType)
	return func(rv reflect.Value, depth int) (Value, error) {
		var m Marshaler
		if valueRecv {
			m = rv.Interface().(Marshaler)
		} else {
			m = addressable(rv).Addr().Interface().(Marshaler)
		}
		v, err := m.MarshalITF()
		if err != nil {
			return Value{}, asValueError(fmt.Errorf("%s.MarshalITF: %w", t, err))
		}
		if !v.IsValid() {
			return Value{}, &ValueError{Err: fmt.Errorf("%s.MarshalITF returned the zero Value", t)}
		}
		return v, nil
	}
}

// variantCodec wraps base in Variant(tag, payload), where the tag is
// regTag when the type is a registered variant, else ITFTag().
func variantCodec(t reflect.Type, base *codec, regTag string) (encFunc, decFunc) {
	valueRecv := t.Implements(variantType)
	tagOf := func(rv reflect.Value) string {
		if regTag != "" {
			return regTag
		}
		if valueRecv {
			return rv.Interface().(VariantValue).ITFTag()
		}
		return addressable(rv).Addr().Interface().(VariantValue).ITFTag()
	}
	unit := t.Kind() == reflect.Struct && t.NumField() == 0
	enc := func(rv reflect.Value, depth int) (Value, error) {
		tag := tagOf(rv)
		if unit {
			return Variant(tag, Unit()), nil
		}
		p, err := base.enc(rv, depth)
		if err != nil {
			return Value{}, atPath(err, ".value")
		}
		return Variant(tag, p), nil
	}
	dec := func(val Value, rv reflect.Value) error {
		want := tagOf(reflect.New(t).Elem())
		if val.kind != KindVariant {
			return mismatch(val, t)
		}
		if val.str != want {
			return &ValueError{Err: fmt.Errorf("cannot unmarshal variant %q into %s (tag %q)", val.str, t, want)}
		}
		p := val.Payload()
		if unit && (p.kind == KindTuple || p.kind == KindRecord) && p.Len() == 0 {
			return nil
		}
		if err := base.dec(p, rv); err != nil {
			return atPath(err, ".value")
		}
		return nil
	}
	return enc, dec
}

func (b *builder) sequenceCodec(t reflect.Type, tuple bool) (encFunc, decFunc) {
	elem := b.build(codecKey{t: t.Elem()})
	kind := KindList
	if tuple {
		kind = KindTuple
	}
	isArray := t.Kind() == reflect.Array
	enc := func(rv reflect.Value, depth int) (Value, error) {
		if err := checkDepth(depth); err != nil {
			return Value{}, err
		}
		n := rv.Len()
		if n == 0 {
			return Value{kind: kind}, nil
		}
		if isArray {
			rv = addressable(rv)
		}
		elems := make([]Value, n)
		for i := range n {
			v, err := elem.enc(rv.Index(i), depth+1)
			if err != nil {
				return Value{}, atPath(err, "["+strconv.Itoa(i)+"]")
			}
			elems[i] = v
		}
		return Value{kind: kind, ref: elems}, nil
	}
	dec := func(val Value, rv reflect.Value) error {
		switch val.kind {
		case KindList, KindTuple:
		case KindSet:
			if isArray {
				return mismatch(val, t)
			}
		default:
			return mismatch(val, t)
		}
		elems := val.Elems()
		if isArray {
			if len(elems) != t.Len() {
				return &ValueError{Err: fmt.Errorf("cannot unmarshal %s of %d elements into %s", val.kind, len(elems), t)}
			}
		} else {
			rv.Set(reflect.MakeSlice(t, len(elems), len(elems)))
		}
		for i, e := range elems {
			if err := elem.dec(e, rv.Index(i)); err != nil {
				return atPath(err, "["+strconv.Itoa(i)+"]")
			}
		}
		return nil
	}
	return enc, dec
}

func (b *builder) mapCodec(t reflect.Type) (encFunc, decFunc) {
	kt, vt := t.Key(), t.Elem()
	key := b.build(codecKey{t: kt})
	elem := b.build(codecKey{t: vt})
	isSet := vt == emptyStructType
	enc := func(rv reflect.Value, depth int) (Value, error) {
		if err := checkDepth(depth); err != nil {
			return Value{}, err
		}
		n := rv.Len()
		if isSet {
			elems := make([]Value, 0, n)
			for it := rv.MapRange(); it.Next(); {
				k, err := key.enc(it.Key(), depth+1)
				if err != nil {
					return Value{}, atPath(err, "[key "+fmt.Sprint(it.Key())+"]")
				}
				elems = append(elems, k)
			}
			return setOwned(elems), nil
		}
		entries := make([]Entry, 0, n)
		for it := rv.MapRange(); it.Next(); {
			k, err := key.enc(it.Key(), depth+1)
			if err != nil {
				return Value{}, atPath(err, ".#map[key "+fmt.Sprint(it.Key())+"].key")
			}
			v, err := elem.enc(it.Value(), depth+1)
			if err != nil {
				return Value{}, atPath(err, ".#map[key "+fmt.Sprint(it.Key())+"].value")
			}
			entries = append(entries, Entry{Key: k, Value: v})
		}
		return mapOwned(entries), nil
	}
	dec := func(val Value, rv reflect.Value) error {
		kv := reflect.New(kt).Elem()
		vv := reflect.New(vt).Elem()
		switch {
		case val.kind == KindMap:
			m := reflect.MakeMapWithSize(t, val.Len())
			for i, e := range val.Entries() {
				kv.SetZero()
				if err := key.dec(e.Key, kv); err != nil {
					return atPath(err, ".#map["+strconv.Itoa(i)+"].key")
				}
				vv.SetZero()
				if err := elem.dec(e.Value, vv); err != nil {
					return atPath(err, ".#map["+strconv.Itoa(i)+"].value")
				}
				m.SetMapIndex(kv, vv)
			}
			rv.Set(m)
		case val.kind == KindRecord && kt.Kind() == reflect.String:
			m := reflect.MakeMapWithSize(t, val.Len())
			for _, f := range val.Fields() {
				kv.SetString(f.Name)
				vv.SetZero()
				if err := elem.dec(f.Value, vv); err != nil {
					return atPath(err, "."+f.Name)
				}
				m.SetMapIndex(kv, vv)
			}
			rv.Set(m)
		case val.kind == KindSet && (isSet || vt.Kind() == reflect.Bool):
			m := reflect.MakeMapWithSize(t, val.Len())
			if !isSet {
				vv.SetBool(true)
			}
			for i, e := range val.Elems() {
				kv.SetZero()
				if err := key.dec(e, kv); err != nil {
					return atPath(err, "["+strconv.Itoa(i)+"]")
				}
				m.SetMapIndex(kv, vv)
			}
			rv.Set(m)
		default:
			return mismatch(val, t)
		}
		return nil
	}
	return enc, dec
}

// structField describes how one Go struct field maps to a record field.
type structField struct {
	name  string // ITF field name
	index []int
	codec *codec
}

func (b *builder) structCodec(t reflect.Type, tuple bool) (encFunc, decFunc) {
	fields, err := b.structFields(t)
	if err != nil {
		return failing(err)
	}
	field := func(rv reflect.Value, f *structField) reflect.Value {
		if len(f.index) == 1 {
			return rv.Field(f.index[0])
		}
		return rv.FieldByIndex(f.index)
	}
	if tuple {
		// Tuple of the fields in declaration order.
		slices.SortFunc(fields, func(a, b structField) int { return slices.Compare(a.index, b.index) })
		enc := func(rv reflect.Value, depth int) (Value, error) {
			if err := checkDepth(depth); err != nil {
				return Value{}, err
			}
			if len(fields) == 0 {
				return Unit(), nil
			}
			elems := make([]Value, len(fields))
			for i := range fields {
				v, err := fields[i].codec.enc(field(rv, &fields[i]), depth+1)
				if err != nil {
					return Value{}, atPath(err, "["+strconv.Itoa(i)+"]")
				}
				elems[i] = v
			}
			return Value{kind: KindTuple, ref: elems}, nil
		}
		dec := func(val Value, rv reflect.Value) error {
			if val.kind != KindTuple && val.kind != KindList {
				return mismatch(val, t)
			}
			elems := val.Elems()
			if len(elems) != len(fields) {
				return &ValueError{Err: fmt.Errorf("cannot unmarshal %s of %d elements into %s (tuple of %d fields)", val.kind, len(elems), t, len(fields))}
			}
			for i := range fields {
				if err := fields[i].codec.dec(elems[i], field(rv, &fields[i])); err != nil {
					return atPath(err, "["+strconv.Itoa(i)+"]")
				}
			}
			return nil
		}
		return enc, dec
	}
	// Record with the fields sorted by name, so that no sorting is needed
	// at run time.
	slices.SortFunc(fields, func(a, b structField) int { return strings.Compare(a.name, b.name) })
	enc := func(rv reflect.Value, depth int) (Value, error) {
		if err := checkDepth(depth); err != nil {
			return Value{}, err
		}
		if len(fields) == 0 {
			return Value{kind: KindRecord}, nil
		}
		out := make([]Field, len(fields))
		for i := range fields {
			v, err := fields[i].codec.enc(field(rv, &fields[i]), depth+1)
			if err != nil {
				return Value{}, atPath(err, "."+fields[i].name)
			}
			out[i] = Field{Name: fields[i].name, Value: v}
		}
		return Value{kind: KindRecord, ref: out}, nil
	}
	dec := func(val Value, rv reflect.Value) error {
		if val.kind != KindRecord {
			if len(fields) == 0 && val.kind == KindTuple && val.Len() == 0 {
				return nil // unit into an empty struct
			}
			return mismatch(val, t)
		}
		have := val.Fields()
		j := 0
		for i := range fields {
			f := &fields[i]
			// Both lists are sorted by name: merge.
			for j < len(have) && have[j].Name < f.name {
				j++
			}
			if j == len(have) || have[j].Name != f.name {
				return &ValueError{Err: fmt.Errorf("record has no field %q (needed by %s)", f.name, t)}
			}
			if err := f.codec.dec(have[j].Value, field(rv, f)); err != nil {
				return atPath(err, "."+f.name)
			}
		}
		return nil
	}
	return enc, dec
}

// structFields lists the fields of struct type t as encoding/json would:
// exported fields, renamed by `itf:"name"`, skipped by `itf:"-"`, with the
// fields of embedded structs without a tag name promoted. Among fields with
// the same name the least nested wins, then the tagged one; other clashes
// are an error.
func (b *builder) structFields(t reflect.Type) ([]structField, error) {
	type candidate struct {
		structField
		depth  int
		tagged bool
		tuple  bool
		typ    reflect.Type
	}
	var cands []candidate
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag, hasTag := sf.Tag.Lookup("itf")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(slices.Clip(index), i)
			if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
				walk(sf.Type, idx)
				continue
			}
			if !sf.IsExported() {
				continue
			}
			c := candidate{depth: len(index), tagged: hasTag && name != "", typ: sf.Type}
			c.name = name
			if c.name == "" {
				c.name = sf.Name
			}
			c.index = idx
			for _, o := range strings.Split(opts, ",") {
				if o == "tuple" {
					c.tuple = true
				}
			}
			cands = append(cands, c)
		}
	}
	walk(t, nil)
	byName := map[string][]candidate{}
	var order []string
	for _, c := range cands {
		if _, ok := byName[c.name]; !ok {
			order = append(order, c.name)
		}
		byName[c.name] = append(byName[c.name], c)
	}
	var fields []structField
	for _, name := range order {
		cs := byName[name]
		slices.SortStableFunc(cs, func(a, b candidate) int { return a.depth - b.depth })
		best := cs[0]
		if len(cs) > 1 && cs[1].depth == best.depth {
			var tagged []candidate
			for _, c := range cs {
				if c.depth == best.depth && c.tagged {
					tagged = append(tagged, c)
				}
			}
			if len(tagged) != 1 {
				return nil, fmt.Errorf("struct %s: ambiguous field name %q", t, name)
			}
			best = tagged[0]
		}
		best.codec = b.build(codecKey{t: best.typ, tuple: best.tuple})
		fields = append(fields, best.structField)
	}
	return fields, nil
}

func (b *builder) pointerCodec(t reflect.Type, tuple bool) (encFunc, decFunc) {
	elem := b.build(codecKey{t: t.Elem(), tuple: tuple})
	enc := func(rv reflect.Value, depth int) (Value, error) {
		if err := checkDepth(depth); err != nil {
			return Value{}, err
		}
		if rv.IsNil() {
			return None(), nil
		}
		v, err := elem.enc(rv.Elem(), depth+1)
		if err != nil {
			return Value{}, atPath(err, ".value")
		}
		return Some(v), nil
	}
	dec := func(val Value, rv reflect.Value) error {
		if val.kind == KindNull {
			rv.SetZero() // null, like None, is a nil pointer
			return nil
		}
		if val.kind == KindVariant {
			switch val.str {
			case "None":
				rv.SetZero()
				return nil
			case "Some":
				p := reflect.New(t.Elem())
				if err := elem.dec(val.Payload(), p.Elem()); err != nil {
					return atPath(err, ".value")
				}
				rv.Set(p)
				return nil
			}
		}
		what := val.Kind().String()
		if val.kind == KindVariant {
			what = "variant " + strconv.Quote(val.str)
		}
		return &ValueError{Err: fmt.Errorf("cannot unmarshal %s into %s (want Some(x) or None)", what, t)}
	}
	return enc, dec
}

func interfaceCodec(t reflect.Type) (encFunc, decFunc) {
	enc := func(rv reflect.Value, depth int) (Value, error) {
		if rv.IsNil() {
			return Value{}, &ValueError{Err: fmt.Errorf("nil %s", t)}
		}
		e := rv.Elem()
		return codecFor(e.Type(), false).enc(e, depth)
	}
	valueFits := valueType.Implements(t)
	dec := func(val Value, rv reflect.Value) error {
		if !rv.IsNil() {
			if e := rv.Elem(); e.Kind() == reflect.Pointer && !e.IsNil() {
				return codecFor(e.Type().Elem(), false).dec(val, e.Elem())
			}
		}
		if valueFits {
			rv.Set(reflect.ValueOf(val))
			return nil
		}
		return &ValueError{Err: fmt.Errorf("cannot unmarshal %s into interface %s", val.Kind(), t)}
	}
	return enc, dec
}
