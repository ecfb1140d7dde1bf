package simulate

import "github.com/execspec/execspec/internal/engine"

// uniformStrategy is Uniform: every sample draws among the enabled
// actions by the model's weights alone.
type uniformStrategy struct{}

func (uniformStrategy) info() StrategyInfo { return StrategyInfo{Name: Uniform} }

func (uniformStrategy) choice(int, uint64, uint64) engine.Choice { return engine.Choice{} }

func (uniformStrategy) newLearner() learner { return nil }
