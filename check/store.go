package check

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The store is where the checker remembers which states it has seen: a set
// of fingerprints, each with an optional small value (the depth at which DFS
// saw it; the parent-ordering key in BFS's per-level table). The search uses
// it only through the fpStore interface, so a store that spills to disk can
// replace the in-memory table without touching the search.

// fingerprint is a state's fingerprint: hi alone with 64-bit fingerprints,
// (hi, lo) with 128-bit ones.
type fingerprint struct{ hi, lo uint64 }

// errMemory is returned by a store that would outgrow its memory budget.
var errMemory = errors.New("memory budget exhausted")

// fpStore is a set of fingerprints with a value per fingerprint.
//
// Get may run concurrently with other Gets but not with Put; Put is safe for
// concurrent use with other Puts.
type fpStore[V any] interface {
	// Get returns the value stored with fp and whether fp is present.
	Get(fp fingerprint) (V, bool)
	// Put adds fp with value v when absent. When fp is present and better
	// is non-nil, the stored value becomes better(old, v). It returns the
	// value stored before the call (the zero V when absent) and whether fp
	// was absent. It fails with errMemory, storing nothing, when adding fp
	// would exceed the memory budget.
	Put(fp fingerprint, v V, better func(old, v V) V) (old V, absent bool, err error)
	// Len is the number of fingerprints stored.
	Len() int64
	// Bytes is the memory the store holds.
	Bytes() int64
	// Each calls fn with every fingerprint stored (normalized as the store
	// keeps it, which Get and Put accept back) and its value, in no
	// particular order. It must not run concurrently with Put.
	Each(fn func(fp fingerprint, v V))
	// Reset empties the store, keeping its memory for reuse.
	Reset()
	// Close gives the store's memory back to the budget; the store is not
	// used after.
	Close()
}

// budget is a memory budget shared by the stores and buffers of one search.
// A zero limit means no limit.
type budget struct {
	limit int64
	used  atomic.Int64
}

// take reserves n bytes (n may be negative, to give back). It reports
// false, reserving nothing, when the budget would be exceeded.
func (b *budget) take(n int64) bool {
	if b == nil {
		return true
	}
	if n <= 0 || b.limit <= 0 {
		b.used.Add(n)
		return true
	}
	for {
		u := b.used.Load()
		if u+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(u, u+n) {
			return true
		}
	}
}

// memTable is the in-memory fpStore: an open-addressing hash table of
// fingerprints with linear probing, split into shards by the fingerprint's
// top bits. Each shard has its own lock and grows (doubling, rehashing only
// itself) when its load would exceed 3/4, so growth never stops the other
// shards and a search pays the rehash a little at a time. A slot holds the
// fingerprint (8 bytes, or 16 with 128-bit fingerprints) and the value (no
// space at all when V is struct{}). The all-zero fingerprint marks an empty
// slot, so a state whose fingerprint is zero is stored as 1: a collision
// of probability 2^-64 that the estimate already covers.
//
// Shards are chosen by the fingerprint's top bits and slots by its low
// bits, which xxh3 makes independent and uniform.
type memTable[V any] struct {
	wide   bool // 128-bit fingerprints
	shift  uint // 64 - log2(len(shards))
	shards []tableShard[V]
	budget *budget
	bytes  atomic.Int64
	// maxBytes, when positive, caps the table on its own: a Put that
	// would grow it past fails with errMemory.
	maxBytes int64
}

type tableShard[V any] struct {
	mu    sync.Mutex
	keys  []uint64 // one word per slot, two when wide
	vals  []V
	n     int          // fingerprints stored
	count atomic.Int64 // n, for Len without the lock
	mask  uint64       // slots - 1
	_     [64]byte
}

const (
	tableShardBits = 6 // 64 shards
	minShardSlots  = 16
)

