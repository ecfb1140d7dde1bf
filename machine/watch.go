package machine

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"unsafe"
)

// A program that runs a model on behalf of another (the execspec command's
// model runner) must be able to say what the model was doing when it went
// wrong in a way no deferred recover sees: model code that calls os.Exit,
// crashes the runtime (a stack overflow, a panic in a goroutine it started)
// or never returns. Two hooks serve it, both off by default and free when
// off:
//
//   - an Activity table, ideally in memory another process can read (a
//     shared mapping), where each Executor records the action it is
//     running: the table outlives the process;
//   - a handler for runtime.Goexit in model code (t.FailNow, t.SkipNow,
//     runtime.Goexit), which no recover can stop: the goroutine running the
//     action ends whatever the engine does, so the handler is the last word
//     the engine gets.

// ActivitySlotSize is the number of bytes of one Executor's slot in an
// Activity table: a cache line, so that executors on different cores do
// not share one.
const ActivitySlotSize = 64

// Slot states, in the second word of a slot.
const (
	slotUnused  = 0
	slotRunning = 1
	slotDone    = 2
)

// Activity is a table of slots, one per Executor of the machines it is
// given to (see SetActivity), in which each executor records, before it
// runs init or an action, which one, and whether it returned. Executors
// take slots in turn, so with more executors than slots some share one.
// Recording costs two stores per execution: no lock, no atomic operation.
// The table is meant to be read by another process, after the one running
// the model has ended or while it is stuck (ReadActivity); within one
// process, read it only when no executor runs.
type Activity struct {
	mem  []byte
	next atomic.Uint32
}

// NewActivity returns an Activity over mem, which holds len(mem) /
// ActivitySlotSize slots and must be 8-byte aligned (a mapping is). An
// error says why mem cannot hold a table.
func NewActivity(mem []byte) (*Activity, error) {
	if len(mem) < ActivitySlotSize {
		return nil, fmt.Errorf("activity table of %d bytes: want at least %d", len(mem), ActivitySlotSize)
	}
	if uintptr(unsafe.Pointer(&mem[0]))%8 != 0 {
		return nil, errors.New("activity table: memory not 8-byte aligned")
	}
	return &Activity{mem: mem}, nil
}

// activitySlot is one executor's slot: the action it runs (InitAction for
// init) and its state.
type activitySlot struct {
	action int32
	state  int32
}

// slot assigns the next slot of the table, or nil when a is nil.
func (a *Activity) slot() *activitySlot {
	if a == nil {
		return nil
	}
	n := uint32(len(a.mem) / ActivitySlotSize)
	i := (a.next.Add(1) - 1) % n
	return (*activitySlot)(unsafe.Pointer(&a.mem[int(i)*ActivitySlotSize]))
}

// begin records that action starts.
func (s *activitySlot) begin(action int) {
	if s != nil {
		s.action, s.state = int32(action), slotRunning
	}
}

// end records that the action returned (or panicked).
func (s *activitySlot) end() {
	if s != nil {
		s.state = slotDone
	}
}

// SlotActivity is what one slot of an Activity table says.
type SlotActivity struct {
	Slot    int  // the slot's index in the table
	Action  int  // the action last started (InitAction for init)
	Running bool // whether it had not returned
}

// ReadActivity decodes a table written by Executors (a copy of its memory,
// from a file or a mapping) into its used slots, in slot order.
func ReadActivity(mem []byte) []SlotActivity {
	var out []SlotActivity
	for i := 0; i+ActivitySlotSize <= len(mem); i += ActivitySlotSize {
		s := (*activitySlot)(unsafe.Pointer(&mem[i]))
		if s.state == slotUnused {
			continue
		}
		out = append(out, SlotActivity{Slot: i / ActivitySlotSize, Action: int(s.action), Running: s.state == slotRunning})
	}
	return out
}

// SetActivity makes the Executors created from now on record what they run
// in a (nil: no recording). Call it before running engines on mc.
func (mc *Machine[S]) SetActivity(a *Activity) { mc.activity = a }

// ErrGoexit is the Value of the *PanicError that reports a call to
// runtime.Goexit in model code.
var ErrGoexit = errors.New("runtime.Goexit called")

// goexitAdvice ends the message of a Goexit's PanicError.
const goexitAdvice = "t.FailNow, t.Fatal, t.SkipNow and runtime.Goexit end the goroutine that runs model code, which no engine survives; a model must not call them"

// OnGoexit sets the function called when model code run by mc (init, an
// action, a property) calls runtime.Goexit, with a *PanicError whose Value
// is ErrGoexit, naming where and, for an action, its picks. Goexit cannot
// be stopped: once f returns, the goroutine that ran the code ends, and an
// engine waiting for it may wait for ever, or carry on without it. So f
// must end the work (a program exits); it may also never return, keeping
// the goroutine, and what waits for it, where they are until then. Without
// f (nil, the default), Goexit takes its course.
// Call OnGoexit before running engines on mc.
func (mc *Machine[S]) OnGoexit(f func(*PanicError)) { mc.onGoexit = f }

// goexited reports a runtime.Goexit in action (or InitAction), run from
// from with the choices in e.x, to the machine's Goexit handler. Without
// from (nil, for an action run on a state in place) and without recorded
// picks, the report names no picks.
func (e *Executor[S]) goexited(action int, from *S) {
	f := e.mc.onGoexit
	if f == nil {
		return
	}
	pe := &PanicError{Where: "action " + e.mc.ActionName(action), Value: ErrGoexit, Stack: string(debug.Stack())}
	switch {
	case e.x.Record:
		pe.Picks = append([]Pick(nil), e.x.Picks...)
	case from != nil || action == InitAction:
		pe.Picks = e.picksOf(action, from, append([]int(nil), e.x.Path...))
	}
	f(pe)
}

// picksOf re-runs action from from with the choices path, recording, on a
// goroutine of its own (the action calls Goexit again), and returns the
// picks it made.
func (e *Executor[S]) picksOf(action int, from *S, path []int) []Pick {
	quiet := *e.mc
	quiet.onGoexit, quiet.activity = nil, nil
	probe := quiet.NewExecutor()
	probe.Record(true)
	done := make(chan struct{})
	go func() {
		defer close(done)
		probe.run(action, from, new(S), Path(path).Choices())
	}()
	<-done
	return append([]Pick(nil), probe.x.Picks...)
}

// goexitIn reports a runtime.Goexit in a property to the machine's Goexit
// handler.
func (mc *Machine[S]) goexitIn(where string) {
	if f := mc.onGoexit; f != nil {
		f(&PanicError{Where: where, Value: ErrGoexit, Stack: string(debug.Stack())})
	}
}
