// Package handbfs is MCLamportMutex (Lamport's mutual exclusion, TLA+ by
// Stephan Merz: specifications/lamport_mutex of tlaplus/Examples) checked
// by a breadth-first search written by hand in plain Go, with no execspec
// code: the baseline against which issue 11 measures execspec on the
// natural model of package lamportmutex ("execspec within 3x of its CPU
// time").
//
// It is what a programmer would write to check this one specification
// fast: the state is a struct of small fixed-size arrays (clocks,
// requests, acknowledgement and critical-section bitsets, channels as
// arrays of message codes), successors are computed in place by code
// specialised to each action, and a state is stored packed by hand into
// 128 bits in an open-addressing hash set of its own, which is also the
// packed form of the frontier. Like TLC (and execspec) it checks the
// invariants TypeOK, BoundedNetwork and Mutex on every new state, and a
// state that fails the state constraint ClockConstraint is checked but
// neither stored nor expanded. The counts follow TLC's definitions: every
// successor computed is generated (initial states included), and the depth
// is the number of breadth-first levels.
//
// It handles up to 3 processes, with clocks small enough for a state to
// pack into 128 bits (maxClock up to 7 for 3 processes); MCLamportMutex.cfg
// (N = 3, maxClock = 6, MaxNat = 7) gives TLC's 724,274 distinct states,
// 2,729,079 generated, depth 61.
package handbfs

import (
	"fmt"
	"math/bits"
)

// MaxN is the largest number of processes Check handles.
const MaxN = 3

// Params are the constants of a configuration: N processes, clocks bounded
// by MaxClock (ClockConstraint) and Nat overridden by 0..MaxNat.
type Params struct {
	N, MaxClock, MaxNat int
}

// Result is what a search found.
type Result struct {
	// Distinct is the number of distinct states that satisfy the
	// constraint; Generated the number of states computed, initial states
	// and duplicates included; Depth the number of breadth-first levels.
	Distinct, Generated int64
	Depth               int
}

// Message codes: 0 is an empty slot, then the acknowledgement, the release,
// and reqBase+c for a request stamped c.
const (
	msgNone uint8 = iota
	msgAck
	msgRel
	reqBase
)

// chanCap is a channel's capacity in the unpacked state: one more than
// BoundedNetwork allows, so that a violation can be represented and
// reported. Packed states hold at most bound messages per channel.
const (
	bound   = 3
	chanCap = bound + 1
)

// channel is a FIFO queue of message codes.
type channel struct {
	n   uint8
	msg [chanCap]uint8
}

func (c *channel) push(m uint8) {
	c.msg[c.n] = m
	c.n++
}

func (c *channel) pop() {
	copy(c.msg[:], c.msg[1:c.n])
	c.n--
	c.msg[c.n] = msgNone
}

// state is the specification's state with processes 0..N-1 (1..N in the
// specification): ack and crit are bitsets.
type state struct {
	clock [MaxN]uint8
	req   [MaxN][MaxN]uint8
	ack   [MaxN]uint8
	crit  uint8
	net   [MaxN][MaxN]channel
}

// key is a state packed into 128 bits. The zero key is the empty slot of
// the hash set: no state packs to it, since every clock is at least 1.
type key [2]uint64

// checker holds a search's constants and counts.
type checker struct {
	Params
	clockBits, msgBits uint
	all                uint8 // Proc as a bitset
	res                Result
}

// Check explores the configuration p breadth-first and returns the counts,
// or an error naming the invariant the first violating state breaks.
func Check(p Params) (Result, error) {
	c, err := newChecker(p)
	if err != nil {
		return Result{}, err
	}
	return c.run()
}

// newChecker refuses the configurations whose states do not pack.
func newChecker(p Params) (*checker, error) {
	if p.N < 1 || p.N > MaxN {
		return nil, fmt.Errorf("handbfs: %d processes; it handles 1 to %d", p.N, MaxN)
	}
	if p.MaxClock < 1 || p.MaxNat < p.MaxClock {
		return nil, fmt.Errorf("handbfs: maxClock %d, MaxNat %d: want 1 <= maxClock <= MaxNat", p.MaxClock, p.MaxNat)
	}
	c := &checker{
		Params:    p,
		clockBits: uint(bits.Len(uint(p.MaxClock))),
		msgBits:   uint(bits.Len(uint(reqBase) + uint(p.MaxClock))),
		all:       uint8(1)<<p.N - 1,
	}
	if need := c.packedBits(); need > 128 {
		return nil, fmt.Errorf("handbfs: %d processes with clocks up to %d need %d bits; it packs 128", p.N, p.MaxClock, need)
	}
	return c, nil
}

