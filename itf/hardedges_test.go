package itf

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// Input the decoder used to take on trust or misreport: a byte order mark,
// repeated record fields and set elements, ill-typed mbt:: variables, a
// trace cut short, and more values than the caller can hold.
func TestDecodeHardEdges(t *testing.T) {
	const good = `{"vars":["x"],"states":[{"x":1}]}`
	cases := []struct {
		name   string
		in     string
		strict bool
		want   string // error substring; "" for success
	}{
		{"byte order mark", "\ufeff" + good, false, ""},
		{"byte order mark, strict", "\ufeff" + good, true, ""},
		{"repeated field", `{"vars":["x"],"states":[{"x":{"a":1,"a":2}}]}`, false, ""},
		{"repeated field, strict", `{"vars":["x"],"states":[{"x":{"a":1,"b":0,"a":2}}]}`, true,
			`state 0, variable "x": duplicate record field "a" (strict mode) (at byte offset 42)`},
		{"repeated set element", `{"vars":["x"],"states":[{"x":{"#set":[1,1]}}]}`, false, ""},
		{"repeated set element, strict", `{"vars":["x"],"states":[{"x":{"#set":[2,1,2]}}]}`, true,
			`state 0, variable "x": #set element 2: duplicate element 2 (element 0 is the same; strict mode) (at byte offset 42)`},
		{"action taken not a string", `{"vars":["x"],"states":[{"x":1,"mbt::actionTaken":7}]}`, false,
			`state 0: mbt::actionTaken must be a string (the action's name); its value is of kind int (at byte offset 50)`},
		{"picks not a record", `{"vars":["x"],"states":[{"x":1,"mbt::nondetPicks":[1]}]}`, false,
			`state 0: mbt::nondetPicks must be a record (a field per pick); its value is of kind list`},
		{"picks a record", `{"vars":["x"],"states":[{"x":1,"mbt::actionTaken":"a","mbt::nondetPicks":{"n":{"tag":"Some","value":1}}}]}`, false, ""},
		{"cut short", `{"vars":["x"],"states":[{"x":1}`, false, "unexpected end of input, expecting ',' or ']' in states (at byte offset 31)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := DecodeOptions{Strict: tc.strict}
			for _, decode := range []struct {
				how string
				f   func() error
			}{
				{"DecodeBytes", func() error { _, err := opts.DecodeBytes([]byte(tc.in)); return err }},
				{"DecodeAll", func() error { _, err := opts.DecodeAll([]byte(tc.in)); return err }},
			} {
				err := decode.f()
				switch {
				case tc.want == "" && err != nil:
					t.Errorf("%s: %v", decode.how, err)
				case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
					t.Errorf("%s: %v, want %q", decode.how, err, tc.want)
				}
			}
		})
	}
}

// The streaming Decoder skips a byte order mark and reports a trace cut
// short at the end of the input, not at byte offset 0.
func TestDecoderHardEdges(t *testing.T) {
	d := NewDecoder(strings.NewReader("\ufeff" + `{"vars":["x"],"states":[{"x":1}]}` + "\n" + `{"vars":["x"],"states":[{"x":`))
	if _, err := d.Next(); err != nil {
		t.Fatalf("first trace: %v", err)
	}
	_, err := d.Next()
	var de *DecodeError
	if !errors.As(err, &de) || de.Offset != 66 || !strings.Contains(err.Error(), "decode trace 1: unexpected end of input (the trace is cut short) (at byte offset 66)") {
		t.Errorf("second trace: %v", err)
	}
	if _, again := d.Next(); again != err {
		t.Errorf("after an error: %v", again)
	}
	bad := NewDecoder(strings.NewReader("\ufeff" + `{"vars":["x"],"states":[{"x":1.5}]}`))
	if _, err := bad.Next(); err == nil || !strings.Contains(err.Error(), "(at byte offset 32)") {
		t.Errorf("offsets after a byte order mark: %v", err)
	}
	if _, err := NewDecoder(strings.NewReader("")).Next(); err != io.EOF {
		t.Errorf("empty input: %v", err)
	}
}

// MaxBytes stops decoding where the estimate of what the values hold
// passes it, across all the traces of an input.
func TestDecodeMaxBytes(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"vars":["x"],"states":[`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"x":{"a":1,"b":"some text"}}`)
	}
	b.WriteString(`]}`)
	one := b.String()
	held := func(in string) int64 {
		p := parser{data: []byte(in)}
		if _, err := p.trace(); err != nil {
			t.Fatal(err)
		}
		return p.held
	}
	n := held(one)
	if n < 1000*4*heldValue {
		t.Fatalf("1,000 states of four values each count %d bytes", n)
	}
	cases := []struct {
		name string
		max  int64
		in   string
		ok   bool
	}{
		{"no limit", 0, one, true},
		{"at the estimate", n, one, true},
		{"below it", n - 1, one, false},
		{"two traces, one fits", n + n/2, one + "\n" + one, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := DecodeOptions{MaxBytes: tc.max}
			_, err := opts.DecodeAll([]byte(tc.in))
			d := opts.NewDecoder(strings.NewReader(tc.in))
			var derr error
			for derr == nil {
				_, derr = d.Next()
			}
			for how, err := range map[string]error{"DecodeAll": err, "Decoder": derr} {
				var se *SizeError
				switch {
				case tc.ok && err != nil && err != io.EOF:
					t.Errorf("%s: %v", how, err)
				case !tc.ok && (!errors.As(err, &se) || se.Max != tc.max || !strings.Contains(err.Error(), "decoded, the input holds more than")):
					t.Errorf("%s: %v, want a *SizeError", how, err)
				}
			}
		})
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 50 << 20: "50.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
