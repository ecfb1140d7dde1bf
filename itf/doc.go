// Package itf reads and writes the Informal Trace Format (ITF), the JSON
// format for executions of state machines defined by Apalache's ADR-015 and
// written by Apalache and Quint (files ending in .itf.json).
//
// A [Trace] is a list of variable names and a sequence of [State] values,
// each mapping every variable to a [Value]. Values are immutable and cover
// every form of the format without loss: booleans, integers of any size,
// strings, lists, tuples, sets, maps with keys of any kind, records,
// variants and unserializable placeholders. Sets, maps and records are kept
// in a canonical order, so [Equal] values encode to the same bytes.
//
// Reading and writing:
//
//	traces, err := itf.ReadFile("out.itf.json") // one trace, or NDJSON
//	if err != nil {
//		return err
//	}
//	for i, s := range traces[0].States {
//		action, _ := itf.ActionTaken(s) // Quint --mbt metadata
//		balance, _ := s.Get("balance")
//		fmt.Println(i, action, balance) // e.g. 3 deposit Map("alice" -> 10)
//	}
//	return itf.WriteFile("copy.itf.json", traces...)
//
// Decoding accepts all of ADR-015 (integers as {"#bigint": "..."} or plain
// JSON integers, {"#tup": ...}, {"#set": ...}, {"#map": ...}, variants
// {"tag": ..., "value": ...}, {"#unserializable": ...}) and reports errors
// with their place in the trace and a byte offset, for example
// `state 3, variable "zone": #map entry 2: value: non-integer number 1.5
// (at byte offset 812)`. Encoding is canonical: every integer is written as
// {"#bigint": "..."}, and the same trace always gives the same bytes.
//
// Beyond ADR-015, decoding accepts by default what real producers write:
// JSON null as a value (the kind [KindNull], made by [Null]; it encodes
// back to null, prints as null, and sorts after every other kind),
// "loop": null for a trace without a loop, and state variables not named
// in "vars" (kept in [State.Values]). [DecodeOptions] with Strict set
// refuses all three, with the position of the first one.
//
// [Marshal] and [Unmarshal] map between ITF values and Go values (structs
// to records, maps to maps, pointers to Quint's Option, and so on), with
// [Marshaler], [Unmarshaler] and [VariantValue] for custom mappings, and
// [RegisterVariants] for sum types (an interface whose values are one of
// several Go types, written as variants and read back by tag).
//
// The package depends on the standard library only.
package itf
