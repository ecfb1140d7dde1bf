package native

import (
	"bytes"
	"slices"
	"sync"
)

// Scratch collects the encoded entries of one map, to append them in the
// order of their key encodings (the canonical order). It is pooled: take
// one with GetScratch and give it back with PutScratch.
type Scratch struct {
	// Buf holds the entries' encodings, one after the other; encoders
	// append to it, and may borrow it as a plain buffer.
	Buf  []byte
	ends [][2]int // per entry: end of its key, end of the entry, within Buf
	idx  []int
}

var scratchPool = sync.Pool{New: func() any { return new(Scratch) }}

// GetScratch returns an empty Scratch from the pool.
func GetScratch() *Scratch {
	sc := scratchPool.Get().(*Scratch)
	sc.Buf, sc.ends, sc.idx = sc.Buf[:0], sc.ends[:0], sc.idx[:0]
	return sc
}

// PutScratch returns sc to the pool.
func PutScratch(sc *Scratch) { scratchPool.Put(sc) }

// EndEntry marks the end of an entry: the bytes appended to Buf since the
// previous entry, the first keyEnd of Buf being its key's.
func (sc *Scratch) EndEntry(keyEnd int) {
	sc.ends = append(sc.ends, [2]int{keyEnd, len(sc.Buf)})
	sc.idx = append(sc.idx, len(sc.idx))
}

// Order returns the entries' numbers (0 for the first one ended) in the
// order of their key encodings. The slice is the scratch's own.
func (sc *Scratch) Order() []int {
	slices.SortFunc(sc.idx, func(i, j int) int {
		return bytes.Compare(sc.Buf[sc.start(i):sc.ends[i][0]], sc.Buf[sc.start(j):sc.ends[j][0]])
	})
	return sc.idx
}

// AppendSorted appends the entries to b in the order of their key
// encodings.
func (sc *Scratch) AppendSorted(b []byte) []byte {
	for _, i := range sc.Order() {
		b = append(b, sc.Buf[sc.start(i):sc.ends[i][1]]...)
	}
	return b
}

// start returns where entry i begins in Buf.
func (sc *Scratch) start(i int) int {
	if i == 0 {
		return 0
	}
	return sc.ends[i-1][1]
}
