package state_test

import (
	"bytes"
	"reflect"
	"testing"
	"unsafe"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/state"
)

type layoutSum interface{ isLayoutSum() }

type (
	lsInt struct{ N int }            // behind the word
	lsMap struct{ M map[string]int } // a map: in the word
	lsPtr struct{ P *int }           // a pointer: in the word
	lsArr [1]map[int]bool            // one-element array of a map: in the word
	lsTwo struct {
		M map[string]int
		N int
	} // two fields: behind
	lsStr     string             // behind
	lsNested  struct{ In lsMap } // struct of a pointer-shaped struct: in the word
	lsBigNest struct{ In lsTwo } // behind
)

func (lsInt) isLayoutSum()     {}
func (lsMap) isLayoutSum()     {}
func (lsPtr) isLayoutSum()     {}
func (lsArr) isLayoutSum()     {}
func (lsTwo) isLayoutSum()     {}
func (lsStr) isLayoutSum()     {}
func (lsNested) isLayoutSum()  {}
func (lsBigNest) isLayoutSum() {}

// Encoding a variant in place must give exactly the bytes of encoding a
// copy of it, for every layout; and the layouts are the expected ones.
func TestVariantEncodedInPlace(t *testing.T) {
	execspec.Variants[layoutSum](lsInt{}, lsMap{}, lsPtr{}, lsArr{}, lsTwo{}, lsStr(""), lsNested{}, lsBigNest{})
	seven := 7
	cases := []struct {
		v    layoutSum
		want state.IfaceLayout
	}{
		{lsInt{N: -3}, state.LayoutBehind},
		{lsMap{M: map[string]int{"b": 2, "a": 1}}, state.LayoutInWord},
		{lsMap{}, state.LayoutInWord},
		{lsPtr{P: &seven}, state.LayoutInWord},
		{lsPtr{}, state.LayoutInWord},
		{lsArr{{1: true, 2: false}}, state.LayoutInWord},
		{lsTwo{M: map[string]int{"x": 1}, N: 4}, state.LayoutBehind},
		{lsStr("hello"), state.LayoutBehind},
		{lsNested{In: lsMap{M: map[string]int{"k": 9}}}, state.LayoutInWord},
		{lsBigNest{In: lsTwo{N: 1}}, state.LayoutBehind},
	}
	c, err := state.Of(reflect.TypeFor[layoutSum]())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		dt := reflect.TypeOf(tc.v)
		if got := state.LayoutOf(dt); got != tc.want {
			t.Errorf("%s: layout %d, want %d", dt, got, tc.want)
		}
		v := tc.v
		fast := c.Enc(nil, unsafe.Pointer(&v))
		ec, err := state.Of(dt)
		if err != nil {
			t.Fatal(err)
		}
		cp := reflect.New(dt)
		cp.Elem().Set(reflect.ValueOf(tc.v))
		tag := dt.Name()
		slow := append(append([]byte{byte(len(tag))}, tag...), ec.Enc(nil, cp.UnsafePointer())...)
		if !bytes.Equal(fast, slow) {
			t.Errorf("%#v: in place %x, copied %x", tc.v, fast, slow)
		}
	}
}
