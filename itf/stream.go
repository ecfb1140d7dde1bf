package itf

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/execspec/execspec/internal/atomicfile"
)

// A Decoder reads a stream of traces: a single JSON object, NDJSON (one
// trace per line), or JSON objects simply concatenated, with or without
// white space between them, after an optional UTF-8 byte order mark.
type Decoder struct {
	opts  DecodeOptions
	in    *countingReader
	br    *bufio.Reader
	dec   *json.Decoder
	skip  int64 // the byte order mark's length, once skipped
	n     int   // traces read so far
	held  int64 // estimated memory held by the traces read so far
	err   error
	begun bool
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// NewDecoder returns a Decoder reading from r. It buffers its input and may
// read beyond the last trace it returns.
func NewDecoder(r io.Reader) *Decoder {
	return DecodeOptions{}.NewDecoder(r)
}

// NewDecoder is [NewDecoder] with the options o. MaxBytes counts what
// every trace the Decoder returns holds, together.
func (o DecodeOptions) NewDecoder(r io.Reader) *Decoder {
	in := &countingReader{r: r}
	br := bufio.NewReader(in)
	return &Decoder{opts: o, in: in, br: br, dec: json.NewDecoder(br)}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Next reads and returns the next trace, checked with [Trace.Validate]. It
// returns io.EOF when the stream ends cleanly. Errors name the trace's
// position in the stream and byte offsets count from the start of the
// stream; after an error, Next keeps returning it.
func (d *Decoder) Next() (*Trace, error) {
	if d.err != nil {
		return nil, d.err
	}
	if !d.begun {
		d.begun = true
		if b, _ := d.br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
			d.br.Discard(len(utf8BOM))
			d.skip = int64(len(utf8BOM))
		}
	}
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		if err != io.EOF {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				// se.Offset counts the offending byte; point at it.
				err = &DecodeError{Offset: d.skip + max(se.Offset-1, 0), Msg: se.Error()}
			} else if err == io.ErrUnexpectedEOF {
				// The input ended inside a trace: at its last byte.
				err = &DecodeError{Offset: d.in.n, Msg: "unexpected end of input (the trace is cut short)"}
			}
			err = fmt.Errorf("itf: decode trace %d: %w", d.n, err)
		}
		d.err = err
		return nil, err
	}
	p := parser{data: raw, base: d.skip + d.dec.InputOffset() - int64(len(raw)), opts: d.opts, held: d.held}
	t, err := p.trace()
	if err != nil {
		d.err = fmt.Errorf("itf: decode trace %d: %w", d.n, err)
		return nil, d.err
	}
	d.held = p.held
	d.n++
	return t, nil
}

// ReadFile reads all the traces in the file at path: a single trace, or
// several as NDJSON or concatenated JSON objects. A file without any trace
// is an error.
func ReadFile(path string) ([]*Trace, error) {
	return DecodeOptions{}.ReadFile(path)
}

// ReadFile is [ReadFile] with the options o.
func (o DecodeOptions) ReadFile(path string) ([]*Trace, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("itf: %w", err)
	}
	traces, err := o.decodeAll(data)
	if err != nil {
		return nil, fmt.Errorf("itf: read %s: %w", path, err)
	}
	return traces, nil
}

// DecodeAll decodes every trace in data: a single trace, or several as
// NDJSON or concatenated JSON objects. Data without any trace is an error.
func (o DecodeOptions) DecodeAll(data []byte) ([]*Trace, error) {
	traces, err := o.decodeAll(data)
	if err != nil {
		return nil, fmt.Errorf("itf: decode: %w", err)
	}
	return traces, nil
}

func (o DecodeOptions) decodeAll(data []byte) ([]*Trace, error) {
	var traces []*Trace
	p := parser{data: data, opts: o}
	p.skipBOM()
	for p.next() != 0 {
		t, err := p.trace()
		if err != nil {
			return nil, fmt.Errorf("trace %d: %w", len(traces), err)
		}
		traces = append(traces, t)
	}
	if len(traces) == 0 {
		return nil, errors.New("no trace in file")
	}
	return traces, nil
}

// WriteFile writes traces to the file at path atomically: it writes a
// temporary file in the same directory, syncs it to disk and renames it
// over path, so that readers see either the old content or the new one. A
// single trace is written as one JSON document laid out by
// [Trace.EncodePretty]; several traces are written as NDJSON, one line each
// by [Trace.Encode]. The file gets permissions 0644.
func WriteFile(path string, traces ...*Trace) error {
	if len(traces) == 0 {
		return fmt.Errorf("itf: write %s: no traces to write", path)
	}
	for i, t := range traces {
		if t == nil {
			return fmt.Errorf("itf: write %s: trace %d is nil", path, i)
		}
	}
	if err := writeAtomic(path, traces); err != nil {
		return fmt.Errorf("itf: %w", err)
	}
	return nil
}

func writeAtomic(path string, traces []*Trace) error {
	return atomicfile.WriteFunc(path, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if len(traces) == 1 {
			if err := traces[0].encode(bw, true); err != nil {
				return err
			}
		} else {
			for i, t := range traces {
				if err := t.encode(bw, false); err != nil {
					return fmt.Errorf("trace %d: %w", i, err)
				}
			}
		}
		return bw.Flush()
	})
}
