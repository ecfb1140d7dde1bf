// Package execspec is the model API of execspec: executable specifications
// of distributed systems in plain Go.
//
// A model is a state type S (a struct whose exported fields are the state
// variables), an init action, named actions and named properties:
//
//	type State struct{ Balance int }
//
//	m := execspec.NewModel[State]("account")
//	m.Init(func(c *execspec.Ctx[State]) { c.S.Balance = 10 })
//	m.Action("withdraw", func(c *execspec.Ctx[State]) {
//		amount := execspec.IntRange(c, "amount", 1, 5) // a labelled pick
//		if !c.Assume(amount <= c.S.Balance) {          // a guard
//			return
//		}
//		c.S.Balance -= amount
//	})
//	m.Invariant("non_negative", func(s *State) bool { return s.Balance >= 0 })
//	m.Example("empty", func(s *State) bool { return s.Balance == 0 })
//
// Nondeterminism is explicit and labelled: OneOf, OneOfSet, IntRange,
// SubsetOf, FunctionOf and Ctx.Either. The same action code serves every
// engine: random simulation draws the picks from a seeded source, the
// checker enumerates them, replay reads them back from a trace, and
// model-based testing hands (action, picks) to a driver of the real system.
// Every step's action and picks are recorded automatically.
//
// An action either completes, producing the next state, or has no effect: it
// works on a private copy of the state (Ctx.S), and a branch on which Assume
// fails is dropped. A panic inside an action or a property is caught and
// reported with the action, the picks and the trace that led there.
//
// State values may be booleans, integers of any kind, strings, arrays,
// slices, maps, pointers, structs, Set (comparable elements), VSet (any
// state value as element: sets of sets, sets of records holding sets),
// BigInt (unbounded integers) and sum types: interface types whose variants
// are registered with Variants, written to traces as Quint variants. The
// Set and VSet methods (With, Without, Union, Intersect, Diff, IsSubsetOf,
// Filter, ...) return new sets, so updates read like the spec:
//
//	execspec.Variants[Msg](Prepare{}, Promise{}) // Msg is an interface
//	s.Inbox[q] = s.Inbox[q].With(Promise{Bal: b})
//
// When an engine compiles a model (package machine), it checks the state
// type once and reports every problem (a func, a chan, a float, an
// interface without variants, a recursive type, an unexported field) with
// the field's path and what to use instead. The engines copy, canonically
// encode (maps and sets in sorted order) and fingerprint states through
// operations compiled once per type by the state runtime (an internal
// package; Set, VSet and BigInt describe themselves to it with their
// StateRuntime methods, which model code has no use for).
//
// Between two steps a state is a value: every action starts from a copy in
// which every map and Set is made (writable, also through an alias: a :=
// s.Alloc[c]; a.Add(r) changes s.Alloc[c], empty or not), every empty
// slice is nil and no two places share memory, whatever path produced the
// state. Within an action, Go's semantics hold: aliases share.
//
// A package that holds a model exposes it to the execspec command with
// `func Spec() *execspec.Spec[S]`, naming its instances (parameter sets).
// The engines live in their own packages: simulate (random simulation and
// replay), check (exhaustive search), validate (trace validation) and mbt
// (model-based testing); each has a Test function for go test. Package
// machine is the compiled model they run (engine plumbing: model authors
// do not need it); trace holds the model-independent trace type and itf
// the ITF codec.
//
// Index of the API:
//
//   - Defining: NewModel, Model.Init, Model.Action, Model.Invariant,
//     Model.Example, Model.Constraint, Model.Symmetry, Model.DataPicks,
//     Model.Weight, Model.Environment, Model.Params; NewSpec, Spec.Instance.
//   - Properties of steps: Model.StepInvariant (TLA+'s [][A]_vars) and
//     Model.ActionConstraint (TLC's ACTION_CONSTRAINT), predicates of the
//     states before and after a step.
//   - Temporal properties: Model.Temporal with Eventually, AlwaysEventually,
//     EventuallyAlways, LeadsTo, LeadsToAlways; Model.WeakFair and
//     Model.StrongFair, Fairness.Per, Fairness.When (fairness of the
//     branches a condition of the state and the picks accepts: Picks,
//     Picked).
//   - ENABLED: Enabled (with Pick), a predicate the engine evaluates by
//     running the action, for invariants and temporal formulas.
//   - Refinement: Refines (the model implements a high model under a
//     mapping of states; see its documentation for what is checked).
//   - Inside actions: Ctx.S, Ctx.Assume, OneOf, OneOfSet, OneOfVSet,
//     IntRange, SubsetOf, SubsetOfSet, SubsetOfVSet, FunctionOf, Ctx.Either.
//   - State values: Set, SetOf, SetRange, UnionAll, MapSet, SetMin, SetMax;
//     VSet, VSetOf, MapVSet; BigInt, Big, BigFrom, ParseBig; Variants (sum
//     types).
//   - Errors met when a model is loaded: TypeError and TypeErrors (a state
//     type the engines cannot handle), UnknownNameError (Spec.Model).
package execspec
