package check

import (
	"fmt"
	"runtime"
	"time"

	"github.com/execspec/execspec/internal/engine"
)

// Options configures Run. The zero value works: a breadth-first search of
// every invariant on all cores, with no limits; fill applies the defaults.
type Options struct {
	// Strategy is the search order (default BFS; see Strategies).
	Strategy Strategy
	// Seed shuffles RandomDFS (and drives any strategy that is
	// StrategyInfo.Seeded); the same seed gives the same search.
	Seed uint64
	// Workers is the number of goroutines BFS uses (default GOMAXPROCS),
	// as does any strategy that is StrategyInfo.Parallel. Counts and
	// counterexamples do not depend on it. DFS uses one.
	Workers int
	// MaxDepth bounds the search to states at most MaxDepth steps from an
	// initial state (0: no bound). A search that leaves states beyond the
	// bound unexplored is incomplete.
	MaxDepth int
	// MaxStates stops the search after this many distinct states (0: no
	// limit).
	MaxStates int64
	// Timeout stops the search after this long (0: no limit).
	Timeout time.Duration
	// MaxFindings stops the search after this many findings (default 1).
	MaxFindings int
	// Property is the invariant, example or temporal property to check;
	// empty checks every invariant and every temporal property.
	Property string
	// NoTemporal, with an empty Property, checks the invariants only: no
	// behaviour graph is built.
	NoTemporal bool
	// NoRefinement, with an empty Property, does not check the model's
	// refinements (execspec.Refines), so that the search may reduce by
	// the model's symmetry.
	NoRefinement bool
	// Deadlock reports reachable states in which no action is enabled
	// (states that a constraint keeps from being expanded excepted).
	Deadlock bool
	// MemoryBytes caps the memory of the fingerprint store, the trace
	// records and (estimated) the states waiting to be expanded; the search
	// stops, incomplete, before exceeding it (0: no cap).
	MemoryBytes int64
	// Spill is the size from which a breadth-first search keeps on disk
	// what it does not need at hand (0: a quarter of MemoryBytes, never
	// without a cap; negative: never): a level's encodings past it wait
	// for expansion in a temporary file, read back one chunk at a time;
	// the fingerprints seen, past it in memory, move to a sorted file
	// that each level's new states are looked up in at once; the trace
	// records, past it, move to a file that a trace reads back; the
	// candidates of a level too wide for it wait in a file, sorted out
	// at the level's end. The limit is shared among them (see
	// docs/checker.md). Spilling changes nothing of the search but where
	// these wait. Searches that build a behaviour graph keep fingerprints
	// and records in memory.
	Spill int64
	// Fingerprint128 stores 128-bit fingerprints instead of 64-bit ones:
	// twice the store, for a collision probability too small to matter at
	// any size.
	Fingerprint128 bool
	// AllData turns off the data-pick reduction (see
	// execspec.Model.DataPicks): every value of every pick is explored.
	AllData bool
	// NoShrink reports the findings of DFS and RandomDFS as found; by
	// default they are shrunk (BFS's are shortest already).
	NoShrink bool
	// ShrinkRuns bounds the candidate runs spent shrinking one finding
	// (default engine.DefaultShrinkRuns).
	ShrinkRuns int
	// NoDeterminismCheck turns off the re-execution of the transition to
	// every new state that detects nondeterministic actions (about one
	// execution more per distinct state).
	NoDeterminismCheck bool
	// NoSymmetry ignores the model's symmetry declarations, so that counts
	// compare with a search (TLC's, say) that does not reduce by symmetry.
	NoSymmetry bool
	// ExploreOnly judges no property (constraints still bound the search,
	// and panics and nondeterminism are still reported): the search
	// visits every reachable state, as Visit lists them. Property must be
	// empty.
	ExploreOnly bool
	// Visit, when set, is called once for every distinct state the search
	// stores (every orbit under symmetry), with the canonical encoding of
	// the state as it was generated (not its orbit's representative:
	// machine.Decoder decodes it) and its depth, initial states at depth
	// 1. BFS calls it from its workers, possibly at once, level by level;
	// DFS and RandomDFS with the depth at which the state is first
	// reached. The encoding is valid during the call only. It serves tools
	// that compare a search with another (package reference).
	Visit func(encoding []byte, depth int)
	// Checkpoint makes a breadth-first search save its progress now and
	// then, and resume it (see CheckpointOptions).
	Checkpoint CheckpointOptions
	// Progress, when set, is called about every ProgressEvery (default 2s)
	// from another goroutine with the statistics so far.
	Progress      func(Stats)
	ProgressEvery time.Duration
	_             struct{}
}

// DefaultMaxFindings is the default of Options.MaxFindings, exported so
// that front ends (the CLI's flags) show and apply the library's value.
const DefaultMaxFindings = 1

// fill applies the defaults and validates the options; it returns the
// strategy they name.
func (o *Options) fill() (searchStrategy, error) {
	if o.Strategy == "" {
		o.Strategy = DefaultStrategy
	}
	st, err := lookup(o.Strategy)
	if err != nil {
		return nil, err
	}
	info := st.info()
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if !info.Parallel {
		o.Workers = 1
	}
	if o.MaxFindings == 0 {
		o.MaxFindings = DefaultMaxFindings
	}
	if o.ProgressEvery == 0 {
		o.ProgressEvery = 2 * time.Second
	}
	if o.ShrinkRuns == 0 {
		o.ShrinkRuns = engine.DefaultShrinkRuns
	}
	if o.Checkpoint.Every == 0 {
		o.Checkpoint.Every = DefaultCheckpointEvery
	}
	switch {
	case o.Checkpoint.Dir != "" && !info.Checkpoints:
		return nil, fmt.Errorf("checkpoints need the %s, not %s", strategyTitles(func(in StrategyInfo) bool { return in.Checkpoints }), o.Strategy)
	case o.Checkpoint.Resume && o.Checkpoint.Dir == "":
		return nil, fmt.Errorf("resuming needs the checkpoint's directory")
	case o.Checkpoint.Every < 0:
		return nil, fmt.Errorf("checkpoint interval must not be negative, got %s", o.Checkpoint.Every)
	case o.Workers < 0:
		return nil, fmt.Errorf("workers must be positive, got %d", o.Workers)
	case o.MaxFindings < 0:
		return nil, fmt.Errorf("max findings must be positive, got %d", o.MaxFindings)
	case o.ShrinkRuns < 0:
		return nil, fmt.Errorf("shrink runs must be positive, got %d", o.ShrinkRuns)
	case o.ExploreOnly && o.Property != "":
		return nil, fmt.Errorf("explore-only searches judge no property, got property %s", o.Property)
	case o.ProgressEvery < 0:
		return nil, fmt.Errorf("progress interval must not be negative, got %s", o.ProgressEvery)
	}
	for _, err := range []error{
		engine.NotNegative("MaxDepth", "max depth", o.MaxDepth),
		engine.NotNegative("MaxStates", "max states", o.MaxStates),
		engine.NotNegative("Timeout", "timeout", o.Timeout),
		engine.NotNegative("MemoryBytes", "memory cap", o.MemoryBytes),
	} {
		if err != nil {
			return nil, err
		}
	}
	return st, nil
}

// Validate reports the first option Run would refuse, nil when there is
// none.
func (o Options) Validate() error {
	_, err := o.fill()
	return err
}
