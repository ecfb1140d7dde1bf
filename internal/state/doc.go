// Package state is execspec's state runtime: how the engines copy,
// canonically encode, decode, compare and list the references of model
// states. Every operation on one Go type is compiled once into an Ops (Of,
// OfState), the one declaration of those operations, held by pointer by the
// compiled model (package machine) and everything that runs it.
//
// Ops work on raw pointers with field offsets; reflection is used only
// where Go offers nothing else (maps, allocation of slices and pointers),
// and maps and slices of registered types (RegisterMap, RegisterSlice: the
// common ones, and those a model package's generated code registers) run
// code compiled for their type by generics instead. The model API's value
// types (execspec.Set, VSet, BigInt) describe themselves to the runtime
// through SetRuntime, VSetRuntime and BigIntRuntime (see Special); a Set's
// elements live in a SetBody, copied on write.
//
// The runtime fixes one canonical form for a state's values, the one an
// action starts from whatever path produced its state: every map and Set
// made, empty or not, every empty slice nil, every slice's capacity its
// length, nothing shared between two places of the state or with anything
// outside it (see Ops.Fix). The reference semantics (package reference)
// defines the same form independently, and the engines are tested against
// it.
//
// Every dependency on the Go runtime's memory layout is in layout.go, and
// layout_test.go fails on a toolchain where one no longer holds.
package state
