// Package reference is the reference semantics of execspec models: the
// simplest explorer that computes what every engine must compute, the one
// the engines are tested against.
//
// A model's meaning is its Go code run plainly. A state is a Go value,
// identified by Key, a canonical string written by a reflective walk that
// shares no code with the engines' state runtime. Every branch of init and
// of every action runs on a fresh copy of the state it starts from (fresh,
// built anew for each branch with package reflect), in which every map and
// Set is made (writable, also through an alias), every empty slice is nil
// and no two places share memory. Explore searches breadth-first, never
// encoding, fingerprinting, decoding or reusing a state, and evaluates
// every property on every state; it is slow on purpose, for instances of
// up to some hundred thousand states.
//
// The engines (package check, package simulate) copy states on write,
// keep their frontiers encoded, reuse the state a dropped branch left
// untouched, remember key orders and representatives under symmetry; a
// fast path is right when it changes none of what Explore computes: the
// reachable states, their depths, the generated count, the properties'
// verdicts and, under symmetry, the orbits. The command `execspec check
// --reference` compares the two on an instance.
//
// Semantics exposes the two building blocks, Key (under symmetry, the
// smallest key of a state's renamings) and Step, so that a random walk or
// a trace can be checked step by step.
package reference
