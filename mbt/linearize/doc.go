// Package linearize checks that a concurrent history is linearizable with
// respect to an execspec model, as porcupine does for its own models: some
// order of the operations, consistent with real time (an operation that
// returned before another was called comes first), is a behaviour of the
// model, with the outputs each operation observed and, when the history
// records one, the final state observed.
//
// A History is operations with their client, logical call and return
// times, inputs, outputs, refusal or missing answer (Pending: the client
// gave up; such an operation may have taken effect or not). A Checker
// compiled from a model checks histories (Check), explains a failure
// state by state (Explain), and splits independent keys with PartitionBy.
// SaveHistory and ReadHistory keep a history as JSON beside a page that
// shows it on a timeline (WriteHistoryHTML); FormatHistory prints it.
//
// mbt.RunConcurrent produces such histories by driving an implementation
// from several clients at once, and checks them here; a history recorded
// any other way (a log, porcupine's format through mbt/internal/kvlog) is
// checked the same way:
//
//	chk, err := linearize.NewChecker(model, linearize.CheckOptions{})
//	...
//	lin, err := chk.Check(history)
//	if !lin.OK {
//		fmt.Println(linearize.FormatHistory(history, lin))
//	}
package linearize
