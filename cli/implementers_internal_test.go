package cli

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/execspec/execspec"
)

type hintIface interface{ Step() }

func TestImplementers(t *testing.T) {
	dir := t.TempDir()
	src := `package p

type I interface{ Step() }
type A struct{}
type B[T any] struct{}
type C struct{}
type D struct{}

func (A) Step()     {}
func (B[T]) Step()  {}
func (*C) Step()    {}
func (D) Other()    {}
func helper()       {}
`
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "p_test.go"), []byte("package p\ntype E struct{}\nfunc (E) Step() {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.go"), []byte("package p\nfunc ("), 0o644)
	iface := reflect.TypeFor[hintIface]()
	values, pointers, err := implementers(dir, iface)
	if err != nil || !reflect.DeepEqual(values, []string{"A", "B"}) || !reflect.DeepEqual(pointers, []string{"*C"}) {
		t.Fatalf("implementers = %v, %v, %v; want [A B] [*C]", values, pointers, err)
	}
	te := &execspec.TypeError{Path: "State.X", Type: iface, Reason: "interface type with no registered variants: ..."}
	for _, c := range []struct {
		name, dir string
		err       error
		changed   bool
	}{
		{"hint", dir, te, true},
		{"no directory", "", te, false},
		{"another error", dir, errors.New("boom"), false},
		{"another reason", dir, &execspec.TypeError{Path: "State.X", Type: iface, Reason: "something else"}, false},
		{"no such directory", filepath.Join(dir, "nope"), te, false},
	} {
		got := variantsHint(c.err, c.dir, "./p")
		if (got.Error() != c.err.Error()) != c.changed {
			t.Errorf("%s: %v", c.name, got)
		}
		if !errors.Is(got, c.err) {
			t.Errorf("%s: the hint lost the error it wraps", c.name)
		}
	}
}
