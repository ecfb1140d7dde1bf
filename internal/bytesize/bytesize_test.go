package bytesize

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		err  string
	}{
		{"0", 0, ""},
		{"1000", 1000, ""},
		{"512B", 512, ""},
		{"50MiB", 50 << 20, ""},
		{"50MB", 50 << 20, ""},
		{"50 mb", 50 << 20, ""},
		{"1.5KiB", 1536, ""},
		{"1.5kb", 1536, ""},
		{"2G", 2 << 30, ""},
		{"2GiB", 2 << 30, ""},
		{"1TB", 1 << 40, ""},
		{"", 0, "is not a size"},
		{"lots", 0, "is not a size"},
		{"-5MiB", 0, "is not a size"},
		{"5XB", 0, "is not a size"},
		{"1e30GiB", 0, "too large"},
	}
	for _, tc := range cases {
		got, err := Parse(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("Parse(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("Parse(%q) = %d, %v; want an error containing %q", tc.in, got, err, tc.err)
		}
	}
}

func TestFormat(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 KiB", 50 << 20: "50.0 MiB", 3 << 30: "3.0 GiB", 2 << 40: "2.0 TiB"} {
		if got := Format(n); got != want {
			t.Errorf("Format(%d) = %q, want %q", n, got, want)
		}
	}
}
