package check

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/atomicfile"
	"github.com/execspec/execspec/machine"
)

// Checkpoints. Between two levels, a breadth-first search is wholly
// described by the fingerprints of the states committed, their trace
// records, the next level's encodings with their record numbers, and the
// statistics of the levels done: nothing else carries over from one level
// to the next (the per-level tables start empty, and the expansion of a
// level does not depend on how it was split among workers). A checkpoint
// is exactly that, written to one file that replaces the previous one
// atomically, so a process killed at any moment leaves the last complete
// checkpoint. A search resumed from it expands the same levels in the same
// order and ends with the counts, depths and traces of a search never
// interrupted, with any number of workers.
//
// With MaxFindings above 1, a checkpoint also holds the findings of the
// levels done, as the search keeps them before their traces are rebuilt:
// where each was found (a record and the ordinals after it), its kind and
// property. The error of a panic is a Go value no file keeps: the trace's
// rebuild, which replays the panicking action, or judges the last state
// and step again, derives it anew.

// CheckpointOptions configures a breadth-first search's checkpoints. The
// zero value writes none.
type CheckpointOptions struct {
	// Dir is the directory of the checkpoint (created if missing). Empty:
	// no checkpoint.
	Dir string
	// Every is the least time between two checkpoints (default 5 minutes):
	// one is written at the first level boundary after it has passed, and
	// when the search stops early (a cancelled context, the timeout, the
	// memory cap) with the levels completed. A search that ends (complete,
	// a finding, MaxStates, MaxDepth; temporal properties checked after the
	// safety search included) removes its checkpoint. A search stopped
	// while checking temporal properties resumes at the last checkpoint of
	// its safety search.
	Every time.Duration
	// Resume continues the search saved in Dir instead of starting anew.
	// The checkpoint must have been written by a search of the same model
	// with the same options (Workers, Timeout and MemoryBytes may differ)
	// and the same ID; another is refused with an error naming what
	// differs.
	Resume bool
	// ID names, besides the model and the options, what the checkpoint is
	// of: the CLI puts the instance and a hash of the model's compiled
	// code there, so that a changed model does not resume an old search.
	ID string
	// Saved, when set, is called after each checkpoint is written, with
	// the number of levels done and of distinct states.
	Saved func(levels int, distinct int64)
}

// DefaultCheckpointEvery is the default of CheckpointOptions.Every.
const DefaultCheckpointEvery = 5 * time.Minute

const (
	checkpointName  = "checkpoint"
	checkpointMagic = "execspec checkpoint 1\n"
)

// CheckpointPath returns the file in which a search with checkpoints in
// dir keeps its checkpoint.
func CheckpointPath(dir string) string { return filepath.Join(dir, checkpointName) }

// checkpointHeader is a checkpoint's description, stored as JSON before
// its binary sections.
type checkpointHeader struct {
	Identity  []string `json:"identity"`
	Levels    []Level  `json:"levels"`
	Generated int64    `json:"generated"`
	Branch    int64    `json:"branch"`
	Records   int64    `json:"records"`
	Front     int64    `json:"front"`
	FrontSize int64    `json:"front_bytes"`
	Saved     string   `json:"saved"`
	// Findings are the findings of the levels done (MaxFindings > 1).
	Findings []savedFinding `json:"findings,omitempty"`
}

// savedFinding is a pending finding as a checkpoint keeps it.
type savedFinding struct {
	Kind     findings.Kind `json:"kind"`
	Property string        `json:"property,omitempty"`
	At       int64         `json:"at"`
	Tail     []uint32      `json:"tail,omitempty"`
	FP       [2]uint64     `json:"fp"`
	Key      uint64        `json:"key"`
	Out      bool          `json:"out,omitempty"`
	Step     bool          `json:"step,omitempty"`
	// Panic is the action that panicked, for a panic in an action.
	Panic *savedPanic `json:"panic,omitempty"`
}

// savedPanic is where an action panicked.
type savedPanic struct {
	Ord    uint32 `json:"ord"`
	Action int    `json:"action"`
	Path   []int  `json:"path"`
}

// saveFindings converts the findings of the levels done.
func saveFindings(ps []pending) []savedFinding {
	out := make([]savedFinding, len(ps))
	for i, p := range ps {
		out[i] = savedFinding{Kind: p.kind, Property: p.property, At: p.at, Tail: p.tail, FP: [2]uint64{p.fp.hi, p.fp.lo}, Key: p.key, Out: p.out, Step: p.step}
		if ap := p.panic; ap != nil {
			out[i].Panic = &savedPanic{Ord: ap.ord, Action: ap.action, Path: ap.path}
		}
	}
	return out
}

