package mbt_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt"
)

var hallOutputs = []string{"seat"}

// The hall chooses seats the model would not choose first: with the seat
// declared an output, every strategy passes it, and refusals are proposed
// only when no seat is free.
func TestOutputsCorrectHallPasses(t *testing.T) {
	for _, s := range []mbt.Strategy{mbt.RandomWalks, mbt.BFS, mbt.Coverage} {
		rt := newRecTB(t, "TestHall")
		rep := mbt.Run(rt, hallModel(), newHallDriver(hallCorrect), mbt.Options{Outputs: hallOutputs, Strategy: s, Steps: 8, Traces: 300, Dir: t.TempDir()})
		if rt.Failed() {
			t.Errorf("%s: the correct hall failed:\n%s", s, rt.errors())
			continue
		}
		if s != mbt.BFS && rep.Refusals == 0 {
			t.Errorf("%s: no refusal proposed (a full hall must refuse a booking)", s)
		}
		if s == mbt.Coverage && rep.Incomplete != "" {
			t.Errorf("coverage incomplete: %s", rep.Incomplete)
		}
	}
}

// A seat the model does not allow is a Mismatch naming what the hall
// chose and what the model allows; it is shrunk, saved with the hall's
// answers and replayed first by the next run.
func TestOutputsMismatch(t *testing.T) {
	dir := t.TempDir()
	opts := mbt.Options{Outputs: hallOutputs, Seed: 3, Dir: dir}
	rt := newRecTB(t, "TestHall")
	rep := mbt.Run(rt, hallModel(), newHallDriver(hallForgets), opts)
	d := rep.Divergence
	if d == nil {
		t.Fatalf("the forgetful hall passed:\n%s", rt.errors())
	}
	var oe *mbt.OutputError
	if d.Kind != mbt.Mismatch || !errors.As(d.Err, &oe) {
		t.Fatalf("divergence %v (%v), want a mismatch with an *OutputError", d.Kind, d.Err)
	}
	// The shortest: book s3, then book again (the hall hands out s3).
	if d.Len() != 2 {
		t.Errorf("shrunk to %d steps, want 2:\n%s", d.Len(), rt.errors())
	}
	msg := rt.errors()
	for _, want := range []string{`with seat="s3", which the model does not allow; it allows seat="s1" or seat="s2"`, "trace (model states):", d.File} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	saved, err := itf.ReadFile(d.File)
	if err != nil {
		t.Fatal(err)
	}
	if picks := saved[0].States[1].Values[itf.NondetPicksVar].String(); !strings.Contains(picks, `"s3"`) {
		t.Errorf("the saved trace's first booking records %s, want the hall's seat s3", picks)
	}
	dv, _ := saved[0].Meta[mbt.MetaDivergence].(map[string]any)
	if obs, _ := dv["observed_outputs"].(map[string]any); obs["seat"] != "s3" {
		t.Errorf("#meta divergence observed_outputs %v, want seat s3", dv["observed_outputs"])
	}
	rt2 := newRecTB(t, "TestHall")
	rep2 := mbt.Run(rt2, hallModel(), newHallDriver(hallForgets), opts)
	if rep2.Saved != 1 || rep2.Divergence == nil || rep2.Divergence.Kind != mbt.Mismatch {
		t.Errorf("the next run: %d saved, divergence %+v", rep2.Saved, rep2.Divergence)
	}
	rt3 := newRecTB(t, "TestHall")
	if mbt.Run(rt3, hallModel(), newHallDriver(hallCorrect), opts); rt3.Failed() {
		t.Errorf("the correct hall fails the saved trace:\n%s", rt3.errors())
	}
}

