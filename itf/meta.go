package itf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// appendMeta appends a "#meta" object with its keys sorted. depth is the
// number of JSON arrays and objects enclosing it.
func appendMeta(dst []byte, m map[string]any, depth int) ([]byte, error) {
	return appendAny(dst, m, depth)
}

// appendAny appends the JSON encoding of x, which is usually one of the
// types produced by decoding "#meta" (map[string]any, []any, string,
// json.Number, bool, nil). Other types are encoded with encoding/json,
// without HTML escaping. Map keys are sorted, so the result is canonical.
func appendAny(dst []byte, x any, depth int) ([]byte, error) {
	var err error
	switch x := x.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case string:
		return appendString(dst, x), nil
	case json.Number:
		if x == "" {
			return append(dst, '0'), nil
		}
		if !validNumber(string(x)) {
			return dst, fmt.Errorf("invalid json.Number %q", string(x))
		}
		return append(dst, x...), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case map[string]any:
		if depth >= MaxDepth {
			return dst, errors.New("#meta nested too deeply")
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, k)
			dst = append(dst, ':')
			if dst, err = appendAny(dst, x[k], depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case []any:
		if depth >= MaxDepth {
			return dst, errors.New("#meta nested too deeply")
		}
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendAny(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return dst, err
	}
	return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
}

// validNumber reports whether s is a JSON number.
func validNumber(s string) bool {
	p := parser{data: []byte(s)}
	_, _, err := p.number()
	return err == nil && p.pos == len(s)
}
