package itf

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseValue decodes one ITF value from JSON. It accepts every form of
// ADR-015: integers as {"#bigint": "..."} or plain JSON integers, lists,
// {"#tup": ...}, {"#set": ...}, {"#map": ...}, records, variants
// {"tag": ..., "value": ...} and {"#unserializable": ...}.
//
// An object with exactly the two keys "tag" and "value", where "tag" is a
// string, is a variant: ADR-015 gives no way to write a record with exactly
// those fields. JSON null is the value [Null]. When a record repeats a
// field, the last one wins, and a "#set" that repeats an element holds it
// once (in strict mode both are errors); a "#map" that repeats a key (by
// [Equal]) and a string holding invalid UTF-8 are errors. Nesting is limited to MaxDepth
// levels, a plain JSON integer counting as one (it is written back as
// {"#bigint": ...}).
// ParseValue decodes with the zero [DecodeOptions].
func ParseValue(data []byte) (Value, error) {
	return DecodeOptions{}.ParseValue(data)
}

// ParseValue is [ParseValue] with the options o.
func (o DecodeOptions) ParseValue(data []byte) (Value, error) {
	p := parser{data: data, opts: o}
	v, err := p.value()
	if err == nil {
		err = p.end()
	}
	if err != nil {
		return Value{}, fmt.Errorf("itf: parse value: %w", err)
	}
	return v, nil
}

// UnmarshalJSON decodes an ITF value from JSON, as [ParseValue] does.
func (v *Value) UnmarshalJSON(b []byte) error {
	x, err := ParseValue(b)
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// MarshalJSON returns the canonical ITF JSON encoding of v: compact, every
// integer as {"#bigint": "..."}, set elements and map entries in canonical
// order, record fields sorted by name. It fails if v or a value inside it is
// the zero Value, if a record field name starts with '#', or if v is nested
// deeper than MaxDepth.
func (v Value) MarshalJSON() ([]byte, error) {
	b, err := appendValue(nil, v, 0, true)
	if err != nil {
		return nil, fmt.Errorf("itf: encode value: %w", err)
	}
	return b, nil
}

// AppendJSON appends the canonical ITF JSON encoding of v to dst, like
// [Value.MarshalJSON], and returns the extended buffer. It does not fail:
// zero Values are written as null (which decodes as [Null], not as a zero
// Value), record field names are written as they are.
func AppendJSON(dst []byte, v Value) []byte {
	dst, _ = appendValue(dst, v, 0, false)
	return dst
}

// value parses any ITF value at p.pos and counts what it holds against
// DecodeOptions.MaxBytes.
func (p *parser) value() (Value, error) {
	start := p.pos
	v, err := p.value1()
	if err == nil {
		cost := int64(heldValue)
		if v.kind == KindString {
			cost += int64(len(v.str))
		}
		err = p.take(cost, start)
	}
	return v, err
}

// value1 parses any ITF value at p.pos.
func (p *parser) value1() (Value, error) {
	switch c := p.next(); {
	case c == '{':
		return p.object()
	case c == '[':
		elems, err := p.elems("")
		return Value{kind: KindList, ref: elems}, err
	case c == '"':
		s, err := p.interned()
		return String(s), err
	case c == 't':
		return Bool(true), p.literal("true")
	case c == 'f':
		return Bool(false), p.literal("false")
	case c == 'n':
		if err := p.literal("null"); err != nil {
			return Value{}, err
		}
		if p.opts.Strict {
			return Value{}, p.errAt(p.pos-4, "null is not an ITF value (strict mode)")
		}
		return Null(), nil
	case c == '-' || ('0' <= c && c <= '9'):
		start := p.pos
		if p.depth >= MaxDepth {
			// Integers are written back as {"#bigint": ...}: one more level.
			return Value{}, p.errAt(start, "nesting deeper than %d levels", MaxDepth)
		}
		text, integer, err := p.number()
		if err != nil {
			return Value{}, err
		}
		if !integer {
			return Value{}, p.errAt(start, "non-integer number %s (ITF has integers only)", text)
		}
		if err := p.checkDigits(text, start); err != nil {
			return Value{}, err
		}
		return parseInt(text), nil
	}
	return Value{}, p.unexpected("a value")
}

// parseInt converts a valid decimal integer literal.
func parseInt(text []byte) Value {
	if len(text) <= 18 {
		var n int64
		neg := text[0] == '-'
		digits := text
		if neg {
			digits = text[1:]
		}
		for _, c := range digits {
			n = n*10 + int64(c-'0')
		}
		if neg {
			n = -n
		}
		return Int(n)
	}
	if len(text) <= 20 { // at most 19 digits and a sign may fit in an int64
		if n, err := strconv.ParseInt(string(text), 10, 64); err == nil {
			return Int(n)
		}
	}
	return bigOwned(parseDecimal(text))
}

// checkDigits refuses an integer literal longer than the options allow,
// before it is converted.
func (p *parser) checkDigits(text []byte, start int) error {
	limit := p.opts.maxIntDigits()
	n := len(text)
	if n > 0 && text[0] == '-' {
		n--
	}
	if limit > 0 && n > limit {
		return p.errAt(start, "integer of %d digits, over the limit of %d (DecodeOptions.MaxIntDigits)", n, limit)
	}
	return nil
}

// elems parses a JSON array of values; seg prefixes the "[i]" path segment
// of errors in elements.
func (p *parser) elems(seg string) ([]Value, error) {
	if p.next() != '[' {
		return nil, p.unexpected("an array")
	}
	var elems []Value
	starts := p.elemStarts
	p.elemStarts = nil // only this array's elements
	err := p.array(" in array", func(i int) error {
		if starts != nil {
			*starts = append(*starts, p.next0())
		}
		v, err := p.value()
		if err != nil {
			return within(err, seg+"["+strconv.Itoa(i)+"]")
		}
		if elems == nil {
			elems = make([]Value, 0, 4)
		}
		elems = append(elems, v)
		return nil
	})
	return elems, err
}

// array parses the JSON array at p.pos, whose '[' the caller has seen:
// elements separated by ',' up to ']', each parsed by elem with its index.
// where completes the error for a missing separator (" in #map").
func (p *parser) array(where string, elem func(i int) error) error {
	if err := p.enter(); err != nil {
		return err
	}
	p.pos++
	if p.next() == ']' {
		p.pos++
		p.leave()
		return nil
	}
	for i := 0; ; i++ {
		if err := elem(i); err != nil {
			return err
		}
		switch p.next() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.leave()
			return nil
		default:
			return p.unexpected("',' or ']'" + where)
		}
	}
}

