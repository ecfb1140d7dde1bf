package check

// encoded is a list of state encodings stored end to end: the BFS
// frontier and candidates, a few hundred bytes per state where the Go
// values of a state with maps take KiB.
type encoded struct {
	buf  []byte
	ends []int // where each encoding ends in buf
}

func (e *encoded) len() int { return len(e.ends) }

func (e *encoded) start(i int) int {
	if i == 0 {
		return 0
	}
	return e.ends[i-1]
}

// get returns encoding i, valid until e changes.
func (e *encoded) get(i int) []byte { return e.buf[e.start(i):e.ends[i]] }

func (e *encoded) add(b []byte) {
	e.buf = append(e.buf, b...)
	e.ends = append(e.ends, len(e.buf))
}

// addAll appends every encoding of o.
func (e *encoded) addAll(o *encoded) {
	base := len(e.buf)
	e.buf = append(e.buf, o.buf...)
	for _, end := range o.ends {
		e.ends = append(e.ends, base+end)
	}
}

// move makes encoding k the encoding at position j <= k, when every
// encoding before j is final (compaction in order).
func (e *encoded) move(j, k int) {
	if j == k {
		return
	}
	from, to := e.start(k), e.start(j)
	n := e.ends[k] - from
	copy(e.buf[to:], e.buf[from:from+n])
	e.ends[j] = to + n
}

// truncate keeps the first n encodings.
func (e *encoded) truncate(n int) {
	e.buf = e.buf[:e.start(n)]
	e.ends = e.ends[:n]
}

func (e *encoded) reset() { e.buf, e.ends = e.buf[:0], e.ends[:0] }
