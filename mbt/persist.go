package mbt

import (
	"errors"
	"fmt"

	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// Saved traces are ITF files, one per divergence, under
// <Options.Dir>/<TestName>/<hash>.itf.json, where the hash is taken over the
// trace's steps (not its "#meta"), so the same shrunk trace found twice gets
// the same name. Each state records mbt::actionTaken and mbt::nondetPicks as
// Quint does; a step the model does not allow (the implementation had to
// refuse it) repeats the previous state and carries "enabled": false in its
// "#meta". With outputs (Options.Outputs) a performed step records the
// values the implementation chose, a refused one its inputs only.

// metaEnabled is the state "#meta" key marking a step the model does not
// allow.
const metaEnabled = "enabled"

// runSaved replays this test's saved traces; it reports whether they all
// passed (so that new traces should be generated).
func (r *runner[S]) runSaved() bool {
	r.t.Helper()
	files, err := engine.SavedTraces(engine.TestDir(r.set.Dir, r.name))
	if err != nil {
		r.t.Errorf("execspec mbt: saved traces: %v", err)
		return false
	}
	ok := true
	for _, f := range files {
		traces, err := engine.ReadSavedTraces(f)
		if err != nil {
			if engine.Stale(r.t, "execspec mbt", "saved trace", f, r.mc.Name(), err) {
				ok = false
			}
			continue
		}
		for j, it := range traces {
			src := f
			if len(traces) > 1 {
				src = fmt.Sprintf("%s (trace %d)", f, j)
			}
			p, err := r.fromITF(it, "saved trace "+src)
			if err != nil {
				// MBT runs a trace's actions and picks: one that no longer
				// fits cannot be rewritten, only dropped.
				if engine.Stale(r.t, "execspec mbt", "saved trace", f, r.mc.Name(), err) {
					ok = false
				}
				break
			}
			r.rep.Saved++
			out := r.runPlan(p, false, nil)
			switch {
			case out.err != nil:
				r.t.Errorf("execspec mbt: saved trace %s: %v", src, out.err)
				return false
			case out.reject != "":
				r.t.Errorf("execspec mbt: saved trace %s: %s", src, out.reject)
				ok = false
			case out.div != nil:
				r.report(out.ran, out.div, f)
				ok = false
			}
		}
	}
	return ok
}

// fail handles a divergence of a generated trace: re-run, shrink, save,
// report.
func (r *runner[S]) fail(out outcome) {
	r.t.Helper()
	d, p := out.div, out.ran
	original, runs := len(p.Steps), 0
	again := r.runPlan(p, false, nil)
	flaky := !sameDivergence(d, again.div)
	if !flaky {
		p, d, runs = r.shrink(again.ran, again.div)
	}
	d.Original, d.ShrinkRuns, d.Flaky = original, runs, flaky
	tr, disabled, err := r.modelTrace(p)
	if err != nil {
		r.t.Errorf("execspec mbt: %s: %v", p.origin, err)
		return
	}
	d.Trace, d.Disabled = tr, disabled
	file, err := r.save(p, d)
	if err != nil {
		r.t.Logf("execspec mbt: could not save the trace: %v", err)
	}
	r.report(p, d, file)
}

// report completes d with p's model trace, the file and the command, and
// fails the test with it.
func (r *runner[S]) report(p plan, d *Divergence, file string) {
	r.t.Helper()
	if d.Source == "" {
		d.Source = p.origin
	}
	if d.Original == 0 {
		d.Original = len(p.Steps)
	}
	if d.Trace == nil {
		tr, disabled, err := r.modelTrace(p)
		if err != nil {
			r.t.Errorf("execspec mbt: %s: %v", p.origin, err)
			return
		}
		d.Trace, d.Disabled = tr, disabled
	}
	d.File = file
	d.Command = r.command(p, file != "")
	r.rep.Divergence = d
	r.t.Errorf("%s", d.message(r.mc.Name()))
}

// command is the go test command that reproduces a divergence: the test
// alone (which replays its saved traces first), or with the seed when the
// trace could not be saved.
func (r *runner[S]) command(p plan, saved bool) string {
	if !saved && p.sample >= 0 && r.set.Strategy == RandomWalks {
		return engine.TestCommand(r.name, fmt.Sprintf("-execspec.seed=%d", r.set.Seed), fmt.Sprintf("-execspec.traces=%d", p.sample+1))
	}
	return engine.TestCommand(r.name)
}

// save writes p's trace under the test's directory and, where the testing
// package provides one, into t.ArtifactDir(). It returns the file's path.
func (r *runner[S]) save(p plan, d *Divergence) (string, error) {
	it := toITF(d.Trace, d.Disabled)
	it.Meta["tool"] = "execspec mbt"
	it.Meta[trace.MetaModel] = r.mc.Name()
	it.Meta["test"] = r.name
	it.Meta[trace.MetaStatus] = "divergence"
	it.Meta["description"] = d.Kind.String() + ": " + d.summary()
	it.Meta[trace.MetaReplay] = r.command(p, true)
	it.Meta[MetaDivergence] = divergenceMeta(d)
	if len(r.set.Outputs) > 0 {
		it.Meta[MetaOutputs] = r.set.Outputs
	}
	if p.sample >= 0 {
		it.Meta[trace.MetaStrategy] = r.set.Strategy.String()
		it.Meta[trace.MetaSeed] = fmt.Sprint(r.set.Seed)
		it.Meta[trace.MetaSample] = p.sample
	}
	return engine.SaveTrace(r.t, engine.TestDir(r.set.Dir, r.name), it)
}

// toITF converts a model trace to ITF, marking the steps the model does
// not allow.
func toITF(tr *trace.Trace, disabled []int) *itf.Trace {
	it := tr.ToITF()
	for _, i := range disabled {
		it.States[i].Meta[metaEnabled] = false
	}
	return it
}

// MetaOutputs is the "#meta" key under which a saved trace lists the
// labels of the picks that are outputs (Options.Outputs): in its states,
// their values are those the implementation chose. Replaying the trace
// takes them from the driver again.
const MetaOutputs = "outputs"

// MetaDivergence is the "#meta" key under which a saved trace records its
// divergence: the step, the kind, a summary and, for a state mismatch, each
// field the model expected and the implementation showed ("expected" and
// "observed", absent when the field is). The viewer draws them side by
// side. For outputs the model does not allow (an *OutputError), it records
// the values the implementation chose under "observed_outputs".
const MetaDivergence = "divergence"

func divergenceMeta(d *Divergence) map[string]any {
	fields := []any{}
	for _, c := range d.Diff {
		f := map[string]any{"path": c.Path}
		if c.Old.IsValid() {
			f["expected"] = c.Old
		}
		if c.New.IsValid() {
			f["observed"] = c.New
		}
		fields = append(fields, f)
	}
	m := map[string]any{"step": d.Step, "kind": d.Kind.String(), "summary": d.summary(), "fields": fields}
	var oe *OutputError
	if errors.As(d.Err, &oe) {
		outs := map[string]any{}
		for _, p := range oe.Outputs {
			outs[p.Label] = p.Value
		}
		m["observed_outputs"] = outs
	}
	return m
}
