package machine

import (
	"testing"

	"github.com/execspec/execspec"
)

// Without a state the action ran from (an action run on a state in place)
// and without recorded picks, a Goexit is reported without picks, rather
// than re-run from nothing.
func TestGoexitedWithoutFrom(t *testing.T) {
	m := execspec.NewModel[struct{ N int }]("g")
	m.Init(func(c *execspec.Ctx[struct{ N int }]) {})
	m.Action("a", func(c *execspec.Ctx[struct{ N int }]) { c.S.N = execspec.IntRange(c, "n", 1, 2) })
	mc, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	var got *PanicError
	mc.OnGoexit(func(pe *PanicError) { got = pe })
	e := mc.NewExecutor()
	e.x.Path = []int{1}
	e.goexited(0, nil)
	if got == nil || got.Where != "action a" || got.Picks != nil || got.Value != ErrGoexit {
		t.Errorf("report %+v", got)
	}
}