func (c *checker) packedBits() uint {
	n := uint(c.N)
	return n*c.clockBits + n*n*c.clockBits + n*n + n + n*(n-1)*bound*c.msgBits
}

func (c *checker) run() (Result, error) {
	var init state
	for p := 0; p < c.N; p++ {
		init.clock[p] = 1
	}
	seen := newSet(1 << 16)
	c.res.Generated = 1
	if err := c.invariants(&init); err != nil {
		return c.res, err
	}
	var frontier, next []key
	if c.constraint(&init) {
		k, _ := c.pack(&init)
		seen.add(k)
		frontier = append(frontier, k)
	}
	for len(frontier) > 0 {
		c.res.Depth++
		next = next[:0]
		for _, k := range frontier {
			var s state
			c.unpack(k, &s)
			var err error
			next, err = c.successors(&s, seen, next)
			if err != nil {
				return c.res, err
			}
		}
		frontier, next = next, frontier
	}
	c.res.Distinct = int64(seen.len)
	return c.res, nil
}

// successors generates every successor of s, in the order of Next's
// disjuncts, appending the new ones in the model to next.
func (c *checker) successors(s *state, seen *set, next []key) ([]key, error) {
	var err error
	visit := func(t *state) {
		if err != nil {
			return
		}
		c.res.Generated++
		if !c.constraint(t) {
			err = c.invariants(t)
			return
		}
		k, ok := c.pack(t)
		if !ok { // a channel over the bound: not a state in the model
			err = c.invariants(t)
			return
		}
		if seen.add(k) {
			err = c.invariants(t)
			next = append(next, k)
		}
	}
	n := c.N
	for p := 0; p < n; p++ {
		// Request(p)
		if s.req[p][p] == 0 {
			t := *s
			t.req[p][p] = s.clock[p]
			c.broadcast(&t, p, reqBase+s.clock[p])
			t.ack[p] = 1 << p
			visit(&t)
		}
		// Enter(p)
		if s.ack[p] == c.all && c.beatsAll(s, p) {
			t := *s
			t.crit |= 1 << p
			visit(&t)
		}
		// Exit(p)
		if s.crit&(1<<p) != 0 {
			t := *s
			t.crit &^= 1 << p
			c.broadcast(&t, p, msgRel)
			t.req[p][p] = 0
			t.ack[p] = 0
			visit(&t)
		}
	}
	for p := 0; p < n; p++ {
		for q := 0; q < n; q++ {
			if q == p || s.net[q][p].n == 0 {
				continue
			}
			switch m := s.net[q][p].msg[0]; {
			case m >= reqBase: // ReceiveRequest(p, q)
				t := *s
				cl := m - reqBase
				t.req[p][q] = cl
				if cl > s.clock[p] {
					t.clock[p] = cl + 1
				} else {
					t.clock[p]++
				}
				t.net[q][p].pop()
				t.net[p][q].push(msgAck)
				visit(&t)
			case m == msgAck: // ReceiveAck(p, q)
				t := *s
				t.ack[p] |= 1 << q
				t.net[q][p].pop()
				visit(&t)
			case m == msgRel: // ReceiveRelease(p, q)
				t := *s
				t.req[p][q] = 0
				t.net[q][p].pop()
				visit(&t)
			}
		}
	}
	return next, err
}

// broadcast appends m to every channel from p but its own.
func (c *checker) broadcast(t *state, p int, m uint8) {
	for r := 0; r < c.N; r++ {
		if r != p {
			t.net[p][r].push(m)
		}
	}
}

// beatsAll is \A q \in Proc \ {p} : beats(p, q).
func (c *checker) beatsAll(s *state, p int) bool {
	mine := s.req[p][p]
	for q := 0; q < c.N; q++ {
		if q == p {
			continue
		}
		theirs := s.req[p][q]
		if !(theirs == 0 || mine < theirs || mine == theirs && p < q) {
			return false
		}
	}
	return true
}

// constraint is ClockConstraint.
func (c *checker) constraint(s *state) bool {
	for p := 0; p < c.N; p++ {
		if int(s.clock[p]) > c.MaxClock {
			return false
		}
	}
	return true
}

// invariants checks TypeOK, BoundedNetwork and Mutex, in that order.
func (c *checker) invariants(s *state) error {
	nat := func(x uint8) bool { return int(x) <= c.MaxNat }
	typeOK := s.crit&^c.all == 0
	for p := 0; p < c.N && typeOK; p++ {
		typeOK = s.clock[p] >= 1 && nat(s.clock[p]) && s.ack[p]&^c.all == 0
		for q := 0; q < c.N && typeOK; q++ {
			typeOK = nat(s.req[p][q])
			ch := &s.net[p][q]
			for i := uint8(0); i < ch.n && typeOK; i++ {
				m := ch.msg[i]
				typeOK = m == msgAck || m == msgRel || m > reqBase && nat(m-reqBase)
			}
		}
	}
	if !typeOK {
		return c.violation("TypeOK", s)
	}
	for p := 0; p < c.N; p++ {
		for q := 0; q < c.N; q++ {
			if s.net[p][q].n > bound {
				return c.violation("BoundedNetwork", s)
			}
		}
	}
	if bits.OnesCount8(s.crit) > 1 {
		return c.violation("Mutex", s)
	}
	return nil
}

