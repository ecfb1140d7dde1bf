package findings

// Stop says why a search ended. Only Exhausted is a search that ran to its
// end; a search that stopped for any other reason with nothing found proves
// nothing and is never reported as clean.
type Stop int

const (
	// Exhausted: the search ran to its end: every reachable state within
	// the constraints (check), every planned sample (simulate).
	Exhausted Stop = iota
	// StoppedFindings: the search stopped after the findings it was asked
	// for.
	StoppedFindings
	// StoppedTimeout: the time limit elapsed.
	StoppedTimeout
	// StoppedMaxStates: the limit on distinct states was reached.
	StoppedMaxStates
	// StoppedMaxDepth: states beyond the depth bound were left unexplored.
	StoppedMaxDepth
	// StoppedMemory: the memory cap was reached.
	StoppedMemory
	// StoppedInterrupted: the context was cancelled (Ctrl-C, a test's end).
	StoppedInterrupted
	// StoppedNondeterminism: an action turned out not to be deterministic
	// (a Nondeterministic finding).
	StoppedNondeterminism
)

func (s Stop) String() string {
	switch s {
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
