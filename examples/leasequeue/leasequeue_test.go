package leasequeue_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/leasequeue"
	"github.com/execspec/execspec/internal/zootest"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt"
)

// outputs are the picks the queue chooses: which job a claim gets, and
// whether a completion counted.
var outputs = []string{"job", "ok"}

// driver drives a Queue. The workers are the driver's: it remembers the
// job each one holds, and refuses for them what they cannot ask (a claim
// while holding a job, a completion while holding none).
type driver struct {
	p       leasequeue.Params
	late    bool
	q       *leasequeue.Queue
	holding map[string]string
}

func (d *driver) Reset(context.Context, mbt.Step) error {
	d.q = leasequeue.NewQueue(d.p.Jobs, d.p.TTL)
	d.q.LateExpiry = d.late
	d.holding = map[string]string{}
	for _, w := range d.p.Workers {
		d.holding[w] = ""
	}
	return nil
}

// Step is StepOutputs without its outputs; Run calls StepOutputs.
func (d *driver) Step(ctx context.Context, s mbt.Step) error {
	_, err := d.StepOutputs(ctx, s)
	return err
}

// StepOutputs performs a step and returns what the queue chose.
func (d *driver) StepOutputs(_ context.Context, s mbt.Step) ([]mbt.Labelled, error) {
	if s.Action == "tick" {
		d.q.Tick()
		return nil, nil
	}
	w, err := mbt.Pick[string](s, "worker")
	if err != nil {
		return nil, err
	}
	switch s.Action {
	case "claim":
		if d.holding[w] != "" {
			return nil, mbt.Refusef("%s holds %s", w, d.holding[w])
		}
		j, err := d.q.Claim(w)
		if errors.Is(err, leasequeue.ErrNoJob) {
			return nil, mbt.Refusef("%v", err)
		}
		d.holding[w] = j
		return []mbt.Labelled{mbt.Output("job", j)}, nil
	case "complete":
		j := d.holding[w]
		if j == "" {
			return nil, mbt.Refusef("%s holds no job", w)
		}
		ok := d.q.Complete(w, j)
		d.holding[w] = ""
		return []mbt.Labelled{mbt.Output("ok", ok)}, nil
	}
	return nil, fmt.Errorf("unknown action %q", s.Action)
}

// Observe reads the queue's state and the workers'.
func (d *driver) Observe(context.Context) (leasequeue.State, error) {
	s := leasequeue.State{Now: d.q.Now(), Leases: d.q.Leases(), Done: map[string]bool{}, Holding: map[string]string{}}
	for _, j := range d.q.Done() {
		s.Done[j] = true
	}
	for w, j := range d.holding {
		s.Holding[w] = j
	}
	return s, nil
}

func newDriver(late bool) func(testing.TB) mbt.Driver[leasequeue.State] {
	return func(testing.TB) mbt.Driver[leasequeue.State] { return &driver{p: leasequeue.Small(), late: late} }
}

// TestQueue is the queue's conformance test: random walks of the model,
// with the queue choosing the jobs and the completions' fate, and the
// default options otherwise (100 traces of up to 50 steps, 5% of the steps
// ones the model does not allow). Every action is performed; with the
// full number of traces (not -short), some steps are refused and every job
// gets done.
func TestQueue(t *testing.T) {
	rep := mbt.Run(t, leasequeue.New(leasequeue.Small()), newDriver(false), mbt.Options{Outputs: outputs})
	if rep == nil {
		t.Fatal("no report")
	}
	acts, exs := rep.Unexercised()
	if len(acts) > 0 {
		t.Errorf("actions never performed: %v", acts)
	}
	if !testing.Short() && (rep.Refusals == 0 || len(exs) > 0) {
		t.Errorf("%d refusals, examples never reached: %v; want refusals and every job done", rep.Refusals, exs)
	}
}

