package simulate

import "github.com/execspec/execspec/internal/engine"

// swarmStrategy is Swarm: each sample holds back its own random half of
// the actions and weighs the rest at random (engine.SwarmChoice).
type swarmStrategy struct{}

func (swarmStrategy) info() StrategyInfo {
	return StrategyInfo{Name: Swarm, Note: "each sample holds back a random half of the actions, taken only at a step where no other is enabled, and draws the rest by random weights times the model's"}
}

func (swarmStrategy) choice(n int, seed, sample uint64) engine.Choice {
	return engine.SwarmChoice(n, seed, sample)
}

func (swarmStrategy) newLearner() learner { return nil }
