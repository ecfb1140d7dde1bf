package machine_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
)

type pickState struct {
	A   int
	B   string
	Sub []int
	F   map[string]int
	Alt string
}

// enumerate counts the enabled branches of the model's only action.
func enumerate(t *testing.T, act func(c *execspec.Ctx[pickState])) (int, []pickState) {
	t.Helper()
	m := execspec.NewModel[pickState]("p")
	m.Init(func(c *execspec.Ctx[pickState]) {})
	m.Action("act", act)
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ex := mc.NewExecutor()
	var from, to pickState
	var states []pickState
	ex.Enumerate(0, &from, &to, func(r machine.Result) bool {
		if r.Err != nil {
			t.Fatalf("unexpected panic: %v", r.Err)
		}
		states = append(states, *mc.Clone(&to))
		return true
	})
	return len(states), states
}

func TestEnumerateCountsEveryBranch(t *testing.T) {
	cases := []struct {
		name string
		act  func(c *execspec.Ctx[pickState])
		want int
	}{
		{"one of", func(c *execspec.Ctx[pickState]) { c.S.B = execspec.OneOf(c, "b", []string{"x", "y", "z"}) }, 3},
		{"range", func(c *execspec.Ctx[pickState]) { c.S.A = execspec.IntRange(c, "a", 1, 4) }, 4},
		{"empty range drops", func(c *execspec.Ctx[pickState]) { c.S.A = execspec.IntRange(c, "a", 4, 1) }, 0},
		{"product", func(c *execspec.Ctx[pickState]) {
			c.S.B = execspec.OneOf(c, "b", []string{"x", "y", "z"})
			c.S.A = execspec.IntRange(c, "a", 1, 4)
		}, 12},
		{"subset", func(c *execspec.Ctx[pickState]) { c.S.Sub = execspec.SubsetOf(c, "s", []int{1, 2, 3}) }, 8},
		{"non-empty subset", func(c *execspec.Ctx[pickState]) {
			c.S.Sub = execspec.SubsetOf(c, "s", []int{1, 2, 3})
			c.Assume(len(c.S.Sub) > 0)
		}, 7},
		{"function", func(c *execspec.Ctx[pickState]) {
			c.S.F = execspec.FunctionOf(c, "f", []string{"k1", "k2"}, []int{1, 2, 3})
		}, 9},
		{"either", func(c *execspec.Ctx[pickState]) {
			c.Either("alt",
				execspec.Alt("left", func(c *execspec.Ctx[pickState]) { c.S.Alt = "l" }),
				execspec.Alt("right", func(c *execspec.Ctx[pickState]) {
					c.S.Alt = "r"
					c.S.A = execspec.IntRange(c, "a", 0, 1)
				}))
		}, 3},
		{"guard prunes", func(c *execspec.Ctx[pickState]) {
			c.S.A = execspec.IntRange(c, "a", 0, 9)
			if !c.Assume(c.S.A%3 == 0) {
				return
			}
			c.S.B = execspec.OneOf(c, "b", []string{"x", "y"})
		}, 8},
		{"code after a failed guard is harmless", func(c *execspec.Ctx[pickState]) {
			c.Assume(false)
			var xs []int
			c.S.A = xs[3] // panics, but the branch is already dropped
		}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if n, _ := enumerate(t, tc.act); n != tc.want {
				t.Fatalf("enabled branches = %d, want %d", n, tc.want)
			}
		})
	}
}

