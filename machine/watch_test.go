package machine_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

type exitState struct{ N int }

// goexitModel has an action and an invariant that call runtime.Goexit on
// some branches: "pick" after picking n = 2, "init" when asked.
func goexitModel(t *testing.T, inInit bool) *machine.Machine[exitState] {
	t.Helper()
	m := execspec.NewModel[exitState]("g")
	m.Init(func(c *execspec.Ctx[exitState]) {
		if inInit {
			runtime.Goexit()
		}
	})
	m.Action("pick", func(c *execspec.Ctx[exitState]) {
		c.S.N = execspec.IntRange(c, "n", 1, 3)
		if c.S.N == 2 {
			runtime.Goexit()
		}
	})
	m.Invariant("small", func(s *exitState) bool {
		if s.N > 2 {
			runtime.Goexit()
		}
		return true
	})
	m.Temporal("big", execspec.Eventually(func(s *exitState) bool {
		if s.N > 2 {
			runtime.Goexit()
		}
		return false
	}))
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// onGoroutine runs f on a goroutine of its own and waits for it to end,
// by returning or by runtime.Goexit; it reports whether f returned.
func onGoroutine(f func()) bool {
	done := make(chan bool, 1)
	go func() {
		returned := false
		defer func() { done <- returned }()
		f()
		returned = true
	}()
	return <-done
}

func TestGoexitIsReportedWithItsPicks(t *testing.T) {
	cases := []struct {
		name   string
		inInit bool
		run    func(mc *machine.Machine[exitState], ex *machine.Executor[exitState])
		want   string
	}{
		{"exec, not recording", false, func(mc *machine.Machine[exitState], ex *machine.Executor[exitState]) {
			ex.Exec(0, &exitState{}, &exitState{}, machine.Path{1}.Choices())
		}, "runtime.Goexit called in action pick with picks n=2: t.FailNow"},
		{"exec, recording", false, func(mc *machine.Machine[exitState], ex *machine.Executor[exitState]) {
			ex.Record(true)
			ex.Exec(0, &exitState{}, &exitState{}, machine.Path{1}.Choices())
		}, "runtime.Goexit called in action pick with picks n=2: t.FailNow"},
		{"enumerate", false, func(mc *machine.Machine[exitState], ex *machine.Executor[exitState]) {
			ex.Enumerate(0, &exitState{}, &exitState{}, func(machine.Result) bool { return true })
		}, "runtime.Goexit called in action pick with picks n=2"},
		{"init", true, func(mc *machine.Machine[exitState], ex *machine.Executor[exitState]) {
			ex.Exec(machine.InitAction, nil, &exitState{}, machine.Path{}.Choices())
		}, "runtime.Goexit called in action init: "},
		{"invariant", false, func(mc *machine.Machine[exitState], ex *machine.Executor[exitState]) {
			p, _ := mc.Property("small")
			mc.Eval(p, &exitState{N: 3})
		}, "runtime.Goexit called in invariant small: "},
		{"temporal formula", false, func(mc *machine.Machine[exitState], ex *machine.Executor[exitState]) {
			p, _ := mc.Property("big")
			mc.EvalFormula(p, 0, &exitState{N: 3})
		}, "runtime.Goexit called in temporal big: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mc := goexitModel(t, tc.inInit)
			var got []*machine.PanicError
			mc.OnGoexit(func(pe *machine.PanicError) { got = append(got, pe) })
			ex := mc.NewExecutor()
			if onGoroutine(func() { tc.run(mc, ex) }) {
				t.Fatal("the goroutine returned: Goexit did not happen")
			}
			if len(got) != 1 {
				t.Fatalf("handler called %d times, want 1", len(got))
			}
			if !errors.Is(got[0].Value.(error), machine.ErrGoexit) || !strings.HasPrefix(got[0].Error(), tc.want) {
				t.Errorf("report %q (value %v), want it to start %q", got[0].Error(), got[0].Value, tc.want)
			}
			if got[0].Stack == "" {
				t.Error("no stack")
			}
		})
	}
}

func TestOnGoroutine(t *testing.T) {
	if !onGoroutine(func() {}) {
		t.Error("a function that returns did not")
	}
	if onGoroutine(runtime.Goexit) {
		t.Error("runtime.Goexit returned")
	}
}

func TestGoexitWithoutHandlerEndsTheGoroutine(t *testing.T) {
	mc := goexitModel(t, false)
	ex := mc.NewExecutor()
	if onGoroutine(func() { ex.Exec(0, &exitState{}, &exitState{}, machine.Path{1}.Choices()) }) {
		t.Fatal("the goroutine returned")
	}
	// The executor still works for branches that return.
	if r := ex.Exec(0, &exitState{}, &exitState{}, machine.Path{0}.Choices()); !r.Enabled || r.Err != nil {
		t.Errorf("after a Goexit: %v", r)
	}
}

func TestActivityRecordsWhatEachExecutorRuns(t *testing.T) {
	mem := make([]byte, 2*machine.ActivitySlotSize)
	act, err := machine.NewActivity(mem)
	if err != nil {
		t.Fatal(err)
	}
	var during []machine.SlotActivity
	m := execspec.NewModel[exitState]("a")
	m.Init(func(c *execspec.Ctx[exitState]) {})
	m.Action("idle", func(c *execspec.Ctx[exitState]) {})
	m.Action("look", func(c *execspec.Ctx[exitState]) { during = machine.ReadActivity(mem) })
	m.Action("boom", func(c *execspec.Ctx[exitState]) { panic("boom") })
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := machine.ReadActivity(mem); len(got) != 0 {
		t.Fatalf("before any executor: %v", got)
	}
	mc.SetActivity(act)
	a, b, c := mc.NewExecutor(), mc.NewExecutor(), mc.NewExecutor() // c shares a's slot
	var s, to exitState
	a.Exec(0, &s, &to, machine.Path{}.Choices())
	b.Exec(1, &s, &to, machine.Path{}.Choices())
	want := []machine.SlotActivity{{Slot: 0, Action: 0}, {Slot: 1, Action: 1, Running: true}}
	if !equalActivity(during, want) {
		t.Errorf("read by the running action: %v, want %v", during, want)
	}
	c.Exec(2, &s, &to, machine.Path{}.Choices()) // a panic ends the run too
	want = []machine.SlotActivity{{Slot: 0, Action: 2}, {Slot: 1, Action: 1}}
	if got := machine.ReadActivity(mem); !equalActivity(got, want) {
		t.Errorf("after: %v, want %v", got, want)
	}
	for _, bad := range [][]byte{make([]byte, machine.ActivitySlotSize-1), make([]byte, 2*machine.ActivitySlotSize)[1:]} {
		if _, err := machine.NewActivity(bad); err == nil {
			t.Errorf("NewActivity accepted %d bytes", len(bad))
		}
	}
}

func equalActivity(a, b []machine.SlotActivity) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
