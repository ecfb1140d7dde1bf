package itf

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lengths := []int{1, 2, 19, 20, decimalChunk - 1, decimalChunk, decimalChunk + 1, 2 * decimalChunk, 2*decimalChunk + 1, 5000, 3*decimalChunk*4 + 7}
	for _, n := range lengths {
		for _, neg := range []bool{false, true} {
			var sb strings.Builder
			if neg {
				sb.WriteByte('-')
			}
			for i := 0; i < n; i++ {
				sb.WriteByte(byte('0' + r.IntN(10)))
			}
			s := sb.String()
			want, _ := new(big.Int).SetString(s, 10)
			if got := parseDecimal([]byte(s)); got.Cmp(want) != 0 {
				t.Errorf("parseDecimal of %d digits (neg %v) differs from SetString", n, neg)
			}
		}
	}
	// Leading zeros, across the split.
	s := strings.Repeat("0", 3*decimalChunk) + "42"
	if got := parseDecimal([]byte(s)); got.Int64() != 42 {
		t.Errorf("parseDecimal(zeros then 42) = %v", got)
	}
}

func TestMaxIntDigits(t *testing.T) {
	long := strings.Repeat("9", DefaultMaxIntDigits+1)
	cases := []struct {
		name string
		opts DecodeOptions
		in   string
		want string // error substring; "" for success
	}{
		{"default, #bigint over", DecodeOptions{}, `{"#bigint":"` + long + `"}`, "#bigint: integer of 100001 digits, over the limit of 100000 (DecodeOptions.MaxIntDigits) (at byte offset 11)"},
		{"default, plain over", DecodeOptions{}, `[` + long + `]`, "[0]: integer of 100001 digits, over the limit of 100000"},
		{"default, at the limit", DecodeOptions{}, `{"#bigint":"-` + long[1:] + `"}`, ""},
		{"no limit", DecodeOptions{MaxIntDigits: -1}, `{"#bigint":"` + long + `"}`, ""},
		{"small limit, plain", DecodeOptions{MaxIntDigits: 5}, `-123456`, "integer of 6 digits, over the limit of 5"},
		{"small limit, escaped #bigint", DecodeOptions{MaxIntDigits: 5}, `{"#bigint":"12345\u0036"}`, "integer of 6 digits, over the limit of 5"},
		{"small limit, within", DecodeOptions{MaxIntDigits: 5}, `-12345`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.opts.ParseValue([]byte(tc.in))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
