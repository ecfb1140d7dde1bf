package check

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/trace"
)

// FindingKind says what a finding is.
type FindingKind int

const (
	// InvariantViolated: a reachable state violates an invariant.
	InvariantViolated FindingKind = iota + 1
	// ExampleFound: a reachable state satisfies the example searched for.
	ExampleFound
	// Deadlocked: a reachable state has no enabled action (with
	// Options.Deadlock).
	Deadlocked
	// Panicked: user code (init, an action, a property or a symmetry's
	// permute function) panicked.
	Panicked
	// Nondeterministic: an action executed twice from the same state with
	// the same picks gave different results (Err is a
	// *NondeterminismError). The search stops: its counts would mean
	// nothing.
	Nondeterministic
)

func (k FindingKind) String() string {
	switch k {
	case InvariantViolated:
		return "invariant violated"
	case ExampleFound:
		return "example found"
	case Deadlocked:
		return "deadlock"
	case Panicked:
		return "panic"
	case Nondeterministic:
		return "nondeterministic model"
	}
	return "unknown"
}

// Finding is one result worth reporting, with the trace that reaches it.
type Finding struct {
	Kind FindingKind
	// Property is the invariant or example; for a panic, the property or
	// symmetry that panicked (empty when an action or init did).
	Property string
	// Err is the *execspec.PanicError of a panic.
	Err error
	// Trace leads from an initial state to the state found. For a panic in
	// an action, its last step shows the action and the picks it made on
	// top of the state it started from. With BFS it is a shortest trace.
	Trace *trace.Trace
}

// StopReason says why a search ended.
type StopReason int

const (
	// Exhausted: every reachable state (within the constraints) was
	// explored. The search is complete.
	Exhausted StopReason = iota
	// StoppedFindings: the search stopped after Options.MaxFindings
	// findings.
	StoppedFindings
	// StoppedTimeout: Options.Timeout elapsed.
	StoppedTimeout
	// StoppedMaxStates: Options.MaxStates distinct states were reached.
	StoppedMaxStates
	// StoppedMaxDepth: states beyond Options.MaxDepth were left unexplored.
	StoppedMaxDepth
	// StoppedMemory: the store would have outgrown Options.MemoryBytes.
	StoppedMemory
	// StoppedInterrupted: the context was cancelled (Ctrl-C).
	StoppedInterrupted
	// StoppedNondeterminism: an action turned out not to be deterministic
	// (a Nondeterministic finding).
	StoppedNondeterminism
)

func (r StopReason) String() string {
	switch r {
	case Exhausted:
		return "exhausted"
	case StoppedFindings:
		return "max findings reached"
	case StoppedTimeout:
		return "timeout"
	case StoppedMaxStates:
		return "max states reached"
	case StoppedMaxDepth:
		return "max depth reached"
	case StoppedMemory:
		return "memory cap reached"
	case StoppedInterrupted:
		return "interrupted"
	case StoppedNondeterminism:
		return "nondeterministic model"
	}
	return "unknown"
}

// Level counts one BFS level: the states first reached in Depth-1 steps
// (TLC's depth convention: initial states are at depth 1).
type Level struct {
	Depth     int
	Distinct  int64 // new states at this level
	Generated int64 // successors generated while expanding the previous level (initial states for depth 1)
}

// Stats are a search's statistics. Progress callbacks get the live subset:
// Generated, Distinct, Frontier, Depth and Elapsed.
type Stats struct {
	// Generated counts every state produced: initial states and every
	// enabled branch of every action from every expanded state, duplicates
	// included (TLC's "states generated").
	Generated int64
	// Distinct counts the distinct states found (TLC's "distinct states");
	// under symmetry, distinct orbits.
	Distinct int64
	// Frontier is the number of states waiting to be expanded (TLC's
	// "states left on queue"); for DFS, the stack depth.
	Frontier int64
	// Depth follows TLC's convention: the number of states on the longest
	// path explored, initial states counting 1. For a complete BFS it is
	// the length of the longest shortest path, so a trace reaching the
	// deepest state has Depth-1 steps. For DFS it is the deepest stack.
	Depth int
	// Elapsed is the wall time of the search.
	Elapsed time.Duration
	// StoreBytes is the memory of the fingerprint store plus, for BFS, the
	// per-state records that rebuild traces.
	StoreBytes int64
	// Levels are BFS's per-level counts.
	Levels []Level
}

// BytesPerState is StoreBytes per distinct state.
func (s Stats) BytesPerState() float64 {
	if s.Distinct == 0 {
		return 0
	}
	return float64(s.StoreBytes) / float64(s.Distinct)
}

// StatesPerSecond is the rate of distinct states found.
func (s Stats) StatesPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Distinct) / s.Elapsed.Seconds()
}

// Result is what Run returns.
type Result struct {
	Strategy Strategy
	Seed     uint64
	Workers  int
	// Property is the property searched for, or "" for every invariant;
	// PropertyKind says whether it is an invariant or an example.
	Property     string
	PropertyKind execspec.PropertyKind
	Findings     []Finding
	Stats        Stats
	// Complete is true when every reachable state was explored (Stopped is
	// Exhausted). A search that stopped at its first finding is not
	// complete, but its finding is real; an incomplete search with no
	// finding proves nothing.
	Complete bool
	Stopped  StopReason
	// Collision is the estimated probability that two distinct states
	// share a fingerprint, making the search skip one: n²/2^65 for n
	// distinct states and 64-bit fingerprints (n²/2^129 for 128-bit). It is
	// the birthday bound for a perfectly uniform hash, so optimistic in
	// TLC's sense.
	Collision      float64
	Fingerprint128 bool
	// DataPicks are the data pick labels whose values were reduced (nil
	// when the model declares none or Options.AllData is set).
	DataPicks []string
	// Symmetries are the symmetry sets the states were reduced by.
	Symmetries []string
}

// collision returns the birthday-bound estimate for n fingerprints of the
// given width.
func collision(n int64, wide bool) float64 {
	bits := 65.0
	if wide {
		bits = 129
	}
	return float64(n) * float64(n) / math.Pow(2, bits)
}

// NondeterminismError describes an action that is not a function of its
// state and picks: executed twice from the same state with the same picks,
// it gave different results.
type NondeterminismError struct {
	Action  string
	Picks   []execspec.Pick
	Detail  string         // what differed
	Changes []trace.Change // the second successor against the first
}

func (e *NondeterminismError) Error() string {
	var b strings.Builder
	picks := "no picks"
	if len(e.Picks) > 0 {
		picks = "picks " + execspec.FormatPicks(e.Picks)
	}
	fmt.Fprintf(&b, "action %s is not deterministic: executed twice from the same state with the same choices (%s), %s", e.Action, picks, e.Detail)
	for i, c := range e.Changes {
		if i == 8 {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.Changes)-i)
			break
		}
		fmt.Fprintf(&b, "\n  %s", trace.FormatChange(c))
	}
	b.WriteString("\nan action must depend only on its state and its picks: ranging over a Go map (use a sorted slice of keys, or a pick), the clock, a random source or a global variable makes it nondeterministic")
	return b.String()
}
