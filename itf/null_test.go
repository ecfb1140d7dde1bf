package itf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Traces in the style of the workshop's Python tool (wunderspec): "loop":
// null, null values inside states, plain numbers beside "#bigint".
func TestWunderspecTraces(t *testing.T) {
	cases := []struct {
		file   string
		nulls  int    // null values in all states
		state  int    // a state to print
		shown  string // how it prints
		strict string // the strict-mode error
	}{
		{"wunderspec-door.itf.json", 2, 0, `door = {locked: true, open: false, owner: null}`, `state 0, variable "door": field "owner": null is not an ITF value (strict mode)`},
		{"wunderspec-queue.itf.json", 5, 1, `items = [7, null]`, `state 0, variable "head": null is not an ITF value (strict mode)`},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			tr, err := DecodeBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Loop != nil {
				t.Errorf("loop = %d, want none", *tr.Loop)
			}
			if got := countNulls(tr); got != tc.nulls {
				t.Errorf("%d null values, want %d", got, tc.nulls)
			}
			if got := showState(tr, tc.state); !strings.Contains(got, tc.shown) {
				t.Errorf("state %d prints as\n%s\nwant it to contain %q", tc.state, got, tc.shown)
			}
			// Round trip: nulls stay nulls, "loop": null becomes no loop.
			var enc bytes.Buffer
			if err := tr.Encode(&enc); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(enc.Bytes(), []byte(`"loop"`)) {
				t.Errorf("encoding has a loop: %s", enc.Bytes())
			}
			back, err := DecodeBytes(enc.Bytes())
			if err != nil {
				t.Fatalf("%v\n%s", err, enc.Bytes())
			}
			if !equalTraces(tr, back) {
				t.Errorf("round trip changed the trace:\n%s", enc.Bytes())
			}
			// Strict mode refuses the file, with the position.
			_, err = DecodeOptions{Strict: true}.DecodeBytes(data)
			var de *DecodeError
			if err == nil || !strings.Contains(err.Error(), tc.strict) || !errors.As(err, &de) || de.Offset == 0 {
				t.Errorf("strict: %v, want a positioned %q", err, tc.strict)
			}
		})
	}
}

func countNulls(tr *Trace) int {
	n := 0
	var walk func(v Value)
	walk = func(v Value) {
		switch v.Kind() {
		case KindNull:
			n++
		case KindList, KindTuple, KindSet:
			for _, e := range v.Elems() {
				walk(e)
			}
		case KindMap:
			for _, e := range v.Entries() {
				walk(e.Key)
				walk(e.Value)
			}
		case KindRecord:
			for _, f := range v.Fields() {
				walk(f.Value)
			}
		case KindVariant:
			walk(v.Payload())
		}
	}
	for _, s := range tr.States {
		for _, v := range s.Values {
			walk(v)
		}
	}
	return n
}

func showState(tr *Trace, i int) string {
	var sb strings.Builder
	for _, name := range tr.Vars {
		v, _ := tr.States[i].Get(name)
		sb.WriteString(name + " = " + v.String() + "\n")
	}
	return sb.String()
}

func TestNullValue(t *testing.T) {
	if Null().Kind() != KindNull || !Null().IsValid() || KindNull.String() != "null" {
		t.Errorf("Null() = kind %v, valid %v", Null().Kind(), Null().IsValid())
	}
	if !Equal(Null(), Null()) || Equal(Null(), Value{}) || Equal(Null(), Unit()) || Equal(Null(), String("null")) {
		t.Error("Null equals only itself")
	}
	for _, v := range []Value{Bool(false), Int(0), String(""), List(), Unit(), Set(), Map(), Record(), None(), Unserializable("x")} {
		if Compare(v, Null()) >= 0 || Compare(Null(), v) <= 0 {
			t.Errorf("Null does not sort after %v", v)
		}
	}
	if Compare(Null(), Null()) != 0 {
		t.Error("Compare(Null, Null) != 0")
	}
	s := Set(Null(), Int(1), Null())
	if s.Len() != 2 || s.String() != "{1, null}" {
		t.Errorf("set with nulls = %v", s)
	}
	enc, err := Map(Entry{Key: Null(), Value: List(Null())}).MarshalJSON()
	if err != nil || string(enc) != `{"#map":[[null,[null]]]}` {
		t.Errorf("MarshalJSON = %s, %v", enc, err)
	}
	v, err := ParseValue(enc)
	if err != nil || !Equal(v, Map(Entry{Key: Null(), Value: List(Null())})) {
		t.Errorf("ParseValue(%s) = %v, %v", enc, v, err)
	}
}

func TestUnmarshalNull(t *testing.T) {
	var p struct {
		Owner *string `itf:"owner"`
		N     int     `itf:"n"`
	}
	owner := "x"
	p.Owner = &owner
	if err := Unmarshal(Record(Field{"owner", Null()}, Field{"n", Int(1)}), &p); err != nil || p.Owner != nil || p.N != 1 {
		t.Errorf("null into a pointer: %v, %v", p.Owner, err)
	}
	if err := Unmarshal(Record(Field{"owner", Null()}, Field{"n", Null()}), &p); err == nil || !strings.Contains(err.Error(), "null") {
		t.Errorf("null into an int: %v, want an error naming null", err)
	}
}
