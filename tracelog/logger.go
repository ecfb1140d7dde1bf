package tracelog

import (
	"fmt"
	"io"
	"sync"

	"github.com/execspec/execspec/itf"
)

// Field is a pick or a variable of an event.
type Field struct {
	name  string
	value any
	pick  bool
}

// Pick is a pick of an event: a choice the step made, such as its input.
func Pick[T any](label string, v T) Field { return Field{name: label, value: v, pick: true} }

// Var is a state variable of an event, named and typed as in the model.
func Var[T any](name string, v T) Field { return Field{name: name, value: v} }

// Logger writes events to a writer; it is safe for concurrent use. The
// first error (encoding a value, writing) is kept and reported by Err, and
// later events are dropped.
type Logger struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
	err error
}

// NewLogger returns a Logger writing to w.
func NewLogger(w io.Writer) *Logger { return &Logger{w: w} }

// Step logs one event: action, with the picks and variables of fields.
func (l *Logger) Step(action string, fields ...Field) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return
	}
	rec := []itf.Field{{Name: itf.ActionTakenVar, Value: itf.String(action)}}
	var picks []itf.Field
	for _, f := range fields {
		v, err := itf.Marshal(f.value)
		if err != nil {
			l.err = fmt.Errorf("tracelog: %s: %s: %w", action, f.name, err)
			return
		}
		if f.pick {
			picks = append(picks, itf.Field{Name: f.name, Value: itf.Some(v)})
		} else {
			rec = append(rec, itf.Field{Name: f.name, Value: v})
		}
	}
	rec = append(rec, itf.Field{Name: itf.NondetPicksVar, Value: itf.Record(picks...)})
	l.buf = append(itf.AppendJSON(l.buf[:0], itf.Record(rec...)), '\n')
	if _, err := l.w.Write(l.buf); err != nil {
		l.err = fmt.Errorf("tracelog: writing: %w", err)
	}
}

// Err returns the first error the logger met, nil if none.
func (l *Logger) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}
