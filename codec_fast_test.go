package execspec

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The native encoders for common map types must write exactly what the
// reflective encoder writes, so fingerprints do not depend on which ran.
func TestFastMapEncodingMatchesReflective(t *testing.T) {
	values := []any{
		map[string]int{}, map[string]int{"b": 2}, map[string]int{"b": 2, "a": 1, "zz": -5, "": 0},
		map[int]int{3: 1, -1: 2, 1 << 40: 3}, map[string]string{"x": "y", "y": "x"},
		map[string]bool{"t": true, "f": false}, map[int]bool{1: true, 2: false},
		map[int]string{7: "seven", 8: "eight"}, map[string]struct{}{"a": {}, "b": {}},
		map[int]struct{}{5: {}, 4: {}}, map[string]int64{"q": 1 << 50, "r": -1}, map[int64]int64{-9: 9, 9: -9},
		map[int]map[string]int{1: {"a": 1}, 2: {"b": 2, "c": 3}, 3: {}},
		// Keys whose lengths need two-byte uvarints (127, 128, 255, 256, 300
		// bytes), and integers whose little-endian bytes order differently
		// from their values.
		map[string]int{strings.Repeat("a", 127): 1, strings.Repeat("a", 128): 2, strings.Repeat("b", 255): 3, strings.Repeat("a", 256): 4, strings.Repeat("c", 300): 5, "z": 6, "": 7},
		map[int]int{-1: 1, 0: 2, 1: 3, 255: 4, 256: 5, -256: 6, 1 << 62: 7, -(1 << 62): 8},
	}
	for _, v := range values {
		t.Run(fmt.Sprintf("%T/%d", v, reflect.ValueOf(v).Len()), func(t *testing.T) {
			typ := reflect.TypeOf(v)
			kc, err := codecOf(typ.Key())
			if err != nil {
				t.Fatal(err)
			}
			vc, err := codecOf(typ.Elem())
			if err != nil {
				t.Fatal(err)
			}
			fast := fastMapEnc(typ, kc, vc)
			if fast == nil {
				t.Fatal("no fast encoder")
			}
			p := reflect.New(typ)
			p.Elem().Set(reflect.ValueOf(v))
			for i := 0; i < 20; i++ { // map iteration order varies
				got := fast(nil, p.UnsafePointer())
				want := encodeMap(nil, p.Elem(), kc, vc)
				if !bytes.Equal(got, want) {
					t.Fatalf("fast %x, reflective %x", got, want)
				}
			}
		})
	}
}

// The native deep copy of a map of maps gives an equal map that shares no
// inner map with the original (nil inner maps stay nil).
func TestFastNestedMapFix(t *testing.T) {
	for _, v := range []any{
		map[int]map[string]int{1: {"a": 1}, 2: {"b": 2, "c": 3}, 3: {}, 4: nil},
		map[string]map[string]int{"x": {"a": 1}, "y": nil},
		map[string]map[string]bool{"x": {"a": true}, "y": {}},
	} {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
			typ := reflect.TypeOf(v)
			fix := fastMapFix(typ)
			if fix == nil {
				t.Fatal("no fast copy")
			}
			p := reflect.New(typ)
			p.Elem().Set(reflect.ValueOf(v))
			fix(p.UnsafePointer())
			cp := p.Elem()
			if !reflect.DeepEqual(cp.Interface(), v) {
				t.Fatalf("copy %v, want %v", cp.Interface(), v)
			}
			orig := reflect.ValueOf(v)
			for _, k := range orig.MapKeys() {
				a, b := orig.MapIndex(k), cp.MapIndex(k)
				if a.IsNil() != b.IsNil() || (!a.IsNil() && a.UnsafePointer() == b.UnsafePointer()) {
					t.Errorf("key %v: inner map shared or nil-ness changed", k)
				}
			}
		})
	}
}

// Sets of strings and integers encode through the same native key order:
// byte for byte what the reflective encoder writes for their maps.
func TestSetEncodingMatchesReflective(t *testing.T) {
	check := func(t *testing.T, typ reflect.Type, set any, m reflect.Value) {
		t.Helper()
		c, err := codecOf(typ)
		if err != nil {
			t.Fatal(err)
		}
		kc, err := codecOf(m.Type().Key())
		if err != nil {
			t.Fatal(err)
		}
		p := reflect.New(typ)
		p.Elem().Set(reflect.ValueOf(set))
		got := c.enc(nil, p.UnsafePointer())
		if want := encodeMap(nil, m, kc, nil); !bytes.Equal(got, want) {
			t.Fatalf("set %x, reflective %x", got, want)
		}
	}
	strs := SetOf(strings.Repeat("a", 128), strings.Repeat("b", 127), "", "z", strings.Repeat("c", 256))
	check(t, reflect.TypeOf(strs), strs, reflect.ValueOf(strs.items()))
	ints := SetOf(-1, 0, 1, 255, 256, -256, 1<<62)
	check(t, reflect.TypeOf(ints), ints, reflect.ValueOf(ints.items()))
}