// newMemTable returns a table presized for about hint fingerprints, drawing
// on b (which may be nil).
func newMemTable[V any](wide bool, hint int64, b *budget) (*memTable[V], error) {
	t := &memTable[V]{wide: wide, shift: 64 - tableShardBits, shards: make([]tableShard[V], 1<<tableShardBits), budget: b}
	per := hint / (1 << tableShardBits)
	slots := uint64(minShardSlots)
	for slots*3/4 < uint64(per) {
		slots *= 2
	}
	for i := range t.shards {
		if err := t.alloc(&t.shards[i], slots); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *memTable[V]) slotBytes() int64 {
	var v V
	w := int64(8)
	if t.wide {
		w = 16
	}
	return w + int64(unsafe.Sizeof(v))
}

// alloc gives sh a fresh, empty array of the given number of slots, and
// accounts for it (releasing the old one).
func (t *memTable[V]) alloc(sh *tableShard[V], slots uint64) error {
	newBytes := int64(slots) * t.slotBytes()
	oldBytes := int64(sh.mask+1) * t.slotBytes()
	if sh.keys == nil {
		oldBytes = 0
	}
	if t.maxBytes > 0 && newBytes > oldBytes && t.bytes.Load()+newBytes-oldBytes > t.maxBytes {
		return errMemory
	}
	if !t.budget.take(newBytes - oldBytes) {
		return errMemory
	}
	t.bytes.Add(newBytes - oldBytes)
	words := slots
	if t.wide {
		words *= 2
	}
	sh.keys = make([]uint64, words)
	sh.vals = make([]V, slots)
	sh.mask = slots - 1
	return nil
}

func (t *memTable[V]) norm(fp fingerprint) fingerprint {
	if !t.wide {
		fp.lo = 0
		if fp.hi == 0 {
			fp.hi = 1
		}
	} else if fp.hi == 0 && fp.lo == 0 {
		fp.lo = 1
	}
	return fp
}

// find returns the slot of fp in sh, or the empty slot where it would go.
func (t *memTable[V]) find(sh *tableShard[V], fp fingerprint) (slot uint64, found bool) {
	i := fp.hi & sh.mask
	if !t.wide {
		for {
			k := sh.keys[i]
			if k == fp.hi {
				return i, true
			}
			if k == 0 {
				return i, false
			}
			i = (i + 1) & sh.mask
		}
	}
	for {
		hi, lo := sh.keys[2*i], sh.keys[2*i+1]
		if hi == fp.hi && lo == fp.lo {
			return i, true
		}
		if hi == 0 && lo == 0 {
			return i, false
		}
		i = (i + 1) & sh.mask
	}
}

func (t *memTable[V]) set(sh *tableShard[V], slot uint64, fp fingerprint, v V) {
	if t.wide {
		sh.keys[2*slot], sh.keys[2*slot+1] = fp.hi, fp.lo
	} else {
		sh.keys[slot] = fp.hi
	}
	sh.vals[slot] = v
}

// Get implements fpStore.
func (t *memTable[V]) Get(fp fingerprint) (V, bool) {
	fp = t.norm(fp)
	sh := &t.shards[fp.hi>>t.shift]
	slot, ok := t.find(sh, fp)
	if !ok {
		var zero V
		return zero, false
	}
	return sh.vals[slot], true
}

// Put implements fpStore.
func (t *memTable[V]) Put(fp fingerprint, v V, better func(old, v V) V) (V, bool, error) {
	fp = t.norm(fp)
	sh := &t.shards[fp.hi>>t.shift]
	sh.mu.Lock()
	slot, ok := t.find(sh, fp)
	if ok {
		old := sh.vals[slot]
		if better != nil {
			sh.vals[slot] = better(old, v)
		}
		sh.mu.Unlock()
		return old, false, nil
	}
	var zero V
	if uint64(sh.n+1) > (sh.mask+1)*3/4 {
		if err := t.grow(sh); err != nil {
			sh.mu.Unlock()
			return zero, false, err
		}
		slot, _ = t.find(sh, fp)
	}
	t.set(sh, slot, fp, v)
	sh.n++
	sh.count.Add(1)
	sh.mu.Unlock()
	return zero, true, nil
}

// grow doubles sh and rehashes its fingerprints.
func (t *memTable[V]) grow(sh *tableShard[V]) error {
	oldKeys, oldVals, oldSlots := sh.keys, sh.vals, sh.mask+1
	if err := t.alloc(sh, 2*oldSlots); err != nil {
		return err
	}
	for i := uint64(0); i < oldSlots; i++ {
		var fp fingerprint
		if t.wide {
			fp = fingerprint{oldKeys[2*i], oldKeys[2*i+1]}
		} else {
			fp = fingerprint{hi: oldKeys[i]}
		}
		if fp.hi == 0 && fp.lo == 0 {
			continue
		}
		slot, _ := t.find(sh, fp)
		t.set(sh, slot, fp, oldVals[i])
	}
	return nil
}

// Len implements fpStore.
func (t *memTable[V]) Len() int64 {
	var n int64
	for i := range t.shards {
		n += t.shards[i].count.Load()
	}
	return n
}

// Bytes implements fpStore.
func (t *memTable[V]) Bytes() int64 { return t.bytes.Load() }

// Each implements fpStore.
func (t *memTable[V]) Each(fn func(fp fingerprint, v V)) {
	for i := range t.shards {
		t.eachInShard(i, fn)
	}
}

// eachInShard calls fn with every fingerprint of shard i and its value.
func (t *memTable[V]) eachInShard(i int, fn func(fp fingerprint, v V)) {
	sh := &t.shards[i]
	for slot := uint64(0); sh.n > 0 && slot <= sh.mask; slot++ {
		fp := fingerprint{hi: sh.keys[slot]}
		if t.wide {
			fp = fingerprint{sh.keys[2*slot], sh.keys[2*slot+1]}
		}
		if fp.hi != 0 || fp.lo != 0 {
			fn(fp, sh.vals[slot])
		}
	}
}

// Reset implements fpStore.
func (t *memTable[V]) Reset() {
	for i := range t.shards {
		sh := &t.shards[i]
		if sh.n > 0 {
			clear(sh.keys)
			clear(sh.vals)
		}
		sh.n = 0
		sh.count.Store(0)
	}
}

// Close implements fpStore.
func (t *memTable[V]) Close() {
	t.budget.take(-t.bytes.Load())
	t.bytes.Store(0)
}

// record is what BFS keeps per distinct state to rebuild a trace to it: the
// index of the state it was first reached from (noParent for an initial
// state) and which of that state's successors it was, in the canonical
// successor order (for an initial state, which outcome of the init action).
type record struct {
	parent uint32
	succ   uint32
}

const noParent = ^uint32(0)

// maxStates is the number of states a record can index.
const maxStates = int64(noParent) - 1

// records is an append-only array of records in fixed-size blocks, so that
// it grows without copying and without doubling its peak memory. Past the
// spill limit (see spill), the records committed go to a temporary file
// and only those of the level being committed stay in memory: a trace
// reads its few records back from the file.
type records struct {
	blocks [][]record // records [base, ...)
	base   int64      // records before base are in file
	n      int64
	budget *budget
	file   *os.File
	free   [][]record // blocks given back by spill, for reuse
	err    error      // the first failed read of the file
}

const recordBlock = 1 << 12

const recordSize = int64(unsafe.Sizeof(record{}))

// reserve makes room for n more records, to be written with set (possibly
// concurrently, at distinct indices) and then committed with extend.
func (r *records) reserve(n int64) error {
	need := r.n + n
	if need > maxStates {
		return fmt.Errorf("more than %d states: the parent index of a record is 32 bits", maxStates)
	}
	for r.base+int64(len(r.blocks))*recordBlock < need {
		if k := len(r.free); k > 0 {
			r.blocks = append(r.blocks, r.free[k-1])
			r.free = r.free[:k-1]
			continue
		}
		if !r.budget.take(recordBlock * recordSize) {
			return errMemory
		}
		r.blocks = append(r.blocks, make([]record, recordBlock))
	}
	return nil
}

func (r *records) set(i int64, rec record) {
	i -= r.base
	r.blocks[i/recordBlock][i%recordBlock] = rec
}

// get returns record i, read from the file when it is there. A failed
// read returns a record without a parent and keeps the error in r.err.
func (r *records) get(i int64) record {
	if i < r.base {
		var p [8]byte
		if _, err := r.file.ReadAt(p[:], i*recordSize); err != nil {
			if r.err == nil {
				r.err = fmt.Errorf("reading trace records from disk: %w", err)
			}
			return record{parent: noParent}
		}
		return decodeRecord(p[:])
	}
	i -= r.base
	return r.blocks[i/recordBlock][i%recordBlock]
}

// decodeRecord reads a record as the records' file keeps it: parent and
// successor ordinal, 4 bytes each, little endian.
func decodeRecord(p []byte) record {
	return record{parent: binary.LittleEndian.Uint32(p), succ: binary.LittleEndian.Uint32(p[4:])}
}

// add appends one record.
func (r *records) add(rec record) error {
	if err := r.reserve(1); err != nil {
		return err
	}
	r.set(r.n, rec)
	r.extend(1)
	return nil
}

// extend marks n more records as written.
func (r *records) extend(n int64) { r.n += n }

// bytes is the memory the records hold.
func (r *records) bytes() int64 {
	return int64(len(r.blocks)+len(r.free)) * recordBlock * recordSize
}

// fileBytes is the size of the records' file.
func (r *records) fileBytes() int64 { return r.base * recordSize }

// spill moves the records committed to the file once they take more than
// limit bytes of memory, or the file exists (0: never).
func (r *records) spill(limit int64) error {
	if limit <= 0 || r.n == r.base || r.file == nil && (r.n-r.base)*recordSize <= limit {
		return nil
	}
	if r.file == nil {
		f, err := createTemp("execspec-records-*", "keeping trace records on disk")
		if err != nil {
			return err
		}
		r.file = f
	}
	w := bufio.NewWriterSize(io.NewOffsetWriter(r.file, r.base*recordSize), 1<<20)
	var p []byte
	for i := r.base; i < r.n; i++ {
		rec := r.get(i)
		p = binary.LittleEndian.AppendUint32(p[:0], rec.parent)
		p = binary.LittleEndian.AppendUint32(p, rec.succ)
		w.Write(p)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("keeping trace records on disk: %w", err)
	}
	// The blocks all go back for reuse, the last one included, even when
	// partly full: base moves past it.
	r.free = append(r.free, r.blocks...)
	r.blocks = r.blocks[:0]
	r.base = r.n
	return nil
}

// each calls fn with every record, in order.
func (r *records) each(fn func(rec record)) error {
	if r.base > 0 {
		br := bufio.NewReaderSize(io.NewSectionReader(r.file, 0, r.base*recordSize), 1<<20)
		var p [8]byte
		for i := int64(0); i < r.base; i++ {
			if _, err := io.ReadFull(br, p[:]); err != nil {
				return fmt.Errorf("reading trace records from disk: %w", err)
			}
			fn(decodeRecord(p[:]))
		}
	}
	for i := r.base; i < r.n; i++ {
		fn(r.get(i))
	}
	return nil
}

// close removes the file.
func (r *records) close() {
	if r.file != nil {
		removeTemp(r.file)
		r.file = nil
	}
}

// shardFingerprints appends the fingerprints of shard i to dst.
func (t *memTable[V]) shardFingerprints(i int, dst []fingerprint) []fingerprint {
	t.eachInShard(i, func(fp fingerprint, _ V) { dst = append(dst, fp) })
	return dst
}