// A driver that reports outputs wrongly fails the test (its own bug, not
// the implementation's): nothing is shrunk or saved.
func TestOutputDriverErrors(t *testing.T) {
	for _, tc := range []struct {
		mode    hallMode
		outputs []string
		want    string
	}{
		{hallSelf, hallOutputs, "has no StepOutputs method"},
		{hallExtra, hallOutputs, `returned output "row", which Options.Outputs does not declare`},
		{hallMissing, hallOutputs, `returned no value for output "seat"`},
		{hallNotPicks, []string{"seat", "gate"}, `returned output "gate", which book does not pick`},
		{hallCorrect, nil, "the driver returned outputs, but Options.Outputs declares none"},
	} {
		dir := t.TempDir()
		rt := newRecTB(t, "TestErr")
		rep := mbt.Run(rt, hallModel(), newHallDriver(tc.mode), mbt.Options{Outputs: tc.outputs, Seed: 1, Dir: dir})
		if !strings.Contains(rt.errors(), tc.want) || rep != nil && rep.Divergence != nil {
			t.Errorf("%s: want an error %q and no divergence, got %v:\n%s", tc.mode, tc.want, rep, rt.errors())
		}
		if files, _ := filepath.Glob(filepath.Join(dir, "*", "*")); len(files) > 0 {
			t.Errorf("%s: saved %v", tc.mode, files)
		}
	}
}

// DisabledRate decides whether random walks and Coverage propose steps
// the model does not allow: negative, none. A random walk draws each step
// from the state the hall's answers led to, so it then has no refusal at
// all. Coverage's traces are drawn ahead from the model's choices: the
// hall's own seats may make a later step one the model then does not
// allow (leaving a seat the hall did not give), which is judged as such;
// but no booking is proposed for refusal.
func TestDisabledRateWithOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("counts refusals over its 100 traces; -short divides them to 10")
	}
	for _, tc := range []struct {
		strategy mbt.Strategy
		rate     float64
		// refusals reports whether the report's refusals are as expected.
		refusals func(*mbt.Report) bool
	}{
		{mbt.RandomWalks, 0, func(r *mbt.Report) bool { return r.Actions[0].Refused > 0 }},
		{mbt.RandomWalks, -1, func(r *mbt.Report) bool { return r.Refusals == 0 }},
		{mbt.Coverage, 0, func(r *mbt.Report) bool { return r.Actions[0].Refused > 0 }},
		{mbt.Coverage, -1, func(r *mbt.Report) bool { return r.Actions[0].Refused == 0 }},
	} {
		rt := newRecTB(t, "TestRate")
		rep := mbt.Run(rt, hallModel(), newHallDriver(hallCorrect), mbt.Options{Outputs: hallOutputs, Strategy: tc.strategy, DisabledRate: tc.rate, Steps: 8, Traces: 100, Seed: 1, Dir: t.TempDir()})
		if rt.Failed() || rep.Incomplete != "" {
			t.Fatalf("%s, rate %v: %s\n%s", tc.strategy, tc.rate, rep.Incomplete, rt.errors())
		}
		if !tc.refusals(rep) {
			t.Errorf("%s, rate %v: %d refusals, %d of them bookings", tc.strategy, tc.rate, rep.Refusals, rep.Actions[0].Refused)
		}
	}
}

// sweepModel is the hall with one more action: a sweeper cleans seat s1
// while it is taken. Its guard comes before its input: where s1 is free,
// it is disabled before the sweeper is picked.
func sweepModel() *execspec.Model[Hall] {
	m := hallModel()
	m.Action("sweep", func(c *execspec.Ctx[Hall]) {
		if _, taken := c.S.Taken["s1"]; !c.Assume(taken) {
			return
		}
		execspec.OneOf(c, "sweeper", []string{"x", "y"})
	})
	return m
}

