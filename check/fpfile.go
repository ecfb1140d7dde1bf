package check

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
)

// fpFile is a set of fingerprints on disk: one temporary file holding them
// in ascending order, fixed-size (8 bytes each, 16 when wide), and in
// memory a sparse index, the first fingerprint of every block of
// fpFileBlock, so that a sorted batch of lookups reads only the blocks it
// falls in, each once. It grows by merging a sorted sequence into a new
// file, which then replaces the old one: TLC's disk fingerprint set works
// the same way. Neither lookups nor merges run concurrently.
type fpFile struct {
	f     *os.File
	wide  bool
	n     int64         // fingerprints in the file
	index []fingerprint // the first fingerprint of each block
	block []byte        // read buffer, one block
}

// fpFileBlock is the number of fingerprints per block of the index: 32
// KiB of 64-bit fingerprints, so the index of 61.5 million is 120 KiB.
const fpFileBlock = 4096

// errFingerprintOrder is merge's error when a fingerprint comes twice or
// out of order.
var errFingerprintOrder = errors.New("fingerprints out of order")

func fpLess(a, b fingerprint) bool {
	return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo
}

func fpCompare(a, b fingerprint) int {
	if c := cmp.Compare(a.hi, b.hi); c != 0 {
		return c
	}
	return cmp.Compare(a.lo, b.lo)
}

func (d *fpFile) width() int64 {
	if d.wide {
		return 16
	}
	return 8
}

// size is the file's size in bytes.
func (d *fpFile) size() int64 { return d.n * d.width() }

// memBytes is the memory of the index and the read buffer.
func (d *fpFile) memBytes() int64 {
	return int64(cap(d.index))*16 + int64(cap(d.block))
}

// appendFP appends fp as the spill files keep it: 8 bytes, little
// endian, 16 when wide.
func appendFP(b []byte, fp fingerprint, wide bool) []byte {
	b = binary.LittleEndian.AppendUint64(b, fp.hi)
	if wide {
		b = binary.LittleEndian.AppendUint64(b, fp.lo)
	}
	return b
}

// decodeFP reads a fingerprint written by appendFP.
func decodeFP(p []byte, wide bool) fingerprint {
	fp := fingerprint{hi: binary.LittleEndian.Uint64(p)}
	if wide {
		fp.lo = binary.LittleEndian.Uint64(p[8:])
	}
	return fp
}

func (d *fpFile) decode(p []byte) fingerprint { return decodeFP(p, d.wide) }

// scan returns a function that gives the file's fingerprints in
// ascending order, then false.
func (d *fpFile) scan() func() (fingerprint, bool, error) {
	if d.f == nil {
		return func() (fingerprint, bool, error) { return fingerprint{}, false, nil }
	}
	r := bufio.NewReaderSize(io.NewSectionReader(d.f, 0, d.size()), 1<<20)
	width := d.width()
	var rec [16]byte
	var i int64
	return func() (fingerprint, bool, error) {
		if i == d.n {
			return fingerprint{}, false, nil
		}
		i++
		if _, err := io.ReadFull(r, rec[:width]); err != nil {
			return fingerprint{}, false, fmt.Errorf("reading fingerprints from disk: %w", err)
		}
		return d.decode(rec[:width]), true, nil
	}
}

