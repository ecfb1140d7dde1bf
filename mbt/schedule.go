package mbt

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/mbt/linearize"
)

// Scheduler selects how RunConcurrent interleaves its clients.
type Scheduler int

const (
	// GoScheduler lets the Go runtime interleave the clients: they run at
	// once, and a race shows when the runtime happens to switch inside its
	// window. The default.
	GoScheduler Scheduler = iota
	// RandomScheduler runs one client at a time, from yield point to
	// yield point (package mbt/yield), and picks the next one at random.
	RandomScheduler
	// PCTScheduler runs one client at a time, the ready client of highest
	// priority, as in PCT (Burckhardt et al., ASPLOS 2010): the clients'
	// priorities are a random permutation, and at Depth-1 random steps the
	// running client drops below every other. A race that needs d ordering
	// constraints (depth d) is found with probability at least
	// 1/(n·k^(d-1)) per run, for n clients and k steps.
	PCTScheduler
)

// String names the scheduler as a saved schedule does.
func (s Scheduler) String() string {
	switch s {
	case GoScheduler:
		return "go"
	case RandomScheduler:
		return "random"
	case PCTScheduler:
		return "pct"
	}
	return "Scheduler(" + strconv.Itoa(int(s)) + ")"
}

// withoutSwitch returns the schedule with the switch at step i removed:
// the client before it keeps running until the next switch.
func withoutSwitch(s *linearize.Schedule, i int) *linearize.Schedule {
	out := &linearize.Schedule{Scheduler: s.Scheduler, Steps: slices.Clone(s.Steps), Points: s.Points} // At no longer holds: left out
	for j := i; j < len(out.Steps) && s.Steps[j] == s.Steps[i]; j++ {
		out.Steps[j] = out.Steps[i-1]
	}
	return out
}

// withoutOps returns the schedule a run of the script without the
// operations drop names (by client and index in the client's script)
// would follow: the steps of the dropped operations removed, the others
// in their order, so the operations kept meet as they met before. A
// client's steps are read from At: its first resumes at "start" (its
// first operation begins), each later operation begins at "operation",
// and the steps in between are the operation's own yield points. The
// first step of a client is kept even when all its operations go (the
// client still starts), and serves as the entry of its first operation
// kept. It returns nil when At does not name every step's point.
func withoutOps(s *linearize.Schedule, drop func(client, op int) bool) *linearize.Schedule {
	if s == nil || len(s.At) != len(s.Steps) {
		return nil
	}
	out := &linearize.Schedule{Scheduler: s.Scheduler, Points: s.Points}
	op := map[int]int{}    // the operation each client is in
	kept := map[int]bool{} // whether a client has an operation kept so far
	for i, cl := range s.Steps {
		at := s.At[i]
		switch {
		case at == startPoint:
			op[cl] = 0
		case at == opPoint:
			op[cl]++
		}
		k, in := op[cl]
		keep := false
		switch {
		case at == startPoint:
			keep = true
		case !in || drop(cl, k):
		case at == opPoint:
			// The entry of an operation kept; the first kept enters at
			// the client's start step instead.
			keep = kept[cl]
		default:
			keep = true
		}
		if in && !drop(cl, k) {
			kept[cl] = true
		}
		if keep {
			out.Steps = append(out.Steps, cl)
			out.At = append(out.At, at)
		}
	}
	return out
}

// chooser picks the client to run next among the ready ones (sorted, not
// empty); prev is the client that ran last (-1 at first).
type chooser interface {
	choose(step int, ready []int, prev int) int
}

// randomChooser picks uniformly.
type randomChooser struct{ rnd *rng.Rand }

func (c *randomChooser) choose(_ int, ready []int, _ int) int {
	return ready[c.rnd.IntN(len(ready))]
}

// pctChooser is PCT: fixed random priorities, and change points at which
// the client that ran last drops below all others.
type pctChooser struct {
	prio    []int
	changes map[int]int // step -> the low priority it gives
}

func newPCT(rnd *rng.Rand, clients, depth, steps int) *pctChooser {
	c := &pctChooser{prio: make([]int, clients), changes: map[int]int{}}
	// Priorities depth .. depth+clients-1 in random order; change point j
	// (1 <= j < depth) gives priority depth-j, below all of them.
	perm := make([]int, clients)
	rnd.Perm(perm)
	for i, p := range perm {
		c.prio[i] = depth + p
	}
	steps = max(steps, 1)
	for j := 1; j < depth; j++ {
		c.changes[1+rnd.IntN(steps)] = depth - j
	}
	return c
}