// loadFindings restores saved findings against a checkpoint of records
// trace records; their errors are derived again when the traces are
// rebuilt.
func loadFindings(sfs []savedFinding, records int64) ([]pending, error) {
	out := make([]pending, len(sfs))
	for i, sf := range sfs {
		if sf.At < -1 || sf.At >= records || sf.Kind < findings.InvariantViolated || sf.Kind > findings.StepViolated || sf.Kind == findings.Nondeterministic {
			return nil, errors.New("damaged header: an impossible finding")
		}
		out[i] = pending{verdict: verdict{kind: sf.Kind, property: sf.Property}, at: sf.At, tail: sf.Tail,
			fp: fingerprint{hi: sf.FP[0], lo: sf.FP[1]}, key: sf.Key, out: sf.Out, step: sf.Step}
		if sp := sf.Panic; sp != nil {
			out[i].panic = &actionPanic{ord: sp.Ord, action: sp.Action, path: sp.Path}
		}
	}
	return out, nil
}

// checkpointIdentity lists what must be equal for a checkpoint to be
// resumed: the model's name, actions and properties, the options that
// decide which states are explored and judged, and the caller's ID.
func checkpointIdentity[S any](mc *machine.Machine[S], o Options) []string {
	var props []string
	for _, k := range []machine.PropertyKind{machine.Invariant, machine.Example, machine.Constraint, machine.Temporal, machine.Refines, machine.StepInvariant, machine.ActionConstraint} {
		for _, p := range mc.PropertiesOf(k) {
			props = append(props, p.Name)
		}
	}
	return []string{
		"model=" + mc.Name(),
		"actions=" + strings.Join(mc.Actions(), ","),
		"properties=" + strings.Join(props, ","),
		"data picks=" + strings.Join(mc.DataPicks(), ","),
		"initial states=" + initialStates(mc),
		"property=" + o.Property,
		"max depth=" + strconv.Itoa(o.MaxDepth),
		"max states=" + strconv.FormatInt(o.MaxStates, 10),
		"max findings=" + strconv.Itoa(o.MaxFindings),
		"no temporal=" + strconv.FormatBool(o.NoTemporal),
		"deadlock=" + strconv.FormatBool(o.Deadlock),
		"128-bit fingerprints=" + strconv.FormatBool(o.Fingerprint128),
		"all data=" + strconv.FormatBool(o.AllData),
		"no determinism check=" + strconv.FormatBool(o.NoDeterminismCheck),
		"no symmetry=" + strconv.FormatBool(o.NoSymmetry),
		"explore only=" + strconv.FormatBool(o.ExploreOnly),
		"id=" + o.Checkpoint.ID,
	}
}

// initialStates sums up the model's initial states: a model with other
// parameters under the same name usually starts elsewhere.
func initialStates[S any](mc *machine.Machine[S]) string {
	ex := mc.NewExecutor()
	var fps []uint64
	var enc []byte
	failed := false
	next := new(S)
	ex.Enumerate(machine.InitAction, nil, next, func(r machine.Result) bool {
		if r.Err != nil {
			failed = true
			return false
		}
		enc = mc.AppendEncoding(enc[:0], next)
		fps = append(fps, machine.Fingerprint(enc))
		return true
	})
	if failed {
		return "unknown (init panics)"
	}
	slices.Sort(fps)
	var sum uint64
	for i, fp := range fps {
		sum = sum*1099511628211 + fp + uint64(i)
	}
	return fmt.Sprintf("%d, sum %016x", len(fps), sum)
}

