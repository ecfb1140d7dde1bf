package execspec

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unsafe"
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
	Variants[layoutSum](lsInt{}, lsMap{}, lsPtr{}, lsArr{}, lsTwo{}, lsStr(""), lsNested{}, lsBigNest{})
	seven := 7
	cases := []struct {
		v    layoutSum
		want ifaceLayout
	}{
		{lsInt{N: -3}, layoutBehind},
		{lsMap{M: map[string]int{"b": 2, "a": 1}}, layoutInWord},
		{lsMap{}, layoutInWord},
		{lsPtr{P: &seven}, layoutInWord},
		{lsPtr{}, layoutInWord},
		{lsArr{{1: true, 2: false}}, layoutInWord},
		{lsTwo{M: map[string]int{"x": 1}, N: 4}, layoutBehind},
		{lsStr("hello"), layoutBehind},
		{lsNested{In: lsMap{M: map[string]int{"k": 9}}}, layoutInWord},
		{lsBigNest{In: lsTwo{N: 1}}, layoutBehind},
	}
	c, err := codecOf(reflect.TypeFor[layoutSum]())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		dt := reflect.TypeOf(tc.v)
		if got := layoutOf(dt); got != tc.want {
			t.Errorf("%s: layout %d, want %d", dt, got, tc.want)
		}
		v := tc.v
		fast := c.enc(nil, unsafe.Pointer(&v))
		ec, err := codecOf(dt)
		if err != nil {
			t.Fatal(err)
		}
		cp := reflect.New(dt)
		cp.Elem().Set(reflect.ValueOf(tc.v))
		tag := dt.Name()
		slow := append(append([]byte{byte(len(tag))}, tag...), ec.enc(nil, cp.UnsafePointer())...)
		if !bytes.Equal(fast, slow) {
			t.Errorf("%#v: in place %x, copied %x", tc.v, fast, slow)
		}
	}
}

type notAnInterface struct{ N int }

// Variants with a type that is not an interface would otherwise be lost:
// no field can report it, so every Compile does.
func TestVariantsOfANonInterfaceFailsCompile(t *testing.T) {
	typ := reflect.TypeFor[notAnInterface]()
	t.Cleanup(func() { misusedVariants.Delete(typ) })
	Variants[notAnInterface](notAnInterface{1})
	type st struct{ N int }
	m := NewModel[st]("unrelated")
	m.Init(func(*Ctx[st]) {})
	m.Action("a", func(*Ctx[st]) {})
	_, err := m.compile()
	if err == nil || !strings.Contains(err.Error(), "execspec.Variants[execspec.notAnInterface]") || !strings.Contains(err.Error(), "not an interface") {
		t.Fatalf("Compile = %v, want the misused Variants call", err)
	}
	misusedVariants.Delete(typ)
	if _, err := m.compile(); err != nil {
		t.Fatalf("after the cleanup: %v", err)
	}
}
