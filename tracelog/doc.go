// Package tracelog lets an implementation log its steps as ITF events and
// validates such logs against a model: trace validation of production
// behaviour, in the manner of etcd-raft's validation of its Go code against
// a TLA+ spec.
//
// # Logging
//
// The implementation calls Step at each step it takes, with the action's
// name, the picks it made (Pick) and the state variables it knows (Var):
//
//	tracelog.Step("deploy", tracelog.Pick("deployer", d.name), tracelog.Var("zone", zone))
//
// The package-level functions log only in builds with the
// execspec_tracelog build tag, to the writer given to SetOutput. Without
// the tag Enabled is the constant false and Step, Pick, Var and SetOutput
// are empty functions the compiler inlines away; arguments that are costly
// to compute can be guarded with `if tracelog.Enabled { ... }`, which the
// compiler removes. A Logger logs regardless of the tag, for code that
// wants to decide at run time.
//
// Each event is one line of JSON: an ITF state whose mbt::actionTaken is
// the action and mbt::nondetPicks the picks (Some(value)), as Quint writes
// them with --mbt, plus the variables logged. ReadLog turns a log into an
// itf.Trace whose states have only the variables each event logged.
//
// # Validation with partial observability
//
// Validate decides whether a log is a behaviour of the model when events
// log only some variables, or none: it keeps every model state consistent
// with the log so far (not just the first found, since a variable not
// logged now may decide a later step), follows each event's action with
// its logged picks imposed and the others searched, and keeps the
// successors that agree with the variables the event logged. It reports
// how many events matched and, at the first that no candidate explains,
// the candidates and each one's closest successor as a field-level diff.
package tracelog
