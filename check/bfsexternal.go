package check

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"

	"github.com/execspec/execspec/findings"
)

// An external level: when the candidates of the next BFS level would
// take more memory than the spill limit allows, the workers write them to
// a temporary file instead of keeping them, and the commit sorts them out
// there (delayed duplicate detection with hash partitioning, as in Korf's
// external BFS):
//
//   - A candidate is a record (fingerprint, key, encoding). Each worker
//     buffers its records by bucket (the fingerprint's top bits) and
//     appends a bucket's buffer to the shared file as a block when it
//     fills. The level's table of smallest keys still filters repeated
//     offers, up to a cap; past it an offer is written without being
//     remembered, so the file may hold a state more than once, never
//     without its smallest key.
//   - The commit reads one bucket at a time, keeps the record of
//     smallest key of each fingerprint, drops those seen in earlier
//     levels (on disk, their fingerprints of the same top bits are one
//     range of the sorted file), and writes the winners sorted by key as
//     a run of a second file.
//   - Merging the runs by key gives the next level in the order of an
//     in-memory commit: the states are numbered, stored, recorded and
//     written to the next level's spill file as they come, and the
//     MaxStates and MaxFindings cuts fall where they would in memory.
//
// Memory then holds the capped table, one bucket, and the runs' read
// buffers, whatever the level's size.

// candBuckets is the number of buckets a level's candidates are split
// into (a power of two).
const (
	candBucketBits = 6
	candBuckets    = 1 << candBucketBits
	candBlockSize  = 32 << 10
)

// candSpill is the file of a level's candidates.
type candSpill struct {
	wide bool
	mu   sync.Mutex
	f    *os.File
	size int64
	err  error
	// blocks are the extents of each bucket's blocks in f.
	blocks [candBuckets][]extent
}

type extent struct{ off, n int64 }

// candWriter is a worker's buffers, one per bucket.
type candWriter struct {
	s    *candSpill
	bufs [candBuckets][]byte
}

// candRec is a candidate read back: enc points into the bucket's bytes.
type candRec struct {
	fp  fingerprint
	key uint64
	enc []byte
}

func newCandSpill(wide bool) (*candSpill, error) {
	f, err := createTemp("execspec-candidates-*", "spilling a level's candidates")
	if err != nil {
		return nil, err
	}
	return &candSpill{wide: wide, f: f}, nil
}

func (s *candSpill) close() {
	if s.f != nil {
		removeTemp(s.f)
		s.f = nil
	}
}

func bucketOf(fp fingerprint) int { return int(fp.hi >> (64 - candBucketBits)) }

// appendCand appends a candidate as the candidates' and the winners'
// files keep it: fingerprint (appendFP), key (8 bytes, little endian),
// the encoding's length (uvarint) and the encoding.
func appendCand(b []byte, fp fingerprint, key uint64, enc []byte, wide bool) []byte {
	b = appendFP(b, fp, wide)
	b = binary.LittleEndian.AppendUint64(b, key)
	b = binary.AppendUvarint(b, uint64(len(enc)))
	return append(b, enc...)
}

// candHead is the size of a candidate's fingerprint and key.
func candHead(wide bool) int {
	if wide {
		return 24
	}
	return 16
}

// add buffers a candidate (its fingerprint normalized as the store keeps
// it), writing the bucket's block when it is full.
func (w *candWriter) add(fp fingerprint, key uint64, enc []byte) {
	p := bucketOf(fp)
	buf := appendCand(w.bufs[p], fp, key, enc, w.s.wide)
	if len(buf) >= candBlockSize {
		w.s.write(p, buf)
		buf = buf[:0]
	}
	w.bufs[p] = buf
}

// flush writes every buffer not empty.
func (w *candWriter) flush() {
	for p, buf := range w.bufs {
		if len(buf) > 0 {
			w.s.write(p, buf)
			w.bufs[p] = buf[:0]
		}
	}
}

func (s *candSpill) write(p int, buf []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	if _, err := s.f.WriteAt(buf, s.size); err != nil {
		s.err = fmt.Errorf("spilling a level's candidates: %w", err)
		return
	}
	s.blocks[p] = append(s.blocks[p], extent{s.size, int64(len(buf))})
	s.size += int64(len(buf))
}

