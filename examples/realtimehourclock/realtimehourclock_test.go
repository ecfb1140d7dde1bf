package realtimehourclock_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/realtimehourclock"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/validate"
)

// TestErrorTemporal pins TLC's verdict for MCRealTimeHourClock.cfg: the
// property ErrorTemporal is violated (the manifest's "liveness failure").
// A shortest counterexample starts below 4 (at now = 1, the first such
// initial state from which time can jump to 4 with t staying within
// SecondsPerHour + Rho), advances time to 4 and stays there: a one-step
// stuttering lasso, which replays as a behaviour.
func TestErrorTemporal(t *testing.T) {
	mc, err := machine.Compile(realtimehourclock.New(realtimehourclock.Config))
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), mc, check.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Kind != findings.LivenessViolated || res.Findings[0].Property != "ErrorTemporal" {
		t.Fatalf("findings %v", res.Findings)
	}
	tr := res.Findings[0].Trace
	if len(tr.Steps) != 2 || tr.Loop == nil || *tr.Loop != 1 {
		t.Fatalf("lasso of %d states, loop %v; want init, then now = 4 for ever", len(tr.Steps), tr.Loop)
	}
	first, err := mc.FromITF(tr.Steps[0].State)
	if err != nil {
		t.Fatal(err)
	}
	last, err := mc.FromITF(tr.Steps[1].State)
	if err != nil {
		t.Fatal(err)
	}
	if first.Now != 1 || last.Now != 4 {
		t.Errorf("now %d then %d; want 1 then 4", first.Now, last.Now)
	}
	if rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{}); err != nil || !rep.Valid() {
		t.Errorf("the lasso does not replay: %v %v", err, rep)
	}
}