func (c *pctChooser) choose(step int, ready []int, prev int) int {
	if p, ok := c.changes[step]; ok && prev >= 0 {
		c.prio[prev] = p
	}
	best := ready[0]
	for _, r := range ready[1:] {
		if c.prio[r] > c.prio[best] {
			best = r
		}
	}
	return best
}

// replayChooser follows a recorded schedule; where the recorded client is
// not ready (the script or the schedule was shrunk), it keeps the client
// that ran last if it is ready, else the first ready one.
type replayChooser struct{ steps []int }

func (c *replayChooser) choose(step int, ready []int, prev int) int {
	if step < len(c.steps) && slices.Contains(ready, c.steps[step]) {
		return c.steps[step]
	}
	if slices.Contains(ready, prev) {
		return prev
	}
	return ready[0]
}

// Bounds of the scheduler's waits for a running client (see package
// yield): it first waits settleFirst for the client to reach a point,
// then reads the goroutines' states, doubling the wait up to settleMax
// between reads; a client still running after watchdog is set aside.
const (
	settleFirst = 50 * time.Microsecond
	settleMax   = 5 * time.Millisecond
	watchdog    = 2 * time.Second
)

// deadlockAfter is how long every unfinished client may stay blocked
// outside a point before the run is declared deadlocked (a variable for
// the test of it).
var deadlockAfter = 10 * time.Second

// clientState is where a controlled client is.
type clientState int

const (
	running clientState = iota // the scheduler let it run
	parked                     // at a point, waiting to be chosen
	aside                      // set aside: blocked (or slow) outside a point
	done                       // finished its operations
)

// controller runs a controlled run's clients one at a time.
type controller struct {
	ch     chooser
	events chan ctlEvent
	wake   []chan struct{}
	// gid is each client's goroutine id, 0 until the client starts (an
	// atomic: the scheduler may read the states before it does).
	gid []atomic.Int64

	// parked guards against two goroutines parking one client. It is an
	// atomic, not a mutex: a client waiting for a lock of the
	// scheduler's would look blocked outside a point.
	parked []atomic.Bool

	sched linearize.Schedule
	at    []string // each client's last yield point, for linearize.Schedule.At
}

type ctlEvent struct {
	client int
	done   bool
	label  string
}

func newController(clients int, ch chooser, name string) *controller {
	c := &controller{ch: ch, events: make(chan ctlEvent, clients), wake: make([]chan struct{}, clients), gid: make([]atomic.Int64, clients), parked: make([]atomic.Bool, clients), at: make([]string, clients)}
	for i := range c.wake {
		c.wake[i] = make(chan struct{}, 1)
	}
	c.sched.Scheduler = name
	return c
}

// clientYielder is one client's yield.Yielder.
type clientYielder struct {
	c      *controller
	client int
}

// Yield parks the client at the point label until the scheduler chooses it.
func (y clientYielder) Yield(label string) { y.c.park(y.client, label) }

// start registers the calling goroutine as client's and parks it until
// the scheduler first chooses it.
func (c *controller) start(client int) {
	c.gid[client].Store(goroutineID())
	c.park(client, startPoint)
}

// The scheduler's own points: before a client's first operation, and
// between its operations.
const (
	startPoint = "start"
	opPoint    = "operation"
)

// park reports that client reached a point and blocks until it is chosen.
// A second goroutine parking the same client at once passes through.
func (c *controller) park(client int, label string) {
	if !c.parked[client].CompareAndSwap(false, true) {
		return
	}
	c.events <- ctlEvent{client: client, label: label} // buffered: one event per client at most
	<-c.wake[client]
	c.parked[client].Store(false)
}

// finish reports that client has done its operations.
func (c *controller) finish(client int) { c.events <- ctlEvent{client: client, done: true} }

// run schedules the clients until all are done; it returns an error when
// every unfinished client stays blocked outside a point.
func (c *controller) run() error {
	n := len(c.wake)
	state := make([]clientState, n)
	for i := range state {
		state[i] = aside // every client runs to its first point by itself
	}
	prev := -1
	for {
		if err := c.settle(state); err != nil {
			return err
		}
		var ready []int
		left := 0
		for i, s := range state {
			if s == parked {
				ready = append(ready, i)
			}
			if s != done {
				left++
			}
		}
		if left == 0 {
			return nil
		}
		if len(ready) == 0 {
			// Every unfinished client is blocked outside a point: wait
			// for one to come back.
			select {
			case ev := <-c.events:
				c.apply(state, ev)
				continue
			case <-time.After(deadlockAfter):
				return fmt.Errorf("every unfinished client has been blocked outside a yield point for %v (a deadlock in the implementation?): %s", deadlockAfter, c.describe(state))
			}
		}
		next := c.ch.choose(len(c.sched.Steps), ready, prev)
		c.sched.Steps = append(c.sched.Steps, next)
		c.sched.At = append(c.sched.At, c.at[next])
		state[next], prev = running, next
		c.wake[next] <- struct{}{}
	}
}

