package state

import (
	"encoding/binary"
	"math/big"
	"reflect"
	"slices"
	"unsafe"
)

// BigIntRuntime describes the big integer type S, whose number (nil
// meaning 0, never mutated once set) num returns, to the runtime (see
// Special). A BigInt is immutable, so a plain assignment copies it
// completely (Flat). Its encoding is the sign (0 negative, 1 zero, 2
// positive), then the magnitude as a length-prefixed big-endian byte
// string.
func BigIntRuntime[S any](num func(*S) **big.Int) Special {
	get := func(p unsafe.Pointer) *big.Int {
		if v := *num((*S)(p)); v != nil {
			return v
		}
		return bigZero
	}
	return specialFunc{build: func(*Ops) *Ops {
		o := &Ops{Type: reflect.TypeFor[S](), Flat: true}
		o.Enc = func(b []byte, p unsafe.Pointer) []byte {
			v := get(p)
			b = append(b, byte(v.Sign()+1))
			n := (v.BitLen() + 7) / 8
			b = binary.AppendUvarint(b, uint64(n))
			start := len(b)
			b = slices.Grow(b, n)[:start+n]
			v.FillBytes(b[start:])
			return b
		}
		o.Eq = func(p, q unsafe.Pointer) bool { return get(p).Cmp(get(q)) == 0 }
		o.Dec = func(d *Decoder, p unsafe.Pointer) {
			sign := int(d.byte1()) - 1
			mag := d.bytes(d.count())
			x := num((*S)(p))
			if sign == 0 || d.err != nil {
				*x = nil
				return
			}
			v := new(big.Int).SetBytes(mag)
			if sign < 0 {
				v.Neg(v)
			}
			*x = v
		}
		return o
	}}
}

var bigZero = new(big.Int)
