package machine

import "github.com/execspec/execspec/internal/state"

// Decoder turns canonical encodings (Machine.AppendEncoding) back into
// states. It keeps a table of the strings it has decoded, so that decoding
// a string seen before allocates nothing; it is not safe for concurrent
// use: give each goroutine its own.
type Decoder[S any] struct {
	decode func(b []byte, s *S) error
}

// NewDecoder returns a Decoder for the machine's states.
func (mc *Machine[S]) NewDecoder() *Decoder[S] {
	return &Decoder[S]{decode: state.NewStateDecoder[S](mc.ops).Decode}
}

// Decode sets *s to the state whose canonical encoding is b. The state
// encodes to b again; an empty map in it is a new empty map, an empty
// slice is nil. It fails on bytes that are not the encoding of a state,
// and on a value of an interface type whose dynamic type is not a
// registered variant.
func (dc *Decoder[S]) Decode(b []byte, s *S) error { return dc.decode(b, s) }
