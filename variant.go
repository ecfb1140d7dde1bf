package execspec

import (
	"fmt"
	"reflect"
	"sort"
	"sync"

	"github.com/execspec/execspec/internal/state"
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
	iface := reflect.TypeFor[I]()
	switch {
	case err != nil && iface.Kind() != reflect.Interface:
		// No state field can have this type as a sum type, so no field
		// would ever report the mistake: every Compile does.
		misusedVariants.Store(iface, fmt.Errorf("execspec.Variants[%s]: %w", iface, err))
	case err != nil:
		state.VariantsRegistered(iface, err)
		return
	}
	state.VariantsRegistered(iface, nil)
}

var misusedVariants sync.Map // non-interface type -> error from Variants

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
