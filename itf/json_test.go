package itf

import (
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

func TestValueJSON(t *testing.T) {
	huge := "-123456789012345678901234567890"
	tests := []struct {
		name      string
		in        string // input JSON
		want      Value
		canonical string // canonical encoding; "" means same as in
	}{
		{"true", `true`, Bool(true), ""},
		{"false", `false`, Bool(false), ""},
		{"bigint", `{"#bigint":"-42"}`, Int(-42), ""},
		{"bigint huge", `{"#bigint":"` + huge + `"}`, BigInt(bigFromString(t, huge)), ""},
		{"bigint leading zeros", `{"#bigint":"007"}`, Int(7), `{"#bigint":"7"}`},
		{"bigint minus zero", `{"#bigint":"-0"}`, Int(0), `{"#bigint":"0"}`},
		{"plain int", `12`, Int(12), `{"#bigint":"12"}`},
		{"plain negative", `-3`, Int(-3), `{"#bigint":"-3"}`},
		{"plain int max", `9223372036854775807`, Int(1<<63 - 1), `{"#bigint":"9223372036854775807"}`},
		{"plain int beyond int64", `9223372036854775808`, BigInt(bigFromString(t, "9223372036854775808")), `{"#bigint":"9223372036854775808"}`},
		{"string", `"a\"b\\c\n\u00e9\ud83d\ude00/"`, String("a\"b\\c\n\u00e9\U0001F600/"), `"a\"b\\c\né😀/"`},
		{"string controls", `"\u0001\t\b\f\r"`, String("\x01\t\b\f\r"), `"\u0001\t\b\f\r"`},
		{"lone surrogate", `"\ud800x"`, String("\uFFFDx"), `"` + "\uFFFD" + `x"`},
		{"list", `[1, "a", []]`, List(Int(1), String("a"), List()), `[{"#bigint":"1"},"a",[]]`},
		{"empty list", `[]`, List(), ""},
		{"tuple", `{"#tup": [1, "x"]}`, Tuple(Int(1), String("x")), `{"#tup":[{"#bigint":"1"},"x"]}`},
		{"unit", `{"#tup":[]}`, Unit(), ""},
		{"set unordered", `{"#set":[3,1,2,1]}`, Set(Int(1), Int(2), Int(3)), `{"#set":[{"#bigint":"1"},{"#bigint":"2"},{"#bigint":"3"}]}`},
		{"empty set", `{"#set":[]}`, Set(), ""},
		{"map", `{"#map":[["b",1],["a",2]]}`, Map(Entry{String("a"), Int(2)}, Entry{String("b"), Int(1)}), `{"#map":[["a",{"#bigint":"2"}],["b",{"#bigint":"1"}]]}`},
		{"map with tuple keys", `{"#map":[[{"#tup":[1,2]},true]]}`, Map(Entry{Tuple(Int(1), Int(2)), Bool(true)}), `{"#map":[[{"#tup":[{"#bigint":"1"},{"#bigint":"2"}]},true]]}`},
		{"empty map", `{"#map":[]}`, Map(), ""},
		{"record", `{"y": true, "x": 1}`, Record(Field{"x", Int(1)}, Field{"y", Bool(true)}), `{"x":{"#bigint":"1"},"y":true}`},
		{"empty record", `{}`, Record(), ""},
		{"record with tag only", `{"tag":"A"}`, Record(Field{"tag", String("A")}), ""},
		{"record tag not string", `{"tag":1,"value":2}`, Record(Field{"tag", Int(1)}, Field{"value", Int(2)}), `{"tag":{"#bigint":"1"},"value":{"#bigint":"2"}}`},
		{"record with three fields", `{"tag":"A","value":1,"z":2}`, Record(Field{"tag", String("A")}, Field{"value", Int(1)}, Field{"z", Int(2)}), `{"tag":"A","value":{"#bigint":"1"},"z":{"#bigint":"2"}}`},
		{"variant", `{"value": 3, "tag": "Some"}`, Some(Int(3)), `{"tag":"Some","value":{"#bigint":"3"}}`},
		{"variant unit", `{"tag":"None","value":{"#tup":[]}}`, None(), ""},
		{"unserializable", `{"#unserializable":"Int"}`, Unserializable("Int"), ""},
		{"white space", " \n\t{ \"#set\" : [ ] } \r\n", Set(), `{"#set":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseValue([]byte(tt.in))
			if err != nil {
				t.Fatalf("ParseValue(%s): %v", tt.in, err)
			}
			if !Equal(got, tt.want) {
				t.Fatalf("ParseValue(%s) = %v, want %v", tt.in, got, tt.want)
			}
			want := tt.canonical
			if want == "" {
				want = tt.in
			}
			enc, err := got.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(enc) != want {
				t.Errorf("MarshalJSON = %s, want %s", enc, want)
			}
			if app := AppendJSON([]byte("x"), got); string(app) != "x"+want {
				t.Errorf("AppendJSON = %s", app)
			}
			back, err := ParseValue(enc)
			if err != nil || !Equal(back, got) {
				t.Errorf("round trip: %v, %v", back, err)
			}
			// Value works with encoding/json too.
			var viaJSON struct{ V Value }
			if err := json.Unmarshal([]byte(`{"V":`+tt.in+`}`), &viaJSON); err != nil || !Equal(viaJSON.V, tt.want) {
				t.Errorf("json.Unmarshal: %v, %v", viaJSON.V, err)
			}
			if out, err := json.Marshal(viaJSON); err != nil || string(out) != `{"V":`+want+`}` {
				t.Errorf("json.Marshal = %s, %v", out, err)
			}
		})
	}
}

func TestValueJSONInvalidUTF8(t *testing.T) {
	// Decoding refuses invalid UTF-8, with the offset of the bad byte, on
	// the fast path (no escapes) and the slow one.
	for in, want := range map[string]string{
		"\"a\xffb\"":                 "invalid UTF-8 (byte 0xff) in string (at byte offset 2)",
		"\"\\n\xe2\x82\"":            "invalid UTF-8 (byte 0xe2) in string (at byte offset 3)",
		"{\"k\xc0\":1}":              "invalid UTF-8 (byte 0xc0) in string (at byte offset 3)",
		"[\"ok\", \"\xf0\x9f\x98\"]": "[1]: invalid UTF-8 (byte 0xf0) in string (at byte offset 8)",
	} {
		if _, err := ParseValue([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseValue(%q) = %v, want %q", in, err, want)
		}
	}
	// Valid multi-byte UTF-8 and escaped unpaired surrogates decode.
	if v, err := ParseValue([]byte("\"é\\ud800\"")); err != nil || v.String() != strconv.Quote("é\uFFFD") {
		t.Errorf("valid UTF-8: %v, %v", v, err)
	}
	// Encoding a programmatic string with invalid UTF-8 replaces it.
	if got := AppendJSON(nil, String("x\xfe")); string(got) != "\"x\uFFFD\"" {
		t.Errorf("AppendJSON of invalid UTF-8 = %q", got)
	}
}

func TestMarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		v    Value
		want string
	}{
		{"zero", Value{}, "invalid (zero) Value"},
		{"zero in list", List(Int(1), Value{}), "[1]: invalid (zero) Value"},
		{"zero in record", Record(Field{"a", Set(Value{})}), ".a[0]: invalid"},
		{"zero as map value", Map(Entry{Int(1), Value{}}), ".#map[0].value: invalid"},
		{"zero in variant", Variant("X", Value{}), ".value: invalid"},
		{"hash field", Record(Field{"#set", Int(1)}), `record field name "#set" starts with '#'`},
	}
	for _, tt := range tests {
		_, err := tt.v.MarshalJSON()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: MarshalJSON error = %v, want %q", tt.name, err, tt.want)
		}
		var ve *ValueError
		if !errors.As(err, &ve) {
			t.Errorf("%s: error is not a *ValueError: %T", tt.name, err)
		}
	}
	if got := AppendJSON(nil, List(Value{})); string(got) != "[null]" {
		t.Errorf("AppendJSON(zero) = %s", got)
	}
}

func nested(open, close string, n int, inner string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

func TestDepthLimit(t *testing.T) {
	ok := nested("[", "]", MaxDepth, "")
	if _, err := ParseValue([]byte(ok)); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
	for _, in := range []string{
		nested("[", "]", MaxDepth+1, ""),
		nested("[", "]", MaxDepth, "1"), // an integer is written back as an object
		nested(`{"a":`, "}", MaxDepth+1, "true"),
		nested("[", "]", 1_000_000, ""),
	} {
		_, err := ParseValue([]byte(in))
		if err == nil || !strings.Contains(err.Error(), "nesting deeper than") {
			t.Errorf("deep input of %d bytes: err = %v", len(in), err)
		}
	}
	// The encoder refuses what the decoder would refuse.
	v := List()
	for range MaxDepth {
		v = List(v)
	}
	if _, err := v.MarshalJSON(); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("MarshalJSON of too deep value: %v", err)
	}
}

func TestParseValueErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string // substring of the error
	}{
		{``, "unexpected end of input, expecting a value (at byte offset 0)"},
		{`   `, "(at byte offset 3)"},
		{`nul`, "invalid character 'n', expecting a value"},
		{`null`, "null is not an ITF value (strict mode) (at byte offset 0)"},
		{`[1, null]`, "[1]: null is not an ITF value (strict mode) (at byte offset 4)"},
		{`1.5`, "non-integer number 1.5"},
		{`[1e3]`, "[0]: non-integer number 1e3"},
		{`01`, "unexpected data after the JSON value"},
		{`-`, "expecting a digit"},
		{`1.`, "expecting a digit after the decimal point"},
		{`1e`, "expecting a digit in the exponent"},
		{`[1 2]`, "invalid character '2', expecting ',' or ']' in array (at byte offset 3)"},
		{`[1,]`, "[1]: invalid character ']', expecting a value"},
		{`{"a" 1}`, "expecting ':' after object key"},
		{`{"a":1,}`, "expecting a string"},
		{`{1:2}`, "expecting a string"},
		{`"abc`, "unexpected end of input in string"},
		{"\"a\x01\"", "control character 0x01 in string"},
		{`"\x"`, "invalid escape 'x' in string"},
		{`"\u12"`, `invalid \u escape`},
		{`{"#bigint": 12}`, "#bigint: invalid character '1', expecting a string of decimal digits"},
		{`{"#bigint": "12a"}`, `#bigint: malformed integer "12a"`},
		{`{"#bigint": ""}`, `#bigint: malformed integer ""`},
		{`{"#bigint": "-"}`, `#bigint: malformed integer "-"`},
		{`{"#bigint": "+1"}`, `#bigint: malformed integer "+1"`},
		{`{"#bigint": " 1"}`, `#bigint: malformed integer " 1"`},
		{`{"#bigint": "1", "x": 2}`, `an object with key "#bigint" must have no other keys`},
		{`{"#tup": {}}`, "expecting an array"},
		{`{"#set": [1, 1.5]}`, "#set[1]: non-integer number 1.5"},
		{`{"#tup": [true, [null]]}`, "#tup[1]: [0]: null is not an ITF value"},
		{`{"#map": {}}`, "#map: invalid character '{', expecting an array of [key, value] arrays"},
		{`{"#map": [1]}`, "#map entry 0: invalid character '1', expecting a [key, value] array"},
		{`{"#map": [[1, 2], []]}`, "#map entry 1: entry has 0 elements, want 2"},
		{`{"#map": [[1, 2], [3, 4], [5]]}`, "#map entry 2: entry has 1 element, want 2 ([key, value]) (at byte offset 26)"},
		{`{"#map": [[1, 2, 3]]}`, "#map entry 0: entry has more than 2 elements"},
		{`{"#map": [[1, 1.5]]}`, "#map entry 0: value: non-integer number 1.5"},
		{`{"#map": [[null, 1]]}`, "#map entry 0: key: null is not an ITF value"},
		{`{"#unserializable": 1}`, "#unserializable: invalid character '1', expecting a string"},
		{`{"#foo": 1}`, `unknown key "#foo"`},
		{`{"#meta": {}}`, `unknown key "#meta"`},
		{`{"a": 1, "#set": []}`, `record field name "#set" starts with '#'`},
		{`{"a": {"b": [1, {"c": 2.5}]}}`, `field "a": field "b": [1]: field "c": non-integer number 2.5`},
		{`{"tag": "Some", "value": null}`, `field "value": null is not an ITF value`},
		{`tru`, "expecting a value"},
		{`[true false]`, "expecting ',' or ']' in array"},
		{`[] []`, "unexpected data after the JSON value: '['"},
		{"\xff", "invalid character byte 0xff"},
	}
	// Strict mode: the errors are the default mode's, and null is one.
	for _, tt := range tests {
		_, err := DecodeOptions{Strict: true}.ParseValue([]byte(tt.in))
		if err == nil {
			t.Errorf("ParseValue(%q) succeeded, want error containing %q", tt.in, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseValue(%q) error = %q, want it to contain %q", tt.in, err, tt.want)
		}
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("ParseValue(%q) error is not a *DecodeError", tt.in)
		}
	}
}

func TestUnmarshalJSONMethod(t *testing.T) {
	var v Value
	if err := v.UnmarshalJSON([]byte(`{"#set":[2,1]}`)); err != nil || !Equal(v, Set(Int(1), Int(2))) {
		t.Fatalf("UnmarshalJSON: %v %v", v, err)
	}
	if err := v.UnmarshalJSON([]byte(`1.5`)); err == nil {
		t.Fatal("UnmarshalJSON(1.5) succeeded")
	}
	if !Equal(v, Set(Int(1), Int(2))) {
		t.Error("failed UnmarshalJSON modified the value")
	}
}

func TestBigIntDecodeExact(t *testing.T) {
	digits := strings.Repeat("9", 500)
	v, err := ParseValue([]byte(`{"#bigint":"-` + digits + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := v.AsBigInt()
	want, _ := new(big.Int).SetString("-"+digits, 10)
	if b.Cmp(want) != 0 {
		t.Errorf("got %v", b)
	}
}
