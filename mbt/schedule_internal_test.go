package mbt

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/mbt/linearize"
)

func TestParseGoroutineHeader(t *testing.T) {
	for _, tc := range []struct {
		line  string
		id    int64
		state string
		ok    bool
	}{
		{"goroutine 12 [chan receive]:", 12, "chan receive", true},
		{"goroutine 7 [sync.Mutex.Lock, 2 minutes]:", 7, "sync.Mutex.Lock", true},
		{"goroutine 1 [running]:", 1, "running", true},
		{"goroutine 3 [select, locked to thread]:", 3, "select", true},
		{"goroutine x [running]:", 0, "", false},
		{"goroutine 5 running", 0, "", false},
		{"goroutine 5 [running", 0, "", false},
		{"goroutine 5", 0, "", false},
		{"main.f()", 0, "", false},
	} {
		id, state, ok := parseGoroutineHeader([]byte(tc.line))
		if id != tc.id || state != tc.state || ok != tc.ok {
			t.Errorf("%q: %d %q %v, want %d %q %v", tc.line, id, state, ok, tc.id, tc.state, tc.ok)
		}
	}
	for state, want := range map[string]bool{"sync.Mutex.Lock": true, "semacquire": false, "chan send": true, "select": true, "sync.Cond.Wait": true, "running": false, "runnable": false, "IO wait": false, "sleep": false, "syscall": false} {
		if blockedState(state) != want {
			t.Errorf("blockedState(%q) = %v", state, !want)
		}
	}
	if goroutineID() <= 0 {
		t.Error("goroutineID found no id")
	}
}

// TestBlockedStateIsSeen: a goroutine blocked on a held mutex shows as
// blocked in a stack dump, one that runs does not.
func TestBlockedStateIsSeen(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	ids := make(chan int64)
	go func() {
		ids <- goroutineID()
		mu.Lock()
		mu.Unlock()
	}()
	id := goroutineID()
	other := <-ids
	for !blockedState(goroutineStates()[other]) {
		time.Sleep(time.Millisecond) // polls the other goroutine's state, bounded by the test's timeout
	}
	if blockedState(goroutineStates()[id]) {
		t.Error("the running goroutine shows as blocked")
	}
	mu.Unlock()
}

func TestPCTChooser(t *testing.T) {
	c := newPCT(rng.New(1, 2), 3, 3, 10)
	if len(c.changes) == 0 || len(c.changes) > 2 {
		t.Fatalf("%d change points for depth 3", len(c.changes))
	}
	sorted := slices.Clone(c.prio)
	slices.Sort(sorted)
	if !slices.Equal(sorted, []int{3, 4, 5}) {
		t.Fatalf("priorities %v, want a permutation of 3..5", c.prio)
	}
	top := slices.Index(c.prio, 5)
	// With no change point due, the highest-priority ready client runs.
	step := 0
	for c.changes[step] != 0 {
		step++
	}
	if got := c.choose(step, []int{0, 1, 2}, -1); got != top {
		t.Errorf("chose %d, want %d (priorities %v)", got, top, c.prio)
	}
	// At a change point the client that ran last drops below the others.
	var cp int
	for k := range c.changes {
		cp = k
	}
	if got := c.choose(cp, []int{0, 1, 2}, top); got == top {
		t.Errorf("at the change point %d the top client %d still runs (priorities %v)", cp, top, c.prio)
	}
	if c.prio[top] >= 3 {
		t.Errorf("priority after the change point: %d", c.prio[top])
	}
}

