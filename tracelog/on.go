//go:build execspec_tracelog

package tracelog

import (
	"io"
	"sync/atomic"
)

// Enabled is true: this build logs (the execspec_tracelog build tag).
const Enabled = true

var global atomic.Pointer[Logger]

// SetOutput makes Step write to w (nil: stop logging).
func SetOutput(w io.Writer) {
	if w == nil {
		global.Store(nil)
		return
	}
	global.Store(NewLogger(w))
}

// Step logs one event to the writer of SetOutput, if any.
func Step(action string, fields ...Field) {
	if l := global.Load(); l != nil {
		l.Step(action, fields...)
	}
}

// Err returns the first error logging met since SetOutput.
func Err() error {
	if l := global.Load(); l != nil {
		return l.Err()
	}
	return nil
}
