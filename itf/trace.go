package itf

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Trace is one execution in the Informal Trace Format: a sequence of states,
// each assigning a value to every variable, optionally ending in a loop.
type Trace struct {
	// Meta is the trace's "#meta" object, kept whole (unknown fields too),
	// or nil when absent. Decoded numbers are json.Number, so nothing is
	// lost. Quint writes "format", "format-description", "source",
	// "status", "description" and "timestamp"; Apalache, as a reader,
	// wants "varTypes".
	Meta map[string]any
	// Params are the names of the trace's parameters (constants), which
	// must be set in the first state; nil when absent.
	Params []string
	// Vars are the names of the variables set in every state.
	Vars []string
	// States are the states of the trace, in order.
	States []State
	// Loop is the index of the state where a lasso's loop starts (the loop
	// ends in the last state), or nil when the trace has no "loop" field.
	// Note that 0 is a valid loop start.
	Loop *int
}

// State is one state of a trace.
type State struct {
	// Meta is the state's "#meta" object, or nil when absent. Quint writes
	// {"index": i}.
	Meta map[string]any
	// Values holds the value of every variable in Trace.Vars, of the
	// parameters when the state sets them, and of any other names the
	// state sets (kept so that decoding and encoding lose nothing).
	Values map[string]Value
}

// Get returns the value of the variable name in s.
func (s State) Get(name string) (Value, bool) {
	v, ok := s.Values[name]
	return v, ok
}

// DecodeOptions configures decoding. The zero value is the default: lenient
// toward what real producers write. Use its methods (DecodeBytes,
// NewDecoder, ReadFile, ParseValue) to decode with options.
type DecodeOptions struct {
	// Strict refuses what ADR-015 does not define but the default accepts:
	// JSON null as a value (otherwise [Null]), "loop": null (otherwise no
	// loop), state variables not declared in "vars" or "params"
	// (otherwise kept in State.Values and written back), a record that
	// repeats a field (otherwise the last one wins) and a "#set" that
	// repeats an element (otherwise held once).
	Strict bool
	// MaxIntDigits caps the number of decimal digits of an integer, plain
	// or "#bigint"; 0 means DefaultMaxIntDigits and a negative value no
	// limit. Conversion takes time near-linear in the digits, but a trace
	// of huge integers is more likely a mistake or an attack than data.
	MaxIntDigits int
	// MaxBytes caps an estimate of the memory the decoded traces hold
	// (every value, string, record field and state, counted as decoding
	// builds them; the input's own bytes are not counted): decoding stops
	// with a *SizeError where the estimate passes it. 0 means no limit.
	MaxBytes int64
	_        struct{}
}

// DefaultMaxIntDigits is the limit on the digits of one integer when
// DecodeOptions.MaxIntDigits is 0: a 332,000-bit integer.
const DefaultMaxIntDigits = 100_000

func (o DecodeOptions) maxIntDigits() int {
	if o.MaxIntDigits == 0 {
		return DefaultMaxIntDigits
	}
	return o.MaxIntDigits
}

// Decode reads one trace, a single JSON object, from r. Use [NewDecoder] to
// read several traces from one stream. The trace is checked with
// [Trace.Validate].
func Decode(r io.Reader) (*Trace, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("itf: decode: %w", err)
	}
	return DecodeBytes(data)
}

// DecodeBytes decodes one trace, a single JSON object, from data. The trace
// is checked with [Trace.Validate].
func DecodeBytes(data []byte) (*Trace, error) {
	return DecodeOptions{}.DecodeBytes(data)
}