func TestReplayChooserAndSwitches(t *testing.T) {
	s := &linearize.Schedule{Scheduler: "pct", Steps: []int{0, 0, 1, 1, 2, 0}}
	if sw := s.Switches(); !slices.Equal(sw, []int{2, 4, 5}) {
		t.Fatalf("switches %v", sw)
	}
	if got := withoutSwitch(s, 2).Steps; !slices.Equal(got, []int{0, 0, 0, 0, 2, 0}) {
		t.Errorf("without the switch at 2: %v", got)
	}
	if got := withoutSwitch(s, 5).Steps; !slices.Equal(got, []int{0, 0, 1, 1, 2, 2}) {
		t.Errorf("without the switch at 5: %v", got)
	}
	r := &replayChooser{steps: s.Steps}
	for _, tc := range []struct {
		step, prev int
		ready      []int
		want       int
	}{
		{2, 0, []int{0, 1, 2}, 1}, // as recorded
		{2, 0, []int{0, 2}, 0},    // recorded not ready: keep the last
		{2, 1, []int{0, 2}, 0},    // neither: the first ready
		{9, 2, []int{0, 2}, 2},    // past the end: keep the last
	} {
		if got := r.choose(tc.step, tc.ready, tc.prev); got != tc.want {
			t.Errorf("step %d, prev %d, ready %v: %d, want %d", tc.step, tc.prev, tc.ready, got, tc.want)
		}
	}
}

