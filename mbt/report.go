package mbt

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt/internal/statediff"
	"github.com/execspec/execspec/trace"
)

// Report summarises a Run. Run logs it with t.Logf and returns it.
type Report struct {
	Model    string
	Seed     uint64
	Strategy Strategy
	// Saved is the number of saved traces replayed before the new ones.
	Saved int
	// Traces and Steps count the generated traces run and the steps driven
	// (shrinking's re-runs are not counted); Refusals is how many of the
	// steps the model does not allow (the implementation had to refuse).
	Traces, Steps, Refusals int
	// States is the number of distinct model states the traces visited.
	States int
	// Observed says whether states were compared (the driver observes).
	Observed bool
	// Actions gives per-action coverage, in the model's order.
	Actions []ActionCoverage
	// Examples gives, per example property of the model, the number of
	// distinct visited states that satisfy it.
	Examples []ExampleCoverage
	// Incomplete says that BFS stopped at Traces or MaxStates, or that
	// Coverage did not find every goal, before its depth.
	Incomplete string
	// Divergence is the divergence found, shrunk; nil when none.
	Divergence *Divergence
	Elapsed    time.Duration

	seedGiven bool
}

// ActionCoverage counts one action's steps.
type ActionCoverage struct {
	Name string
	// Performed counts steps the model allows; Refused, steps it does not
	// allow (which the implementation had to refuse).
	Performed, Refused int
}

// ExampleCoverage counts the visited states satisfying one example.
type ExampleCoverage struct {
	Name   string
	States int
}

func newReport[S any](mc *machine.Machine[S], set settings) *Report {
	r := &Report{Model: mc.Name(), Seed: set.Seed, Strategy: set.Strategy, seedGiven: set.seedGiven}
	for _, a := range mc.Actions() {
		r.Actions = append(r.Actions, ActionCoverage{Name: a})
	}
	for _, p := range mc.PropertiesOf(machine.Example) {
		r.Examples = append(r.Examples, ExampleCoverage{Name: p.Name})
	}
	return r
}

// Unexercised returns the actions no trace performed, and the examples no
// visited state satisfies.
func (r *Report) Unexercised() (actions, examples []string) {
	for _, a := range r.Actions {
		if a.Performed == 0 {
			actions = append(actions, a.Name)
		}
	}
	for _, e := range r.Examples {
		if e.States == 0 {
			examples = append(examples, e.Name)
		}
	}
	return actions, examples
}

// TracesPerSecond and StepsPerSecond are the run's throughput.
func (r *Report) TracesPerSecond() float64 { return rate(r.Traces, r.Elapsed) }

