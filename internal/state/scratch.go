package state

import (
	"bytes"
	"slices"
	"sync"
)

// scratch collects the encoded entries of one map, to append them in the
// order of their key encodings (the canonical order). It is pooled: take
// one with getScratch and give it back with putScratch.
type scratch struct {
	// buf holds the entries' encodings, one after the other; encoders
	// append to it, and may borrow it as a plain buffer.
	buf  []byte
	ends [][2]int // per entry: end of its key, end of the entry, within buf
	idx  []int
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// getScratch returns an empty scratch from the pool.
func getScratch() *scratch {
	sc := scratchPool.Get().(*scratch)
	sc.buf, sc.ends, sc.idx = sc.buf[:0], sc.ends[:0], sc.idx[:0]
	return sc
}

// putScratch returns sc to the pool.
func putScratch(sc *scratch) { scratchPool.Put(sc) }

// endEntry marks the end of an entry: the bytes appended to buf since the
// previous entry, the first keyEnd of buf being its key's.
func (sc *scratch) endEntry(keyEnd int) {
	sc.ends = append(sc.ends, [2]int{keyEnd, len(sc.buf)})
	sc.idx = append(sc.idx, len(sc.idx))
}

// Order returns the entries' numbers (0 for the first one ended) in the
// order of their key encodings. The slice is the scratch's own.
func (sc *scratch) order() []int {
	slices.SortFunc(sc.idx, func(i, j int) int {
		return bytes.Compare(sc.buf[sc.start(i):sc.ends[i][0]], sc.buf[sc.start(j):sc.ends[j][0]])
	})
	return sc.idx
}

// appendSorted appends the entries to b in the order of their key
// encodings.
func (sc *scratch) appendSorted(b []byte) []byte {
	for _, i := range sc.order() {
		b = append(b, sc.buf[sc.start(i):sc.ends[i][1]]...)
	}
	return b
}

// start returns where entry i begins in buf.
func (sc *scratch) start(i int) int {
	if i == 0 {
		return 0
	}
	return sc.ends[i-1][1]
}