// identityDiff describes how a checkpoint's identity differs from the
// search's, or returns "" when they are equal.
func identityDiff(saved, now []string) string {
	var diffs []string
	for i := 0; i < max(len(saved), len(now)); i++ {
		var a, b string
		if i < len(saved) {
			a = saved[i]
		}
		if i < len(now) {
			b = now[i]
		}
		if a != b {
			diffs = append(diffs, fmt.Sprintf("saved %q, now %q", a, b))
		}
	}
	return strings.Join(diffs, "; ")
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// saveCheckpoint writes the search as it stands between two levels.
func (b *bfs[S]) saveCheckpoint() (err error) {
	o := b.eng.opts.Checkpoint
	path := CheckpointPath(o.Dir)
	defer func() {
		if err != nil {
			err = fmt.Errorf("writing checkpoint %s: %w", path, err)
		}
	}()
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return err
	}
	// atomicfile names the file: the deferred wrap then says what it is.
	err = atomicfile.WriteFunc(path, 0o644, func(f io.Writer) error {
		crc := crc32.New(crcTable)
		bw := bufio.NewWriterSize(f, 1<<20)
		w := &binWriter{w: io.MultiWriter(bw, crc)}
		h := checkpointHeader{
			Identity:  checkpointIdentity(b.eng.mc, b.eng.opts),
			Levels:    b.levels,
			Generated: b.generated,
			Branch:    b.branch,
			Records:   b.recs.n,
			Front:     int64(b.front.len()),
			FrontSize: b.frontSize(),
			Saved:     time.Now().UTC().Format(time.RFC3339),
			Findings:  saveFindings(b.findings),
		}
		head, err := json.Marshal(h)
		if err != nil {
			return err
		}
		w.bytes([]byte(checkpointMagic))
		w.u64(uint64(len(head)))
		w.bytes(head)
		wide := b.eng.opts.Fingerprint128
		var n int64
		if err := b.seen.each(func(fp fingerprint) {
			n++
			w.u64(fp.hi)
			if wide {
				w.u64(fp.lo)
			}
		}); err != nil {
			return err
		}
		if n != b.recs.n {
			return fmt.Errorf("the store holds %d fingerprints for %d records", n, b.recs.n)
		}
		if err := b.recs.each(func(r record) {
			w.u32(r.parent)
			w.u32(r.succ)
		}); err != nil {
			return err
		}
		for _, end := range b.front.ends {
			w.u64(uint64(end))
		}
		if b.spill != nil {
			if w.err == nil {
				w.err = b.spill.copyTo(w.w)
			}
		} else {
			w.bytes(b.front.buf)
		}
		for _, idx := range b.frontIdx {
			w.u32(idx)
		}
		if w.err != nil {
			return w.err
		}
		var sum [4]byte
		binary.LittleEndian.PutUint32(sum[:], crc.Sum32())
		if _, err := bw.Write(sum[:]); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return errors.Unwrap(err) // without atomicfile's "writing PATH"
	}
	if o.Saved != nil {
		o.Saved(len(b.levels), b.recs.n)
	}
	return nil
}

// frontSize is the size of the frontier's encodings, in memory or spilled.
func (b *bfs[S]) frontSize() int64 {
	if b.spill != nil {
		return b.spill.size
	}
	return int64(len(b.front.buf))
}

// loadCheckpoint restores the search saved in the checkpoint directory.
func (b *bfs[S]) loadCheckpoint() (err error) {
	path := CheckpointPath(b.eng.opts.Checkpoint.Dir)
	defer func() {
		if err != nil {
			err = fmt.Errorf("resuming from checkpoint %s: %w", path, err)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	crc := crc32.New(crcTable)
	r := &binReader{r: bufio.NewReaderSize(f, 1<<20), crc: crc}
	if magic := r.bytes(int64(len(checkpointMagic))); r.err != nil || string(magic) != checkpointMagic {
		return errors.New("not an execspec checkpoint (or one of another version)")
	}
	var h checkpointHeader
	size := r.u64()
	if r.err != nil || size > 1<<26 {
		return errors.New("damaged header")
	}
	if err := json.Unmarshal(r.bytes(int64(size)), &h); r.err != nil || err != nil {
		return fmt.Errorf("damaged header: %v", errors.Join(r.err, err))
	}
	if d := identityDiff(h.Identity, checkpointIdentity(b.eng.mc, b.eng.opts)); d != "" {
		return fmt.Errorf("it was saved by another search (%s): resume it with the options it was saved with, or start this search afresh", d)
	}
	wide := b.eng.opts.Fingerprint128
	perState := int64(16) // a fingerprint and a trace record
	if wide {
		perState += 8
	}
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if h.Records < 0 || h.Records > maxStates || h.Front < 0 || h.Front > h.Records || h.FrontSize < 0 || h.Branch < 1 || len(h.Levels) == 0 ||
		h.Records*perState+h.Front*12+h.FrontSize > st.Size() {
		return errors.New("damaged header: impossible counts")
	}
	for i := int64(0); i < h.Records && r.err == nil; i++ {
		fp := fingerprint{hi: r.u64()}
		if wide {
			fp.lo = r.u64()
		}
		if b.seen.cached(fp) && r.err == nil {
			return errors.New("damaged: a fingerprint appears twice")
		}
		if err := b.seen.put(fp); err != nil {
			return fmt.Errorf("the memory cap is too small for the checkpoint's %d states", h.Records)
		}
		if i%recordBlock == recordBlock-1 {
			// Past the spill limit, the fingerprints go to disk in parts;
			// merging the parts finds one that appears twice.
			if err := b.seen.makeRoom(recordBlock); errors.Is(err, errFingerprintOrder) {
				return errors.New("damaged: a fingerprint appears twice")
			} else if err != nil {
				return err
			}
		}
	}
	for i := int64(0); i < h.Records && r.err == nil; i++ {
		rec := record{parent: r.u32(), succ: r.u32()}
		if rec.parent != noParent && int64(rec.parent) >= i {
			return errors.New("damaged: a trace record points forward")
		}
		if err := b.recs.add(rec); err != nil {
			return fmt.Errorf("the checkpoint's %d trace records: %w", h.Records, err)
		}
		if i%recordBlock == recordBlock-1 && b.graph == nil {
			if err := b.recs.spill(b.eng.opts.spillShare(shareRecords)); err != nil {
				return err
			}
		}
	}
	b.front.reset()
	prev := 0
	for i := int64(0); i < h.Front && r.err == nil; i++ {
		end := int(r.u64())
		if end < prev || int64(end) > h.FrontSize {
			return errors.New("damaged: frontier offsets out of order")
		}
		b.front.ends = append(b.front.ends, end)
		prev = end
	}
	b.front.buf = append(b.front.buf[:0], r.bytes(h.FrontSize)...)
	b.frontIdx = b.frontIdx[:0]
	for i := int64(0); i < h.Front && r.err == nil; i++ {
		idx := r.u32()
		if int64(idx) >= h.Records {
			return errors.New("damaged: a frontier state without a record")
		}
		b.frontIdx = append(b.frontIdx, idx)
	}
	if r.err != nil {
		return fmt.Errorf("damaged or truncated: %w", r.err)
	}
	want := crc.Sum32()
	var sum [4]byte
	if _, err := io.ReadFull(r.r, sum[:]); err != nil || binary.LittleEndian.Uint32(sum[:]) != want {
		return errors.New("damaged: checksum mismatch")
	}
	if _, err := r.r.ReadByte(); err != io.EOF {
		return errors.New("damaged: data after the checksum")
	}
	found, err := loadFindings(h.Findings, h.Records)
	if err != nil {
		return err
	}
	if len(found) >= b.eng.opts.MaxFindings {
		return errors.New("damaged header: more findings than the search asks for")
	}
	b.levels, b.generated, b.branch, b.init, b.findings = h.Levels, h.Generated, h.Branch, false, found
	e := b.eng
	e.generated.Store(h.Generated)
	e.distinct.Store(h.Records)
	e.resumed = h.Records
	e.depth.Store(int64(len(h.Levels)))
	return nil
}

// removeCheckpoint deletes the checkpoint of a search that has ended.
func removeCheckpoint(dir string) error {
	err := os.Remove(CheckpointPath(dir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing the finished search's checkpoint: %w", err)
	}
	return nil
}

// binWriter writes little-endian integers and bytes, keeping the first
// error.
type binWriter struct {
	w   io.Writer
	buf [8]byte
	err error
}

func (w *binWriter) bytes(p []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(p)
	}
}

func (w *binWriter) u64(v uint64) {
	binary.LittleEndian.PutUint64(w.buf[:], v)
	w.bytes(w.buf[:8])
}

func (w *binWriter) u32(v uint32) {
	binary.LittleEndian.PutUint32(w.buf[:4], v)
	w.bytes(w.buf[:4])
}

// binReader reads what binWriter wrote, feeding crc, keeping the first
// error.
type binReader struct {
	r   *bufio.Reader
	crc hash.Hash32
	buf [8]byte
	err error
}

func (r *binReader) bytes(n int64) []byte {
	if r.err != nil {
		return nil
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r.r, p); err != nil {
		r.err = err
		return nil
	}
	r.crc.Write(p)
	return p
}

func (r *binReader) u64() uint64 {
	if r.err != nil {
		return 0
	}
	if _, err := io.ReadFull(r.r, r.buf[:8]); err != nil {
		r.err = err
		return 0
	}
	r.crc.Write(r.buf[:8])
	return binary.LittleEndian.Uint64(r.buf[:8])
}

func (r *binReader) u32() uint32 {
	if r.err != nil {
		return 0
	}
	if _, err := io.ReadFull(r.r, r.buf[:4]); err != nil {
		r.err = err
		return 0
	}
	r.crc.Write(r.buf[:4])
	return binary.LittleEndian.Uint32(r.buf[:4])
}
