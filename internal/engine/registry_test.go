package engine_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/execspec/execspec/internal/engine"
)

type entry struct{ name string }

func TestRegistry(t *testing.T) {
	name := func(e entry) string { return e.name }
	r := engine.NewRegistry("strategy", name, entry{"b"}, entry{"a"})
	r.Register(entry{"c"})
	if got := r.Names(); !slices.Equal(got, []string{"b", "a", "c"}) {
		t.Errorf("names %q: want the built-in ones in order, then the registered", got)
	}
	if e, ok := r.Get("a"); !ok || e.name != "a" {
		t.Errorf("Get(a) = %v, %v", e, ok)
	}
	if _, err := r.Lookup("z"); err == nil || !strings.Contains(err.Error(), `unknown strategy "z"; valid: b, a, c`) {
		t.Errorf("Lookup(z): %v", err)
	}
	for _, bad := range []entry{{"a"}, {""}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("registering %q did not panic", bad.name)
				}
			}()
			r.Register(bad)
		}()
	}
	if len(r.All()) != 3 {
		t.Errorf("a refused entry was kept: %v", r.All())
	}
}
