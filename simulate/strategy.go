package simulate

import (
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
)

// Strategy names how a simulation chooses among the enabled actions: the
// value of Options.Strategy.
type Strategy string

// The built-in strategies; see Strategies for every registered one.
const (
	// Uniform takes each enabled action with the same chance (times the
	// model's weights, execspec.Model.Weight), at every step of every
	// sample.
	Uniform Strategy = "uniform"
	// Swarm gives each sample its own configuration (engine.SwarmChoice):
	// about half the actions switched off (taken only when nothing else is
	// enabled) and random weights for the rest. Bugs that need one common
	// action not to fire for a long stretch come out of the samples where
	// it is off. The configuration is drawn from (seed, sample), so a
	// sample replays alone.
	Swarm Strategy = "swarm"
	// Guided keeps a corpus of sample prefixes that reached states no
	// earlier sample had, and starts half of the samples from one of them
	// (see guided.go): coverage guidance, as greybox fuzzers do. Samples
	// run in rounds, so the run stays deterministic for any number of
	// workers; a guided sample is replayed by re-running the rounds before
	// it.
	Guided Strategy = "guided"
)

// StrategyInfo describes a strategy: what front ends list, show and
// validate, so that none of them repeats it.
type StrategyInfo struct {
	// Name is the strategy's name, as Options.Strategy and the CLI's
	// --strategy take it.
	Name Strategy
	// Note says how the strategy chooses, as the CLI's help shows it;
	// empty for none.
	Note string
	// Learns says that each sample learns from the samples before it: a
	// run cannot be sharded, and a sample is replayed by re-running the
	// samples it learned from.
	Learns bool
}

// A strategy is one way of choosing among the enabled actions. A run
// asks it once per sample, never per step.
type strategy interface {
	info() StrategyInfo
	// choice is the configuration sample draws its actions by, in a run
	// of seed over a model of n actions; the zero Choice for uniform
	// choice.
	choice(n int, seed, sample uint64) engine.Choice
	// newLearner returns what a run learns from its samples, nil for a
	// strategy that does not learn (StrategyInfo.Learns).
	newLearner() learner
}

// A learner is what a run learns from its samples: where later samples
// start. Samples run concurrently; the learner keeps the run
// deterministic for any number of workers.
type learner interface {
	// await blocks until sample s may start, and reports false when it is
	// no longer to run (limit says which samples still are).
	await(s int, limit func() int) bool
	// start returns the plan sample s starts from, drawn with rnd; nil
	// for a fresh start from an initial state.
	start(s int, rnd *rng.Rand) *engine.Plan
	// deposit records what sample s reached.
	deposit(s int, d discovery, limit int)
	// wake lets waiting samples see a lowered limit.
	wake(limit int)
	// learnedFrom returns n: sample s learned from samples 0 to n-1, which
	// its replay runs first.
	learnedFrom(s int) int
}

// The registry: the built-in strategies in the order they are listed,
// then those registered later.
var strategies = engine.NewRegistry[Strategy, strategy]("simulation strategy", func(s strategy) Strategy { return s.info().Name },
	uniformStrategy{}, swarmStrategy{}, guidedStrategy{})

// register adds s to the strategies, after those registered before it.
// It must be called from an init function, and panics when the name is
// taken.
func register(s strategy) { strategies.Register(s) }

// Strategies returns the names of the registered strategies, in the order
// they are listed.
func Strategies() []Strategy { return strategies.Names() }

// ParseStrategy returns the strategy named s; an unknown name is an error
// that lists the valid ones.
func ParseStrategy(s string) (Strategy, error) {
	if _, err := strategies.Lookup(Strategy(s)); err != nil {
		return "", err
	}
	return Strategy(s), nil
}

// Info describes the strategy; the zero StrategyInfo for a name that is
// not registered.
func (s Strategy) Info() StrategyInfo {
	if st, ok := strategies.Get(s); ok {
		return st.info()
	}
	return StrategyInfo{}
}

// lookup returns the registered strategy named s.
func lookup(s Strategy) (strategy, error) { return strategies.Lookup(s) }
