package itf

import (
	"strconv"
	"strings"
)

// A DecodeError reports JSON that is malformed or is not a valid ITF trace
// or value. Functions of this package return it wrapped with context; use
// errors.As to inspect it.
type DecodeError struct {
	// Offset is the byte offset in the input at which the problem was found.
	Offset int64
	// Path locates the problem in the trace, for example
	// `state 3, variable "zone": #map entry 2: value`. It is empty when the
	// problem is at the top level. In a deeply nested value, the middle of
	// the path is elided: `state 0, variable "x": [0]: ... 9,984 more
	// levels ...: [0]: [0]`, so that messages stay short.
	Path string
	// Msg says what is wrong.
	Msg string

	// segs are the path's segments, innermost first, without the elided
	// ones: the first pathInner innermost, then the outermost since.
	segs   []string
	elided int
}

// At most pathInner innermost and pathOuter outermost path segments are
// kept in a DecodeError.
const (
	pathInner = 4
	pathOuter = 12
)

// Error returns the path, the message and the byte offset, for example
// `state 3, variable "zone": #map entry 2: value: non-integer number 1.5 (at byte offset 812)`.
func (e *DecodeError) Error() string {
	s := e.Msg
	if e.Path != "" {
		s = e.Path + ": " + s
	}
	return s + " (at byte offset " + strconv.FormatInt(e.Offset, 10) + ")"
}

// within prepends the path segment seg to a *DecodeError and returns err.
func within(err error, seg string) error {
	de, ok := err.(*DecodeError)
	if !ok {
		return err
	}
	if len(de.segs) == 0 && de.Path != "" {
		de.segs = []string{de.Path}
	}
	if len(de.segs) == pathInner+pathOuter {
		// Drop the innermost of the outer segments kept so far.
		copy(de.segs[pathInner:], de.segs[pathInner+1:])
		de.segs = de.segs[:len(de.segs)-1]
		de.elided++
	}
	de.segs = append(de.segs, seg)
	var sb strings.Builder
	for i := len(de.segs) - 1; i >= 0; i-- {
		sb.WriteString(de.segs[i])
		if i > 0 {
			sb.WriteString(": ")
		}
		if i == pathInner && de.elided > 0 {
			sb.WriteString("... " + strconv.Itoa(de.elided) + " more levels ...: ")
		}
	}
	de.Path = sb.String()
	return err
}

// A SizeError reports input whose decoded values would hold more memory
// than DecodeOptions.MaxBytes allows: decoding stops where the estimate
// passes the limit, before holding more.
type SizeError struct {
	// Max is the limit, in bytes.
	Max int64
	// Offset is the byte offset in the input at which decoding stopped.
	Offset int64
}

// Error says that the limit was passed, and where.
func (e *SizeError) Error() string {
	return "decoded, the input holds more than " + formatBytes(e.Max) + " (DecodeOptions.MaxBytes; stopped at byte offset " + strconv.FormatInt(e.Offset, 10) + ")"
}

// formatBytes formats n in binary units, "50.0 MiB".
func formatBytes(n int64) string {
	const units = "KMGTPE"
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	f, i := float64(n)/1024, 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + units[i:i+1] + "iB"
}

// A ValueError reports a value that cannot be encoded as ITF JSON, a Go
// value that cannot be marshaled to ITF, or an ITF value that cannot be
// unmarshaled into a Go value, together with where it is.
type ValueError struct {
	// Path locates the value with JSON-path-like segments: ".name" for a
	// record field or struct field, "[i]" for a list, tuple or set element,
	// ".#map[i].key" and ".#map[i].value" for map entries, ".value" for a
	// variant's payload. For example `states[3].zone.#map[2].value`. It is
	// empty for the top-level value.
	Path string
	// Err says what is wrong.
	Err error
}

// Error returns the path followed by the message.
func (e *ValueError) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *ValueError) Unwrap() error { return e.Err }

// atPath prepends the path segment seg (such as ".name" or "[3]") to a
// *ValueError, wrapping other errors into one.
func atPath(err error, seg string) error {
	ve, ok := err.(*ValueError)
	if !ok {
		return &ValueError{Path: seg, Err: err}
	}
	ve.Path = seg + ve.Path
	return ve
}

// asValueError wraps err into a *ValueError with an empty path, unless it
// already is one.
func asValueError(err error) error {
	if _, ok := err.(*ValueError); ok || err == nil {
		return err
	}
	return &ValueError{Err: err}
}