// object parses a JSON object at p.pos: a special form ("#bigint", "#tup",
// ...), a variant or a record.
func (p *parser) object() (Value, error) {
	if err := p.enter(); err != nil {
		return Value{}, err
	}
	p.pos++ // '{'
	if p.next() == '}' {
		p.pos++
		p.leave()
		return Value{kind: KindRecord}, nil
	}
	keyPos := p.pos
	key, err := p.interned()
	if err != nil {
		return Value{}, err
	}
	if err := p.expect(':', "':' after object key"); err != nil {
		return Value{}, err
	}
	if strings.HasPrefix(key, "#") {
		v, err := p.special(key, keyPos)
		if err != nil {
			return Value{}, err
		}
		if c := p.next(); c != '}' {
			if c == ',' {
				return Value{}, p.errAt(p.pos, "an object with key %q must have no other keys", key)
			}
			return Value{}, p.unexpected("'}'")
		}
		p.pos++
		p.leave()
		return v, nil
	}
	fields := make([]Field, 0, 4)
	for {
		if p.opts.Strict {
			for _, f := range fields {
				if f.Name == key {
					return Value{}, p.errAt(keyPos, "duplicate record field %q (strict mode)", key)
				}
			}
		}
		v, err := p.value()
		if err != nil {
			return Value{}, within(err, "field "+strconv.Quote(key))
		}
		if err := p.take(heldField, keyPos); err != nil {
			return Value{}, err
		}
		fields = append(fields, Field{Name: key, Value: v})
		switch p.next() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.leave()
			rec := recordOwned(fields)
			if f := rec.Fields(); len(f) == 2 && f[0].Name == "tag" && f[1].Name == "value" && f[0].Value.kind == KindString {
				return Variant(f[0].Value.str, f[1].Value), nil
			}
			return rec, nil
		default:
			return Value{}, p.unexpected("',' or '}' in object")
		}
		keyPos = p.pos
		if key, err = p.interned(); err != nil {
			return Value{}, err
		}
		if strings.HasPrefix(key, "#") {
			return Value{}, p.errAt(keyPos, "record field name %q starts with '#' (a key such as \"#set\" must be alone in its object)", key)
		}
		if err := p.expect(':', "':' after object key"); err != nil {
			return Value{}, err
		}
	}
}

