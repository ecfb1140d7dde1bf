package itf

import (
	"bytes"
	"encoding/binary"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func addFixtureSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	ndjson, _ := filepath.Glob("testdata/*.ndjson")
	for _, name := range append(files, ndjson...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzDecode checks that decoding never panics and that whatever decodes
// survives an encode/decode round trip unchanged, with stable bytes.
func FuzzDecode(f *testing.F) {
	addFixtureSeeds(f)
	for _, s := range []string{
		`{"vars":[],"states":[]}`,
		`{"vars":["x"],"states":[{"x":{"#map":[[{"#set":[1,2]},{"tag":"A","value":{"#tup":[]}}]]}}],"loop":0}`,
		`{"#meta":{"a":[1.5e3,null]},"params":["p"],"vars":["x"],"states":[{"#meta":{},"p":"\u00e9","x":-0}]}`,
		`{"#bigint":"-1"}`, `[1,[2,[3]]]`, `{"tag":"x","value":"y"}`, `"\ud800"`, `{"#unserializable":"Int"}`,
		`{"vars":["x"],"states":[{"x":null,"y":[null,{"a":null}]}],"loop":null}`, `[null,{"#set":[null,null]}]`,
		`{"#map":[[1,2],[{"#bigint":"1"},3]]}`, "\"a\xffb\"", `{"#bigint":"` + strings.Repeat("9", 3000) + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if tr, err := DecodeBytes(data); err == nil {
			var enc bytes.Buffer
			if err := tr.Encode(&enc); err != nil {
				t.Fatalf("Encode of a decoded trace: %v", err)
			}
			back, err := DecodeBytes(enc.Bytes())
			if err != nil {
				t.Fatalf("decode of the encoding: %v\n%s", err, enc.Bytes())
			}
			if !equalTraces(tr, back) {
				t.Fatalf("round trip changed the trace:\n%s", enc.Bytes())
			}
			var enc2 bytes.Buffer
			if err := back.Encode(&enc2); err != nil || !bytes.Equal(enc.Bytes(), enc2.Bytes()) {
				t.Fatalf("encoding not stable: %v\n%s\n%s", err, enc.Bytes(), enc2.Bytes())
			}
		}
		if v, err := ParseValue(data); err == nil {
			enc, err := v.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON of a parsed value: %v", err)
			}
			back, err := ParseValue(enc)
			if err != nil || !Equal(v, back) {
				t.Fatalf("value round trip: %v\n%s", err, enc)
			}
			if enc2 := AppendJSON(nil, back); !bytes.Equal(enc, enc2) {
				t.Fatalf("value encoding not stable:\n%s\n%s", enc, enc2)
			}
			_ = v.String()
		}
		d := NewDecoder(bytes.NewReader(data))
		for range 100 {
			if _, err := d.Next(); err != nil {
				break
			}
		}
	})
}

// FuzzValueRoundTrip builds values from the fuzzer's bytes and checks the
// encoder, the decoder, Equal, Compare and String against each other.
func FuzzValueRoundTrip(f *testing.F) {
	for _, s := range []string{
		"", "\x00", "\x04\x03\x01\x02\x03", "\x08\x02\x00\x01a\x01\x01b\x03\x02hi",
		"\x06\x05\x01\x01\x01\x01\x02\xff\xff\xff\xff\xff\xff\xff\xff\x03\x01\xfe",
		"\x08\x02\x00\x01\x03\x03tag\x01\x02\x00\x00", "\x07\x02\x06\x01\x01\x00\x06\x00\x00\x09\x01x\x0a\x02In",
		"\x0b\x00", "\x04\x02\x0b\x00\x0b\x00", "\x07\x02\x03\x01\xff\x00\x03\x01\xfe\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{data: data}
		v := g.value(0)
		w := g.value(0)
		enc, err := v.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(%v): %v", v, err)
		}
		back, err := ParseValue(enc)
		if mergesKeys(v) {
			// Map keys that differ only in invalid UTF-8 are written as
			// the same key, which decoding refuses as a duplicate.
			if err == nil || !strings.Contains(err.Error(), "duplicate key") {
				t.Fatalf("ParseValue(%s) = %v, want a duplicate key error", enc, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("ParseValue(%s): %v", enc, err)
		}
		if want := normalize(v); !Equal(back, want) {
			t.Fatalf("round trip: got %v, want %v\n%s", back, want, enc)
		}
		encBack, _ := back.MarshalJSON()
		encNorm, _ := normalize(v).MarshalJSON()
		if !bytes.Equal(encBack, encNorm) {
			t.Fatalf("encoding not stable:\n%s\n%s", encBack, encNorm)
		}
		c := Compare(v, w)
		if c != -Compare(w, v) || (c == 0) != Equal(v, w) || Compare(v, v) != 0 || !Equal(v, v) {
			t.Fatalf("Compare/Equal inconsistent for %v and %v", v, w)
		}
		_ = v.String()
		// Values pass through Marshal/Unmarshal unchanged.
		m, err := Marshal(v)
		if err != nil || !Equal(m, v) {
			t.Fatalf("Marshal(Value): %v", err)
		}
		var u Value
		if err := Unmarshal(v, &u); err != nil || !Equal(u, v) {
			t.Fatalf("Unmarshal into Value: %v", err)
		}
	})
}

