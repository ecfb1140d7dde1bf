package execspec

import (
	"reflect"
	"strings"
	"testing"
)

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