func (c *controller) apply(state []clientState, ev ctlEvent) {
	if ev.done {
		state[ev.client] = done
		return
	}
	if ev.label != startPoint && ev.label != opPoint {
		c.sched.Points++
	}
	c.at[ev.client] = ev.label
	state[ev.client] = parked
}

// settle waits until no client is running: each one that is running or
// set aside has reached a point, finished, or is blocked outside a point.
func (c *controller) settle(state []clientState) error {
	unsettled := func() []int {
		var out []int
		for i, s := range state {
			if s == running || s == aside {
				out = append(out, i)
			}
		}
		return out
	}
	drain := func() {
		for {
			select {
			case ev := <-c.events:
				c.apply(state, ev)
			default:
				return
			}
		}
	}
	wait, total := settleFirst, time.Duration(0)
	for {
		drain()
		open := unsettled()
		if len(open) == 0 {
			return nil
		}
		timer := time.NewTimer(wait)
		select {
		case ev := <-c.events:
			timer.Stop()
			c.apply(state, ev)
			continue
		case <-timer.C:
		}
		total += wait
		wait = min(2*wait, settleMax)
		blocked := c.blocked(open)
		// A client parks by sending its event, then waiting to be woken:
		// one the dump shows waiting has sent it, so take the events sent
		// before the dump, and judge only the clients still out.
		drain()
		still := false
		for _, i := range unsettled() {
			switch {
			case blocked[i]:
				state[i] = aside
			case total >= watchdog:
				state[i] = aside // slow: let it run beside the others
			default:
				still = true
			}
		}
		if !still {
			return nil
		}
	}
}

// blocked reports which of the clients' goroutines are blocked on
// something other than the scheduler: a lock, a channel, a select, a
// condition variable.
func (c *controller) blocked(clients []int) map[int]bool {
	states := goroutineStates()
	out := map[int]bool{}
	for _, i := range clients {
		if id := c.gid[i].Load(); id != 0 {
			out[i] = blockedState(states[id])
		}
	}
	return out
}

func (c *controller) describe(state []clientState) string {
	states := goroutineStates()
	var parts []string
	for i, s := range state {
		if s == aside {
			parts = append(parts, fmt.Sprintf("client %d [%s]", i, states[c.gid[i].Load()]))
		}
	}
	return strings.Join(parts, ", ")
}

// blockedState reports whether a goroutine state from a stack dump means
// it waits for another goroutine.
func blockedState(s string) bool {
	for _, p := range []string{"sync.Mutex.Lock", "sync.RWMutex.Lock", "sync.RWMutex.RLock", "sync.Cond.Wait", "sync.WaitGroup.Wait", "chan receive", "chan send", "select"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// goroutineStates reads every goroutine's state ("running", "chan
// receive", "sync.Mutex.Lock", ...) from a stack dump, by goroutine id.
func goroutineStates() map[int64]string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[int64]string{}
	for _, line := range bytes.Split(buf, []byte("\n")) {
		id, state, ok := parseGoroutineHeader(line)
		if ok {
			out[id] = state
		}
	}
	return out
}

// parseGoroutineHeader parses "goroutine 12 [chan receive, 2 minutes]:".
func parseGoroutineHeader(line []byte) (int64, string, bool) {
	rest, ok := bytes.CutPrefix(line, []byte("goroutine "))
	if !ok {
		return 0, "", false
	}
	sp := bytes.IndexByte(rest, ' ')
	if sp < 0 {
		return 0, "", false
	}
	id, err := strconv.ParseInt(string(rest[:sp]), 10, 64)
	if err != nil {
		return 0, "", false
	}
	rest = rest[sp+1:]
	if len(rest) < 2 || rest[0] != '[' {
		return 0, "", false
	}
	end := bytes.IndexByte(rest, ']')
	if end < 0 {
		return 0, "", false
	}
	state := string(rest[1:end])
	if i := strings.IndexByte(state, ','); i >= 0 {
		state = state[:i]
	}
	return id, state, true
}

// goroutineID returns the calling goroutine's id.
func goroutineID() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, _, _ := parseGoroutineHeader(bytes.SplitN(buf, []byte("\n"), 2)[0])
	return id
}
