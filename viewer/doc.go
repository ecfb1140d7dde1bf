// Package viewer shows execspec traces and models in a web browser.
//
// [Write] turns any ITF trace (execspec's, Quint's, Apalache's) into one
// self-contained HTML page: the steps as a timeline with their actions and
// picks, the state at the selected step as a collapsible tree with what
// changed since the previous step highlighted (by the same notion of
// difference as trace.Diff: records by field, maps by key, sets by
// element), each variable's history, a swimlane per actor, the lasso's
// loop, and the per-step property table that [AnnotateProperties] or
// [AnnotateModel] record in the trace's #meta. Scripts, styles and the trace
// are embedded in the page: it needs no network. A trace too large for a
// browser is refused with a [*TooLargeError]; [Options] select variables and
// steps.
//
//	t, _, err := simulate.Replay(mc, opts, sample) // any *trace.Trace
//	if err != nil {
//		return err
//	}
//	if err := viewer.AnnotateModel(mc, t); err != nil { // invariants and examples per step
//		return err
//	}
//	return viewer.WriteFile("finding.html", t.ToITF(), viewer.Options{})
//
// [NewExplorer] returns an http.Handler serving an interactive explorer for
// a model: from an initial state, the user sees every enabled action with
// its picks (paged), steps forward and back, sees each invariant's and
// example's status, jumps along a saved trace and downloads the path taken
// as ITF. `execspec view` and `execspec explore` are thin commands over
// these.
package viewer
