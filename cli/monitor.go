package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/bytesize"
	"github.com/execspec/execspec/machine"
)

// monitor is the model runner's side of what the front end supervises (see
// protocol.go): it runs the command on a goroutine of its own and ends the
// run when model code leaves the engines no way to: runtime.Goexit, model
// code that does not return within the grace period after a stop, memory
// over the hard cap. Its methods do nothing on a nil *monitor (a runner
// used in process, by tests).
type monitor struct {
	stderr    io.Writer
	traceback bool
	grace     time.Duration

	mu       sync.Mutex
	status   *json.Encoder // nil without a front end
	out      io.Writer     // where the search's report goes (stdout, or stderr with --json)
	cmd      string
	activity *machine.Activity

	deadlines chan time.Time // stops to come (a --timeout)
	aborts    chan abortion  // the run must end now
	engineRet chan struct{}  // closed when the engine has returned
	doneOnce  sync.Once
}

// abortion is a run ended by the monitor: its exit code and reason.
type abortion struct {
	code   int
	reason string
}

// newMonitor returns the monitor of a runner whose environment is env,
// with the status pipe and activity table the front end passed, if any.
// Problems with the side channel cost the front end's supervision, not the
// run.
func newMonitor(env Env) *monitor {
	m := &monitor{
		stderr: env.Stderr, out: env.Stdout, traceback: tracebackWanted(env.Environ),
		deadlines: make(chan time.Time, 4), aborts: make(chan abortion, 1), engineRet: make(chan struct{}),
	}
	grace, err := graceOf(env.Environ)
	if err != nil {
		fmt.Fprintf(env.Stderr, "execspec: warning: %v; using %s\n", err, grace)
	}
	m.grace = grace
	if fd, err := strconv.Atoi(envValue(env.Environ, envStatusFD)); err == nil && fd > 2 {
		if f := os.NewFile(uintptr(fd), "execspec-status"); f != nil {
			closeOnExec(fd) // model code that starts programs must not hand them the pipe
			m.status = json.NewEncoder(f)
		}
	}
	if fd, err := strconv.Atoi(envValue(env.Environ, envActivityFD)); err == nil && fd > 2 {
		if mem, err := mapActivity(fd); err == nil {
			m.activity, _ = machine.NewActivity(mem)
		}
	}
	m.send(statusRecord{Hello: protocolVersion})
	return m
}

// send writes a record to the front end, if there is one.
func (m *monitor) send(r statusRecord) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.status != nil {
		_ = m.status.Encode(r) // a front end that has gone cannot be told
	}
}

// run runs body on a goroutine of its own and returns its exit code, or
// the code of an abortion, or ExitNoResult when model code has not returned
// within the grace period after the run was told to stop: ctx cancelled
// (a signal), a deadline passed (--timeout), or again received (a second
// signal: stop at once).
func (m *monitor) run(ctx context.Context, again <-chan struct{}, body func() int) (code int, reason string) {
	done := make(chan int, 1)
	go func() { done <- body() }()
	var timer *time.Timer
	var fire <-chan time.Time
	var stopAt time.Time
	reporting := false
	arm := func(at time.Time) {
		if reporting || (!stopAt.IsZero() && !at.Before(stopAt)) {
			return
		}
		stopAt = at
		if timer != nil {
			timer.Stop()
		}
		timer = time.NewTimer(time.Until(at))
		fire = timer.C
	}
	ctxDone := ctx.Done()
	engineRet := m.engineRet
	deadlines := m.deadlines
	for {
		select {
		case c := <-done:
			return c, ""
		case a := <-m.aborts:
			return a.code, a.reason
		case <-ctxDone:
			ctxDone = nil
			arm(time.Now().Add(m.grace))
		case at := <-deadlines:
			arm(at.Add(m.grace))
		case <-again:
			arm(time.Now())
		case <-engineRet:
			// Only the report is left: it is not model code.
			reporting = true
			engineRet, fire, again, deadlines = nil, nil, nil, nil
		case <-fire:
			m.stuck()
			return ExitNoResult, reasonStuck
		}
	}
}

// stuck reports model code that did not return after a stop: the front
// end names the actions that were running (from the activity table); the
// runner adds the goroutine stacks when asked, and says what happened when
// there is no front end to say it.
func (m *monitor) stuck() {
	m.mu.Lock()
	alone := m.status == nil
	m.mu.Unlock()
	if alone {
		fmt.Fprintf(m.stderr, "execspec: model code did not return within %s of the stop: the run ends without a result\n", m.grace)
	}
	if m.traceback {
		fmt.Fprintf(m.stderr, "%s\n", allStacks())
	}
}

