package itf

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func decodeFile(t *testing.T, name string) *Trace {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := Decode(f)
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	return tr
}

func mustGet(t *testing.T, s State, name string) Value {
	t.Helper()
	v, ok := s.Get(name)
	if !ok {
		t.Fatalf("state has no variable %q", name)
	}
	return v
}

func expectValue(t *testing.T, s State, name string, want Value) {
	t.Helper()
	if got := mustGet(t, s, name); !Equal(got, want) {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

// equalTraces reports whether two traces are the same, values compared with
// Equal.
func equalTraces(a, b *Trace) bool {
	if !reflect.DeepEqual(a.Meta, b.Meta) || !reflect.DeepEqual(a.Params, b.Params) ||
		!reflect.DeepEqual(a.Vars, b.Vars) || len(a.States) != len(b.States) {
		return false
	}
	if (a.Loop == nil) != (b.Loop == nil) || (a.Loop != nil && *a.Loop != *b.Loop) {
		return false
	}
	for i := range a.States {
		sa, sb := a.States[i], b.States[i]
		if !reflect.DeepEqual(sa.Meta, sb.Meta) || len(sa.Values) != len(sb.Values) {
			return false
		}
		for name, v := range sa.Values {
			w, ok := sb.Values[name]
			if !ok || !Equal(v, w) {
				return false
			}
		}
	}
	return true
}

// roundTrip checks that encoding tr and decoding again gives an equal trace
// and that the canonical encoding is byte-stable, compact or pretty.
func roundTrip(t *testing.T, tr *Trace) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := tr.Encode(&enc); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	if !bytes.HasSuffix(enc.Bytes(), []byte("}\n")) || bytes.Count(enc.Bytes(), []byte("\n")) != 1 {
		t.Errorf("Encode must write one line: %q", enc.String())
	}
	back, err := DecodeBytes(enc.Bytes())
	if err != nil {
		t.Fatalf("decode of the encoding: %v\n%s", err, enc.Bytes())
	}
	if !equalTraces(tr, back) {
		t.Fatalf("round trip changed the trace:\n%s", enc.Bytes())
	}
	var enc2 bytes.Buffer
	if err := back.Encode(&enc2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc.Bytes(), enc2.Bytes()) {
		t.Errorf("canonical encoding is not stable:\n%s\n%s", enc.Bytes(), enc2.Bytes())
	}
	var pretty bytes.Buffer
	if err := tr.EncodePretty(&pretty); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(pretty.Bytes()) {
		t.Fatalf("EncodePretty wrote invalid JSON:\n%s", pretty.Bytes())
	}
	backPretty, err := DecodeBytes(pretty.Bytes())
	if err != nil || !equalTraces(tr, backPretty) {
		t.Fatalf("pretty round trip: %v\n%s", err, pretty.Bytes())
	}
	var compacted bytes.Buffer
	if err := json.Compact(&compacted, pretty.Bytes()); err != nil {
		t.Fatal(err)
	}
	if compacted.String()+"\n" != enc.String() {
		t.Errorf("pretty and compact encodings differ beyond white space:\n%s\n%s", compacted.Bytes(), enc.Bytes())
	}
	mj, err := tr.MarshalJSON()
	if err != nil || string(mj)+"\n" != enc.String() {
		t.Errorf("MarshalJSON differs from Encode: %v", err)
	}
	return enc.Bytes()
}

func TestFixtureMissionaries(t *testing.T) {
	tr := decodeFile(t, "missionaries.itf.json")
	if tr.Meta["source"] != "MC_MissionariesAndCannibalsTyped.tla" {
		t.Errorf("meta source = %v", tr.Meta["source"])
	}
	if vt, ok := tr.Meta["varTypes"].(map[string]any); !ok || vt["who_is_on_bank"] != "Str -> Set(PERSON)" {
		t.Errorf("meta varTypes = %v", tr.Meta["varTypes"])
	}
	if tr.Params != nil || tr.Loop != nil {
		t.Errorf("params %v, loop %v: want nil", tr.Params, tr.Loop)
	}
	if !reflect.DeepEqual(tr.Vars, []string{"bank_of_boat", "who_is_on_bank"}) || len(tr.States) != 6 {
		t.Fatalf("vars %v, %d states", tr.Vars, len(tr.States))
	}
	people := func(names ...string) Value {
		var vs []Value
		for _, n := range names {
			vs = append(vs, String(n+"_OF_PERSON"))
		}
		return Set(vs...)
	}
	s1 := tr.States[1]
	if !reflect.DeepEqual(s1.Meta, map[string]any{"index": json.Number("1")}) {
		t.Errorf("state meta = %#v", s1.Meta)
	}
	expectValue(t, s1, "bank_of_boat", String("W"))
	// Written in another order in the file: maps and sets are unordered.
	expectValue(t, s1, "who_is_on_bank", Map(
		Entry{String("E"), people("c1", "m1")},
		Entry{String("W"), people("c2", "m2")},
	))
	expectValue(t, tr.States[5], "who_is_on_bank", Map(
		Entry{String("E"), Set()},
		Entry{String("W"), people("c1", "c2", "m1", "m2")},
	))
	enc := roundTrip(t, tr)
	if !strings.Contains(string(enc), `{"#meta":{"index":1},"bank_of_boat":"W","who_is_on_bank":{"#map":[["E",{"#set":["c1_OF_PERSON","m1_OF_PERSON"]}],["W",{"#set":["c2_OF_PERSON","m2_OF_PERSON"]}]]}}`) {
		t.Errorf("state 1 is not encoded canonically:\n%s", enc)
	}
	if !strings.HasPrefix(string(enc), `{"#meta":{"source":"MC_MissionariesAndCannibalsTyped.tla","varTypes":{"bank_of_boat":"Str","who_is_on_bank":"Str -> Set(PERSON)"}},"vars":["bank_of_boat","who_is_on_bank"],"states":[`) {
		t.Errorf("trace header is not canonical:\n%s", enc)
	}
}

func TestFixtureAllKinds(t *testing.T) {
	tr := decodeFile(t, "all-kinds.itf.json")
	if !reflect.DeepEqual(tr.Params, []string{"N", "Procs"}) {
		t.Errorf("params = %v", tr.Params)
	}
	// #meta is kept whole, numbers as json.Number.
	if tr.Meta["ratio"] != json.Number("0.25") || tr.Meta["huge"] != json.Number("123456789012345678901234567890") {
		t.Errorf("meta numbers = %#v %#v", tr.Meta["ratio"], tr.Meta["huge"])
	}
	if !reflect.DeepEqual(tr.Meta["nested"], map[string]any{"list": []any{json.Number("1"), "two", nil, true}}) {
		t.Errorf("meta nested = %#v", tr.Meta["nested"])
	}
	s0, s1 := tr.States[0], tr.States[1]
	expectValue(t, s0, "N", Int(3))
	expectValue(t, s0, "Procs", Set(String("p1"), String("p2"), String("p3")))
	expectValue(t, s0, "flag", Bool(false))
	expectValue(t, s0, "count", Int(0))
	expectValue(t, s0, "big", BigInt(bigFromString(t, "-123456789012345678901234567890")))
	expectValue(t, s0, "name", String("café \"quoted\"\n"))
	expectValue(t, s0, "log", List())
	expectValue(t, s0, "pair", Tuple(Int(1), String("x")))
	expectValue(t, s0, "procs", Set(Int(1), Int(2), Int(3)))
	expectValue(t, s0, "owner", Map(
		Entry{Tuple(String("p1"), Int(1)), Int(10)},
		Entry{Tuple(String("p2"), Int(2)), Int(20)},
	))
	expectValue(t, s0, "rec", Record(Field{"x", Int(7)}, Field{"y", Bool(true)}))
	expectValue(t, s0, "msg", Variant("Request", Record(Field{"amount", Int(5)}, Field{"from", String("p1")})))
	expectValue(t, s0, "unit", None())
	expectValue(t, s0, "opaque", Unserializable("Int"))
	if _, ok := s1.Get("N"); ok {
		t.Error("state 1 must not have the parameter N")
	}
	expectValue(t, s1, "count", Int(1)) // plain JSON number
	expectValue(t, s1, "big", BigInt(bigFromString(t, "9223372036854775808")))
	expectValue(t, s1, "unit", Some(Set(Int(1))))
	if r := mustGet(t, s0, "rec"); r.Kind() != KindRecord {
		t.Errorf("rec kind = %v", r.Kind())
	}
	enc := roundTrip(t, tr)
	// Parameters follow the variables in the state encoding.
	if !strings.Contains(string(enc), `"opaque":{"#unserializable":"Int"},"N":{"#bigint":"3"},"Procs":{"#set":["p1","p2","p3"]}}`) {
		t.Errorf("state 0 encoding:\n%s", enc)
	}
	if !strings.Contains(string(enc), `"count":{"#bigint":"1"}`) {
		t.Error("plain integers must be encoded as #bigint")
	}
	if !strings.Contains(string(enc), `"huge":123456789012345678901234567890,"nested":{"list":[1,"two",null,true]},"ratio":0.25`) {
		t.Errorf("meta encoding:\n%s", enc)
	}
}

func TestFixtureLasso(t *testing.T) {
	tr := decodeFile(t, "lasso.itf.json")
	if tr.Loop == nil || *tr.Loop != 1 {
		t.Fatalf("loop = %v", tr.Loop)
	}
	expectValue(t, tr.States[2], "light", String("off"))
	enc := roundTrip(t, tr)
	if !strings.HasSuffix(string(enc), `],"loop":1}`+"\n") {
		t.Errorf("loop must be the last key:\n%s", enc)
	}
}

func TestLoopAbsentVersusZero(t *testing.T) {
	zero := decodeFile(t, "lasso-loop0.itf.json")
	if zero.Loop == nil || *zero.Loop != 0 {
		t.Fatalf("loop = %v, want 0", zero.Loop)
	}
	absent, err := DecodeBytes([]byte(`{"vars":["x"],"states":[{"x":{"#bigint":"0"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if absent.Loop != nil {
		t.Fatalf("loop = %v, want nil", *absent.Loop)
	}
	encZero := roundTrip(t, zero)
	encAbsent := roundTrip(t, absent)
	if string(encZero) != `{"vars":["x"],"states":[{"x":{"#bigint":"0"}}],"loop":0}`+"\n" {
		t.Errorf("loop 0 encoding = %s", encZero)
	}
	if string(encAbsent) != `{"vars":["x"],"states":[{"x":{"#bigint":"0"}}]}`+"\n" {
		t.Errorf("no loop encoding = %s", encAbsent)
	}
	big, err := DecodeBytes([]byte(`{"vars":[],"states":[{},{}],"loop":{"#bigint":"1"}}`))
	if err != nil || big.Loop == nil || *big.Loop != 1 {
		t.Errorf("loop as #bigint: %v", err)
	}
}

func TestFixtureQuintMBT(t *testing.T) {
	tr := decodeFile(t, "quint-mbt.itf.json")
	if tr.Meta["format"] != "ITF" || tr.Meta["status"] != "ok" || tr.Meta["timestamp"] != json.Number("1700000000") ||
		tr.Meta["format-description"] != "https://apalache-mc.org/docs/adr/015adr-trace.html" {
		t.Errorf("meta = %v", tr.Meta)
	}
	wantActions := []string{"init", "deposit", "transfer", "step"}
	for i, s := range tr.States {
		if s.Meta["index"] != json.Number(string(rune('0'+i))) {
			t.Errorf("state %d meta = %v", i, s.Meta)
		}
		a, ok := ActionTaken(s)
		if !ok || a != wantActions[i] {
			t.Errorf("state %d action = %q, %v", i, a, ok)
		}
	}
	picks, ok := NondetPicks(tr.States[0])
	if !ok || len(picks) != 0 {
		t.Errorf("state 0 picks = %v, %v (None picks must be left out)", picks, ok)
	}
	picks, ok = NondetPicks(tr.States[2])
	if !ok || len(picks) != 2 || !Equal(picks["account"], String("bob")) || !Equal(picks["amount"], Int(3)) {
		t.Errorf("state 2 picks = %v, %v", picks, ok)
	}
	expectValue(t, tr.States[2], "balances", Map(Entry{String("alice"), Int(7)}, Entry{String("bob"), Int(3)}))
	expectValue(t, tr.States[3], NondetPicksVar, Record(Field{"account", None()}, Field{"amount", None()}))
	enc := roundTrip(t, tr)
	if !strings.Contains(string(enc), `{"#meta":{"index":1},"balances":{"#map":[["alice",{"#bigint":"10"}]]},"mbt::actionTaken":"deposit","mbt::nondetPicks":{"account":{"tag":"Some","value":"alice"},"amount":{"tag":"Some","value":{"#bigint":"10"}}}}`) {
		t.Errorf("state 1 encoding:\n%s", enc)
	}

	// The helpers report absence.
	if _, ok := ActionTaken(State{}); ok {
		t.Error("ActionTaken of an empty state")
	}
	if _, ok := NondetPicks(State{Values: map[string]Value{NondetPicksVar: Int(1)}}); ok {
		t.Error("NondetPicks of a non-record")
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", ``, "expecting '{' starting a trace object"},
		{"not an object", `[]`, "expecting '{' starting a trace object (at byte offset 0)"},
		{"no vars", `{"states":[]}`, `trace has no "vars" field`},
		{"no states", `{"vars":[]}`, `trace has no "states" field`},
		{"unknown field", `{"vars":[],"states":[],"foo":1}`, `unknown trace field "foo" (want #meta, params, vars, states or loop) (at byte offset 23)`},
		{"duplicate field", `{"vars":[],"vars":[],"states":[]}`, `duplicate trace field "vars"`},
		{"vars not strings", `{"vars":["a",1],"states":[]}`, `vars: [1]: invalid character '1', expecting a string`},
		{"params not array", `{"params":{},"vars":[],"states":[]}`, `params: invalid character '{', expecting an array of strings`},
		{"meta not object", `{"#meta":[],"vars":[],"states":[]}`, `#meta: invalid character '[', expecting an object`},
		{"meta malformed", `{"#meta":{"a":[1,}},"vars":[],"states":[]}`, `#meta: "a": [1]: invalid character '}'`},
		{"states not array", `{"vars":[],"states":{}}`, `states: invalid character '{', expecting an array of state objects`},
		{"state not object", `{"vars":[],"states":[{},1]}`, `state 1: invalid character '1', expecting a state object`},
		{"bad value", `{"vars":["x"],"states":[{"x":1},{"x":1},{"x":1},{"x":1.5}]}`, `state 3, variable "x": non-integer number 1.5 (ITF has integers only) (at byte offset 53)`},
		{"bad map entry", `{"vars":["zone"],"states":[{"zone":{"#map":[]}},{"zone":{"#map":[]}},{"zone":{"#map":[]}},{"zone":{"#map":[[1,2],[3,4],[5,"x",6]]}}]}`,
			`state 3, variable "zone": #map entry 2: entry has more than 2 elements`},
		{"nested position", `{"vars":["zone"],"states":[{"zone":{"#map":[[1,{"a":[true,null]}]]}}]}`,
			`state 0, variable "zone": #map entry 0: value: field "a": [1]: null is not an ITF value`},
		{"missing var", `{"vars":["x","y"],"states":[{"x":1,"y":2},{"x":1}]}`, `state 1: missing variable "y"`},
		{"missing param", `{"params":["N"],"vars":["x"],"states":[{"x":1}]}`, `state 0: missing parameter "N"`},
		{"duplicate var in state", `{"vars":["x"],"states":[{"x":1,"x":2}]}`, `state 0: duplicate variable "x"`},
		{"duplicate state meta", `{"vars":[],"states":[{"#meta":{},"#meta":{}}]}`, `state 0: duplicate #meta`},
		{"hash key in state", `{"vars":[],"states":[{"#foo":1}]}`, `state 0: unknown key "#foo"`},
		{"state meta not object", `{"vars":[],"states":[{"#meta":1}]}`, `state 0: #meta: invalid character '1', expecting an object`},
		{"duplicate vars", `{"vars":["x","x"],"states":[]}`, `"x" is declared twice (as variable and variable)`},
		{"param and var", `{"params":["x"],"vars":["x"],"states":[]}`, `"x" is declared twice (as parameter and variable)`},
		{"empty var name", `{"vars":[""],"states":[]}`, `empty variable name`},
		{"loop out of range", `{"vars":[],"states":[{}],"loop":1}`, `loop 1 is out of range for 1 states`},
		{"loop on empty trace", `{"vars":[],"states":[],"loop":0}`, `loop 0 is out of range for 0 states`},
		{"loop negative", `{"vars":[],"states":[{}],"loop":-1}`, `loop: loop must be a non-negative integer, got -1`},
		{"loop string", `{"vars":[],"states":[{}],"loop":"0"}`, `loop must be a non-negative integer, got "0"`},
		{"loop null", `{"vars":[],"states":[{}],"loop":null}`, `loop must be a non-negative integer, not null`},
		{"undeclared variable", `{"vars":["x"],"states":[{"x":1},{"x":2,"ghost":3}]}`, `state 1: variable "ghost" is not declared in vars or params (strict mode) (at byte offset 39)`},
		{"undeclared variable before vars", `{"states":[{"x":1,"y":2}],"vars":["x"]}`, `state 0: variable "y" is not declared in vars or params (strict mode) (at byte offset 0)`},
		{"loop huge", `{"vars":[],"states":[{}],"loop":99999999999999999999}`, `loop must be a non-negative integer`},
		{"trailing data", `{"vars":[],"states":[]} x`, `after the trace (use NewDecoder or ReadFile for several traces): unexpected data after the JSON value: 'x' (at byte offset 24)`},
		{"two traces", `{"vars":[],"states":[]}{"vars":[],"states":[]}`, `after the trace`},
		{"truncated", `{"vars":["x"],"states":[{"x":{"#set":[1,`, `state 0, variable "x": #set[1]: unexpected end of input, expecting a value (at byte offset 40)`},
		{"missing comma", `{"vars":[] "states":[]}`, `invalid character '"', expecting ',' or '}' in trace object (at byte offset 11)`},
		{"deep", `{"vars":["x"],"states":[{"x":` + nested("[", "]", MaxDepth, "") + `}]}`, `nesting deeper than 10000 levels`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeOptions{Strict: true}.DecodeBytes([]byte(tt.in))
			if err == nil {
				t.Fatalf("DecodeBytes succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "itf: decode: ") {
				t.Errorf("error lacks the package prefix: %q", err)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("not a *DecodeError: %T", err)
			}
		})
	}
}

func TestDecodeLenient(t *testing.T) {
	// Names a state sets beyond vars and params are kept and written back.
	tr, err := DecodeBytes([]byte(`{"vars":["x"],"states":[{"z":1,"x":2,"a":3}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.States[0].Values) != 3 {
		t.Fatalf("values = %v", tr.States[0].Values)
	}
	enc := roundTrip(t, tr)
	if string(enc) != `{"vars":["x"],"states":[{"x":{"#bigint":"2"},"a":{"#bigint":"3"},"z":{"#bigint":"1"}}]}`+"\n" {
		t.Errorf("encoding = %s", enc)
	}
	// Empty trace object parts.
	tr, err = DecodeBytes([]byte(` {"states":[],"vars":[],"params":[]} `))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Params == nil || len(tr.Params) != 0 || tr.Meta != nil {
		t.Errorf("params = %#v, meta = %#v", tr.Params, tr.Meta)
	}
	if enc := roundTrip(t, tr); string(enc) != `{"params":[],"vars":[],"states":[]}`+"\n" {
		t.Errorf("encoding = %s", enc)
	}
}

func TestValidate(t *testing.T) {
	one := 1
	tests := []struct {
		name string
		tr   Trace
		want string // "" for valid
	}{
		{"valid", Trace{Vars: []string{"x"}, States: []State{{Values: map[string]Value{"x": Int(1)}}}}, ""},
		{"missing var", Trace{Vars: []string{"x"}, States: []State{{Values: map[string]Value{}}}}, `state 0: missing variable "x"`},
		{"zero value", Trace{Vars: []string{"x"}, States: []State{{Values: map[string]Value{"x": {}}}}}, `state 0, variable "x": invalid (zero) Value`},
		{"deep zero", Trace{Vars: []string{"x"}, States: []State{{Values: map[string]Value{"x": List(Set(Value{}))}}}}, `state 0, variable "x": [0][0]: invalid (zero) Value`},
		{"hash field", Trace{Vars: []string{"x"}, States: []State{{Values: map[string]Value{"x": Record(Field{"#a", Int(1)})}}}}, `record field name "#a" starts with '#'`},
		{"hash var", Trace{Vars: []string{"#x"}}, `variable name "#x" starts with '#'`},
		{"hash state name", Trace{States: []State{{Values: map[string]Value{"#meta": Int(1)}}}}, `state 0: invalid variable name "#meta"`},
		{"loop", Trace{Vars: []string{}, States: []State{{}}, Loop: &one}, `loop 1 is out of range for 1 states`},
	}
	for _, tt := range tests {
		err := tt.tr.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: Validate() = %v, want %q", tt.name, err, tt.want)
		}
		if tt.want != "" {
			if err := tt.tr.Encode(io.Discard); err == nil {
				t.Errorf("%s: Encode succeeded on an invalid trace", tt.name)
			}
		}
	}
}

func TestEncodeStreamsStates(t *testing.T) {
	tr := &Trace{Vars: []string{"x"}}
	for i := range 5000 {
		tr.States = append(tr.States, State{Values: map[string]Value{"x": List(Int(int64(i)), String(strings.Repeat("a", 20)))}})
	}
	w := &countingWriter{}
	if err := tr.Encode(w); err != nil {
		t.Fatal(err)
	}
	if w.writes < 5 || w.max > 2*flushSize {
		t.Errorf("Encode made %d writes, the largest %d bytes: want streaming", w.writes, w.max)
	}
	failing := &failingWriter{after: 2}
	if err := tr.Encode(failing); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("write error not reported: %v", err)
	}
}

type countingWriter struct{ writes, max, n int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	w.max = max(w.max, len(p))
	w.n += len(p)
	return len(p), nil
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after == 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(p), nil
}

func TestTraceJSONMethods(t *testing.T) {
	var wrapper struct {
		Trace *Trace `json:"trace"`
	}
	in := `{"trace":{"vars":["x"],"states":[{"x":{"#set":[2,1]}}],"loop":0}}`
	if err := json.Unmarshal([]byte(in), &wrapper); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(wrapper)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"trace":{"vars":["x"],"states":[{"x":{"#set":[{"#bigint":"1"},{"#bigint":"2"}]}}],"loop":0}}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestMetaEncoding(t *testing.T) {
	tr := &Trace{
		Meta: map[string]any{
			"b": 1, "a": "x<y>&z", "c": []any{json.Number("1.50"), nil, false, int64(-3)},
			"d": struct {
				X int `json:"x"`
			}{4},
			"e": 0.5,
		},
		Vars: []string{},
	}
	var buf bytes.Buffer
	if err := tr.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{"#meta":{"a":"x<y>&z","b":1,"c":[1.50,null,false,-3],"d":{"x":4},"e":0.5},"vars":[],"states":[]}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
	tr.Meta = map[string]any{"n": json.Number("12abc")}
	if err := tr.Encode(io.Discard); err == nil || !strings.Contains(err.Error(), `#meta: invalid json.Number "12abc"`) {
		t.Errorf("bad json.Number: %v", err)
	}
	tr.Meta = map[string]any{"f": func() {}}
	if err := tr.Encode(io.Discard); err == nil {
		t.Error("unencodable meta accepted")
	}
}
