// Package check is execspec's exhaustive model checker: it explores every
// state a model can reach and checks its invariants on each one (and its
// step invariants, refinements and temporal properties), or searches for a
// state satisfying an example.
//
//	mc, _ := machine.Compile(model)
//	res, err := check.Run(ctx, mc, check.Options{})
//	// res.Findings, res.Verdict(), res.Stats
//
// or, from a test, check.Test(t, model, check.Options{}).
//
// # Strategies
//
// BFS (the default) explores level by level on Options.Workers goroutines;
// the states, their numbering, the counts and the counterexamples do not
// depend on the number of workers, and each counterexample is a shortest
// one. DFS explores depth-first on one goroutine; RandomDFS shuffles every
// state's successors with Options.Seed, for deep bugs in state spaces too
// large to exhaust. Strategies lists the registered strategies and
// Strategy.Info describes one (StrategyInfo); each is one file and one
// entry of the registry, which Options validation and front ends read.
//
// # What is checked
//
// Invariants on every distinct state, initial states included; step
// invariants and refinements on every transition; with Options.Deadlock, a
// state with no enabled action; a panic in user code is a finding with
// the trace that leads to it, never a crash. State constraints stop
// expansion. Symmetry (one state per orbit; Options.NoSymmetry) and data
// independence (Options.AllData) reduce the search. Temporal properties
// are checked after a complete safety search that found nothing, on the
// behaviour graph, which a breadth-first search without symmetry builds as
// it goes. Options.Checkpoint saves a breadth-first search to resume it
// later with the same result.
//
// # Results
//
// A search is Complete only when every reachable state was explored. A
// limit (MaxDepth, MaxStates, Timeout, MemoryBytes) or a cancelled context
// ends it incomplete, and an incomplete search with no finding proves
// nothing: Result.Stopped says why it stopped, and Result.Verdict what the
// result amounts to. Result.Collision estimates the probability that two
// states share a fingerprint. Depths follow TLC's convention: initial
// states are at depth 1.
//
// docs/checker.md tells how states are named, stored, reduced and
// searched, and how temporal properties are checked.
package check
