// Package check is execspec's exhaustive model checker: it explores every
// state a model can reach and checks its invariants on each one, or searches
// for a state satisfying an example.
//
//	mc, _ := machine.Compile(model)
//	res, err := check.Run(ctx, mc, check.Options{})
//	// res.Findings, res.Complete, res.Stats
//
// or, from a test, check.Test(t, model, check.Options{}).
//
// # Search
//
// A state's successors are every enabled branch of every action: the
// checker enumerates each action's picks (machine.Executor.Enumerate), in
// a fixed canonical order (actions in definition order, then picks in their
// order), so that a successor is named by its ordinal in that order.
//
// BFS (the default) explores level by level on Options.Workers goroutines.
// Each level is ranked canonically (by parent, then ordinal), so the states,
// their numbering, the counts and the counterexamples do not depend on the
// number of workers, and each counterexample is a shortest one. DFS explores
// depth-first on one goroutine; RandomDFS shuffles every state's successors
// with Options.Seed, for deep bugs in state spaces too large to exhaust. A
// depth bound (Options.MaxDepth) is sound: a state reached again by a shorter
// path is explored again.
//
// Each strategy is one file (strategy_bfs.go, strategy_dfs.go,
// strategy_random_dfs.go) and one entry of the registry (strategy.go):
// a description (StrategyInfo: its title, and whether it is parallel,
// seeded, shortest or checkpoints) and a choice, once per Run, among the
// searches of the state space (level by level in bfs.go; depth-first in
// dfs.go, in the order the strategy gives each state's successors).
// Strategies lists the registered strategies and Strategy.Info describes
// one: Options validation and front ends (the CLI, package portfolio)
// read them rather than naming strategies themselves.
//
// Invariants are checked on every distinct state, initial states included.
// State constraints (execspec.Model.Constraint) stop expansion: a state that
// fails one is counted and checked, not expanded. With Options.Deadlock a
// state with no enabled action is a finding. A panic in user code is a
// finding with the trace that leads to it, never a crash.
//
// # Store
//
// Each distinct state is remembered by the 64-bit (Options.Fingerprint128:
// 128-bit) xxh3 fingerprint of its canonical encoding, in an open-addressing
// hash table split into 64 independently locked and independently growing
// shards (at most 3/4 full, so 8 to 16 bytes per state for 64-bit
// fingerprints). To rebuild traces without keeping states, BFS also records
// per state 8 bytes: the number of the state it was first reached from and
// its successor ordinal there; a trace is rebuilt by re-executing those
// successors from the initial state. DFS keeps its current path on a stack
// instead, and a 4-byte depth per state. When BFS builds the behaviour
// graph (see Temporal properties), its table also keeps each state's
// record number, 4 bytes per slot. Result.Stats.StoreBytes counts all of
// it. The store sits behind a small interface, so that one spilling to
// disk can replace the in-memory table. Options.MemoryBytes caps the store
// and the Go heap; reaching it ends the search, incomplete.
//
// Two distinct states with the same fingerprint would make the checker skip
// one. Result.Collision estimates the probability of that as n²/2^65 for n
// distinct states (the birthday bound for an ideal 64-bit hash; n²/2^129 for
// 128-bit fingerprints). Like TLC's "optimistic" estimate it assumes a
// perfect hash; about 1e-7 at 2 million states, 1e-5 at 20 million. Under
// symmetry each worker also remembers the representatives of the states it
// canonicalised last by the fingerprints of the states as they are (most
// successors are states reached before, and a hit spares trying every
// renaming), and the estimate adds the same bound for the successors
// generated, of which those states are some.
//
// # Reductions
//
// Symmetry (execspec.Model.Symmetry): each state is fingerprinted by the
// smallest encoding over every permutation of the declared sets, so one
// state per orbit is explored: counts are orbits, and differ from TLC's
// unless TLC used the same symmetry (Options.NoSymmetry turns it off). The
// canonicalization tries every permutation, fine for the small sets models
// declare (n! per set; at most 8! in all).
//
// Data picks (execspec.Model.DataPicks): picks whose values no guard or
// property inspects are explored with one value per branch instead of all
// (data independence); Options.AllData turns it off.
//
// # Temporal properties
//
// Temporal properties (execspec.Model.Temporal) are checked after a
// complete safety search that found nothing, as TLC does, on the behaviour
// graph, which keeps no states (uint32 ids in breadth-first order,
// compressed edge rows with each edge's successor ordinal and the fairness
// classes it takes, the classes enabled in each state and one bit per
// formula predicate). Stuttering steps are not edges. A breadth-first
// search without symmetry and without checkpoints builds the graph as it
// goes: the worker that expands a state computes its predicate bits and
// its steps' edges and classes, and the graph is extended level after
// level in the canonical order, so it is the same with any number of
// workers. Its store then keeps each state's record number (4 bytes more
// per state), which resolves the edges' destinations, and the graph shares
// the search's trace records. Otherwise (DFS and RandomDFS; symmetry, under
// which the search stores one state per orbit; checkpoints, which do not
// hold the graph) a second breadth-first exploration builds the same graph
// after the safety search, single-threaded; so does a search whose
// formula predicate, fairness condition or Taken panicked, to report the
// first panic as that exploration meets it. Each formula becomes a search for a fair strongly
// connected component (Tarjan's algorithm; for strong fairness the states
// enabling a neglected action are removed and the rest decomposed again) or
// a state that may stutter for ever, reachable from a trigger state; the
// violation is rebuilt as a lasso whose prefix is shortest and whose loop
// takes every fairness condition it must (findings.LivenessViolated, with
// trace.Trace.Loop set). Options.Property selects one temporal property;
// empty checks every invariant and every temporal property, unless
// Options.NoTemporal.
//
// Symmetry is not used for the graph (TLC's symmetry with liveness is
// unsound): it holds every state. State constraints bound the graph as
// they bound the search (TLC's semantics): temporal properties speak of the
// behaviours that stay inside; a step to a state outside is not an edge,
// but its action counts as enabled for fairness. Result.Liveness describes
// the graph; a search stopped by a limit, before or while building it,
// leaves temporal properties unverified and the Result incomplete.
//
// # Results
//
// A search is Complete only when every reachable state was explored. A limit
// (MaxDepth, MaxStates, Timeout, MemoryBytes) or a cancelled context ends it
// incomplete, and an incomplete search with no finding proves nothing: the
// Result says why it stopped (Result.Stopped). Depths follow TLC's
// convention: initial states are at depth 1, so a search depth of d means the
// deepest state is d-1 steps from an initial state.
package check
