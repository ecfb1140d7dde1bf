package itf

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// MaxDepth is the deepest nesting of JSON arrays and objects that the
// decoder accepts, and of composite values that the encoder writes.
const MaxDepth = 10000

// parser is a hand-written JSON scanner over a byte slice that builds ITF
// values directly, without an intermediate tree.
type parser struct {
	data  []byte
	pos   int
	depth int
	base  int64 // offset of data[0] in the whole input, for messages
	// strs interns object keys and short strings: traces repeat the same
	// field names and values in every state.
	strs map[string]string
	opts DecodeOptions
	// declared holds the names of "vars" and "params" once seen, in
	// strict mode, to refuse other names where they appear.
	declared map[string]bool
	// held estimates the memory the values decoded so far hold (see
	// DecodeOptions.MaxBytes).
	held int64
	// elemStarts, when not nil, receives the offsets of the elements of
	// the next array elems parses (for the messages of a "#set").
	elemStarts *[]int
}

// Costs, in bytes, of what decoding holds, counted against
// DecodeOptions.MaxBytes: a Value (a string's bytes come on top), a record
// field beyond its value, and a state: its fixed part and its map of
// variables, whose slots (a name and a Value) come in groups of 8 filled
// to 7/8. A state of two variables holds about 630 bytes (measured); the
// estimate counts 760.
const (
	heldValue = int64(unsafe.Sizeof(Value{}))
	heldField = 16
	heldState = 96
	heldSlot  = 16 + heldValue + 1
)

// heldStateOf estimates what a state of n variables holds, its values
// aside.
func heldStateOf(n int) int64 {
	return heldState + int64((n+6)/7*8)*heldSlot
}

// take counts n more bytes held, failing at pos once the total passes
// DecodeOptions.MaxBytes.
func (p *parser) take(n int64, pos int) error {
	p.held += n
	if max := p.opts.MaxBytes; max > 0 && p.held > max {
		return &SizeError{Max: max, Offset: p.base + int64(pos)}
	}
	return nil
}

// skipBOM skips a UTF-8 byte order mark at the start of the input, which
// editors on some systems write and RFC 8259 lets a parser ignore.
func (p *parser) skipBOM() {
	if p.pos == 0 && len(p.data) >= 3 && p.data[0] == 0xEF && p.data[1] == 0xBB && p.data[2] == 0xBF {
		p.pos = 3
	}
}

// maxInterned bounds the number of interned strings per parser.
const maxInterned = 4096

// rawASCII returns the contents of the JSON string at p.pos, without
// copying, when it holds only printable ASCII and no escapes. Otherwise it
// reports false and leaves p.pos alone.
func (p *parser) rawASCII() ([]byte, bool) {
	if p.next() != '"' {
		return nil, false
	}
	for i := p.pos + 1; i < len(p.data); i++ {
		switch c := p.data[i]; {
		case c == '"':
			b := p.data[p.pos+1 : i]
			p.pos = i + 1
			return b, true
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return nil, false
		}
	}
	return nil, false
}

// interned parses a JSON string like str, sharing the storage of repeated
// short strings.
func (p *parser) interned() (string, error) {
	b, ok := p.rawASCII()
	if !ok || len(b) > 32 {
		if ok {
			return string(b), nil
		}
		return p.str()
	}
	if s, ok := p.strs[string(b)]; ok {
		return s, nil
	}
	s := string(b)
	if p.strs == nil {
		p.strs = make(map[string]string, 64)
	}
	if len(p.strs) < maxInterned {
		p.strs[s] = s
	}
	return s, nil
}

// errAt returns a *DecodeError at byte position pos of p.data.
func (p *parser) errAt(pos int, format string, args ...any) error {
	return &DecodeError{Offset: p.base + int64(pos), Msg: fmt.Sprintf(format, args...)}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func (p *parser) skipSpace() {
	for p.pos < len(p.data) && isSpace(p.data[p.pos]) {
		p.pos++
	}
}

// next0 skips white space and returns the position reached.
func (p *parser) next0() int {
	p.skipSpace()
	return p.pos
}

// next skips white space and returns the next byte without consuming it; it
// returns 0 at the end of the input.
func (p *parser) next() byte {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return 0
	}
	return p.data[p.pos]
}

