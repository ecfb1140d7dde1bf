package execspec

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/execspec/execspec/itf"
)

// Variants declares the variants of a sum type used in model state: the Go
// types that values of the interface type I may hold, one per kind of
// message, event or command. A Paxos message is one of
//
//	type Msg interface{ isMsg() }
//	type Prepare struct{ Bal int }
//	type Promise struct{ Acc string; Bal, MBal int }
//	func (Prepare) isMsg() {}
//	func (Promise) isMsg() {}
//
//	execspec.Variants[Msg](Prepare{}, Promise{})
//
// after which state fields, set elements, map keys and picks of type Msg
// are copied, encoded canonically (the tag, then the payload) and
// fingerprinted like any other value, written to ITF as Quint variants
// ({"tag": "Promise", "value": {...}}; a struct without fields as the unit
// {"#tup": []}), read back by tag, and printed as Promise{Acc: "a1", ...}.
// A variant's tag is its type name, or its ITFTag method's result (see
// itf.VariantValue).
//
// Call Variants before the model is compiled (by an engine, through
// machine.Compile) and before building any VSet of I (a VSet orders its
// elements by their encoding when it is built), in the function that
// builds the model or in an init function; package-level vars are
// initialized before init runs, so build VSets of I inside functions. The
// registration is global, like the type it describes: a Go type has one
// form in every trace, pick and log line. That is safe: registering the
// same case again does nothing, several calls add cases, and every model
// compiled afterwards sees them. Mistakes (a pointer case, a tag used
// twice) are reported when any model whose state holds I is compiled, and
// an I that is not an interface type when any model is; a state field of
// interface type with no registered variants is a compile error naming
// the field and this fix.
//
// Variants must be value types (register Prepare{}, not &Prepare{}) so
// copies of a state never share a message. A nil I encodes as "no
// variant" but cannot be written to a trace: give such fields a value in
// Init (a variant without fields does nicely).
func Variants[I any](cases ...I) {
	err := itf.RegisterVariants(cases...)
	iface := reflectTypeOf[I]()
	switch {
	case err != nil && iface.Kind() != reflect.Interface:
		// No state field can have this type as a sum type, so no field
		// would ever report the mistake: every Compile does.
		misusedVariants.Store(iface, fmt.Errorf("execspec.Variants[%s]: %w", iface, err))
	case err != nil:
		variantErrs.Store(iface, err)
	}
	// Codecs and decoders compiled before know nothing of the new cases.
	codecCache.Clear()
	decCache.Clear()
}

var (
	variantErrs     sync.Map // interface type -> error from its registration
	misusedVariants sync.Map // non-interface type -> error from Variants
)

// variantMisuse returns the errors of Variants calls made with a type
// parameter that is not an interface, in a stable order.
func variantMisuse() []error {
	var msgs []string
	byMsg := map[string]error{}
	misusedVariants.Range(func(_, v any) bool {
		err := v.(error)
		msgs = append(msgs, err.Error())
		byMsg[err.Error()] = err
		return true
	})
	sort.Strings(msgs)
	out := make([]error, len(msgs))
	for i, m := range msgs {
		out[i] = byMsg[m]
	}
	return out
}

// variantCase is one variant as the state codec sees it.
type variantCase struct {
	tag    string
	prefix []byte // the encoded tag
	t      reflect.Type
	c      *codec
	layout ifaceLayout
}

// ifaceLayout says where a value of a variant type lives inside an
// interface. An interface is two words, a type word and a data word; Go
// stores a pointer-shaped value (a pointer, a map, a chan, a func, or a
// struct or one-element array wrapping one) in the data word itself and any
// other value behind it, in an immutable copy. Knowing which lets the codec
// encode a variant in place instead of copying it out through reflection.
type ifaceLayout int

const (
	layoutCopy   ifaceLayout = iota // unknown: copy the value out (reflection)
	layoutInWord                    // the value is the data word
	layoutBehind                    // the data word points to the value
)

// layoutOf computes the layout by the compiler's rule and checks it against
// a boxed zero value (nil data word for pointer-shaped types, a non-nil
// pointer to a zero value otherwise); if they ever disagree, the codec
// falls back to copying, which is always right.
func layoutOf(t reflect.Type) ifaceLayout {
	box := reflect.New(reflect.TypeFor[any]()).Elem()
	box.Set(reflect.Zero(t))
	inWord := (*[2]unsafe.Pointer)(box.Addr().UnsafePointer())[1] == nil
	switch rule := pointerShaped(t); {
	case rule != inWord:
		return layoutCopy
	case rule:
		return layoutInWord
	}
	return layoutBehind
}