// TestScheduleWithoutOps: the steps of dropped operations go, the first
// operation kept enters at the client's start step, and the others keep
// their steps in order.
func TestScheduleWithoutOps(t *testing.T) {
	// Client 0: op 0 (start, a), op 1 (operation, b); client 1: op 0
	// (start), op 1 (operation, c), op 2 (operation).
	s := &linearize.Schedule{
		Scheduler: "pct",
		Steps:     []int{0, 1, 0, 1, 0, 0, 1, 1},
		At:        []string{"start", "start", "a", "operation", "operation", "b", "c", "operation"},
		Points:    3,
	}
	type step struct {
		client int
		at     string
	}
	for _, tc := range []struct {
		name string
		drop func(client, op int) bool
		want []step
	}{
		{"nothing", func(int, int) bool { return false },
			[]step{{0, "start"}, {1, "start"}, {0, "a"}, {1, "operation"}, {0, "operation"}, {0, "b"}, {1, "c"}, {1, "operation"}}},
		{"a first operation", func(c, op int) bool { return c == 0 && op == 0 },
			[]step{{0, "start"}, {1, "start"}, {1, "operation"}, {0, "b"}, {1, "c"}, {1, "operation"}}},
		{"a middle operation", func(c, op int) bool { return c == 1 && op == 1 },
			[]step{{0, "start"}, {1, "start"}, {0, "a"}, {0, "operation"}, {0, "b"}, {1, "operation"}}},
		{"a whole client", func(c, _ int) bool { return c == 1 },
			[]step{{0, "start"}, {1, "start"}, {0, "a"}, {0, "operation"}, {0, "b"}}},
		{"the first two of three", func(c, op int) bool { return c == 1 && op < 2 },
			[]step{{0, "start"}, {1, "start"}, {0, "a"}, {0, "operation"}, {0, "b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := withoutOps(s, tc.drop)
			var steps []step
			for i := range got.Steps {
				steps = append(steps, step{got.Steps[i], got.At[i]})
			}
			if !slices.Equal(steps, tc.want) {
				t.Errorf("got  %v\nwant %v", steps, tc.want)
			}
			if got.Scheduler != s.Scheduler || got.Points != s.Points {
				t.Errorf("scheduler %q, points %d", got.Scheduler, got.Points)
			}
		})
	}
	if withoutOps(&linearize.Schedule{Steps: []int{0, 1}}, func(int, int) bool { return true }) != nil {
		t.Error("a schedule without its points was projected")
	}
	var none *linearize.Schedule
	if withoutOps(none, func(int, int) bool { return true }) != nil {
		t.Error("no schedule was projected")
	}
}

// TestControllerReportsDeadlock: two clients that take two locks in
// opposite orders, parking in between, deadlock; the scheduler says so
// instead of waiting forever.
func TestControllerReportsDeadlock(t *testing.T) {
	defer func(d time.Duration) { deadlockAfter = d }(deadlockAfter)
	deadlockAfter = 50 * time.Millisecond
	var a, b sync.Mutex
	ctl := newController(2, &replayChooser{steps: []int{0, 1, 0, 1}}, "test")
	for cl := 0; cl < 2; cl++ {
		first, second := &a, &b
		if cl == 1 {
			first, second = &b, &a
		}
		go func() {
			ctl.start(cl)
			first.Lock()
			ctl.park(cl, "locked the first")
			second.Lock() // never returns: the goroutines leak, as a deadlocked implementation's would
			ctl.finish(cl)
		}()
	}
	err := ctl.run()
	if err == nil {
		t.Fatal("no deadlock reported")
	}
	for _, want := range []string{"deadlock", "client 0 [sync.Mutex.Lock]", "client 1 [sync.Mutex.Lock]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}

}

func TestFormatSwitches(t *testing.T) {
	s := &linearize.Schedule{Steps: []int{0, 0, 1, 0}, At: []string{"start", "a", "b", "c"}}
	want := "\n    step   0: client 0 resumes at \"start\"\n    step   2: client 1 resumes at \"b\"\n    step   3: client 0 resumes at \"c\""
	if got := formatSwitches(s); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := formatSwitches(&linearize.Schedule{Steps: []int{0, 1}}); got != "" {
		t.Errorf("a schedule without points listed %q", got)
	}
	long := &linearize.Schedule{}
	for i := 0; i < 3*maxSwitchLines; i++ {
		long.Steps, long.At = append(long.Steps, i%2), append(long.At, "p")
	}
	if got := formatSwitches(long); strings.Count(got, "resumes at") != maxSwitchLines || !strings.Contains(got, fmt.Sprintf("... %d more switches", 2*maxSwitchLines)) {
		t.Errorf("a long schedule:%s", got)
	}
}

// TestWithoutRefused: the operations a history shows refused leave the
// script (matched to it by each client's call order), and are named by
// client and index; a history that is not a run of the script, or has no
// refusal, gives nothing.
func TestWithoutRefused(t *testing.T) {
	op := func(a string) Step { return Step{Action: a} }
	sc := script{clients: [][]Step{{op("a0"), op("a1"), op("a2")}, {op("b0"), op("b1")}}}
	h := &linearize.History{Ops: []linearize.Operation{
		{Client: 1, Action: "b1", Call: 7, Return: 8, Refused: true},
		{Client: 0, Action: "a0", Call: 1, Return: 2},
		{Client: 1, Action: "b0", Call: 3, Return: 4},
		{Client: 0, Action: "a1", Call: 5, Return: 6, Refused: true},
		{Client: 0, Action: "a2", Call: 9, Return: 10},
	}}
	got, drop, ok := withoutRefused(sc, h)
	if !ok {
		t.Fatal("nothing dropped")
	}
	var names [][]string
	for _, c := range got.clients {
		var n []string
		for _, s := range c {
			n = append(n, s.Action)
		}
		names = append(names, n)
	}
	if want := [][]string{{"a0", "a2"}, {"b0"}}; !slices.EqualFunc(names, want, slices.Equal) {
		t.Errorf("script %v, want %v", names, want)
	}
	for _, tc := range []struct {
		client, op int
		want       bool
	}{{0, 0, false}, {0, 1, true}, {0, 2, false}, {1, 0, false}, {1, 1, true}, {2, 0, false}} {
		if drop(tc.client, tc.op) != tc.want {
			t.Errorf("drop(%d, %d) = %v", tc.client, tc.op, !tc.want)
		}
	}
	if len(sc.clients[0]) != 3 {
		t.Error("the script itself changed")
	}
	for _, ops := range [][]linearize.Operation{
		{{Client: 0, Call: 1}},                // no refusal
		{{Client: 2, Call: 1, Refused: true}}, // no such client
		{{Client: 1, Call: 1}, {Client: 1, Call: 2}, {Client: 1, Call: 3, Refused: true}}, // more than the script
	} {
		if _, _, ok := withoutRefused(sc, &linearize.History{Ops: ops}); ok {
			t.Errorf("%v: dropped", ops)
		}
	}
}
