package execspec

import (
	"testing"

	"github.com/execspec/execspec/internal/core"
)

// TestPicked: a condition reads picks by label, subsets as a Set or a
// slice.
func TestPicked(t *testing.T) {
	p := Picks{[]core.Pick{{Label: "c", Value: "c1"}, {Label: "S", Value: setOfAny([]string{"r1", "r2"})}}}
	if c, ok := Picked[string](p, "c"); !ok || c != "c1" {
		t.Errorf("c: %q %v", c, ok)
	}
	if _, ok := Picked[int](p, "c"); ok {
		t.Error("c read as an int")
	}
	if s, ok := Picked[Set[string]](p, "S"); !ok || !s.Equal(SetOf("r1", "r2")) {
		t.Errorf("S as a Set: %v %v", s, ok)
	}
	if s, ok := Picked[[]string](p, "S"); !ok || len(s) != 2 || s[1] != "r2" {
		t.Errorf("S as a slice: %v %v", s, ok)
	}
	if _, ok := Picked[Set[int]](p, "S"); ok {
		t.Error("S read as a Set[int]")
	}
	if _, ok := Picked[string](p, "none"); ok || p.Has("none") || !p.Has("S") {
		t.Error("a label not picked")
	}
}