// DecodeBytes is [DecodeBytes] with the options o.
func (o DecodeOptions) DecodeBytes(data []byte) (*Trace, error) {
	p := parser{data: data, opts: o}
	p.skipBOM()
	t, err := p.trace()
	if err == nil {
		if err = p.end(); err != nil {
			err = within(err, "after the trace (use NewDecoder or ReadFile for several traces)")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("itf: decode: %w", err)
	}
	return t, nil
}

// UnmarshalJSON decodes a trace from JSON, as [DecodeBytes] does.
func (t *Trace) UnmarshalJSON(b []byte) error {
	x, err := DecodeBytes(b)
	if err != nil {
		return err
	}
	*t = *x
	return nil
}

// trace parses and checks one trace object at p.pos.
func (p *parser) trace() (*Trace, error) {
	start := p.next()
	if start != '{' {
		return nil, p.unexpected("'{' starting a trace object")
	}
	startPos := p.pos
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++
	t := new(Trace)
	p.declared = nil
	var haveVars, haveStates, haveParams, haveMeta bool
	first := true
	for {
		if first && p.next() == '}' {
			p.pos++
			break
		}
		first = false
		keyPos := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if err := p.expect(':', "':' after object key"); err != nil {
			return nil, err
		}
		dup := false
		switch key {
		case "#meta":
			dup, haveMeta = haveMeta, true
			if p.next() != '{' {
				return nil, within(p.unexpected("an object"), key)
			}
			if t.Meta, err = p.anyObject(); err != nil {
				return nil, within(err, key)
			}
		case "params":
			dup, haveParams = haveParams, true
			if t.Params, err = p.names(); err != nil {
				return nil, within(err, key)
			}
			p.declare(t.Params)
		case "vars":
			dup, haveVars = haveVars, true
			if t.Vars, err = p.names(); err != nil {
				return nil, within(err, key)
			}
			p.declare(t.Vars)
		case "states":
			dup, haveStates = haveStates, true
			if t.States, err = p.states(len(t.Vars)); err != nil {
				return nil, err
			}
		case "loop":
			dup = t.Loop != nil
			if t.Loop, err = p.loop(); err != nil {
				return nil, within(err, key)
			}
		default:
			return nil, p.errAt(keyPos, "unknown trace field %q (want #meta, params, vars, states or loop)", key)
		}
		if dup {
			return nil, p.errAt(keyPos, "duplicate trace field %q", key)
		}
		if c := p.next(); c == ',' {
			p.pos++
		} else if c == '}' {
			p.pos++
			break
		} else {
			return nil, p.unexpected("',' or '}' in trace object")
		}
	}
	p.leave()
	switch {
	case !haveVars:
		return nil, p.errAt(startPos, `trace has no "vars" field`)
	case !haveStates:
		return nil, p.errAt(startPos, `trace has no "states" field`)
	}
	if err := t.validate(false); err != nil {
		return nil, &DecodeError{Offset: p.base + int64(startPos), Msg: err.Error()}
	}
	if p.opts.Strict {
		// States given before "vars" could not be checked as they came.
		for i, s := range t.States {
			for name := range s.Values {
				if !p.declared[name] {
					return nil, p.errAt(startPos, "state %d: variable %q is not declared in vars or params (strict mode)", i, name)
				}
			}
		}
	}
	return t, nil
}

// declare records names as declared, in strict mode.
func (p *parser) declare(names []string) {
	if !p.opts.Strict {
		return
	}
	if p.declared == nil {
		p.declared = make(map[string]bool, len(names))
	}
	for _, n := range names {
		p.declared[n] = true
	}
}

// names parses a JSON array of strings.
func (p *parser) names() ([]string, error) {
	if p.next() != '[' {
		return nil, p.unexpected("an array of strings")
	}
	names := []string{}
	err := p.array("", func(i int) error {
		if p.next() != '"' {
			return within(p.unexpected("a string"), "["+strconv.Itoa(i)+"]")
		}
		s, err := p.str()
		if err != nil {
			return err
		}
		names = append(names, s)
		return nil
	})
	return names, err
}

// loop parses the "loop" field: a non-negative integer, plain or #bigint.
func (p *parser) loop() (*int, error) {
	c := p.next()
	start := p.pos
	if c == 'n' {
		if p.opts.Strict {
			return nil, p.errAt(p.pos, "loop must be a non-negative integer, not null (strict mode; omit the field instead)")
		}
		// Some producers write "loop": null for a trace without a loop.
		return nil, p.literal("null")
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	n, ok := v.AsInt64()
	if !ok || n < 0 || int64(int(n)) != n {
		return nil, p.errAt(start, "loop must be a non-negative integer, got %s", v)
	}
	i := int(n)
	return &i, nil
}

// states parses the "states" array.
func (p *parser) states(nvars int) ([]State, error) {
	if p.next() != '[' {
		return nil, within(p.unexpected("an array of state objects"), "states")
	}
	states := []State{}
	err := p.array(" in states", func(i int) error {
		s, err := p.state(i, nvars)
		if err != nil {
			return err
		}
		states = append(states, s)
		return nil
	})
	return states, err
}

// state parses the state with index i.
func (p *parser) state(i, nvars int) (State, error) {
	seg := "state " + strconv.Itoa(i)
	if p.next() != '{' {
		return State{}, within(p.unexpected("a state object"), seg)
	}
	if err := p.enter(); err != nil {
		return State{}, err
	}
	p.pos++
	if err := p.take(heldStateOf(max(nvars, 4)), p.pos); err != nil {
		return State{}, err
	}
	s := State{Values: make(map[string]Value, max(nvars, 4))}
	if p.next() == '}' {
		p.pos++
		p.leave()
		return s, nil
	}
	for {
		keyPos := p.pos
		key, err := p.interned()
		if err != nil {
			return State{}, within(err, seg)
		}
		if err := p.expect(':', "':' after object key"); err != nil {
			return State{}, within(err, seg)
		}
		if key == "#meta" {
			if s.Meta != nil {
				return State{}, p.errAt(keyPos, "%s: duplicate #meta", seg)
			}
			if p.next() != '{' {
				return State{}, within(p.unexpected("an object"), seg+": #meta")
			}
			if s.Meta, err = p.anyObject(); err != nil {
				return State{}, within(err, seg+": #meta")
			}
		} else {
			if strings.HasPrefix(key, "#") {
				return State{}, p.errAt(keyPos, "%s: unknown key %q (variable names must not start with '#')", seg, key)
			}
			if _, dup := s.Values[key]; dup {
				return State{}, p.errAt(keyPos, "%s: duplicate variable %q", seg, key)
			}
			if p.declared != nil && !p.declared[key] {
				return State{}, p.errAt(keyPos, "%s: variable %q is not declared in vars or params (strict mode)", seg, key)
			}
			valPos := p.next0()
			v, err := p.value()
			if err != nil {
				return State{}, within(err, seg+", variable "+strconv.Quote(key))
			}
			switch {
			case key == ActionTakenVar && v.kind != KindString:
				return State{}, p.errAt(valPos, "%s: %s must be a string (the action's name); its value is of kind %s", seg, key, v.kind)
			case key == NondetPicksVar && v.kind != KindRecord:
				return State{}, p.errAt(valPos, "%s: %s must be a record (a field per pick); its value is of kind %s", seg, key, v.kind)
			}
			s.Values[key] = v
		}
		switch p.next() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.leave()
			return s, nil
		default:
			return State{}, within(p.unexpected("',' or '}' in state"), seg)
		}
	}
}

// Validate reports whether t is a well-formed ITF trace: variable and
// parameter names are distinct, non-empty and do not start with '#'; every
// state sets every variable; the first state sets every parameter; the loop
// start, if any, is the index of a state; and every value is encodable (no
// zero Values, no record field names starting with '#', nesting within
// MaxDepth). States may set names beyond Vars and Params.
func (t *Trace) Validate() error {
	if err := t.validate(true); err != nil {
		return fmt.Errorf("itf: invalid trace: %w", err)
	}
	return nil
}

func (t *Trace) validate(deep bool) error {
	seen := make(map[string]string, len(t.Vars)+len(t.Params))
	for _, group := range []struct {
		what  string
		names []string
	}{{"parameter", t.Params}, {"variable", t.Vars}} {
		for _, name := range group.names {
			switch {
			case name == "":
				return fmt.Errorf("empty %s name", group.what)
			case strings.HasPrefix(name, "#"):
				return fmt.Errorf("%s name %q starts with '#'", group.what, name)
			}
			if prev, dup := seen[name]; dup {
				return fmt.Errorf("%q is declared twice (as %s and %s)", name, prev, group.what)
			}
			seen[name] = group.what
		}
	}
	for i, s := range t.States {
		for _, name := range t.Vars {
			if _, ok := s.Values[name]; !ok {
				return fmt.Errorf("state %d: missing variable %q", i, name)
			}
		}
		if i == 0 {
			for _, name := range t.Params {
				if _, ok := s.Values[name]; !ok {
					return fmt.Errorf("state 0: missing parameter %q", name)
				}
			}
		}
		for name, v := range s.Values {
			if strings.HasPrefix(name, "#") || name == "" {
				return fmt.Errorf("state %d: invalid variable name %q", i, name)
			}
			if deep {
				if _, err := appendValue(nil, v, 3, true); err != nil {
					return fmt.Errorf("state %d, variable %q: %w", i, name, err)
				}
			}
		}
	}
	if t.Loop != nil && (*t.Loop < 0 || *t.Loop >= len(t.States)) {
		return fmt.Errorf("loop %d is out of range for %d states", *t.Loop, len(t.States))
	}
	return nil
}

// Encode writes t to w in canonical ITF JSON, as one line followed by a
// newline (so that several traces make NDJSON). The same trace always gives
// the same bytes: the keys come in a fixed order ("#meta", "params", "vars",
// "states", "loop"); in each state "#meta" comes first, then the variables
// in Vars order, the parameters in Params order, and other names sorted;
// "#meta" objects have their keys sorted; values are encoded as by
// [Value.MarshalJSON]. Encode writes state by state through a buffer and
// does not build the whole document in memory.
func (t *Trace) Encode(w io.Writer) error {
	if err := t.encode(w, false); err != nil {
		return fmt.Errorf("itf: encode: %w", err)
	}
	return nil
}

// EncodePretty writes t to w like [Trace.Encode], but laid out for people:
// each top-level field on its own line and one state per line. The output is
// as canonical as Encode's.
func (t *Trace) EncodePretty(w io.Writer) error {
	if err := t.encode(w, true); err != nil {
		return fmt.Errorf("itf: encode: %w", err)
	}
	return nil
}

// MarshalJSON returns the canonical encoding of t written by [Trace.Encode],
// without the final newline.
func (t *Trace) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Encode(&buf); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// flushSize is the buffer size beyond which encode hands bytes to the writer.
const flushSize = 32 << 10

func (t *Trace) encode(w io.Writer, pretty bool) error {
	if err := t.validate(false); err != nil {
		return err
	}
	nl, sep := "", ","
	if pretty {
		nl, sep = "\n  ", ",\n  "
	}
	buf := make([]byte, 0, flushSize+flushSize/2)
	var err error
	buf = append(buf, '{')
	buf = append(buf, nl...)
	if t.Meta != nil {
		buf = append(buf, `"#meta":`...)
		if pretty {
			buf = append(buf, ' ')
		}
		if buf, err = appendMeta(buf, t.Meta, 1); err != nil {
			return fmt.Errorf("#meta: %w", err)
		}
		buf = append(buf, sep...)
	}
	if t.Params != nil {
		buf = appendNames(buf, "params", t.Params, pretty)
		buf = append(buf, sep...)
	}
	buf = appendNames(buf, "vars", t.Vars, pretty)
	buf = append(buf, sep...)
	buf = append(buf, `"states":`...)
	if pretty {
		buf = append(buf, ' ')
	}
	buf = append(buf, '[')
	var extra []string
	for i, s := range t.States {
		if i > 0 {
			buf = append(buf, ',')
		}
		if pretty {
			buf = append(buf, "\n    "...)
		}
		if buf, extra, err = t.appendState(buf, s, extra[:0], pretty); err != nil {
			return fmt.Errorf("state %d, %w", i, err)
		}
		if len(buf) >= flushSize {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if pretty && len(t.States) > 0 {
		buf = append(buf, "\n  "...)
	}
	buf = append(buf, ']')
	if t.Loop != nil {
		buf = append(buf, sep...)
		buf = append(buf, `"loop":`...)
		if pretty {
			buf = append(buf, ' ')
		}
		buf = strconv.AppendInt(buf, int64(*t.Loop), 10)
	}
	if pretty {
		buf = append(buf, '\n')
	}
	buf = append(buf, "}\n"...)
	_, err = w.Write(buf)
	return err
}

// stateError carries the location of an encoding error inside a state; it
// is formatted after "state N".
type stateError struct {
	what string
	err  error
}

// Error returns the location followed by the message.
func (e *stateError) Error() string { return e.what + ": " + e.err.Error() }

// Unwrap returns the underlying error.
func (e *stateError) Unwrap() error { return e.err }

func (t *Trace) appendState(buf []byte, s State, extra []string, pretty bool) ([]byte, []string, error) {
	buf = append(buf, '{')
	n, written := 0, 0
	sep := func() {
		if n > 0 {
			buf = append(buf, ',')
			if pretty {
				buf = append(buf, ' ')
			}
		}
		n++
	}
	var err error
	if s.Meta != nil {
		sep()
		buf = append(buf, `"#meta":`...)
		if pretty {
			buf = append(buf, ' ')
		}
		if buf, err = appendMeta(buf, s.Meta, 3); err != nil {
			return buf, extra, &stateError{"#meta", err}
		}
	}
	put := func(name string, v Value) error {
		sep()
		written++
		buf = appendString(buf, name)
		buf = append(buf, ':')
		if pretty {
			buf = append(buf, ' ')
		}
		buf, err = appendValue(buf, v, 3, true)
		if err != nil {
			return &stateError{"variable " + strconv.Quote(name), err}
		}
		return nil
	}
	for _, name := range t.Vars {
		if err := put(name, s.Values[name]); err != nil {
			return buf, extra, err
		}
	}
	for _, name := range t.Params {
		if v, ok := s.Values[name]; ok {
			if err := put(name, v); err != nil {
				return buf, extra, err
			}
		}
	}
	if len(s.Values) > written {
		// Names beyond Vars and Params, in sorted order.
		for name := range s.Values {
			if !slices.Contains(t.Vars, name) && !slices.Contains(t.Params, name) {
				extra = append(extra, name)
			}
		}
		slices.Sort(extra)
		for _, name := range extra {
			if err := put(name, s.Values[name]); err != nil {
				return buf, extra, err
			}
		}
	}
	return append(buf, '}'), extra, nil
}

func appendNames(buf []byte, key string, names []string, pretty bool) []byte {
	buf = append(buf, '"')
	buf = append(buf, key...)
	buf = append(buf, `":`...)
	if pretty {
		buf = append(buf, ' ')
	}
	buf = append(buf, '[')
	for i, name := range names {
		if i > 0 {
			buf = append(buf, ',')
			if pretty {
				buf = append(buf, ' ')
			}
		}
		buf = appendString(buf, name)
	}
	return append(buf, ']')
}
