// Package validate is execspec's trace validation engine: it decides whether
// a recorded trace is a behaviour of a model. The trace may come from
// execspec itself (run, check, replay --out-itf), from another tool such as
// Quint or Apalache (any ITF file), or from production logs converted to
// ITF; `execspec replay PKG --itf FILE` is its command-line face.
//
// # What is checked
//
// States are compared as ITF values (itf.Equal: sets and maps as sets,
// integers by value whatever their size or spelling) on the model's state
// variables, which the trace must all have. Variables the trace has and the
// model does not (Quint's mbt::actionTaken and mbt::nondetPicks, or
// anything else) are ignored and listed in the Report.
//
//  1. The first state must be an initial state: some branch of the model's
//     Init, with the picks the trace records for it, produces it.
//
//  2. Every later state must follow from the one before by one transition:
//     - when the trace names the action (mbt::actionTaken, as execspec and
//     Quint's --mbt write it), that action is executed, with the recorded
//     picks (mbt::nondetPicks) imposed through machine.Executor.Direct; picks the
//     trace does not record are searched by enumerating their candidates;
//     - when it does not, every action is tried with every choice of picks
//     until one produces the recorded state. The Report says which one did.
//
//  3. When the trace is a lasso (ITF "loop": k), the last state must lead
//     back to state k, unless it already equals state k.
//
//  4. Every transition must keep the model's step invariants
//     (execspec.Model.StepInvariant): a state reached by a step that breaks
//     one fails with StepViolated. Action constraints and state
//     constraints, which bound searches, are not judged.
//
// Validation stops at the first state that cannot be reached and reports it
// as a Failure: which state, why (a recorded pick is not one of the model's
// candidates, the action is not enabled with these picks, no successor
// equals the recorded state, the model panicked, or the search budget ran
// out), and a field-level diff between the recorded state and the model's
// closest successor (the one with the fewest differing fields).
//
// # Limits
//
// The search is greedy: when several branches produce the recorded state,
// validation continues from the first one found. States that agree on
// every variable the trace shows are interchangeable for the model unless
// the state has fields left out of traces (tagged `itf:"-"`), in which case
// a later step may be rejected although another branch would have allowed
// it. Searching picks the trace does not record costs one execution per
// combination of candidates; Options.MaxExecutions bounds that per step.
package validate