// special parses the value of a '#' key.
func (p *parser) special(key string, keyPos int) (Value, error) {
	switch key {
	case "#bigint":
		if p.next() != '"' {
			return Value{}, within(p.unexpected("a string of decimal digits"), key)
		}
		start := p.pos
		if b, ok := p.rawASCII(); ok && validDigits(b) {
			if err := p.checkDigits(b, start); err != nil {
				return Value{}, within(err, key)
			}
			return parseInt(b), nil
		}
		p.pos = start
		s, err := p.str()
		if err != nil {
			return Value{}, within(err, key)
		}
		if !validDigits([]byte(s)) {
			return Value{}, within(p.errAt(start, "malformed integer %s (want an optional '-' and decimal digits)", strconv.Quote(s)), key)
		}
		if err := p.checkDigits([]byte(s), start); err != nil {
			return Value{}, within(err, key)
		}
		return parseInt([]byte(s)), nil
	case "#tup", "#set":
		var starts []int
		if key == "#set" && p.opts.Strict {
			starts = []int{}
			p.elemStarts = &starts
		}
		elems, err := p.elems(key)
		p.elemStarts = nil
		if err != nil {
			return Value{}, err
		}
		if key == "#tup" {
			return Value{kind: KindTuple, ref: elems}, nil
		}
		if !p.opts.Strict {
			return setOwned(elems), nil
		}
		if i, j := duplicateOf(elems, func(v Value) Value { return v }); j >= 0 {
			return Value{}, within(p.errAt(starts[j], "duplicate element %s (element %d is the same; strict mode)", elems[j], i), "#set element "+strconv.Itoa(j))
		}
		return setOwned(elems), nil
	case "#map":
		return p.mapEntries()
	case "#unserializable":
		s, err := p.str()
		if err != nil {
			return Value{}, within(err, key)
		}
		return Unserializable(s), nil
	}
	return Value{}, p.errAt(keyPos, "unknown key %q (record field names must not start with '#')", key)
}

