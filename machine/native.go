package machine

import "github.com/execspec/execspec/internal/state"

// NativeMap has the engines copy, compare, encode and decode state maps of
// type M with code compiled for M, instead of through package reflect,
// which costs several times more. It changes speed, never a result.
//
// Code that execspec generates calls it: the CLI's runner does, from an
// init function, for the map types the model package names (see the
// README), and `execspec native` writes the same registrations into a file
// for models checked from `go test`. Calling it by hand is safe too. It
// takes effect for state types compiled after it runs, so call it from an
// init function; calling it twice for a type is harmless.
func NativeMap[M ~map[K]V, K comparable, V any]() { state.RegisterMap[M]() }

// NativeSlice is NativeMap for the slice type S: its copies and decodings
// run code compiled for S.
func NativeSlice[S ~[]E, E any]() { state.RegisterSlice[S]() }