// BFS and Coverage draw their traces ahead from the model's choices: it
// books s1, then sweeps. The hall books s3, so in the state it led to the
// sweep is disabled before its input is picked: such a step, which the
// driver could not be handed, is left out rather than proposed for
// refusal without its input.
func TestOutputsStepsWithoutInputs(t *testing.T) {
	for _, s := range []mbt.Strategy{mbt.BFS, mbt.Coverage} {
		rt := newRecTB(t, "TestSweep")
		rep := mbt.Run(rt, sweepModel(), newHallDriver(hallCorrect), mbt.Options{Outputs: hallOutputs, Strategy: s, Steps: 4, Traces: 1000, Dir: t.TempDir()})
		if rt.Failed() {
			t.Errorf("%s: %s", s, rt.errors())
			continue
		}
		if sweep := rep.Actions[2]; sweep.Refused > 0 {
			t.Errorf("%s: the sweep was proposed for refusal %d times", s, sweep.Refused)
		}
	}
}

// hallTrace is a hand-written trace: ann books s3 (the hall's choice),
// bob s2, ann s1; then bob books again, which the full hall must refuse
// (its inputs only). taken1 is the state after the first step.
func hallTrace(taken1 string) string {
	state := func(action, picks, taken, meta string) string {
		return fmt.Sprintf(`{"#meta": {%s}, "mbt::actionTaken": %q, "mbt::nondetPicks": {%s}, "taken": {"#map": [%s]}}`, meta, action, picks, taken)
	}
	return `{"vars": ["taken"], "states": [` + strings.Join([]string{
		state("init", "", "", ""),
		state("book", `"patron": "ann", "seat": "s3"`, taken1, ""),
		state("book", `"patron": "bob", "seat": "s2"`, `["s2", "bob"], ["s3", "ann"]`, ""),
		state("book", `"patron": "ann", "seat": "s1"`, `["s1", "ann"], ["s2", "bob"], ["s3", "ann"]`, ""),
		state("book", `"patron": "bob"`, `["s1", "ann"], ["s2", "bob"], ["s3", "ann"]`, `"enabled": false`),
	}, ", ") + "]}"
}

// Replay takes the outputs from the driver again, and a step the trace
// marks not enabled carries its inputs only: the model must allow it for
// no value of the outputs.
func TestOutputsReplay(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.itf.json")
	if err := os.WriteFile(good, []byte(hallTrace(`["s3", "ann"]`)), 0o644); err != nil {
		t.Fatal(err)
	}
	rt := newRecTB(t, "TestReplay")
	mbt.Replay(rt, hallModel(), newHallDriver(hallCorrect), mbt.Options{Outputs: hallOutputs}, good)
	if rt.Failed() {
		t.Errorf("replay of a good trace:\n%s", rt.errors())
	}
	rt = newRecTB(t, "TestReplay")
	mbt.Replay(rt, hallModel(), newHallDriver(hallForgets), mbt.Options{Outputs: hallOutputs}, good)
	if !strings.Contains(rt.errors(), mbt.Mismatch.String()) {
		t.Errorf("replay on the forgetful hall: want a mismatch, got:\n%s", rt.errors())
	}
	// Refused while a seat is free: the model allows it for some seat.
	early := filepath.Join(dir, "early.itf.json")
	text := strings.Replace(hallTrace(`["s3", "ann"]`), `"mbt::actionTaken": "book", "mbt::nondetPicks": {"patron": "bob", "seat": "s2"}`, `"mbt::actionTaken": "book", "mbt::nondetPicks": {"patron": "bob"}`, 1)
	text = strings.Replace(text, `"#meta": {}, "mbt::actionTaken": "book", "mbt::nondetPicks": {"patron": "bob"}, "taken": {"#map": [["s2", "bob"], ["s3", "ann"]]}`, `"#meta": {"enabled": false}, "mbt::actionTaken": "book", "mbt::nondetPicks": {"patron": "bob"}, "taken": {"#map": [["s3", "ann"]]}`, 1)
	if err := os.WriteFile(early, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rt = newRecTB(t, "TestReplay")
	mbt.Replay(rt, hallModel(), newHallDriver(hallCorrect), mbt.Options{Outputs: hallOutputs}, early)
	if !strings.Contains(rt.errors(), "marked not enabled, but the model allows it for some value of its outputs") {
		t.Errorf("a refusal the model does not expect: got\n%s", rt.errors())
	}
}
