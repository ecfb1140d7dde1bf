package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/execspec/execspec/internal/bytesize"
	"github.com/execspec/execspec/machine"
)

// frontEndMargin is how much longer than the runner's own grace period the
// front end waits before it kills a runner that did not stop: the runner
// ends the run itself when its model code is stuck; the front end's kill
// is for a runner that cannot even do that.
const frontEndMargin = 2 * time.Second

// rssPollInterval is how often the front end reads the resident set size
// of a runner that has a memory cap.
const rssPollInterval = 10 * time.Millisecond

// drainWait bounds the wait for the rest of the status pipe once the
// runner has exited (a program model code started may hold it open).
const drainWait = time.Second

// supervision is what the front end learns of a runner while it runs.
type supervision struct {
	hello     bool
	actions   []string
	memory    int64         // the hard memory cap, when the runner has one
	final     *statusRecord // the final record
	engineRet bool
	stopAt    time.Time // when the run was told to stop, first
	stopCause string    // "the timeout", "SIGINT", ...
	killedFor string    // "stuck" or "memory" when the front end killed the runner
	peakRSS   int64
}

// superviseRunner runs cmd in the model runner bin and returns the
// command's exit code. It passes SIGINT, SIGTERM and SIGHUP on (a
// supervisor, CI runner or `timeout` signals only this process, not its
// process group), kills the runner when its model code does not stop
// within the grace period after a stop or its memory passes the cap, and
// reports a runner that ends without a final record as ExitNoResult,
// naming the actions that were running.
func superviseRunner(bin, cmd, pkg string, args []string, env Env) int {
	c := exec.Command(bin, append([]string{cmd}, args...)...)
	c.Dir = env.Dir
	c.Stdin, c.Stdout, c.Stderr = env.Stdin, env.Stdout, env.Stderr
	c.Env = append(append([]string(nil), env.Environ...), EnvPackage+"="+pkg)
	if env.StderrIsTerminal {
		c.Env = append(c.Env, envTerminal+"=1")
	}
	if envValue(env.Environ, "GOTRACEBACK") == "" && !tracebackWanted(env.Environ) {
		// A runtime crash in model code prints its error, not every
		// goroutine's stack, unless asked (as panics outside actions do).
		c.Env = append(c.Env, "GOTRACEBACK=none")
	}
	grace, _ := graceOf(env.Environ) // the runner warns about a bad value
	pr, pw, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(env.Stderr, "execspec: starting the model runner: %v\n", err)
		return ExitUsage
	}
	defer pr.Close()
	c.ExtraFiles = []*os.File{pw}
	c.Env = append(c.Env, envStatusFD+"=3")
	act, actErr := newActivityFile()
	if actErr == nil {
		defer act.Close()
		c.ExtraFiles = append(c.ExtraFiles, act)
		c.Env = append(c.Env, envActivityFD+"=4")
	}
	// If the front end is killed outright, the runner gets SIGKILL from
	// the kernel where the platform can arrange it.
	setParentDeathSignal(c)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := c.Start(); err != nil {
		pw.Close()
		fmt.Fprintf(env.Stderr, "execspec: starting the model runner: %v\n", err)
		return ExitUsage
	}
	pw.Close()
	recs := make(chan statusRecord, 16)
	go readStatus(pr, recs)
	waitc := make(chan error, 1)
	go func() { waitc <- c.Wait() }()

	var sv supervision
	var forwarded os.Signal
	var kill <-chan time.Time
	var killTimer *time.Timer
	var rss <-chan time.Time
	var rssTicker *time.Ticker
	defer func() {
		if rssTicker != nil {
			rssTicker.Stop()
		}
	}()
	stopping := func(at time.Time, cause string) {
		if !sv.stopAt.IsZero() && !at.Before(sv.stopAt) {
			return
		}
		sv.stopAt, sv.stopCause = at, cause
		if killTimer != nil {
			killTimer.Stop()
		}
		killTimer = time.NewTimer(time.Until(at.Add(grace + frontEndMargin)))
		kill = killTimer.C
	}
	apply := func(r statusRecord) {
		switch {
		case r.Hello > 0:
			sv.hello = true
		case r.Actions != nil:
			sv.actions = r.Actions
		case r.Timeout > 0:
			stopping(time.Now().Add(time.Duration(r.Timeout)*time.Millisecond), "the timeout")
		case r.Memory > 0:
			sv.memory = r.Memory
			if _, ok := processRSS(c.Process.Pid); ok && rssTicker == nil {
				rssTicker = time.NewTicker(rssPollInterval)
				rss = rssTicker.C
			}
		case r.Done:
			sv.engineRet, kill = true, nil
		case r.Exit != nil:
			sv.final = &r
		}
	}
	var waitErr error
wait:
	for {
		select {
		case sig := <-sigs:
			forwarded = sig
			_ = c.Process.Signal(sig) // fails only once the runner has exited
			if !sv.engineRet {
				stopping(time.Now(), sig.String())
			}
		case r, ok := <-recs:
			if !ok {
				recs = nil
				continue
			}
			apply(r)
		case <-kill:
			kill = nil
			if !sv.engineRet && sv.final == nil {
				sv.killedFor = "stuck"
				_ = c.Process.Kill()
			}
		case <-rss:
			n, ok := processRSS(c.Process.Pid)
			sv.peakRSS = max(sv.peakRSS, n)
			if ok && sv.killedFor == "" && float64(n) > frontKillFraction*float64(sv.memory) {
				sv.killedFor = "memory"
				_ = c.Process.Kill()
			}
		case waitErr = <-waitc:
			break wait
		}
	}
	// The final record may still be in the pipe.
	drain := time.NewTimer(drainWait)
	defer drain.Stop()
	for recs != nil {
		select {
		case r, ok := <-recs:
			if !ok {
				recs = nil
				break
			}
			apply(r)
		case <-drain.C:
			recs = nil
		}
	}
	var activity []machine.SlotActivity
	if act != nil {
		mem := make([]byte, activitySlots*activitySlotBytes)
		if _, err := act.ReadAt(mem, 0); err == nil {
			activity = machine.ReadActivity(mem)
		}
	}
	return sv.verdict(env, waitErr, forwarded, grace, describeActivity(activity, sv.actions))
}

