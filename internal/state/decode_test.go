package state_test

import (
	"bytes"
	"reflect"
	"testing"
	"unsafe"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/state"
)

type decKey struct {
	A string
	B int8
}

type decAll struct {
	B    bool
	I8   int8
	U8   uint8
	I16  int16
	U16  uint16
	I32  int32
	U32  uint32
	I64  int64
	U64  uint64
	I    int
	U    uint
	S    string
	Arr  [2]map[string]int
	Sl   []decKey
	M    map[decKey][]int
	MM   map[int]map[string]int
	P    *decKey
	Set  execspec.Set[int]
	SetK execspec.Set[decKey]
	VS   execspec.VSet[execspec.Set[string]]
	Big  execspec.BigInt
	Sum  layoutSum
	Sums []layoutSum
}

// Decoding an encoding gives a value that encodes to the same bytes, for
// every kind the codec handles; values are decoded over a dirty target so
// that every field must be overwritten.
func TestDecodeRoundTrip(t *testing.T) {
	execspec.Variants[layoutSum](lsInt{}, lsMap{}, lsPtr{}, lsArr{}, lsTwo{}, lsStr(""), lsNested{}, lsBigNest{})
	seven := 7
	full := decAll{
		B: true, I8: -3, U8: 250, I16: -300, U16: 60000, I32: -70000, U32: 4e9,
		I64: -1 << 40, U64: 1 << 63, I: -5, U: 9, S: "héllo",
		Arr:  [2]map[string]int{{"a": 1}, {}},
		Sl:   []decKey{{"x", 1}, {"", -1}},
		M:    map[decKey][]int{{"k", 2}: {1, 2}, {"j", 0}: nil},
		MM:   map[int]map[string]int{1: {"a": 1, "b": 2}, 2: {}},
		P:    &decKey{"p", 3},
		Set:  execspec.SetOf(3, 1, 2),
		SetK: execspec.SetOf(decKey{"a", 1}, decKey{"b", 2}),
		VS:   execspec.VSetOf(execspec.SetOf("a", "b"), execspec.SetOf[string]()),
		Big:  execspec.Big(-1).Mul(execspec.Big(1 << 62)).Mul(execspec.Big(1 << 62)),
		Sum:  lsTwo{M: map[string]int{"z": 26}, N: 1},
		Sums: []layoutSum{lsInt{4}, lsMap{map[string]int{"q": 1}}, lsPtr{&seven}, lsPtr{}, nil, lsArr{{1: true}}, lsStr("s"), lsNested{lsMap{}}, lsBigNest{lsTwo{N: 2}}},
	}
	dirty := full
	dirty.S, dirty.P, dirty.Sum = "dirty", &decKey{"d", 1}, lsInt{9}
	c, err := state.Of(reflect.TypeFor[decAll]())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		v    decAll
	}{
		{"zero", decAll{}},
		{"full", full},
		{"big zero and positive", decAll{Big: execspec.Big(0), Sum: lsStr(""), Sums: []layoutSum{lsInt{}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enc := c.Enc(nil, unsafe.Pointer(&tc.v))
			got := dirty
			if err := state.NewStateDecoder[decAll](c).Decode(enc, &got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if again := c.Enc(nil, unsafe.Pointer(&got)); !bytes.Equal(again, enc) {
				t.Fatalf("re-encoded differs:\n got %x\nwant %x", again, enc)
			}
			if tc.v.MM[2] != nil && got.MM[2] == nil {
				t.Errorf("an empty map in the state decoded as nil")
			}
		})
	}
}

// Truncated encodings are reported, never a panic or a silent success.
func TestDecodeTruncated(t *testing.T) {
	execspec.Variants[layoutSum](lsInt{}, lsMap{}, lsPtr{}, lsArr{}, lsTwo{}, lsStr(""), lsNested{}, lsBigNest{})
	c, _ := state.Of(reflect.TypeFor[decAll]())
	v := decAll{S: "abc", Sl: []decKey{{"x", 1}}, Set: execspec.SetOf(1, 2), Big: execspec.Big(1000), Sum: lsStr("s")}
	enc := c.Enc(nil, unsafe.Pointer(&v))
	for n := 0; n < len(enc); n++ {
		var got decAll
		if err := state.NewStateDecoder[decAll](c).Decode(enc[:n], &got); err == nil {
			t.Errorf("decoding the first %d of %d bytes succeeded", n, len(enc))
		}
	}
}

type lateSum interface{ isLateSum() }

type (
	lateA struct{ N int }
	lateB struct{ S string }
)

func (lateA) isLateSum() {}
func (lateB) isLateSum() {}

// A variant registered after a decoder was built for its interface is
// decoded too: registering clears the decoders, as it clears the codecs.
func TestDecodeVariantRegisteredLater(t *testing.T) {
	execspec.Variants[lateSum](lateA{})
	if _, err := state.Of(reflect.TypeFor[[]lateSum]()); err != nil {
		t.Fatal(err)
	}
	execspec.Variants[lateSum](lateA{}, lateB{})
	v := []lateSum{lateA{1}, lateB{"b"}}
	c, err := state.Of(reflect.TypeFor[[]lateSum]())
	if err != nil {
		t.Fatal(err)
	}
	var got []lateSum
	err = state.NewStateDecoder[[]lateSum](c).Decode(c.Enc(nil, unsafe.Pointer(&v)), &got)
	if err != nil || len(got) != 2 || got[1] != (lateB{"b"}) {
		t.Fatalf("decoded %v, err %v", got, err)
	}
}
