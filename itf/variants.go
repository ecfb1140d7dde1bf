package itf

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// Sum types: an interface type whose values hold one of a closed list of Go
// types, each standing for one variant. Once registered with
// RegisterVariants, a value of a case type is written as
// Variant(tag, payload) wherever it appears, and an interface-typed Go
// value (a struct field, a slice element, a map key) is read back from a
// variant by its tag.

// VariantCase is one registered case of a sum type: the tag written to ITF
// and the Go type standing for it.
type VariantCase struct {
	Tag  string
	Type reflect.Type
}

// sumRegistry holds every registered sum type. It is global because a
// Go type has one ITF form everywhere (in a state, a pick, a log line),
// just as it has one method set; registering the same case again is a no-op
// and conflicting registrations are errors, so independent packages can
// register safely in any order.
var sumRegistry = struct {
	sync.RWMutex
	byIface map[reflect.Type][]VariantCase
	tagOf   map[reflect.Type]string // case type -> tag
}{byIface: map[reflect.Type][]VariantCase{}, tagOf: map[reflect.Type]string{}}

// RegisterVariants declares the Go types that values of the interface type
// I hold, one per variant of a sum type (Quint's `type Msg = Prepare(...) |
// Promise(...)`). Pass one value of each case type, e.g.
// RegisterVariants[Msg](Prepare{}, Promise{}). A case's tag is its Go type
// name, or what ITFTag returns when the type implements [VariantValue].
//
// From then on [Marshal] writes a value of a case type as
// {"tag": "Promise", "value": payload} (a struct without fields as the unit
// {"#tup": []}), and [Unmarshal] fills an I from such a variant. Register
// before marshaling values of these types; registration is safe for
// concurrent use and idempotent, and several calls add cases. It fails when
// I is not an interface type, when a case is nil, a pointer, an interface or
// an unnamed type, or when a tag or a type is already registered
// differently.
func RegisterVariants[I any](cases ...I) error {
	iface := reflect.TypeFor[I]()
	if iface.Kind() != reflect.Interface {
		return fmt.Errorf("itf: register variants of %s: not an interface type", iface)
	}
	var add []VariantCase
	for i, c := range cases {
		rv := reflect.ValueOf(c)
		if !rv.IsValid() {
			return fmt.Errorf("itf: register variants of %s: case %d is nil", iface, i)
		}
		t := rv.Type()
		switch {
		case t.Kind() == reflect.Pointer:
			return fmt.Errorf("itf: register variants of %s: case %s is a pointer; register the value type %s, so copies never share a variant", iface, t, t.Elem())
		case t.Name() == "":
			return fmt.Errorf("itf: register variants of %s: case %s has no type name to use as its tag; declare a named type", iface, t)
		}
		tag := t.Name()
		if reflect.PointerTo(t).Implements(variantType) {
			p := reflect.New(t)
			p.Elem().Set(rv)
			tag = p.Interface().(VariantValue).ITFTag()
		}
		add = append(add, VariantCase{Tag: tag, Type: t})
	}
	// Lock order: buildMu, then the registry (codec builders read the
	// registry while holding buildMu).
	buildMu.Lock()
	defer buildMu.Unlock()
	sumRegistry.Lock()
	defer sumRegistry.Unlock()
	have := sumRegistry.byIface[iface]
	var errs []error
	changed := false
	for _, c := range add {
		if tag, ok := sumRegistry.tagOf[c.Type]; ok && tag != c.Tag {
			errs = append(errs, fmt.Errorf("itf: register variants of %s: %s is already registered with tag %q", iface, c.Type, tag))
			continue
		}
		dup := false
		for _, h := range have {
			switch {
			case h.Tag == c.Tag && h.Type == c.Type:
				dup = true
			case h.Tag == c.Tag:
				errs = append(errs, fmt.Errorf("itf: register variants of %s: tag %q names both %s and %s", iface, c.Tag, h.Type, c.Type))
				dup = true
			}
		}
		if dup {
			continue
		}
		have = append(have, c)
		sumRegistry.tagOf[c.Type] = c.Tag
		changed = true
	}
	sumRegistry.byIface[iface] = have
	if changed {
		// Codecs built before know nothing of the new tags.
		codecs.Clear()
	}
	return errors.Join(errs...)
}

// Variants returns the registered cases of the interface type iface, in
// registration order; nil when none are.
func Variants(iface reflect.Type) []VariantCase {
	sumRegistry.RLock()
	defer sumRegistry.RUnlock()
	return append([]VariantCase(nil), sumRegistry.byIface[iface]...)
}

// registeredTag returns the tag of a registered case type.
func registeredTag(t reflect.Type) (string, bool) {
	sumRegistry.RLock()
	defer sumRegistry.RUnlock()
	tag, ok := sumRegistry.tagOf[t]
	return tag, ok
}

// sumCodec reads and writes a registered interface type. It consults the
// registry on every call, so cases registered later are honoured.
func sumCodec(t reflect.Type) (encFunc, decFunc) {
	tags := func() string {
		var ts []string
		for _, c := range Variants(t) {
			ts = append(ts, c.Tag)
		}
		return strings.Join(ts, ", ")
	}
	enc := func(rv reflect.Value, depth int) (Value, error) {
		if rv.IsNil() {
			return Value{}, &ValueError{Err: fmt.Errorf("nil %s: a sum-type value must hold one of its variants (%s)", t, tags())}
		}
		e := rv.Elem()
		for _, c := range Variants(t) {
			if c.Type == e.Type() {
				return codecFor(e.Type(), false).enc(e, depth)
			}
		}
		return Value{}, &ValueError{Err: fmt.Errorf("%s holds a %s, which is not one of its registered variants (%s)", t, e.Type(), tags())}
	}
	dec := func(val Value, rv reflect.Value) error {
		if val.kind != KindVariant {
			return &ValueError{Err: fmt.Errorf("cannot unmarshal %s into %s (want a variant: %s)", val.Kind(), t, tags())}
		}
		for _, c := range Variants(t) {
			if c.Tag == val.str {
				p := reflect.New(c.Type).Elem()
				if err := codecFor(c.Type, false).dec(val, p); err != nil {
					return err
				}
				rv.Set(p)
				return nil
			}
		}
		return &ValueError{Err: fmt.Errorf("cannot unmarshal variant %q into %s (variants: %s)", val.str, t, tags())}
	}
	return enc, dec
}
