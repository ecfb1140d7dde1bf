// Package rng is execspec's seeded random source: a PCG stream per
// (seed, stream) pair, with bounded draws computed here rather than by
// math/rand, so a seed replays the same on every machine and Go version.
package rng

import (
	"math/bits"
	"math/rand/v2"
)

// Rand is a deterministic random source. The zero value is not usable; use New.
type Rand struct {
	pcg rand.PCG
}

// New returns the source for one (seed, stream) pair; streams with the same
// seed are independent.
func New(seed, stream uint64) *Rand {
	r := &Rand{}
	r.pcg.Seed(seed, stream^0x9e3779b97f4a7c15)
	return r
}

// Uint64 returns 64 random bits.
func (r *Rand) Uint64() uint64 { return r.pcg.Uint64() }

// IntN returns a uniform integer in [0, n); n must be positive.
// It uses Lemire's multiply-and-reject method.
func (r *Rand) IntN(n int) int {
	if n <= 1 {
		return 0
	}
	bound := uint64(n)
	hi, lo := bits.Mul64(r.pcg.Uint64(), bound)
	if lo < bound {
		thresh := -bound % bound
		for lo < thresh {
			hi, lo = bits.Mul64(r.pcg.Uint64(), bound)
		}
	}
	return int(hi)
}

// Perm fills p with a random permutation of 0..len(p)-1.
func (r *Rand) Perm(p []int) {
	for i := range p {
		p[i] = i
	}
	for i := len(p) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		p[i], p[j] = p[j], p[i]
	}
}