// readStatus sends the records of the status pipe to recs and closes it
// at the pipe's end. Lines that are not records are skipped.
func readStatus(pr *os.File, recs chan<- statusRecord) {
	defer close(recs)
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		var r statusRecord
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			recs <- r
		}
	}
}

// verdict is the exit code of a supervised run that ended with waitErr,
// and what the front end has to add to the runner's own report.
func (sv *supervision) verdict(env Env, waitErr error, forwarded os.Signal, grace time.Duration, running string) int {
	hint := ""
	if !tracebackWanted(env.Environ) {
		hint = fmt.Sprintf("(set %s=1 for the model runner's goroutine stacks)\n", EnvTraceback)
	}
	switch {
	case sv.killedFor == "memory":
		fmt.Fprintf(env.Stderr, "\n%s\n  The model runner's memory passed the cap (--memory %s): execspec stopped it at once, without statistics",
			memoryStopMessage(), bytesize.Format(sv.memory))
		if strings.HasPrefix(running, "running") {
			fmt.Fprintf(env.Stderr, "; %s", running)
		}
		fmt.Fprintf(env.Stderr, ".\n")
		return ExitIncomplete
	case sv.killedFor == "stuck":
		fmt.Fprintf(env.Stderr, "execspec: model code did not return within %s of the stop (%s), and the model runner did not end the run itself: execspec killed it, without a result; %s.\n",
			grace, sv.stopCause, running)
		return ExitNoResult
	case sv.final != nil:
		if sv.final.Reason == reasonMemory && strings.HasPrefix(running, "running") {
			fmt.Fprintf(env.Stderr, "execspec: at the memory cap: %s.\n", running)
		}
		if sv.final.Reason == reasonStuck {
			fmt.Fprintf(env.Stderr, "execspec: model code did not return within %s of the stop (%s): the run ended without a result; %s.\n%s",
				grace, sv.stopCause, running, hint)
		}
		return *sv.final.Exit
	}
	var exitErr *exec.ExitError
	if !errors.As(waitErr, &exitErr) && waitErr != nil {
		fmt.Fprintf(env.Stderr, "execspec: running the model runner: %v\n", waitErr)
		return ExitUsage
	}
	if !sv.hello {
		// A runner of an execspec without the side channel: its status is
		// all there is.
		switch {
		case waitErr == nil:
			return ExitOK
		case exitErr.ExitCode() >= 0:
			return exitErr.ExitCode()
		}
		fmt.Fprintf(env.Stderr, "execspec: model runner: %v\n", waitErr)
		return interruptedCode(forwarded)
	}
	how := "exited with status 0"
	why := "model code that calls os.Exit ends it so"
	switch {
	case waitErr == nil:
	case exitErr.ExitCode() >= 0:
		how = fmt.Sprintf("exited with status %d", exitErr.ExitCode())
		if exitErr.ExitCode() == 2 {
			why = "a runtime error in model code, printed above: a stack overflow, a panic in a goroutine it started, out of memory"
		}
	default:
		sig := signalOf(exitErr)
		if forwarded != nil && sig == forwarded.String() {
			// Killed by the signal passed on, before it could handle it.
			fmt.Fprintf(env.Stderr, "execspec: model runner: %v\n", waitErr)
			return interruptedCode(forwarded)
		}
		how = "was killed by a signal (" + sig + ")"
		why = "killed from outside: by the out-of-memory killer, perhaps"
	}
	fmt.Fprintf(env.Stderr, "execspec: internal error: the model runner %s without a result (%s); %s.\n", how, why, running)
	return ExitNoResult
}

// signalOf names the signal that killed a process ("signal: killed" is
// the error's text).
func signalOf(e *exec.ExitError) string {
	return strings.TrimPrefix(e.Error(), "signal: ")
}

// describeActivity says which actions were running, from the activity
// table's slots, naming actions by the instance's list.
func describeActivity(slots []machine.SlotActivity, actions []string) string {
	if len(slots) == 0 {
		return "which action was running is not known"
	}
	name := func(a int) string {
		switch {
		case a == machine.InitAction:
			return "init"
		case a >= 0 && a < len(actions):
			return actions[a]
		}
		return fmt.Sprintf("#%d", a)
	}
	var running, last []string
	count := map[string]int{}
	seen := map[string]bool{}
	for _, s := range slots {
		n := name(s.Action)
		switch {
		case s.Running:
			if count[n] == 0 {
				running = append(running, n)
			}
			count[n]++
		case !seen[n]:
			seen[n] = true
			last = append(last, n)
		}
	}
	if len(running) == 0 {
		return "no action was running (model code in a property, or in a goroutine an action started; the last actions run: " + strings.Join(last, ", ") + ")"
	}
	for i, n := range running {
		if count[n] > 1 {
			running[i] = fmt.Sprintf("%s (in %d executors)", n, count[n])
		}
	}
	if len(running) == 1 {
		return "running: action " + running[0]
	}
	return "running: actions " + strings.Join(running, ", ")
}

// parseVmRSS reads the VmRSS line of a /proc/PID/status file.
func parseVmRSS(status string) (int64, bool) {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, false
			}
			return kb << 10, true
		}
	}
	return 0, false
}