// validDigits reports whether s is an optional '-' followed by one or more
// decimal digits (leading zeros are accepted).
func validDigits(s []byte) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mapEntries parses the array of [key, value] pairs of a "#map".
func (p *parser) mapEntries() (Value, error) {
	if p.next() != '[' {
		return Value{}, within(p.unexpected("an array of [key, value] arrays"), "#map")
	}
	var entries []Entry
	var starts []int
	err := p.array(" in #map", func(i int) error {
		starts = append(starts, p.next0())
		e, err := p.mapEntry()
		if err != nil {
			return within(err, "#map entry "+strconv.Itoa(i))
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return Value{}, err
	}
	if len(entries) == 0 {
		return Value{kind: KindMap}, nil
	}
	if i, j := duplicateOf(entries, func(e Entry) Value { return e.Key }); j >= 0 {
		return Value{}, within(p.errAt(starts[j], "duplicate key %s (entry %d has it too)", entries[j].Key, i), "#map entry "+strconv.Itoa(j))
	}
	return mapOwned(entries), nil
}

// duplicateOf returns the first element j whose key (by key) an earlier
// element i has, or -1, -1.
func duplicateOf[T any](xs []T, key func(T) Value) (int, int) {
	sorted := true
	for k := 1; k < len(xs); k++ {
		if Compare(key(xs[k-1]), key(xs[k])) >= 0 {
			sorted = false
			break
		}
	}
	if sorted {
		return -1, -1
	}
	idx := make([]int, len(xs))
	for k := range idx {
		idx[k] = k
	}
	slices.SortStableFunc(idx, func(a, b int) int { return Compare(key(xs[a]), key(xs[b])) })
	first, second := -1, -1
	for k := 1; k < len(idx); k++ {
		if Equal(key(xs[idx[k-1]]), key(xs[idx[k]])) && (second < 0 || idx[k] < second) {
			first, second = idx[k-1], idx[k]
		}
	}
	return first, second
}

func (p *parser) mapEntry() (Entry, error) {
	if p.next() != '[' {
		return Entry{}, p.unexpected("a [key, value] array")
	}
	start := p.pos
	if err := p.enter(); err != nil {
		return Entry{}, err
	}
	p.pos++
	if p.next() == ']' {
		return Entry{}, p.errAt(start, "entry has 0 elements, want 2 ([key, value])")
	}
	k, err := p.value()
	if err != nil {
		return Entry{}, within(err, "key")
	}
	switch p.next() {
	case ',':
		p.pos++
	case ']':
		return Entry{}, p.errAt(start, "entry has 1 element, want 2 ([key, value])")
	default:
		return Entry{}, p.unexpected("',' in #map entry")
	}
	v, err := p.value()
	if err != nil {
		return Entry{}, within(err, "value")
	}
	switch p.next() {
	case ']':
		p.pos++
		p.leave()
		return Entry{Key: k, Value: v}, nil
	case ',':
		return Entry{}, p.errAt(start, "entry has more than 2 elements, want 2 ([key, value])")
	}
	return Entry{}, p.unexpected("']' closing #map entry")
}

var (
	errInvalidValue = errors.New("invalid (zero) Value")
	errTooDeep      = fmt.Errorf("value nested deeper than %d levels", MaxDepth)
)

// appendValue appends the canonical encoding of v. In strict mode it fails
// on zero Values, '#' field names and excessive depth; otherwise it writes
// null for zero Values and never fails.
func appendValue(dst []byte, v Value, depth int, strict bool) ([]byte, error) {
	if strict && depth >= MaxDepth && v.kind != KindBool && v.kind != KindString {
		// Every other kind is written as a JSON array or object.
		return dst, &ValueError{Err: errTooDeep}
	}
	var err error
	switch v.kind {
	case KindBool:
		if v.num != 0 {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case KindInt:
		dst = append(dst, `{"#bigint":"`...)
		if b := v.bigOrNil(); b != nil {
			dst = b.Append(dst, 10)
		} else {
			dst = strconv.AppendInt(dst, v.num, 10)
		}
		return append(dst, `"}`...), nil
	case KindString:
		return appendString(dst, v.str), nil
	case KindList:
		return appendElems(dst, v.Elems(), depth, strict)
	case KindTuple:
		dst = append(dst, `{"#tup":`...)
		dst, err = appendElems(dst, v.Elems(), depth+1, strict)
		return append(dst, '}'), err
	case KindSet:
		dst = append(dst, `{"#set":`...)
		dst, err = appendElems(dst, v.Elems(), depth+1, strict)
		return append(dst, '}'), err
	case KindMap:
		dst = append(dst, `{"#map":[`...)
		for i, e := range v.Entries() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '[')
			if dst, err = appendValue(dst, e.Key, depth+3, strict); err != nil {
				return dst, atPath(err, ".#map["+strconv.Itoa(i)+"].key")
			}
			dst = append(dst, ',')
			if dst, err = appendValue(dst, e.Value, depth+3, strict); err != nil {
				return dst, atPath(err, ".#map["+strconv.Itoa(i)+"].value")
			}
			dst = append(dst, ']')
		}
		return append(dst, "]}"...), nil
	case KindRecord:
		dst = append(dst, '{')
		for i, f := range v.Fields() {
			if i > 0 {
				dst = append(dst, ',')
			}
			if strict && strings.HasPrefix(f.Name, "#") {
				return dst, &ValueError{Err: fmt.Errorf("record field name %q starts with '#'", f.Name)}
			}
			dst = appendString(dst, f.Name)
			dst = append(dst, ':')
			if dst, err = appendValue(dst, f.Value, depth+1, strict); err != nil {
				return dst, atPath(err, "."+f.Name)
			}
		}
		return append(dst, '}'), nil
	case KindVariant:
		dst = append(dst, `{"tag":`...)
		dst = appendString(dst, v.str)
		dst = append(dst, `,"value":`...)
		if dst, err = appendValue(dst, v.Payload(), depth+1, strict); err != nil {
			return dst, atPath(err, ".value")
		}
		return append(dst, '}'), nil
	case KindUnserializable:
		dst = append(dst, `{"#unserializable":`...)
		dst = appendString(dst, v.str)
		return append(dst, '}'), nil
	case KindNull:
		return append(dst, "null"...), nil
	}
	if strict {
		return dst, &ValueError{Err: errInvalidValue}
	}
	return append(dst, "null"...), nil
}

func appendElems(dst []byte, elems []Value, depth int, strict bool) ([]byte, error) {
	dst = append(dst, '[')
	var err error
	for i, e := range elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendValue(dst, e, depth+1, strict); err != nil {
			return dst, atPath(err, "["+strconv.Itoa(i)+"]")
		}
	}
	return append(dst, ']'), nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Only '"', '\\' and control
// characters are escaped; invalid UTF-8 is replaced by U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
