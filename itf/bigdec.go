package itf

import (
	"math/big"
	"math/bits"
)

// math/big's SetString converts decimal text in quadratic time (a 2e6-digit
// integer takes tens of seconds). parseDecimal splits the digits in two
// halves, converts each recursively and combines them as hi*10^len(lo)+lo,
// so the cost is that of big.Int multiplication (Karatsuba), with the
// powers of ten computed once per size. The low half's length is always
// decimalChunk times a power of two, so few distinct powers are needed.

// decimalChunk is the number of digits below which SetString is used
// directly (it is fastest there).
const decimalChunk = 1024

// parseDecimal converts an optional '-' and decimal digits (already
// validated) to a big.Int.
func parseDecimal(s []byte) *big.Int {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var pows []*big.Int // pows[k] = 10^(decimalChunk << k)
	x := convertDecimal(s, &pows)
	if neg {
		x.Neg(x)
	}
	return x
}

func convertDecimal(s []byte, pows *[]*big.Int) *big.Int {
	if len(s) <= decimalChunk {
		x, _ := new(big.Int).SetString(string(s), 10)
		return x
	}
	// The largest decimalChunk<<k strictly below len(s).
	k := bits.Len(uint((len(s)-1)/decimalChunk)) - 1
	lo := decimalChunk << k
	hi := convertDecimal(s[:len(s)-lo], pows)
	hi.Mul(hi, pow10(k, pows))
	return hi.Add(hi, convertDecimal(s[len(s)-lo:], pows))
}

// pow10 returns 10^(decimalChunk<<k), computing it by squaring.
func pow10(k int, pows *[]*big.Int) *big.Int {
	for len(*pows) <= k {
		if len(*pows) == 0 {
			*pows = append(*pows, new(big.Int).Exp(big.NewInt(10), big.NewInt(decimalChunk), nil))
			continue
		}
		last := (*pows)[len(*pows)-1]
		*pows = append(*pows, new(big.Int).Mul(last, last))
	}
	return (*pows)[k]
}