// TestLateExpiryFound: the queue that counts leases expired a tick late
// diverges (it honours a completion the model says comes too late, or
// keeps a job the model says is free), and the divergence is shrunk to a
// few steps, saved with the queue's answers and replayed first by the
// next run, which the fixed queue then passes.
func TestLateExpiryFound(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{TB: t}
	opts := mbt.Options{Outputs: outputs, Dir: dir}
	rep := mbt.Run(rec, leasequeue.New(leasequeue.Small()), newDriver(true), opts)
	if rep == nil || rep.Divergence == nil {
		t.Fatalf("the late expiry was not found; errors: %q", rec.errs)
	}
	d := rep.Divergence
	t.Logf("found in %s: %d steps, shrunk to %d", d.Source, d.Original, d.Len())
	// Shrinking keeps the kind of divergence, and each has its shortest
	// trace: a completion honoured too late takes a claim, TTL ticks and
	// the completion; a claim refused while the expired job is the only
	// free one takes the other two jobs claimed and completed first.
	switch want := map[mbt.DivergenceKind]int{mbt.Mismatch: 4, mbt.Refused: 8}[d.Kind]; {
	case want == 0:
		t.Errorf("divergence %v, want a mismatch (a late completion honoured) or a refusal (an expired job kept)", d.Kind)
	case d.Len() != want:
		t.Errorf("%v: shrunk to %d steps, want %d", d.Kind, d.Len(), want)
	}
	msg := strings.Join(rec.errs, "\n")
	for _, want := range []string{"trace (model states):", "tick", d.File} {
		if !strings.Contains(msg, want) {
			t.Errorf("the report lacks %q:\n%s", want, msg)
		}
	}
	if testing.Verbose() {
		t.Logf("%s", msg)
	}
	saved, err := itf.ReadFile(d.File)
	if err != nil {
		t.Fatalf("saved trace: %v", err)
	}
	if got := fmt.Sprint(saved[0].Meta[mbt.MetaOutputs]); got != "[job ok]" {
		t.Errorf("saved #meta outputs %s, want [job ok]", got)
	}
	again := &recorder{TB: t}
	rep = mbt.Run(again, leasequeue.New(leasequeue.Small()), newDriver(true), opts)
	if rep.Saved != 1 || rep.Divergence == nil || rep.Divergence.File != d.File {
		t.Errorf("the next run: %d saved traces, divergence %v; want the saved trace failing again", rep.Saved, rep.Divergence)
	}
	fixed := &recorder{TB: t}
	rep = mbt.Run(fixed, leasequeue.New(leasequeue.Small()), newDriver(false), opts)
	if len(fixed.errs) > 0 || rep.Saved != 1 || rep.Traces == 0 {
		t.Errorf("the fixed queue: %d saved, %d traces, errors:\n%s", rep.Saved, rep.Traces, strings.Join(fixed.errs, "\n"))
	}
}

// TestStrategies: BFS and Coverage draw their traces ahead, from the
// model's own choices; the fixed queue, which chooses otherwise, passes
// them, and Coverage proposes refusals only where no answer of the queue
// would do.
func TestStrategies(t *testing.T) {
	for _, s := range []mbt.Strategy{mbt.BFS, mbt.Coverage} {
		rec := &recorder{TB: t}
		rep := mbt.Run(rec, leasequeue.New(leasequeue.Small()), newDriver(false), mbt.Options{Outputs: outputs, Strategy: s, Steps: 6, Traces: 2000, Dir: t.TempDir()})
		if len(rec.errs) > 0 || rep == nil || rep.Traces == 0 {
			t.Errorf("%s: errors:\n%s", s, strings.Join(rec.errs, "\n"))
			continue
		}
		if s == mbt.Coverage && (rep.Refusals == 0 || rep.Incomplete != "") {
			t.Errorf("coverage: %d refusals, incomplete: %q", rep.Refusals, rep.Incomplete)
		}
		t.Logf("%s: %d traces, %d steps, %d refusals", s, rep.Traces, rep.Steps, rep.Refusals)
	}
}

// TestModel: no reachable state of the small instance leases a job done
// (and the count of distinct states pins the model: a change shows here).
func TestModel(t *testing.T) {
	zootest.Clean(t, func() *execspec.Model[leasequeue.State] { return leasequeue.New(leasequeue.Small()) }, 17276)
	zootest.Instances(t, leasequeue.Spec())
}

// recorder records a run's failures instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }
func (r *recorder) Fail()             { r.errs = append(r.errs, "Fail") }
func (r *recorder) Failed() bool      { return len(r.errs) > 0 }
