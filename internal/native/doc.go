// Package native holds the state operations (deep copy, exact equality,
// canonical encoding, decoding, references) compiled for one map or slice
// type by Go generics instead of run through reflection.
//
// The root package's codec builds a plan per state type out of operations
// on raw pointers; for maps and slices, the generic plan reads and writes
// them through package reflect, which costs several times what compiled code
// does. Code that names a type (the runner execspec generates for a model
// package, the common types the root package registers itself) registers it
// here with RegisterMap or RegisterSlice, and the codec asks LookupMap and
// LookupSlice when it compiles the type. A registered type changes speed,
// never a result: the operations produce the same bytes, copies and
// answers as the reflective ones.
package native
