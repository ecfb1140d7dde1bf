package check

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"

	"github.com/execspec/execspec/trace"
)

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
	// Resumed is how many of the distinct states a search resumed from a
	// checkpoint (Options.Checkpoint.Resume) restored rather than found.
	Resumed int64
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
	// DiskBytes is the size of the fingerprints and trace records a BFS
	// moved to temporary files, past Options.Spill (0: none).
	DiskBytes int64
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

// StatesPerSecond is the rate of distinct states found, those a resumed
// search restored left out.
func (s Stats) StatesPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Distinct-s.Resumed) / s.Elapsed.Seconds()
}

// Result is what Run returns.
type Result struct {
	Strategy Strategy
	Seed     uint64
	Workers  int
	// Property is the property searched for, or "" for every invariant and
	// every temporal property; PropertyKind says whether it is an
	// invariant, an example or a temporal property.
	Property     string
	PropertyKind machine.PropertyKind
	Findings     []findings.Finding
	Stats        Stats
	// Complete is true when every reachable state was explored (Stopped is
	// findings.Exhausted). A search that stopped at its first finding is not
	// complete, but its finding is real; an incomplete search with no
	// finding proves nothing.
	Complete bool
	Stopped  findings.Stop
	// Collision is the estimated probability that two distinct states
	// share a fingerprint, making the search skip one: n²/2^65 for n
	// distinct states and 64-bit fingerprints (n²/2^129 for 128-bit). It is
	// the birthday bound for a perfectly uniform hash, so optimistic in
	// TLC's sense. Under symmetry it adds the same bound for the
	// successors generated: the workers remember representatives by the
	// fingerprints of states as they are.
	Collision      float64
	Fingerprint128 bool
	// DataPicks are the data pick labels whose values were reduced (nil
	// when the model declares none or Options.AllData is set).
	DataPicks []string
	// Symmetries are the symmetry sets the states were reduced by.
	Symmetries []string
	// Refinements are the refinements checked (execspec.Refines), on every
	// transition; the search then ignores the model's symmetry.
	Refinements []string
	// Unverified lists, in words, what the search did not verify of the
	// refinements it checked (high fairness declared per pick; with
	// NoTemporal, their mapped temporal properties and fairness). A result
	// with any is not a proof of the refinements, whatever Complete says.
	Unverified []string
	// Liveness describes the check of the temporal properties on the
	// behaviour graph; nil when none was checked (none asked for, or the
	// safety search found something or stopped early: a temporal property
	// is then not verified, and Complete is false or there are findings).
	Liveness *LivenessStats
}

// Verdict is what the result amounts to: a model error, a violation, the
// example, or, with nothing found, whether the search's silence can be
// trusted (it ran to its end and verified all it was asked to) or not.
func (r *Result) Verdict() findings.Verdict {
	return findings.Judge(findings.Outcome{
		Findings:    r.Findings,
		Complete:    r.Complete && len(r.Unverified) == 0,
		Interrupted: r.Stopped == findings.StoppedInterrupted,
		WantExample: r.PropertyKind == machine.Example,
	})
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
	Picks   []machine.Pick
	Detail  string         // what differed
	Changes []trace.Change // the second successor against the first
}

func (e *NondeterminismError) Error() string {
	var b strings.Builder
	picks := "no picks"
	if len(e.Picks) > 0 {
		picks = "picks " + machine.FormatPicks(e.Picks)
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