func (c *checker) violation(name string, s *state) error {
	return fmt.Errorf("handbfs: invariant %s violated after %d states: %+v", name, c.res.Generated, *s)
}

// packer writes fields of given widths into a key, low bits first.
type packer struct {
	k   key
	off uint
}

func (w *packer) put(v uint8, width uint) {
	if uint(v)>>width != 0 {
		panic(fmt.Sprintf("handbfs: %d does not fit in %d bits", v, width))
	}
	i, sh := w.off/64, w.off%64
	w.k[i] |= uint64(v) << sh
	if sh+width > 64 {
		w.k[i+1] |= uint64(v) >> (64 - sh)
	}
	w.off += width
}

type unpacker struct {
	k   key
	off uint
}

func (r *unpacker) get(width uint) uint8 {
	i, sh := r.off/64, r.off%64
	v := r.k[i] >> sh
	if sh+width > 64 {
		v |= r.k[i+1] << (64 - sh)
	}
	r.off += width
	return uint8(v & (1<<width - 1))
}

// pack packs a state in the model: clocks first (so that no state packs to
// the zero key), then requests, acknowledgements, crit, and the channels
// between distinct processes, bound slots each (0 for an empty slot). It
// reports false for a state with a channel over the bound, which violates
// BoundedNetwork.
func (c *checker) pack(s *state) (key, bool) {
	var w packer
	n := c.N
	for p := 0; p < n; p++ {
		w.put(s.clock[p], c.clockBits)
	}
	for p := 0; p < n; p++ {
		for q := 0; q < n; q++ {
			w.put(s.req[p][q], c.clockBits)
		}
	}
	for p := 0; p < n; p++ {
		w.put(s.ack[p], uint(n))
	}
	w.put(s.crit, uint(n))
	for p := 0; p < n; p++ {
		for q := 0; q < n; q++ {
			if p == q {
				continue
			}
			if s.net[p][q].n > bound {
				return key{}, false
			}
			for i := 0; i < bound; i++ {
				w.put(s.net[p][q].msg[i], c.msgBits)
			}
		}
	}
	return w.k, true
}

// unpack is pack's inverse.
func (c *checker) unpack(k key, s *state) {
	r := unpacker{k: k}
	n := c.N
	for p := 0; p < n; p++ {
		s.clock[p] = r.get(c.clockBits)
	}
	for p := 0; p < n; p++ {
		for q := 0; q < n; q++ {
			s.req[p][q] = r.get(c.clockBits)
		}
	}
	for p := 0; p < n; p++ {
		s.ack[p] = r.get(uint(n))
	}
	s.crit = r.get(uint(n))
	for p := 0; p < n; p++ {
		for q := 0; q < n; q++ {
			if p == q {
				continue
			}
			ch := &s.net[p][q]
			for i := 0; i < bound; i++ {
				if ch.msg[i] = r.get(c.msgBits); ch.msg[i] != msgNone {
					ch.n++
				}
			}
		}
	}
}

// set is an open-addressing hash set of keys with linear probing, at most
// half full.
type set struct {
	slots []key
	mask  uint64
	len   int
}

func newSet(size int) *set {
	return &set{slots: make([]key, size), mask: uint64(size - 1)}
}

func hash(k key) uint64 {
	h := k[0]*0x9e3779b97f4a7c15 ^ k[1]*0xc2b2ae3d27d4eb4f
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>32
}

// add inserts k and reports whether it was new.
func (s *set) add(k key) bool {
	for i := hash(k) & s.mask; ; i = (i + 1) & s.mask {
		switch s.slots[i] {
		case k:
			return false
		case key{}:
			s.slots[i] = k
			s.len++
			if 2*s.len > len(s.slots) {
				s.grow()
			}
			return true
		}
	}
}

func (s *set) grow() {
	old := s.slots
	s.slots = make([]key, 2*len(old))
	s.mask = uint64(len(s.slots) - 1)
	for _, k := range old {
		if k == (key{}) {
			continue
		}
		i := hash(k) & s.mask
		for s.slots[i] != (key{}) {
			i = (i + 1) & s.mask
		}
		s.slots[i] = k
	}
}