// unexpected returns an error describing the byte at p.pos, expecting what.
func (p *parser) unexpected(what string) error {
	if p.pos >= len(p.data) {
		return p.errAt(p.pos, "unexpected end of input, expecting %s", what)
	}
	return p.errAt(p.pos, "invalid character %s, expecting %s", quoteChar(p.data[p.pos]), what)
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(rune(c)) + "'"
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// expect consumes the byte c, after optional white space.
func (p *parser) expect(c byte, what string) error {
	if p.next() != c {
		return p.unexpected(what)
	}
	p.pos++
	return nil
}

// enter increases the nesting depth, failing beyond MaxDepth.
func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errAt(p.pos, "nesting deeper than %d levels", MaxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// str parses a JSON string at p.pos (after white space). Invalid UTF-8 is
// an error (JSON text is UTF-8); an escaped unpaired surrogate (\ud800)
// is replaced by U+FFFD, as encoding/json does.
func (p *parser) str() (string, error) {
	if p.next() != '"' {
		return "", p.unexpected("a string")
	}
	start := p.pos + 1
	ascii := true
	for i := start; i < len(p.data); i++ {
		c := p.data[i]
		switch {
		case c == '"':
			s := p.data[start:i]
			if ascii || utf8.Valid(s) {
				p.pos = i + 1
				return string(s), nil
			}
			return "", p.invalidUTF8(start, i)
		case c == '\\':
			return p.strSlow(start)
		case c < 0x20:
			return "", p.errAt(i, "control character 0x%02x in string", c)
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", p.errAt(len(p.data), "unexpected end of input in string starting at byte offset %d", p.base+int64(start-1))
}

func (p *parser) strSlow(start int) (string, error) {
	buf := make([]byte, 0, 32)
	i := start
	for i < len(p.data) {
		c := p.data[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(buf), nil
		case c < 0x20:
			return "", p.errAt(i, "control character 0x%02x in string", c)
		case c == '\\':
			if i+1 >= len(p.data) {
				return "", p.errAt(len(p.data), "unexpected end of input in string escape")
			}
			e := p.data[i+1]
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hex4(i + 2)
				if !ok {
					return "", p.errAt(i, `invalid \u escape in string`)
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := p.hex4(i + 2); ok && i+1 < len(p.data) && p.data[i] == '\\' && p.data[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							buf = utf8.AppendRune(buf, dec)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
				continue
			default:
				return "", p.errAt(i, "invalid escape %s in string", quoteChar(e))
			}
			i += 2
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(p.data[i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.invalidUTF8(i, i+1)
			}
			buf = utf8.AppendRune(buf, r)
			i += size
		}
	}
	return "", p.errAt(len(p.data), "unexpected end of input in string starting at byte offset %d", p.base+int64(start-1))
}

// invalidUTF8 returns the error for the first invalid UTF-8 byte in
// p.data[from:to].
func (p *parser) invalidUTF8(from, to int) error {
	i := from
	for i < to {
		r, size := utf8.DecodeRune(p.data[i:to])
		if r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	return p.errAt(i, "invalid UTF-8 (byte 0x%02x) in string", p.data[min(i, len(p.data)-1)])
}

// hex4 decodes four hex digits at data[i:i+4].
func (p *parser) hex4(i int) (rune, bool) {
	if i < 0 || i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number scans a JSON number at p.pos and returns its text and whether it
// is an integer literal (no fraction, no exponent).
func (p *parser) number() (text []byte, integer bool, err error) {
	start := p.pos
	i := start
	d := p.data
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	default:
		p.pos = i
		return nil, false, p.unexpected("a digit")
	}
	integer = true
	if i < len(d) && d[i] == '.' {
		integer = false
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			p.pos = i
			return nil, false, p.unexpected("a digit after the decimal point")
		}
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		integer = false
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			p.pos = i
			return nil, false, p.unexpected("a digit in the exponent")
		}
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	}
	p.pos = i
	return d[start:i], integer, nil
}

// literal consumes the keyword lit (true, false or null) at p.pos.
func (p *parser) literal(lit string) error {
	end := p.pos + len(lit)
	if end > len(p.data) || string(p.data[p.pos:end]) != lit {
		return p.unexpected("a value")
	}
	p.pos = end
	return nil
}

// any parses arbitrary JSON into the types encoding/json produces with
// UseNumber: map[string]any, []any, string, json.Number, bool and nil. It is
// used for "#meta" objects.
func (p *parser) anyValue() (any, error) {
	switch c := p.next(); {
	case c == '{':
		return p.anyObject()
	case c == '[':
		list := []any{}
		err := p.array("", func(i int) error {
			x, err := p.anyValue()
			if err != nil {
				return within(err, "["+strconv.Itoa(i)+"]")
			}
			list = append(list, x)
			return nil
		})
		return list, err
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		text, _, err := p.number()
		return json.Number(text), err
	}
	return nil, p.unexpected("a value")
}

// anyObject parses a JSON object into a map[string]any; the last of
// duplicate keys wins.
func (p *parser) anyObject() (map[string]any, error) {
	if p.next() != '{' {
		return nil, p.unexpected("an object")
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++
	m := map[string]any{}
	if p.next() == '}' {
		p.pos++
		p.leave()
		return m, nil
	}
	for {
		k, err := p.interned()
		if err != nil {
			return nil, err
		}
		if err := p.expect(':', "':' after object key"); err != nil {
			return nil, err
		}
		x, err := p.anyValue()
		if err != nil {
			return nil, within(err, strconv.Quote(k))
		}
		m[k] = x
		switch p.next() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.leave()
			return m, nil
		default:
			return nil, p.unexpected("',' or '}'")
		}
	}
}

// end checks that only white space is left.
func (p *parser) end() error {
	if p.next() != 0 {
		return p.errAt(p.pos, "unexpected data after the JSON value: %s", quoteChar(p.data[p.pos]))
	}
	return nil
}
