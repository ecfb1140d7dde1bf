package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/execspec/execspec/machine"
)

// The front end and the model runner it starts talk over a side channel,
// so that the front end never takes the runner's exit status on trust:
// model code can end the runner's process in ways no engine sees (os.Exit,
// a stack overflow, a panic in a goroutine it started, the out-of-memory
// killer), or never return at all.
//
//   - The status pipe (file descriptor EXECSPEC_STATUS_FD in the runner):
//     the runner writes one JSON record per line. It says hello first
//     (before calling Spec), then the instance's action names, the
//     search's --timeout and --memory when it starts, that the engine has
//     returned, and last a final record with its exit code. A runner that
//     ends without a final record ended without a result: exit
//     ExitNoResult, whatever its status was.
//   - The activity table (file descriptor EXECSPEC_ACTIVITY_FD): shared
//     memory in which each of the runner's executors records the action
//     it is running (machine.Activity), two plain stores per execution.
//     The front end reads it after the runner has gone, or when it has
//     to kill it, and names the actions that were running.
//
// A runner built against an older execspec says no hello; the front end
// then trusts its exit status, as it used to.

// Environment variables of the side channel, set by the front end.
const (
	envStatusFD   = "EXECSPEC_STATUS_FD"
	envActivityFD = "EXECSPEC_ACTIVITY_FD"
)

// EnvGrace, set to a duration (10s, 500ms), replaces DefaultGrace.
const EnvGrace = "EXECSPEC_GRACE"

// DefaultGrace is how long model code has to return after a run is told to
// stop (--timeout, SIGINT, SIGTERM, SIGHUP) before the runner is ended
// without its statistics: exit ExitNoResult, naming the actions that were
// running. A second signal, a second or more after the first, ends it at
// once.
const DefaultGrace = 5 * time.Second

// protocolVersion is the hello record's version.
const protocolVersion = 1

// activitySlots is the number of slots of the activity table: executors
// take them in turn.
const activitySlots = 64

// activitySlotBytes is the size of one slot.
const activitySlotBytes = machine.ActivitySlotSize

// statusRecord is one line of the status pipe; one field is set.
type statusRecord struct {
	Hello   int      `json:"hello,omitempty"`      // protocol version, first
	Actions []string `json:"actions,omitempty"`    // the instance's actions, by number
	Timeout int64    `json:"timeout_ms,omitempty"` // the engine starts, under this --timeout
	Memory  int64    `json:"memory,omitempty"`     // the engine starts, under this hard memory cap
	Done    bool     `json:"done,omitempty"`       // the engine has returned: only reporting is left
	Exit    *int     `json:"exit,omitempty"`       // the final record: the exit code
	Reason  string   `json:"reason,omitempty"`     // with Exit: why the runner ended the run itself
}

// Reasons a runner gives with a final record it wrote without finishing
// the command.
const (
	reasonStuck  = "stuck"  // model code did not return within the grace period
	reasonMemory = "memory" // the runner reached the hard memory cap
	reasonGoexit = "goexit" // model code called runtime.Goexit
)

// graceOf returns the grace period the environment sets, or DefaultGrace.
func graceOf(environ []string) (time.Duration, error) {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, EnvGrace+"="); ok && v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return DefaultGrace, fmt.Errorf("%s=%q is not a positive duration such as 5s", EnvGrace, v)
			}
			return d, nil
		}
	}
	return DefaultGrace, nil
}

// envValue returns the value of name in environ, or "".
func envValue(environ []string, name string) string {
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}