// merge writes the union of the file and the fingerprints next yields (in
// ascending order, none already in the file) to a new file, which
// replaces the file.
func (d *fpFile) merge(next func() (fingerprint, bool)) (err error) {
	f, err := createTemp("execspec-fingerprints-*", "keeping fingerprints on disk")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			err = fmt.Errorf("keeping fingerprints on disk: %w", err)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	readOld := d.scan()
	var rec []byte
	var n int64
	index := d.index[:0:0]
	var last fingerprint
	put := func(fp fingerprint) error {
		if n > 0 && !fpLess(last, fp) {
			return errFingerprintOrder
		}
		if n%fpFileBlock == 0 {
			index = append(index, fp)
		}
		rec = appendFP(rec[:0], fp, d.wide)
		last = fp
		n++
		_, err := w.Write(rec)
		return err
	}
	a, aok, err := readOld()
	if err != nil {
		return err
	}
	b, bok := next()
	for aok || bok {
		if aok && (!bok || fpLess(a, b)) {
			if err := put(a); err != nil {
				return err
			}
			if a, aok, err = readOld(); err != nil {
				return err
			}
			continue
		}
		if err := put(b); err != nil {
			return err
		}
		b, bok = next()
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if d.f != nil {
		d.f.Close()
	}
	d.f, d.n, d.index = f, n, index
	return nil
}

// contains calls found(i) for each fingerprint qs[i] in the file; qs is
// in ascending order.
func (d *fpFile) contains(qs []fingerprint, found func(i int)) error {
	if d.f == nil || d.n == 0 {
		return nil
	}
	width := d.width()
	cur := -1 // the block in d.block
	var in int64
	for i, q := range qs {
		// The last block whose first fingerprint is at most q.
		b := sort.Search(len(d.index), func(j int) bool { return fpLess(q, d.index[j]) }) - 1
		if b < 0 {
			continue
		}
		if b != cur {
			from := int64(b) * fpFileBlock
			in = min(fpFileBlock, d.n-from)
			if int64(cap(d.block)) < fpFileBlock*width {
				d.block = make([]byte, fpFileBlock*width)
			}
			if _, err := d.f.ReadAt(d.block[:in*width], from*width); err != nil {
				return fmt.Errorf("reading fingerprints from disk: %w", err)
			}
			cur = b
		}
		blk := d.block[:in*width]
		j := sort.Search(int(in), func(k int) bool {
			return !fpLess(d.decode(blk[int64(k)*width:]), q)
		})
		if int64(j) < in && d.decode(blk[int64(j)*width:]) == q {
			found(i)
		}
	}
	return nil
}

// each calls fn with every fingerprint in the file, in ascending order.
func (d *fpFile) each(fn func(fp fingerprint)) error {
	next := d.scan()
	for {
		fp, ok, err := next()
		if !ok || err != nil {
			return err
		}
		fn(fp)
	}
}

func (d *fpFile) close() {
	if d.f != nil {
		d.f.Close()
		d.f = nil
	}
}

// seenSet holds the fingerprints of the states of the levels a BFS has
// committed: all in a memTable, or, once the table has outgrown the spill
// limit, most on disk (fpFile) with the table as the cache of those added
// since the last merge.
//
// On disk, a state not in the cache may still have been seen: the
// workers take it for new, and the level's commit looks its candidates up
// on disk in one sorted pass and drops those found (delayed duplicate
// detection), before anything is counted or recorded.
type seenSet struct {
	mem     *memTable[struct{}]
	disk    *fpFile // nil until the cache is first merged
	limit   int64   // the cache's bytes from which it is merged to disk (0: never)
	scratch []fingerprint
}

func newSeenSet(wide bool, hint int64, b *budget, limit int64) (*seenSet, error) {
	if limit > 0 {
		// Sized as the table grows, not for MaxStates.
		hint = 0
	}
	mem, err := newMemTable[struct{}](wide, hint, b)
	if err != nil {
		return nil, err
	}
	return &seenSet{mem: mem, limit: limit}, nil
}

// delayed reports whether some fingerprints are on disk: a state not in
// the cache is then new only once filterOld says so.
func (s *seenSet) delayed() bool { return s.disk != nil }

// cached reports whether fp is in the memory part of the set.
func (s *seenSet) cached(fp fingerprint) bool {
	_, ok := s.mem.Get(fp)
	return ok
}

// put adds fp; safe for concurrent use with other puts.
func (s *seenSet) put(fp fingerprint) error {
	_, _, err := s.mem.Put(fp, struct{}{}, nil)
	return err
}

// Len is the number of fingerprints in the set.
func (s *seenSet) Len() int64 {
	n := s.mem.Len()
	if s.disk != nil {
		n += s.disk.n
	}
	return n
}

// memBytes is the memory the set holds.
func (s *seenSet) memBytes() int64 {
	n := s.mem.Bytes()
	if s.disk != nil {
		n += s.disk.memBytes()
	}
	return n
}

// diskBytes is the size of the set's file.
func (s *seenSet) diskBytes() int64 {
	if s.disk == nil {
		return 0
	}
	return s.disk.size()
}

// capacity is the number of fingerprints the cache takes without growing.
func (s *seenSet) capacity() int64 {
	var n int64
	for i := range s.mem.shards {
		n += int64(s.mem.shards[i].mask+1) * 3 / 4
	}
	return n
}

// makeRoom merges the cache into the file when adding n fingerprints
// would take it past the limit.
func (s *seenSet) makeRoom(n int64) error {
	if s.limit <= 0 || s.mem.Len() == 0 {
		return nil
	}
	if s.mem.Bytes() <= s.limit && (s.mem.Len()+n <= s.capacity() || 2*s.mem.Bytes() <= s.limit) {
		return nil
	}
	return s.flush()
}

// flush merges the cache into the file and empties it.
func (s *seenSet) flush() error {
	if s.disk == nil {
		s.disk = &fpFile{wide: s.mem.wide}
	}
	// A shard holds the fingerprints of one range of top bits, so the
	// shards sorted one at a time, in order, are the cache in order.
	shard, i := -1, 0
	next := func() (fingerprint, bool) {
		for i >= len(s.scratch) {
			shard++
			if shard >= len(s.mem.shards) {
				return fingerprint{}, false
			}
			s.scratch = s.mem.shardFingerprints(shard, s.scratch[:0])
			slices.SortFunc(s.scratch, fpCompare)
			i = 0
		}
		i++
		return s.scratch[i-1], true
	}
	if err := s.disk.merge(next); err != nil {
		return err
	}
	s.scratch = nil
	s.mem.Reset()
	return nil
}

// filterOld returns, in ascending order and as the set keeps them, the
// fingerprints of fps that are in the set's file. It reorders fps.
func (s *seenSet) filterOld(fps []fingerprint) ([]fingerprint, error) {
	if s.disk == nil || len(fps) == 0 {
		return nil, nil
	}
	for i := range fps {
		fps[i] = s.mem.norm(fps[i])
	}
	slices.SortFunc(fps, fpCompare)
	fps = slices.Compact(fps)
	var old []fingerprint
	err := s.disk.contains(fps, func(i int) { old = append(old, fps[i]) })
	return old, err
}

// isIn reports whether fp is among old, a result of filterOld.
func (s *seenSet) isIn(old []fingerprint, fp fingerprint) bool {
	if len(old) == 0 {
		return false
	}
	_, ok := slices.BinarySearchFunc(old, s.mem.norm(fp), fpCompare)
	return ok
}

// each calls fn with every fingerprint of the set (normalized as the set
// keeps it), in no particular order.
func (s *seenSet) each(fn func(fp fingerprint)) error {
	s.mem.Each(func(fp fingerprint, _ struct{}) { fn(fp) })
	if s.disk != nil {
		return s.disk.each(fn)
	}
	return nil
}

func (s *seenSet) close() {
	s.mem.Close()
	if s.disk != nil {
		s.disk.close()
	}
}
