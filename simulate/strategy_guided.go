package simulate

import "github.com/execspec/execspec/internal/engine"

// guidedStrategy is Guided: uniform choice, half the samples starting
// from the corpus of prefixes that reached new states (guided.go).
type guidedStrategy struct{}

func (guidedStrategy) info() StrategyInfo {
	return StrategyInfo{Name: Guided, Note: "half the samples start from a corpus of prefixes that reached new states", Learns: true}
}

func (guidedStrategy) choice(int, uint64, uint64) engine.Choice { return engine.Choice{} }

func (guidedStrategy) newLearner() learner { return newGuide() }
