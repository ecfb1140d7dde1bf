// Package mbt is execspec's model-based testing: traces drawn from a model
// drive the real implementation under go test, and after every step the
// implementation's outcome and state are compared with the model's.
//
// A Driver performs a model step on the implementation: Reset before each
// trace, then Step per step with the action's name and its labelled picks.
// It returns an error wrapping ErrRefused when the implementation rejects
// the step; a step the model allows but the implementation refuses, or one
// the model does not allow but the implementation performs, is a
// divergence. A driver that is also an Observer returns the implementation's
// state as the model's state type, compared field by field after every step
// (Options.Ignore leaves out fields that cannot match):
//
//	func TestBank(t *testing.T) {
//		mbt.Run(t, bankmodel.New(), func(t testing.TB) mbt.Driver[bankmodel.State] {
//			return &bankDriver{}
//		}, mbt.Options{Ignore: []string{"version"}})
//	}
//
//	func (d *bankDriver) Step(ctx context.Context, s mbt.Step) error {
//		switch s.Action {
//		case "withdraw":
//			amount, err := mbt.Pick[int](s, "amount")
//			if err != nil {
//				return err
//			}
//			err = d.bank.Withdraw(amount)
//			if errors.Is(err, bank.ErrInsufficient) {
//				return mbt.Refusef("%v", err)
//			}
//			return err
//		...
//
// When the implementation chooses a value itself (which job a claim hands
// out, whether a late completion still counts), the model picks it among
// the candidates and constrains it with Assume, and Options.Outputs
// declares the pick an output, as ConcurrentOptions.Outputs does. The
// driver, an OutputDriver, is handed the step's inputs only and returns
// the values the implementation chose (Output); the model takes the branch
// with them and goes on from the state it reaches, and a value no branch
// allows is a Mismatch. A driver that checks an answer itself returns an
// error wrapping ErrMismatch (Mismatchf), a divergence as well. The
// package examples/leasequeue shows both sides.
//
// Run replays the test's saved traces, then draws random walks (or a
// bounded BFS, or a covering set of traces: Strategy), runs each against a
// Reset driver, and at the first divergence shrinks the trace (dropping
// steps, then lowering pick choices, while the model still accepts it and
// the implementation still diverges the same way), fails the test with the
// shortest trace and a diff of expected versus observed state, saves it as
// ITF under testdata/execspec/<TestName>/<hash>.itf.json (and in
// t.ArtifactDir()), and prints the go test command that reproduces it.
// Saved traces run first on every later go test; commit them as regression
// tests. At the end Run logs a report: traces, steps, distinct model states,
// per-action coverage.
//
// Replay drives the implementation from ITF files: saved traces, or Quint's
// `quint run --mbt` traces (mbt::actionTaken, mbt::nondetPicks). Package
// mbt/httpdriver drives services speaking JSON over HTTP.
//
// RunConcurrent tests concurrent implementations: clients issue operations
// drawn from the model at once through a ConcurrentDriver, and the recorded
// history must be linearizable with respect to the model (package
// mbt/linearize, whose checker also reads histories made any other way): some
// order consistent with real time explains every outcome, the values of
// the picks declared as outputs (ConcurrentOptions.Outputs) included. An
// operation whose client got no answer (ErrNoAnswer) is pending: it may
// take effect at any later point, or never. Independent operations
// (ConcurrentOptions.Partition, linearize.PartitionBy) are checked by partition. A
// controlled scheduler (RandomScheduler, PCTScheduler) runs one client at
// a time between the yield points of package mbt/yield, so narrow races
// show and replay from the seed. A failing history is shrunk by re-running,
// saved as JSON with an HTML page of the clients' timelines and the
// model's states (Explain), and replayed first by later runs; a check that
// runs out of its budget is undecided, saved apart, and not a failure.
//
// Fuzz drives one trace made from a fuzz target's input (FuzzPlan reads the
// bytes as choices), so go test -fuzz explores with coverage guidance.
//
// Flags, with environment twins, override the options: -execspec.seed
// (EXECSPEC_SEED), -execspec.traces (EXECSPEC_TRACES), -execspec.steps
// (EXECSPEC_STEPS); -short runs a tenth of the traces.
//
// Index: Run, Replay, Options, Strategy, Report; Driver, Observer, Step,
// Pick, ErrRefused, Refusef, ErrNotObserved; Divergence, DivergenceKind,
// DriverPanic; RunConcurrent, ConcurrentDriver, Output, ErrNoAnswer, NoAnswerf,
// ConcurrentOptions, Scheduler, ConcurrentReport; Fuzz, FuzzPlan,
// FuzzChoices, NewFuzzChoices.
package mbt