// bucket reads bucket p's records, into raw and recs (reused).
func (s *candSpill) bucket(p int, raw []byte, recs []candRec) ([]byte, []candRec, error) {
	var n int64
	for _, b := range s.blocks[p] {
		n += b.n
	}
	raw = slices.Grow(raw[:0], int(n))[:n]
	at := int64(0)
	for _, b := range s.blocks[p] {
		if _, err := s.f.ReadAt(raw[at:at+b.n], b.off); err != nil {
			return raw, recs, fmt.Errorf("reading a level's candidates: %w", err)
		}
		at += b.n
	}
	recs = recs[:0]
	head := candHead(s.wide)
	for i := 0; i < len(raw); {
		if len(raw)-i < head {
			return raw, recs, errors.New("reading a level's candidates: a truncated record")
		}
		r := candRec{fp: decodeFP(raw[i:], s.wide), key: binary.LittleEndian.Uint64(raw[i+head-8:])}
		i += head
		l, m := binary.Uvarint(raw[i:])
		if m <= 0 || uint64(len(raw)-i-m) < l {
			return raw, recs, errors.New("reading a level's candidates: a truncated record")
		}
		i += m
		r.enc = raw[i : i+int(l)]
		i += int(l)
		recs = append(recs, r)
	}
	return raw, recs, nil
}

// winInfo is what the commit learns of a fingerprint a finding is on.
type winInfo struct {
	key    uint64 // the smallest key offered
	in     bool   // some candidate had the fingerprint
	before bool   // the state was seen in an earlier level
}

// winners calls fn, bucket by bucket, with each bucket's new states (the
// smallest key of each fingerprint, not seen before), in no particular
// order; fn may keep nothing of them past its return. It fills in the
// winInfo of the fingerprints in want.
func (b *bfs[S]) winners(want map[fingerprint]*winInfo, fn func(ws []candRec) error) error {
	s := b.ext
	if s.err != nil {
		return s.err
	}
	var raw []byte
	var recs []candRec
	var fps []fingerprint
	for p := range candBuckets {
		var err error
		if raw, recs, err = s.bucket(p, raw, recs); err != nil {
			return err
		}
		slices.SortFunc(recs, func(x, y candRec) int {
			if c := fpCompare(x.fp, y.fp); c != 0 {
				return c
			}
			return cmp.Compare(x.key, y.key)
		})
		ws := recs[:0]
		for i, r := range recs {
			if i == 0 || r.fp != recs[i-1].fp {
				ws = append(ws, r)
			}
		}
		fps = fps[:0]
		for _, r := range ws {
			fps = append(fps, r.fp)
		}
		var old []fingerprint
		if b.delayed() {
			if old, err = b.seen.filterOld(fps); err != nil {
				return err
			}
		}
		kept := ws[:0]
		for _, r := range ws {
			before := b.seen.isIn(old, r.fp)
			if w := want[r.fp]; w != nil {
				*w = winInfo{key: r.key, in: true, before: before}
			}
			if !before {
				kept = append(kept, r)
			}
		}
		if err := fn(kept); err != nil {
			return err
		}
	}
	return nil
}

// externalNew counts the new states among the level's candidates.
func (b *bfs[S]) externalNew() (int64, error) {
	var n int64
	err := b.winners(nil, func(ws []candRec) error {
		n += int64(len(ws))
		return nil
	})
	return n, err
}

// run is one bucket's winners in key order, in the runs file.
type run struct {
	extent
	r    *bufio.Reader
	head candRec
	buf  []byte
}

func (r *run) next(wide bool) (bool, error) {
	if r.n == 0 {
		return false, nil
	}
	r.n--
	var hdr [24]byte
	head := candHead(wide)
	if _, err := io.ReadFull(r.r, hdr[:head]); err != nil {
		return false, err
	}
	r.head.fp = decodeFP(hdr[:], wide)
	r.head.key = binary.LittleEndian.Uint64(hdr[head-8:])
	l, err := binary.ReadUvarint(r.r)
	if err != nil {
		return false, err
	}
	r.buf = slices.Grow(r.buf[:0], int(l))[:l]
	if _, err := io.ReadFull(r.r, r.buf); err != nil {
		return false, err
	}
	r.head.enc = r.buf
	return true, nil
}

