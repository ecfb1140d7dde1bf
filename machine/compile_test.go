package machine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

func TestCompileNilModel(t *testing.T) {
	if _, err := machine.Compile[tstate](nil); err == nil || !strings.Contains(err.Error(), "nil model") {
		t.Fatalf("Compile(nil) = %v, want an error", err)
	}
}

// A Machine is a snapshot of its model: declarations made after Compile
// do not change it.
func TestCompileIsASnapshot(t *testing.T) {
	m := execspec.NewModel[tstate]("t")
	m.Init(func(c *execspec.Ctx[tstate]) {})
	m.Action("inc", func(c *execspec.Ctx[tstate]) { c.S.X++ })
	m.Invariant("small", func(s *tstate) bool { return s.X < 3 })
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	m.Action("dec", func(c *execspec.Ctx[tstate]) { c.S.X-- })
	m.Example("big", func(s *tstate) bool { return s.X > 3 })
	if got := mc.Actions(); len(got) != 1 || got[0] != "inc" {
		t.Errorf("actions %v, want [inc]", got)
	}
	if _, err := mc.Property("big"); err == nil {
		t.Error("a property declared after Compile is in the machine")
	}
	var unknown *execspec.UnknownNameError
	if _, err := mc.ActionIndex("dec"); !errors.As(err, &unknown) || unknown.Name != "dec" {
		t.Errorf("ActionIndex(dec) = %v, want an UnknownNameError", err)
	}
}
