package state

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/execspec/execspec/itf"
)

// Sum types: an interface type whose variants (the Go types its values
// may hold) are registered with itf.RegisterVariants (execspec.Variants
// does it). A value encodes as its variant's tag, then the variant's
// encoding; nil as the empty tag.

var variantErrs sync.Map // interface type -> error from its registration

// VariantsRegistered records the outcome of registering variants of the
// interface type t (err, when the registration failed, is reported when a
// state holding t is compiled), and forgets the operations compiled
// before, which know nothing of the new variants.
func VariantsRegistered(t reflect.Type, err error) {
	if err != nil {
		variantErrs.Store(t, err)
	}
	opsCache.Clear()
}

// variantCase is one variant as the state codec sees it.
type variantCase struct {
	tag    string
	prefix []byte // the encoded tag
	t      reflect.Type
	c      *Ops
	layout ifaceLayout
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
func buildVariantCodec(t reflect.Type, path string, stack []reflect.Type) (*Ops, error) {
	name := t.String()
	if v, ok := variantErrs.Load(t); ok {
		return nil, problem(path, t, fmt.Sprintf("the variants of %s were registered with errors: %v", name, v))
	}
	cases := itf.Variants(t)
	if len(cases) == 0 {
		return nil, problem(path, t, fmt.Sprintf("interface type with no registered variants: declare the types it may hold before Compile, e.g. execspec.Variants[%s](CaseA{}, CaseB{}), or use a concrete type", name))
	}
	byType := make(map[reflect.Type]*variantCase, len(cases))
	var errs []error
	flat := true
	for _, vc := range cases {
		c, err := compile(vc.Type, path+"("+vc.Tag+")", stack)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		prefix := binary.AppendUvarint(nil, uint64(len(vc.Tag)))
		byType[vc.Type] = &variantCase{tag: vc.Tag, prefix: append(prefix, vc.Tag...), t: vc.Type, c: c, layout: layoutOf(vc.Type)}
		flat = flat && c.Flat
	}
	if err := joinProblems(errs...); err != nil {
		return nil, err
	}
	c := &Ops{Type: t, Flat: flat}
	c.Enc = func(b []byte, p unsafe.Pointer) []byte {
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
			return vc.c.Enc(b, q) // read in place: the boxed value never changes
		}
		// The value inside an interface is not addressable: copy it out.
		tmp := reflect.New(vc.t)
		tmp.Elem().Set(dyn)
		return vc.c.Enc(b, tmp.UnsafePointer())
	}
	byTag := make(map[string]*variantCase, len(byType))
	for _, vc := range byType {
		byTag[vc.tag] = vc
	}
	c.Dec = func(d *Decoder, p unsafe.Pointer) {
		iv := reflect.NewAt(t, p).Elem()
		tag := d.bytes(d.count())
		if len(tag) == 0 {
			iv.SetZero()
			return
		}
		vc, ok := byTag[string(tag)]
		if !ok {
			d.fail(fmt.Errorf("%s holds %q, which is not a registered variant", t, tag))
			iv.SetZero()
			return
		}
		nv := reflect.New(vc.t)
		vc.c.Dec(d, nv.UnsafePointer())
		iv.Set(nv.Elem())
	}
	if !flat {
		// Flat variants can be shared: a value inside an interface cannot
		// be changed in place. Others are copied deeply.
		c.Fix = func(p unsafe.Pointer) {
			iv := reflect.NewAt(t, p).Elem()
			if iv.IsNil() {
				return
			}
			dyn := iv.Elem()
			vc := byType[dyn.Type()]
			if vc == nil || vc.c.Fix == nil {
				return
			}
			tmp := reflect.New(vc.t)
			tmp.Elem().Set(dyn)
			vc.c.Fix(tmp.UnsafePointer())
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
		return problem(path, t, "map keys and set elements must be plain values (no pointers or interfaces); an interface works once its variants are registered with execspec.Variants")
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
		return problem(path, t, fmt.Sprintf("variants %s are not comparable, so they cannot be map keys or Set elements; use a VSet", strings.Join(bad, ", ")))
	}
	return nil
}