// StepsPerSecond is the number of steps driven per second.
func (r *Report) StepsPerSecond() float64 { return rate(r.Steps, r.Elapsed) }

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// String renders the report as Run logs it.
func (r *Report) String() string {
	var b strings.Builder
	seed := fmt.Sprintf("seed %d", r.Seed)
	if !r.seedGiven && r.Strategy == RandomWalks {
		seed += fmt.Sprintf(" (rerun with -execspec.seed=%d)", r.Seed)
	}
	fmt.Fprintf(&b, "execspec mbt: model %s, %s, %s\n", r.Model, r.Strategy, seed)
	if r.Saved > 0 {
		fmt.Fprintf(&b, "  saved traces replayed first: %d\n", r.Saved)
		if r.Traces == 0 {
			b.WriteString("  no new traces run: a saved trace failed")
			return b.String()
		}
	}
	fmt.Fprintf(&b, "  %d traces, %d steps (%d refusals expected) in %s: %.0f traces/s, %.0f steps/s\n",
		r.Traces, r.Steps, r.Refusals, r.Elapsed.Round(time.Millisecond), r.TracesPerSecond(), r.StepsPerSecond())
	obs := "compared after every step"
	if !r.Observed {
		obs = "not compared (the driver does not observe)"
	}
	fmt.Fprintf(&b, "  %d distinct model states visited; states %s\n", r.States, obs)
	w := len("action")
	for _, a := range r.Actions {
		w = max(w, len(a.Name))
	}
	fmt.Fprintf(&b, "  %-*s  %9s  %9s\n", w, "action", "performed", "refused")
	for _, a := range r.Actions {
		fmt.Fprintf(&b, "  %-*s  %9d  %9d\n", w, a.Name, a.Performed, a.Refused)
	}
	for _, e := range r.Examples {
		fmt.Fprintf(&b, "  example %s: satisfied by %d of the distinct states\n", e.Name, e.States)
	}
	actions, examples := r.Unexercised()
	if len(actions) > 0 {
		fmt.Fprintf(&b, "  never performed: %s\n", strings.Join(actions, ", "))
	}
	if len(examples) > 0 {
		fmt.Fprintf(&b, "  examples never reached: %s\n", strings.Join(examples, ", "))
	}
	if r.Incomplete != "" {
		fmt.Fprintf(&b, "  incomplete: %s\n", r.Incomplete)
	}
	if r.Divergence != nil {
		fmt.Fprintf(&b, "  diverged: %s (see the failure above)\n", r.Divergence.Kind)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// DivergenceKind says how the implementation departed from the model.
type DivergenceKind int

const (
	// Refused: the implementation refused a step the model allows.
	Refused DivergenceKind = iota + 1
	// Performed: the implementation performed a step the model does not
	// allow.
	Performed
	// StateMismatch: after a step, the observed state differs from the
	// model's.
	StateMismatch
	// Panicked: the driver (or the implementation) panicked.
	Panicked
	// Mismatch: the implementation performed a step the model allows but
	// answered what the model does not allow: outputs (Options.Outputs)
	// no branch of the step has (the error is an *OutputError), or an
	// answer the driver itself found wrong (ErrMismatch).
	Mismatch
	// StepViolated: the step performed is one the model allows, but the
	// model's transition for it (with outputs, the branch the
	// implementation's answers chose) breaks a step invariant of the model
	// (execspec.Model.StepInvariant); the error names it.
	StepViolated
)

func (k DivergenceKind) String() string {
	switch k {
	case Refused:
		return "the implementation refused a step the model allows"
	case Performed:
		return "the implementation performed a step the model does not allow"
	case StateMismatch:
		return "the implementation's state differs from the model's"
	case Panicked:
		return "the driver panicked"
	case Mismatch:
		return "the implementation answered what the model does not allow"
	case StepViolated:
		return "the step performed breaks a step invariant of the model"
	}
	return fmt.Sprintf("DivergenceKind(%d)", int(k))
}

// Divergence is a trace on which the implementation departs from the model.
type Divergence struct {
	Kind DivergenceKind
	// Step is the index in Trace.Steps of the step that diverged (0: init,
	// for a state mismatch right after Reset), Action its action.
	Step   int
	Action string
	// Err is the refusal returned by the driver (Refused), a *DriverPanic
	// (Panicked), an *OutputError or the driver's ErrMismatch (Mismatch),
	// or what the implementation answered to a step it should have refused
	// (Performed, with outputs; nil otherwise).
	Err error
	// Diff lists the fields that differ (StateMismatch): Old is the model's
	// value, New the implementation's.
	Diff []trace.Change
	// Trace is the trace, with the model's states, ending at the divergence.
	// Disabled lists the steps the model does not allow (their state is the
	// previous one).
	Trace    *trace.Trace
	Disabled []int
	// Source says where the trace came from: "trace 12 of seed 7" or a file.
	Source string
	// Original is the trace's length in steps before shrinking, and
	// ShrinkRuns the re-runs shrinking took.
	Original, ShrinkRuns int
	// Flaky is set when the divergence did not reproduce on a re-run, so the
	// trace could not be shrunk.
	Flaky bool
	// File is where the trace was saved, absolute ("" when it was not), and
	// Command the go test command that replays it (runnable from any
	// directory of the module).
	File, Command string
}

// Len is the length of the (shrunk) trace in steps, init excluded.
func (d *Divergence) Len() int {
	if d.Trace == nil {
		return 0
	}
	return len(d.Trace.Steps) - 1
}

// summary describes the divergence on one line, for a saved trace's
// "#meta".
func (d *Divergence) summary() string {
	if d.Kind != StateMismatch {
		return d.explain()
	}
	parts := make([]string, len(d.Diff))
	for i, c := range d.Diff {
		parts[i] = fmt.Sprintf("%s: model %s, implementation %s", c.Path, statediff.OrAbsent(c.Old), statediff.OrAbsent(c.New))
	}
	what := "Reset"
	if d.Step > 0 && d.Trace != nil && d.Step < len(d.Trace.Steps) {
		s := d.Trace.Steps[d.Step]
		what = fmt.Sprintf("step %d, %s", d.Step, formatStep(s.Action, s.Picks))
	}
	return fmt.Sprintf("after %s: %s", what, strings.Join(parts, "; "))
}

// explain is the one-paragraph description of what diverged.
func (d *Divergence) explain() string {
	var b strings.Builder
	what := d.Action
	if d.Trace != nil && d.Step < len(d.Trace.Steps) {
		s := d.Trace.Steps[d.Step]
		what = formatStep(s.Action, s.Picks)
	}
	switch d.Kind {
	case Refused:
		fmt.Fprintf(&b, "step %d: the implementation refused %s, which the model allows", d.Step, what)
		if d.Err != nil {
			fmt.Fprintf(&b, " (%v)", d.Err)
		}
	case Performed:
		fmt.Fprintf(&b, "step %d: the implementation performed %s, which the model does not allow (its guard fails)", d.Step, what)
		if d.Err != nil {
			fmt.Fprintf(&b, "; %v", d.Err)
		}
	case Mismatch:
		var oe *OutputError
		if errors.As(d.Err, &oe) {
			fmt.Fprintf(&b, "step %d: %v (the trace shows the model's first choice)", d.Step, d.Err)
		} else {
			fmt.Fprintf(&b, "step %d: the implementation performed %s but answered otherwise than the model allows: %v", d.Step, what, d.Err)
		}
	case StateMismatch:
		if d.Step == 0 {
			fmt.Fprintf(&b, "after Reset, the implementation's initial state differs from the model's:\n")
		} else {
			fmt.Fprintf(&b, "after step %d, %s, the implementation's state differs from the model's:\n", d.Step, what)
		}
		b.WriteString(strings.TrimSuffix(statediff.Format(d.Diff, "model", "implementation"), "\n"))
	case Panicked:
		fmt.Fprintf(&b, "step %d, %s: the driver panicked: %v", d.Step, what, panicValue(d.Err))
		if p, ok := d.Err.(*DriverPanic); ok {
			b.WriteString("\n" + panicStack(p.Stack))
		}
	}
	return b.String()
}

// panicStack returns the frames of a panic's stack below the panic itself,
// down to mbt's own frames and at most 8 of them, indented.
func panicStack(stack string) string {
	lines := strings.Split(strings.TrimSpace(stack), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			lines = lines[i+2:] // the panic call and its file line
			break
		}
	}
	for i, l := range lines {
		if strings.HasPrefix(l, "github.com/execspec/execspec/mbt.") {
			lines = lines[:i] // mbt's own frames
			break
		}
	}
	if len(lines) > 16 {
		lines = append(lines[:16], "\t...")
	}
	return "    " + strings.Join(lines, "\n    ")
}

func panicValue(err error) any {
	if p, ok := err.(*DriverPanic); ok {
		return p.Value
	}
	return err
}

func formatStep(action string, picks []trace.Pick) string {
	if len(picks) == 0 {
		return action
	}
	var b strings.Builder
	b.WriteString(action + "(" + trace.FormatPicks(picks) + ")")
	return b.String()
}

// message is the failure message of a divergence.
func (d *Divergence) message(model string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "execspec mbt: model %s: %s\n", model, d.Kind)
	switch {
	case d.Flaky:
		fmt.Fprintf(&b, "in %s (%d steps; not shrunk: the divergence did not reproduce on a re-run, so the implementation is not deterministic given the steps)\n", d.Source, d.Len())
	case d.Original > d.Len():
		fmt.Fprintf(&b, "in %s, shrunk from %d to %d steps in %d runs\n", d.Source, d.Original, d.Len(), d.ShrinkRuns)
	default:
		fmt.Fprintf(&b, "in %s (%d steps)\n", d.Source, d.Len())
	}
	b.WriteString(d.explain())
	b.WriteString("\ntrace (model states):\n")
	if d.Trace != nil {
		b.WriteString(printTrace(d.Trace, d.Disabled, d.Step))
	}
	if d.File != "" {
		fmt.Fprintf(&b, "saved: %s (replayed first by every later go test)\n", d.File)
		fmt.Fprintf(&b, "view:  %s\n", engine.ViewCommand(d.File))
	}
	if d.Command != "" {
		fmt.Fprintf(&b, "reproduce: %s", d.Command)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// printTrace renders a trace as trace.Print does (the initial state whole,
// then what each step changed), marking the steps the model does not allow
// and the step that diverged.
func printTrace(tr *trace.Trace, disabled []int, highlight int) string {
	var b strings.Builder
	for i, s := range tr.Steps {
		refused := false
		for _, d := range disabled {
			refused = refused || d == i
		}
		fmt.Fprintf(&b, "  step %d: %s", i, formatStep(s.Action, s.Picks))
		if refused {
			b.WriteString("  [not allowed by the model: must be refused]")
		}
		if i == highlight {
			b.WriteString("  <-- diverged")
		}
		b.WriteByte('\n')
		if i == 0 {
			for _, v := range tr.Vars {
				fmt.Fprintf(&b, "      %s = %s\n", v, s.State[v])
			}
			continue
		}
		changes := trace.DiffStates(tr.Vars, tr.Steps[i-1].State, s.State)
		if len(changes) == 0 {
			b.WriteString("      (no change)\n")
		}
		for _, c := range changes {
			fmt.Fprintf(&b, "      %s\n", trace.FormatChange(c))
		}
	}
	return b.String()
}
