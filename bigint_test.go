package execspec_test

import (
	"bytes"
	"math/big"
	"strings"
	"testing"

	"github.com/execspec/execspec"
)

func TestBigIntArithmetic(t *testing.T) {
	huge, err := execspec.ParseBig("123456789012345678901234567890")
	if err != nil {
		t.Fatal(err)
	}
	div := func(x, y execspec.BigInt) execspec.BigInt { q, _, _ := x.DivMod(y); return q }
	mod := func(x, y execspec.BigInt) execspec.BigInt { _, m, _ := x.DivMod(y); return m }
	cases := []struct {
		name string
		got  execspec.BigInt
		want string
	}{
		{"zero value", execspec.BigInt{}, "0"},
		{"add", execspec.Big(2).Add(execspec.Big(3)), "5"},
		{"add grows past int64", execspec.Big(1 << 62).Add(execspec.Big(1 << 62)), "9223372036854775808"},
		{"sub", execspec.Big(2).Sub(execspec.Big(3)), "-1"},
		{"mul", huge.Mul(execspec.Big(10)), "1234567890123456789012345678900"},
		{"neg", huge.Neg(), "-123456789012345678901234567890"},
		{"div like TLA+", div(execspec.Big(-7), execspec.Big(2)), "-4"},
		{"mod like TLA+", mod(execspec.Big(-7), execspec.Big(2)), "1"},
		{"from nil", execspec.BigFrom(nil), "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got.String() != tc.want {
				t.Fatalf("got %s, want %s", tc.got, tc.want)
			}
		})
	}
	if _, _, ok := huge.DivMod(execspec.BigInt{}); ok {
		t.Fatal("DivMod by zero reported ok")
	}
	if n, ok := execspec.Big(-9).Int64(); !ok || n != -9 {
		t.Fatalf("Int64 = %d, %v", n, ok)
	}
	if _, ok := huge.Int64(); ok {
		t.Fatal("Int64 of a huge number reported ok")
	}
}

func TestBigIntIsImmutable(t *testing.T) {
	src := big.NewInt(7)
	x := execspec.BigFrom(src)
	src.SetInt64(8)
	x.Big().SetInt64(9)
	y := x.Add(execspec.Big(1))
	if x.String() != "7" || y.String() != "8" {
		t.Fatalf("x = %s, y = %s; want 7 and 8", x, y)
	}
}

func TestParseBigRejectsNonIntegers(t *testing.T) {
	for _, s := range []string{"", "1.5", "0x10", "12a", " 1"} {
		if _, err := execspec.ParseBig(s); err == nil {
			t.Errorf("ParseBig(%q) accepted it", s)
		}
	}
}

func FuzzParseBig(f *testing.F) {
	for _, s := range []string{"0", "-1", "123456789012345678901234567890", "+5", "007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := execspec.ParseBig(s)
		if err != nil {
			return
		}
		y, err := execspec.ParseBig(x.String())
		if err != nil || !x.Equal(y) {
			t.Fatalf("%q parsed as %s, which does not parse back (%v)", s, x, err)
		}
	})
}

type bigState struct {
	Supply execspec.BigInt
	Ledger map[string]execspec.BigInt
}

func TestBigIntInState(t *testing.T) {
	mc := compileWith(t, func(s *bigState) {})
	enc := func(s bigState) []byte { return mc.AppendEncoding(nil, &s) }
	huge, _ := execspec.ParseBig("-98765432109876543210")
	// Equal numbers encode equally however they were made; different ones
	// differently (sign and magnitude both count).
	same := [][2]bigState{
		{{Supply: execspec.BigInt{}}, {Supply: execspec.Big(0)}},
		{{Supply: execspec.Big(5)}, {Supply: execspec.BigFrom(big.NewInt(5))}},
		{{Supply: execspec.Big(5)}, {Supply: execspec.Big(2).Add(execspec.Big(3))}},
	}
	for _, p := range same {
		if !bytes.Equal(enc(p[0]), enc(p[1])) {
			t.Errorf("%s and %s encode differently", p[0].Supply, p[1].Supply)
		}
	}
	distinct := []execspec.BigInt{execspec.Big(0), execspec.Big(1), execspec.Big(-1), execspec.Big(256), execspec.Big(1 << 40), huge, huge.Neg()}
	seen := map[string]string{}
	for _, x := range distinct {
		k := string(enc(bigState{Supply: x}))
		if prev, dup := seen[k]; dup {
			t.Errorf("%s and %s encode the same", prev, x)
		}
		seen[k] = x.String()
	}

	// ITF: #bigint in JSON, and back.
	s := bigState{Supply: huge, Ledger: map[string]execspec.BigInt{"a": execspec.Big(1)}}
	vals, err := mc.ToITF(&s)
	if err != nil {
		t.Fatal(err)
	}
	js, err := vals["Supply"].MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"#bigint":"-98765432109876543210"`) {
		t.Fatalf("ITF JSON = %s, want a #bigint", js)
	}
	back, err := mc.FromITF(vals)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc(back), enc(s)) {
		t.Fatalf("ITF round trip: got %s, want %s", back.Supply, s.Supply)
	}
	cp := mc.Clone(&s)
	cp.Ledger["a"] = cp.Ledger["a"].Add(execspec.Big(1))
	if s.Ledger["a"].String() != "1" {
		t.Fatalf("changing the copy changed the original: %s", s.Ledger["a"])
	}
}

// BigInts are not comparable with ==, so sets of them are VSets, which
// compare numbers, not pointers.
func TestVSetOfBigInts(t *testing.T) {
	s := execspec.VSetOf(execspec.Big(1), execspec.BigFrom(big.NewInt(1)), execspec.Big(2).Sub(execspec.Big(1)), execspec.Big(-3))
	if s.Len() != 2 || !s.Has(execspec.Big(-3)) || s.String() != "{-3, 1}" && s.String() != "{1, -3}" {
		t.Fatalf("set = %s, want {1, -3}", s)
	}
}