// allStacks returns the stacks of every goroutine.
func allStacks() []byte {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) || len(buf) >= 64<<20 {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// final writes the final record.
func (m *monitor) final(code int, reason string) {
	m.send(statusRecord{Exit: &code, Reason: reason})
}

// abort ends the run with code, if it is not already ending.
func (m *monitor) abort(code int, reason string) {
	select {
	case m.aborts <- abortion{code, reason}:
	default:
	}
}

// attach prepares a compiled instance: its executors record what they run
// in the activity table, the front end learns its action names, and a
// Goexit in its model code ends the run.
func attach[S any](m *monitor, mc *machine.Machine[S]) {
	if m == nil {
		return
	}
	m.mu.Lock()
	mc.SetActivity(m.activity)
	m.mu.Unlock()
	mc.OnGoexit(m.goexit)
	m.send(statusRecord{Actions: mc.Actions()})
}

// goexit ends the run after model code called runtime.Goexit, which the
// goroutine running it does not survive. It never returns: the goroutine
// waits, its Goexit unfinished, for the process to exit, so that the engine
// waiting for it does not carry on and report a search that lost a worker.
func (m *monitor) goexit(pe *machine.PanicError) {
	m.mu.Lock()
	cmd := m.cmd
	m.mu.Unlock()
	fmt.Fprintf(m.stderr, "execspec %s: %v\n", cmd, pe)
	if m.traceback {
		fmt.Fprintf(m.stderr, "%s\n", pe.Stack)
	} else {
		fmt.Fprintf(m.stderr, "(set %s=1 for the goroutine stack)\n", EnvTraceback)
	}
	m.abort(ExitNoResult, reasonGoexit)
	select {}
}

// setCommand and setOutput tell the monitor the command's name and where
// its report goes.
func (m *monitor) setCommand(cmd string) {
	if m != nil {
		m.mu.Lock()
		m.cmd = cmd
		m.mu.Unlock()
	}
}

func (m *monitor) setOutput(w io.Writer) {
	if m != nil {
		m.mu.Lock()
		m.out = w
		m.mu.Unlock()
	}
}

// startTimeout says that the engine starts under a --timeout of d.
func (m *monitor) startTimeout(d time.Duration) {
	if m == nil || d <= 0 {
		return
	}
	select {
	case m.deadlines <- time.Now().Add(d):
	default: // more engines than the buffer holds: the first deadlines count
	}
	m.send(statusRecord{Timeout: d.Milliseconds()})
}

// engineDone says that the engine has returned.
func (m *monitor) engineDone() {
	if m == nil {
		return
	}
	m.doneOnce.Do(func() { close(m.engineRet) })
	m.send(statusRecord{Done: true})
}

// errMemoryCap is the cause of a search cancelled by the memory watch.
var errMemoryCap = errors.New("memory cap reached")

// memoryPollInterval is how often the runner looks at its memory.
const memoryPollInterval = 5 * time.Millisecond

// Fractions of the --memory cap: the runtime's memory limit (GOMEMLIMIT:
// the collector works harder above it), where the search is asked to stop
// (soft: it stops cleanly and prints its statistics) and where the run
// ends at once (hard: model code may be allocating and never return).
const (
	gcLimitFraction   = 0.8
	softStopFraction  = 0.9
	hardStopFraction  = 1.0
	frontKillFraction = 1.05 // the front end kills a runner whose RSS passes it
)

// watchMemory keeps the runner under limit bytes until the engine returns:
// past softStopFraction of it, soft is called once (it cancels the
// search); past the limit, the run ends with exit 5 and the soft stop's
// message. It watches the memory the Go runtime has mapped and not
// released, which bounds the heap's share of the resident set and grows
// before it.
//
// A limit below what the runner already uses cannot be kept: that is an
// input error.
func (m *monitor) watchMemory(limit int64, soft func()) error {
	if m == nil || limit <= 0 {
		return nil
	}
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(samples)
	used := int64(samples[0].Value.Uint64() - samples[1].Value.Uint64())
	if rss, ok := selfRSS(); ok {
		used = max(used, rss) // the front end watches the resident set
	}
	if float64(used) >= softStopFraction*float64(limit) {
		return usagef("--memory %s: the model runner uses %s before it searches; give it more than %s",
			bytesize.Format(limit), bytesize.Format(used), bytesize.Format(int64(float64(used)/softStopFraction)))
	}
	m.send(statusRecord{Memory: limit})
	go func() {
		t := time.NewTicker(memoryPollInterval)
		defer t.Stop()
		softDone := false
		for {
			select {
			case <-m.engineRet:
				return
			case <-t.C:
			}
			metrics.Read(samples)
			used := int64(samples[0].Value.Uint64() - samples[1].Value.Uint64())
			if rss, ok := selfRSS(); ok {
				used = max(used, rss)
			}
			if !softDone && float64(used) >= softStopFraction*float64(limit) {
				softDone = true
				soft()
			}
			if float64(used) >= hardStopFraction*float64(limit) {
				m.mu.Lock()
				out := m.out
				m.mu.Unlock()
				fmt.Fprintf(out, "\n%s\n  The model runner reached the memory cap (--memory %s) while model code was running: it was stopped at once, without statistics.\n",
					memoryStopMessage(), bytesize.Format(limit))
				m.abort(ExitIncomplete, reasonMemory)
				return
			}
		}
	}()
	return nil
}

// memoryStopMessage is the first line of the report of a search stopped by
// the memory cap with nothing found, as the checker's summary words it.
func memoryStopMessage() string {
	return fmt.Sprintf("SEARCH INCOMPLETE: stopped (%s) before exploring every reachable state; nothing found in the states explored, which proves nothing about the others.", findings.StoppedMemory)
}
