package check

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
)

// A frontier too large for memory is spilled: written, chunk after chunk
// of the level that produced it, to a temporary file in one sequential
// pass, its offsets kept in memory (8 bytes a state), and read back one
// claimed chunk at a time by the worker that expands it (one read a
// chunk). Options.Spill sets the size from which a level is spilled (its
// share of it, see spillShare). The file is removed when the level has been expanded, and at
// once on systems that let an open file be removed, so that a killed
// search leaves nothing behind.

// spillFile is a spilled frontier: its encodings' bytes; the offsets stay
// in the frontier's encoded.ends.
type spillFile struct {
	f    *os.File
	size int64
}

// spillLimit is the size from which a level's encodings, the
// fingerprints seen and the trace records are spilled: Options.Spill,
// or else a quarter of the memory cap; 0 for never.
func (o *Options) spillLimit() int64 {
	switch {
	case o.Spill > 0:
		return o.Spill
	case o.Spill == 0 && o.MemoryBytes > 0:
		return o.MemoryBytes / 4
	}
	return 0
}

// The spill limit is shared: the fingerprints' cache in memory may take
// half of it, the table of a level's smallest keys (when the candidates
// wait on disk) a quarter, and the level waiting and the trace records
// an eighth each, besides what they keep per state (the frontier's
// offsets and record numbers, 12 bytes a state).
const (
	shareFingerprints = 2
	shareKeys         = 4
	shareFrontier     = 8
	shareRecords      = 8
)

// keysTableFloor is the least the table of a level's smallest keys may
// take when the level's candidates wait on disk: without it, a tiny
// limit would write every repeated offer (a test lowers it to see that
// this changes nothing).
var keysTableFloor int64 = 1 << 20

// externalLevels lets a level's candidates wait on disk (see
// wantExternal); a test turns it off to see the fingerprints on disk
// with the candidates in memory, which the commit then looks up itself.
var externalLevels = true

// spillShare is the spill limit's share 1/of, 0 for never.
func (o *Options) spillShare(of int64) int64 {
	if l := o.spillLimit(); l > 0 {
		return max(1, l/of)
	}
	return 0
}

// newSpill writes the encodings of the chunks, in order, to a new
// temporary file.
func newSpill(chunks [][]byte) (*spillFile, error) {
	f, err := createTemp("execspec-frontier-*", "spilling the frontier")
	if err != nil {
		return nil, err
	}
	s := &spillFile{f: f}
	for _, b := range chunks {
		n, err := f.Write(b)
		s.size += int64(n)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("spilling the frontier: %w", err)
		}
	}
	return s, nil
}

// read returns bytes [from, to) of the file in buf, grown as needed.
func (s *spillFile) read(buf []byte, from, to int64) ([]byte, error) {
	buf = slices.Grow(buf[:0], int(to-from))[:to-from]
	if _, err := s.f.ReadAt(buf, from); err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading the spilled frontier: %w", err)
	}
	return buf, nil
}

// copyTo writes the whole file to w.
func (s *spillFile) copyTo(w io.Writer) error {
	_, err := io.Copy(w, io.NewSectionReader(s.f, 0, s.size))
	return err
}

func (s *spillFile) close() {
	removeTemp(s.f)
}

// createTemp creates a temporary file for what (named in its error), and
// removes its name at once where the system lets an open file live on,
// so that a killed search leaves nothing behind.
func createTemp(pattern, what string) (*os.File, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	_ = os.Remove(f.Name())
	return f, nil
}

// removeTemp closes a temporary file and removes it, if the system did
// not let it be removed while open.
func removeTemp(f *os.File) {
	name := f.Name()
	f.Close()
	_ = os.Remove(name)
}

// spillWriter writes a level's encodings to a new spill file one at a
// time, in order.
type spillWriter struct {
	s    *spillFile
	w    *bufio.Writer
	size int64 // bytes written so far
}

func newSpillWriter() (*spillWriter, error) {
	s, err := newSpill(nil)
	if err != nil {
		return nil, err
	}
	return &spillWriter{s: s, w: bufio.NewWriterSize(s.f, 1<<20)}, nil
}

// write appends one encoding; an error waits for finish.
func (w *spillWriter) write(enc []byte) {
	n, _ := w.w.Write(enc)
	w.size += int64(n)
}

// file is the spill file, for closing it when the level is dropped.
func (w *spillWriter) file() *spillFile { return w.s }

// finish flushes the writer and returns the file.
func (w *spillWriter) finish() (*spillFile, error) {
	if err := w.w.Flush(); err != nil {
		w.s.close()
		return nil, fmt.Errorf("spilling the frontier: %w", err)
	}
	w.s.size = w.size
	return w.s, nil
}