func pointerShaped(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() == 1 && pointerShaped(t.Elem())
	case reflect.Struct:
		return t.NumField() == 1 && pointerShaped(t.Field(0).Type)
	}
	return false
}

// valueIn returns a pointer to the value held by the non-nil interface at
// p, whose dynamic type is vc.t, or nil when its layout is unknown.
func (vc *variantCase) valueIn(p unsafe.Pointer) unsafe.Pointer {
	words := (*[2]unsafe.Pointer)(p)
	switch vc.layout {
	case layoutInWord:
		return unsafe.Pointer(&words[1])
	case layoutBehind:
		return words[1]
	}
	return nil
}

// buildVariantCodec compiles the codec of an interface type from its
// registered cases.
func buildVariantCodec(t reflect.Type, path string, stack []reflect.Type) (*codec, error) {
	name := t.String()
	if v, ok := variantErrs.Load(t); ok {
		return nil, &TypeError{Path: path, Type: t, Reason: fmt.Sprintf("the variants of %s were registered with errors: %v", name, v)}
	}
	cases := itf.Variants(t)
	if len(cases) == 0 {
		return nil, &TypeError{Path: path, Type: t, Reason: fmt.Sprintf("interface type with no registered variants: declare the types it may hold before Compile, e.g. execspec.Variants[%s](CaseA{}, CaseB{}), or use a concrete type", name)}
	}
	byType := make(map[reflect.Type]*variantCase, len(cases))
	var errs []error
	flat := true
	for _, vc := range cases {
		c, err := compileCodec(vc.Type, path+"("+vc.Tag+")", stack)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		prefix := binary.AppendUvarint(nil, uint64(len(vc.Tag)))
		byType[vc.Type] = &variantCase{tag: vc.Tag, prefix: append(prefix, vc.Tag...), t: vc.Type, c: c, layout: layoutOf(vc.Type)}
		flat = flat && c.flat
	}
	if err := joinTypeErrors(errs...); err != nil {
		return nil, err
	}
	c := &codec{t: t, flat: flat}
	c.enc = func(b []byte, p unsafe.Pointer) []byte {
		iv := reflect.NewAt(t, p).Elem()
		if iv.IsNil() {
			return append(b, 0) // the empty tag: no variant
		}
		dyn := iv.Elem()
		vc := byType[dyn.Type()]
		if vc == nil {
			// Not registered: encoded under its type's name and printed
			// form, so the state still gets a distinct fingerprint;
			// writing it to ITF reports the problem.
			s := dyn.Type().String()
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
			s = fmt.Sprintf("%#v", dyn.Interface())
			b = binary.AppendUvarint(b, uint64(len(s)))
			return append(b, s...)
		}
		b = append(b, vc.prefix...)
		if vc.t.Size() == 0 {
			return b
		}
		if q := vc.valueIn(p); q != nil {
			return vc.c.enc(b, q) // read in place: the boxed value never changes
		}
		// The value inside an interface is not addressable: copy it out.
		tmp := reflect.New(vc.t)
		tmp.Elem().Set(dyn)
		return vc.c.enc(b, tmp.UnsafePointer())
	}
	if !flat {
		// Flat variants can be shared: a value inside an interface cannot
		// be changed in place. Others are copied deeply.
		c.fix = func(p unsafe.Pointer) {
			iv := reflect.NewAt(t, p).Elem()
			if iv.IsNil() {
				return
			}
			dyn := iv.Elem()
			vc := byType[dyn.Type()]
			if vc == nil || vc.c.fix == nil {
				return
			}
			tmp := reflect.New(vc.t)
			tmp.Elem().Set(dyn)
			vc.c.fix(tmp.UnsafePointer())
			iv.Set(tmp.Elem())
		}
	}
	return c, nil
}

// variantKeyError checks that every case of an interface used as a map key
// or set element is a plain comparable value.
func variantKeyError(t reflect.Type, path string) error {
	cases := itf.Variants(t)
	if len(cases) == 0 {
		return &TypeError{Path: path, Type: t, Reason: "map keys and set elements must be plain values (no pointers or interfaces); an interface works once its variants are registered with execspec.Variants"}
	}
	var bad []string
	for _, vc := range cases {
		if !vc.Type.Comparable() {
			bad = append(bad, vc.Tag)
			continue
		}
		if err := checkKeyType(vc.Type, path+"("+vc.Tag+")"); err != nil {
			return err
		}
	}
	if len(bad) > 0 {
		return &TypeError{Path: path, Type: t, Reason: fmt.Sprintf("variants %s are not comparable, so they cannot be map keys or Set elements; use a VSet", strings.Join(bad, ", "))}
	}
	return nil
}