type runHeap []*run

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return h[i].head.key < h[j].head.key }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*run)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// commitExternal is commit for a level whose candidates are in b.ext.
func (b *bfs[S]) commitExternal(depth int) bool {
	e := b.eng
	defer func() {
		b.ext.close()
		b.ext = nil
	}()
	// What the findings are on.
	want := map[fingerprint]*winInfo{}
	for _, c := range b.chunks {
		for _, p := range c.found {
			if p.fp != (fingerprint{}) && p.panic == nil {
				want[b.seen.mem.norm(p.fp)] = &winInfo{}
			}
		}
	}
	// The winners of each bucket, sorted by key, one run each.
	runsFile, err := createTemp("execspec-winners-*", "spilling a level's new states")
	if err != nil {
		b.err = err
		return false
	}
	defer removeTemp(runsFile)
	bw := bufio.NewWriterSize(runsFile, 1<<20)
	var runs []*run
	var rec []byte
	var at, total int64
	wide := b.ext.wide
	err = b.winners(want, func(ws []candRec) error {
		slices.SortFunc(ws, func(x, y candRec) int { return cmp.Compare(x.key, y.key) })
		var size int64
		for _, r := range ws {
			rec = appendCand(rec[:0], r.fp, r.key, r.enc, wide)
			bw.Write(rec)
			size += int64(len(rec))
		}
		if len(ws) > 0 {
			runs = append(runs, &run{extent: extent{at, int64(len(ws))}})
		}
		at += size
		total += int64(len(ws))
		return nil
	})
	if err == nil {
		if err = bw.Flush(); err != nil {
			err = fmt.Errorf("spilling a level's new states: %w", err)
		}
	}
	if err != nil {
		b.err = err
		return false
	}
	// The findings on states that kept their key, and were not seen.
	winner := func(fp fingerprint) (uint64, bool, bool) {
		w := want[b.seen.mem.norm(fp)]
		return w.key, w.in, w.before
	}
	for _, c := range b.chunks {
		b.keepFindings(c, winner)
	}
	level, limit, gen := b.levelCut()
	cut := limit // where the merge stops
	base := b.recs.n
	if err := b.recs.reserve(total); err != nil {
		if !errors.Is(err, errMemory) {
			b.err = err
			return false
		}
		b.stopped = findings.StoppedMemory
		cut = 0
	}
	if err := b.seen.makeRoom(total); err != nil {
		b.err = err
		return false
	}
	// Merge the runs in key order into the next level.
	h := make(runHeap, 0, len(runs))
	for _, r := range runs {
		r.r = bufio.NewReaderSize(io.NewSectionReader(runsFile, r.off, at-r.off), 64<<10)
		ok, err := r.next(wide)
		if err != nil {
			b.err = fmt.Errorf("reading a level's winners: %w", err)
			return false
		}
		if ok {
			h = append(h, r)
		}
	}
	heap.Init(&h)
	sw, err := newSpillWriter()
	if err != nil {
		b.err = err
		return false
	}
	next := b.front
	next.reset()
	next.buf = nil
	// The records read the frontier's record numbers as the next level's
	// are written: those go to another array.
	nextIdx := b.spareIdx[:0]
	b.spareIdx = b.frontIdx
	maxNew := int64(-1)
	if lim := e.opts.MaxStates; lim > 0 {
		maxNew = lim - base
	}
	var n int64
	for h.Len() > 0 {
		r := h[0]
		k := r.head.key
		if k >= cut {
			break
		}
		if n == maxNew {
			// One state more than MaxStates allows: the level is cut there.
			limit = k
			b.stopped = findings.StoppedMaxStates
			break
		}
		if err := b.seen.put(r.head.fp); err != nil {
			// Stop here, with the states stored.
			b.stopped = findings.StoppedMemory
			break
		}
		parent := noParent
		if !b.init {
			parent = b.frontIdx[k>>32]
		}
		b.recs.set(base+n, record{parent: parent, succ: uint32(k)})
		if e.opts.Visit != nil {
			e.opts.Visit(r.head.enc, depth+1)
		}
		sw.write(r.head.enc)
		next.ends = append(next.ends, int(sw.size))
		nextIdx = append(nextIdx, uint32(base+n))
		n++
		ok, err := r.next(wide)
		if err != nil {
			b.err = fmt.Errorf("reading a level's winners: %w", err)
			sw.file().close()
			return false
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	spill, err := sw.finish()
	if err != nil {
		b.err = err
		return false
	}
	if limit != ^uint64(0) {
		gen = b.generatedBefore(limit)
		level = keepBefore(level, limit)
	}
	return b.advance(depth, next, spill, nextIdx, n, gen, level)
}
