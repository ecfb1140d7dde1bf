package execspec

import (
	"fmt"
	"math/big"

	"github.com/execspec/execspec/internal/state"
	"github.com/execspec/execspec/itf"
)

// BigInt is an arbitrary-precision integer usable inside model state, for
// TLA+ and Quint integers that outgrow int64 (balances, counters, clocks
// in long traces).
//
// Unlike *big.Int it is an immutable value: every operation returns a new
// BigInt and never changes its operands, so states that share one after a
// copy cannot affect each other, and the engines copy it as cheaply as an
// int. The zero BigInt is 0. It appears in ITF traces as {"#bigint": "..."}
// and is encoded canonically (sign, then magnitude), so equal numbers have
// equal fingerprints.
//
// BigInt is deliberately not comparable with == (its representation is a
// pointer): compare with Cmp or Equal, and put BigInts in a VSet, not a Set.
type BigInt struct {
	_ [0]func() // not comparable: == would compare pointers, not numbers
	v *big.Int  // nil means 0; never mutated once set
}

// Big returns the BigInt equal to n.
func Big(n int64) BigInt { return BigInt{v: big.NewInt(n)} }

// BigFrom returns a BigInt equal to n (nil is 0). It copies n, so changing
// n afterwards does not change the BigInt.
func BigFrom(n *big.Int) BigInt {
	if n == nil {
		return BigInt{}
	}
	return BigInt{v: new(big.Int).Set(n)}
}

// ParseBig parses a decimal integer such as "-12345678901234567890".
func ParseBig(s string) (BigInt, error) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return BigInt{}, fmt.Errorf("parse big integer %q: not a decimal integer", s)
	}
	return BigInt{v: n}, nil
}

var bigZero = new(big.Int)

func (x BigInt) get() *big.Int {
	if x.v == nil {
		return bigZero
	}
	return x.v
}

// Big returns a copy of x as a *big.Int, free to modify.
func (x BigInt) Big() *big.Int { return new(big.Int).Set(x.get()) }

// Int64 returns x as an int64 and whether it fits.
func (x BigInt) Int64() (int64, bool) {
	v := x.get()
	return v.Int64(), v.IsInt64()
}

// Add returns x + y.
func (x BigInt) Add(y BigInt) BigInt { return BigInt{v: new(big.Int).Add(x.get(), y.get())} }

// Sub returns x - y.
func (x BigInt) Sub(y BigInt) BigInt { return BigInt{v: new(big.Int).Sub(x.get(), y.get())} }

// Mul returns x * y.
func (x BigInt) Mul(y BigInt) BigInt { return BigInt{v: new(big.Int).Mul(x.get(), y.get())} }

// DivMod returns the Euclidean quotient and remainder of x by y: the
// remainder m satisfies 0 <= m < |y|, so for y > 0 they are TLA+'s x \div y
// and x % y. It reports false, and returns zeros, when y is 0.
func (x BigInt) DivMod(y BigInt) (q, m BigInt, ok bool) {
	if y.Sign() == 0 {
		return BigInt{}, BigInt{}, false
	}
	qq, mm := new(big.Int).DivMod(x.get(), y.get(), new(big.Int))
	return BigInt{v: qq}, BigInt{v: mm}, true
}

// Neg returns -x.
func (x BigInt) Neg() BigInt { return BigInt{v: new(big.Int).Neg(x.get())} }

// Cmp compares x and y: -1 if x < y, 0 if x == y, +1 if x > y.
func (x BigInt) Cmp(y BigInt) int { return x.get().Cmp(y.get()) }

// Equal reports whether x == y.
func (x BigInt) Equal(y BigInt) bool { return x.Cmp(y) == 0 }

// Sign returns -1, 0 or +1 as x is negative, zero or positive.
func (x BigInt) Sign() int { return x.get().Sign() }

// String formats x in decimal.
func (x BigInt) String() string { return x.get().String() }

// MarshalITF writes x as an ITF integer ({"#bigint": "..."} in JSON).
func (x BigInt) MarshalITF() (itf.Value, error) { return itf.BigInt(x.get()), nil }

// UnmarshalITF reads an ITF integer of any size.
func (x *BigInt) UnmarshalITF(v itf.Value) error {
	n, ok := v.AsBigInt()
	if !ok {
		return fmt.Errorf("cannot unmarshal %s into a big integer", v.Kind())
	}
	x.v = n
	return nil
}

// StateRuntime describes BigInt to execspec's state runtime, which
// copies, encodes and compares states; the engines call it when they
// compile a model. Model code has no use for it.
func (BigInt) StateRuntime() state.Special {
	return state.BigIntRuntime(func(x *BigInt) **big.Int { return &x.v })
}
