// Package check is execspec's exhaustive model checker: it explores every
// state a model can reach and checks its invariants on each one, or searches
// for a state satisfying an example.
//
//	mc, _ := model.Compile()
//	res, err := check.Run(ctx, mc, check.Options{})
//	// res.Findings, res.Complete, res.Stats
//
// or, from a test, check.Test(t, model, check.Options{}).
//
// # Search
//
// A state's successors are every enabled branch of every action: the
// checker enumerates each action's picks (execspec.Executor.Enumerate), in
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
// instead, and a 4-byte depth per state. Result.Stats.StoreBytes counts all
// of it. The store sits behind a small interface, so that one spilling to
// disk can replace the in-memory table. Options.MemoryBytes caps the store
// and the Go heap; reaching it ends the search, incomplete.
//
// Two distinct states with the same fingerprint would make the checker skip
// one. Result.Collision estimates the probability of that as n²/2^65 for n
// distinct states (the birthday bound for an ideal 64-bit hash; n²/2^129 for
// 128-bit fingerprints). Like TLC's "optimistic" estimate it assumes a
// perfect hash; about 1e-7 at 2 million states, 1e-5 at 20 million.
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
// # Results
//
// A search is Complete only when every reachable state was explored. A limit
// (MaxDepth, MaxStates, Timeout, MemoryBytes) or a cancelled context ends it
// incomplete, and an incomplete search with no finding proves nothing: the
// Result says why it stopped (Result.Stopped). Depths follow TLC's
// convention: initial states are at depth 1, so a search depth of d means the
// deepest state is d-1 steps from an initial state.
package check