// gen builds a Value from bytes, consuming them as it goes.
type gen struct{ data []byte }

func (g *gen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *gen) bytes(n int) []byte {
	n = min(n, len(g.data))
	b := g.data[:n]
	g.data = g.data[n:]
	return b
}

func (g *gen) str() string { return string(g.bytes(int(g.byte() % 8))) }

func (g *gen) name() string {
	names := []string{"tag", "value", "a", "b"}
	i := int(g.byte() % 5)
	if i < len(names) {
		return names[i]
	}
	s := g.str()
	if strings.HasPrefix(s, "#") {
		s = "x" + s
	}
	return s
}

func (g *gen) value(depth int) Value {
	k := g.byte() % 12
	if depth >= 5 && k >= 4 && k <= 9 {
		k = 0
	}
	n := int(g.byte() % 5)
	switch k {
	case 0:
		return Bool(g.byte()%2 == 1)
	case 1:
		var buf [8]byte
		copy(buf[:], g.bytes(8))
		return Int(int64(binary.LittleEndian.Uint64(buf[:])))
	case 2:
		b := new(big.Int).SetBytes(g.bytes(n * 5))
		if g.byte()%2 == 1 {
			b.Neg(b)
		}
		return BigInt(b)
	case 3:
		return String(g.str())
	case 4, 5, 6:
		elems := make([]Value, n)
		for i := range elems {
			elems[i] = g.value(depth + 1)
		}
		return [...]func(...Value) Value{List, Tuple, Set}[k-4](elems...)
	case 7:
		entries := make([]Entry, n)
		for i := range entries {
			entries[i] = Entry{g.value(depth + 1), g.value(depth + 1)}
		}
		return Map(entries...)
	case 8:
		fields := make([]Field, n)
		for i := range fields {
			fields[i] = Field{g.name(), g.value(depth + 1)}
		}
		return Record(fields...)
	case 9:
		return Variant(g.str(), g.value(depth+1))
	case 11:
		return Null()
	}
	return Unserializable(g.str())
}

// mergesKeys reports whether a map inside v has keys that normalize makes
// equal.
func mergesKeys(v Value) bool {
	switch v.Kind() {
	case KindList, KindTuple, KindSet:
		for _, e := range v.Elems() {
			if mergesKeys(e) {
				return true
			}
		}
	case KindMap:
		if normalize(v).Len() != v.Len() {
			return true
		}
		for _, e := range v.Entries() {
			if mergesKeys(e.Key) || mergesKeys(e.Value) {
				return true
			}
		}
	case KindRecord:
		for _, f := range v.Fields() {
			if mergesKeys(f.Value) {
				return true
			}
		}
	case KindVariant:
		return mergesKeys(v.Payload())
	}
	return false
}

// normalize returns what v becomes after encoding and decoding: invalid
// UTF-8 bytes turn into U+FFFD, and records with exactly the fields tag (a
// string) and value turn into variants.
func normalize(v Value) Value {
	switch v.Kind() {
	case KindString:
		return String(validUTF8(v.str))
	case KindUnserializable:
		return Unserializable(validUTF8(v.str))
	case KindList, KindTuple, KindSet:
		elems := make([]Value, v.Len())
		for i, e := range v.Elems() {
			elems[i] = normalize(e)
		}
		return [...]func(...Value) Value{List, Tuple, Set}[v.Kind()-KindList](elems...)
	case KindMap:
		var entries []Entry
		for _, e := range v.Entries() {
			entries = append(entries, Entry{normalize(e.Key), normalize(e.Value)})
		}
		return Map(entries...)
	case KindRecord:
		var fields []Field
		for _, f := range v.Fields() {
			fields = append(fields, Field{validUTF8(f.Name), normalize(f.Value)})
		}
		r := Record(fields...)
		if f := r.Fields(); len(f) == 2 && f[0].Name == "tag" && f[1].Name == "value" && f[0].Value.Kind() == KindString {
			return Variant(f[0].Value.str, f[1].Value)
		}
		return r
	case KindVariant:
		return Variant(validUTF8(v.str), normalize(v.Payload()))
	}
	return v
}

func validUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += size
	}
	return b.String()
}
