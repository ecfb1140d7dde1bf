package itf

import (
	"strings"
	"testing"
)

// A value nested beyond MaxDepth gets an error of a few hundred bytes, not
// one path segment per level.
func TestDeepNestingMessageIsShort(t *testing.T) {
	for _, levels := range []int{MaxDepth + 1, 100_000} {
		in := `{"vars":["x"],"states":[{"x":` + strings.Repeat("[", levels) + strings.Repeat("]", levels) + `}]}`
		_, err := DecodeBytes([]byte(in))
		if err == nil {
			t.Fatalf("%d levels decoded", levels)
		}
		msg := err.Error()
		if len(msg) > 300 || !strings.Contains(msg, `state 0, variable "x": [0]: [0]`) || !strings.Contains(msg, "more levels ...: [0]") || !strings.Contains(msg, "nesting deeper than 10000 levels") {
			t.Errorf("%d levels: %d-byte message %q", levels, len(msg), msg)
		}
	}
}

func TestMapDuplicateKeys(t *testing.T) {
	cases := []struct {
		in, want string // want: error substring, "" for success
	}{
		{`{"#map":[[1,"a"],[2,"b"]]}`, ""},
		{`{"#map":[[2,"b"],[1,"a"]]}`, ""},
		{`{"#map":[[1,"a"],[1,"b"]]}`, `#map entry 1: duplicate key 1 (entry 0 has it too) (at byte offset 17)`},
		{`{"#map":[[3,0],[1,0],[2,0],{"#bigint":"1"}]}`, `#map entry 3: invalid character '{'`},
		{`{"#map":[[3,0],[1,0],[2,0],[{"#bigint":"1"},0],[3,1]]}`, `#map entry 3: duplicate key 1 (entry 1 has it too)`},
		{`{"#map":[[{"#set":[1,2]},0],[{"#set":[2,1]},0]]}`, `#map entry 1: duplicate key {1, 2} (entry 0 has it too)`},
		{`{"x":{"#map":[[null,0],[null,1]]}}`, `field "x": #map entry 1: duplicate key null`},
	}
	for _, tc := range cases {
		_, err := ParseValue([]byte(tc.in))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ParseValue(%s): %v", tc.in, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ParseValue(%s) = %v, want %q", tc.in, err, tc.want)
		}
	}
}