func TestRandomFindsTheOnlyEnabledBranch(t *testing.T) {
	m := execspec.NewModel[pickState]("p")
	m.Init(func(c *execspec.Ctx[pickState]) {})
	m.Action("needle", func(c *execspec.Ctx[pickState]) {
		c.S.A = execspec.IntRange(c, "a", 0, 999)
		c.Assume(c.S.A == 637)
	})
	m.Action("never", func(c *execspec.Ctx[pickState]) {
		c.S.A = execspec.IntRange(c, "a", 0, 99)
		c.Assume(false)
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ex := mc.NewExecutor()
	var from, to pickState
	for seed := uint64(0); seed < 5; seed++ {
		r, runs, exhausted := ex.Random(0, &from, &to, rng.New(seed, 0), 0)
		if !r.Enabled || to.A != 637 || exhausted || runs > 1000 {
			t.Fatalf("seed %d: enabled=%v A=%d runs=%d exhausted=%v", seed, r.Enabled, to.A, runs, exhausted)
		}
	}
	r, runs, exhausted := ex.Random(1, &from, &to, rng.New(1, 0), 0)
	if r.Enabled || !exhausted || runs != 100 {
		t.Fatalf("disabled action: enabled=%v runs=%d exhausted=%v, want every one of 100 branches tried", r.Enabled, runs, exhausted)
	}
	_, runs, exhausted = ex.Random(1, &from, &to, rng.New(1, 0), 10)
	if exhausted || runs != 10 {
		t.Fatalf("budget 10: runs=%d exhausted=%v", runs, exhausted)
	}
}

func TestPanicIsReportedWithPicks(t *testing.T) {
	m := execspec.NewModel[pickState]("p")
	m.Init(func(c *execspec.Ctx[pickState]) {})
	m.Action("boom", func(c *execspec.Ctx[pickState]) {
		d := execspec.OneOf(c, "deployer", []string{"a", "b"})
		if d == "b" {
			panic("bad deployer")
		}
	})
	mc, _ := machine.Compile(m)
	ex := mc.NewExecutor()
	var from, to pickState
	var panics []error
	ex.Enumerate(0, &from, &to, func(r machine.Result) bool {
		if r.Err != nil {
			panics = append(panics, r.Err)
		}
		return true
	})
	if len(panics) != 1 {
		t.Fatalf("got %d panics, want 1", len(panics))
	}
	var pe *machine.PanicError
	if !errors.As(panics[0], &pe) || pe.Where != "action boom" || len(pe.Picks) != 1 || pe.Picks[0].Value != "b" {
		t.Fatalf("panic error %#v", panics[0])
	}
	if !strings.Contains(pe.Error(), `deployer="b"`) || !strings.Contains(pe.Error(), "bad deployer") {
		t.Fatalf("message %q lacks the pick or the value", pe.Error())
	}
}

func TestDirectedPicks(t *testing.T) {
	m := execspec.NewModel[pickState]("p")
	m.Init(func(c *execspec.Ctx[pickState]) {})
	m.Action("act", func(c *execspec.Ctx[pickState]) {
		c.S.B = execspec.OneOf(c, "b", []string{"x", "y", "z"})
		c.S.Sub = execspec.SubsetOf(c, "s", []int{1, 2, 3})
		c.S.F = execspec.FunctionOf(c, "f", []string{"k"}, []int{5, 6})
	})
	mc, _ := machine.Compile(m)
	ex := mc.NewExecutor()
	var from, to pickState
	ex.Direct(map[string]itf.Value{
		"b": itf.String("z"),
		"s": itf.Set(itf.Int(3), itf.Int(1)),
		"f": itf.Map(itf.Entry{Key: itf.String("k"), Value: itf.Int(6)}),
	})
	r := ex.Exec(0, &from, &to, machine.Path(nil).Choices())
	if !r.Enabled || to.B != "z" || len(to.Sub) != 2 || to.Sub[0] != 1 || to.Sub[1] != 3 || to.F["k"] != 6 {
		t.Fatalf("directed execution: %v, state %+v", r, to)
	}
	ex.Direct(map[string]itf.Value{"b": itf.String("w")})
	r = ex.Exec(0, &from, &to, machine.Path(nil).Choices())
	if r.Enabled || !strings.Contains(r.Mismatch, `"w"`) {
		t.Fatalf("a recorded value outside the candidates: %v", r)
	}
}

type leakState struct {
	M    map[string]int
	Nil  map[string]int // nil in the initial state
	L    []int
	Set  execspec.Set[int]
	Deep map[int]map[int][]int
	A, B []int
}

// A branch dropped by a guard after it wrote into the state (a map, a nil
// map made empty, a slice, a Set, a nested map) leaks nothing into the
// branches after it, whether the executor copies the state again or finds
// it unchanged and reuses it.
func TestDroppedBranchesLeakNothing(t *testing.T) {
	m := execspec.NewModel[leakState]("leak")
	m.Init(func(c *execspec.Ctx[leakState]) {
		c.S.M = map[string]int{"a": 1}
		c.S.Set = execspec.SetOf(1)
		c.S.Deep = map[int]map[int][]int{1: {1: {1}}}
		c.S.A, c.S.B = []int{1}, []int{1}
	})
	var seen, aliased []string
	global := []int{1}
	m.Action("write_then_drop", func(c *execspec.Ctx[leakState]) {
		s := c.S
		i := execspec.IntRange(c, "i", 0, 8)
		// What this branch starts from must be the initial state.
		seen = append(seen, fmt.Sprintf("%v %v %v %v %v", s.M, s.Nil == nil, s.L, s.Set, s.Deep))
		switch i {
		case 0:
			s.M["a"] = 2
		case 1:
			s.Nil = map[string]int{}
		case 2:
			s.L = append(s.L, 7)
		case 3:
			s.Set.Add(2)
		case 4:
			s.Deep[1][1][0] = 9
		case 5:
			s.B = s.A // equal contents, but now one slice
		case 6:
			s.A = global // equal contents, but memory outside the state
		case 7:
			s.A[0] = 42 // must not reach B or global, as in a fresh copy
			aliased = append(aliased, fmt.Sprint(s.B[0], global[0]))
		}
		c.Assume(i == 8) // every branch but the last drops what it wrote
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ex := mc.NewExecutor()
	var init, next leakState
	if r := ex.Exec(machine.InitAction, nil, &init, machine.Path(nil).Choices()); !r.Enabled {
		t.Fatal("no initial state")
	}
	enabled := 0
	ex.Enumerate(0, &init, &next, func(r machine.Result) bool {
		enabled++
		return true
	})
	// Every branch starts from a copy in the canonical form: the nil map
	// made, so that the branch may write into it.
	want := "map[a:1] false [] {1} map[1:map[1:[1]]]"
	if enabled != 1 || len(seen) != 9 {
		t.Fatalf("%d enabled of %d branches, want 1 of 9", enabled, len(seen))
	}
	if len(aliased) != 1 || aliased[0] != "1 1" {
		t.Errorf("writing A after branches that aliased it: B[0], global[0] = %q, want 1 1", aliased)
	}
	for i, got := range seen {
		if got != want {
			t.Errorf("branch %d started from %s, want %s", i, got, want)
		}
	}
	// Sets shared by copy-on-write: the initial state's Set is untouched.
	if init.Set.Len() != 1 || init.Deep[1][1][0] != 1 || init.M["a"] != 1 {
		t.Errorf("the source state changed: %v %v %v", init.Set, init.Deep, init.M)
	}
}

type flatState struct{ A, B int }

// Enumerating the branches of an action whose state holds no references
// allocates nothing: running an action costs a call, not an allocation.
func TestEnumerateAllocatesNothing(t *testing.T) {
	m := execspec.NewModel[flatState]("flat")
	m.Init(func(c *execspec.Ctx[flatState]) {})
	m.Action("step", func(c *execspec.Ctx[flatState]) {
		i := execspec.IntRange(c, "i", 0, 3)
		if c.Assume(i != 2) {
			c.S.A += i
		}
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ex := mc.NewExecutor()
	var from, to flatState
	n := 0
	count := func(machine.Result) bool { n++; return true }
	ex.Enumerate(0, &from, &to, count) // warm the executor's buffers
	if allocs := testing.AllocsPerRun(100, func() { ex.Enumerate(0, &from, &to, count) }); allocs != 0 {
		t.Errorf("Enumerate allocates %.1f times per call, want 0", allocs)
	}
	if n != 102*3 { // AllocsPerRun makes one more call, to warm up
		t.Errorf("%d enabled branches in 102 calls, want %d", n, 102*3)
	}
}

type mapState struct{ M map[string]int }

// EnumerateEach copies the state once for a run of actions whose branches
// all drop before writing: the next action starts from the scratch the
// previous one left clean, its last branch included.
func TestEnumerateEachCopiesOnceForDroppedActions(t *testing.T) {
	m := execspec.NewModel[mapState]("dropped")
	m.Init(func(c *execspec.Ctx[mapState]) { c.S.M = map[string]int{"a": 1} })
	for _, name := range []string{"A", "B", "C"} {
		m.Action(name, func(c *execspec.Ctx[mapState]) {
			execspec.IntRange(c, "i", 0, 2)
			c.Assume(c.S.M["a"] == 2)
		})
	}
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ex := mc.NewExecutor()
	from := mapState{M: map[string]int{"a": 1}}
	var to mapState
	none := func(int, machine.Result) bool { t.Error("a branch was enabled"); return true }
	allocs := func(actions []int) float64 {
		return testing.AllocsPerRun(50, func() { ex.EnumerateEach(actions, &from, &to, none) })
	}
	one, three := allocs([]int{0}), allocs([]int{0, 1, 2})
	if one == 0 || three != one {
		t.Errorf("one action allocates %.1f times per call, three %.1f: want the same, above 0 (one copy)", one, three)
	}
}

func TestTracePicks(t *testing.T) {
	got, err := machine.TracePicks([]machine.Pick{{Label: "who", Value: "a"}, {Label: "n", Value: 3}})
	if err != nil || len(got) != 2 || got[0].Label != "who" || !itf.Equal(got[0].Value, itf.String("a")) || !itf.Equal(got[1].Value, itf.Int(3)) {
		t.Fatalf("TracePicks: %v, %v", got, err)
	}
	if got, err := machine.TracePicks(nil); got != nil || err != nil {
		t.Errorf("no picks: %v, %v", got, err)
	}
	if _, err := machine.TracePicks([]machine.Pick{{Label: "f", Value: func() {}}}); err == nil || !strings.Contains(err.Error(), "pick f") {
		t.Errorf("a func pick: %v, want an error naming the pick", err)
	}
}
