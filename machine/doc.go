// Package machine is a compiled model: what the engines run.
//
// Model authors do not need this package: they write models with the root
// package (execspec.Model, Ctx, the picks) and check them with the
// engines' Test functions (check.Test, simulate.Test, mbt.Run). Engines,
// and tools built on models, compile a model with Compile and get a
// Machine: the model's names and properties, its state codec (deep copy,
// canonical encoding, fingerprints, ITF) and Executors that run its init
// and actions with choices from an engine:
//
//	mc, err := machine.Compile(m)
//	if err != nil {
//		return err // a missing init, a duplicate name, a state type it cannot handle
//	}
//	ex := mc.NewExecutor()
//	var s0 State
//	ex.Enumerate(machine.InitAction, nil, &s0, func(r machine.Result) bool {
//		// s0 holds one initial state, r.Path the choices that made it
//		return true
//	})
//
// An Executor runs one execution at a time from a source of Choices:
// Exec with any Choices (a Path replays recorded choice indices), Enumerate
// over every branch (an Odometer), Random in a random order (a Rand).
// A Result says whether the branch was enabled, the choices it made
// (replayable with Path), its labelled Picks when recording, and a
// *PanicError when model code panicked.
package machine
