package conformance_test

import (
	"context"
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/dnscontrol/conformance"
	"github.com/execspec/execspec/internal/longtest"
	"github.com/execspec/execspec/mbt"
)

// conform runs mbt.Run with traces random 50-step traces (the
// -execspec.traces flag and EXECSPEC_TRACES override it) against drivers
// made by newDriver, and checks the report: every trace ran and, with 100
// traces or more, every action was performed and deploy and cleanup were
// refused at least once.
func conform(t *testing.T, p dnsbalancer.Params, traces int, newDriver func(testing.TB, dnsbalancer.Params) *conformance.Driver) *conformance.Driver {
	t.Helper()
	var d *conformance.Driver
	rep := mbt.Run(t, dnsbalancer.New(p), func(tb testing.TB) mbt.Driver[State] {
		d = newDriver(tb, p)
		return d
	}, mbt.Options{Traces: traces, Steps: 50})
	if rep == nil || t.Failed() {
		t.FailNow()
	}
	// With fewer traces (-short) a rare action may not come up: on the
	// realistic instance a cleanup needs a deployer 21 plans ahead.
	if actions, _ := rep.Unexercised(); len(actions) > 0 && rep.Traces >= 100 {
		t.Errorf("actions never performed: %v", actions)
	}
	for _, a := range rep.Actions {
		// Random walks propose refused deploys and cleanups; sync is always
		// allowed, and the model refuses plan before picking its weights.
		if a.Refused == 0 && (a.Name == "deploy" || a.Name == "cleanup") && rep.Traces >= 100 {
			t.Errorf("action %s never refused", a.Name)
		}
	}
	t.Logf("%d traces, %d steps (%d refused), %d distinct states, %.0f steps/s; endpoint down in %d observed states",
		rep.Traces, rep.Steps, rep.Refusals, rep.States, float64(rep.Steps)/rep.Elapsed.Seconds(), d.Outages)
	return d
}

func inProcess(tb testing.TB, p dnsbalancer.Params) *conformance.Driver {
	d, _ := conformance.InProcess(tb, p)
	return d
}

func overHTTP(tb testing.TB, p dnsbalancer.Params) *conformance.Driver {
	d, _ := conformance.OverHTTP(tb, p)
	return d
}

// TestConformanceFixed: the fixed service conforms to the fixed model over
// 300 random traces of 50 steps (1,000 with EXECSPEC_LONG=1, which CI
// sets), in process, and its endpoint never goes down.
func TestConformanceFixed(t *testing.T) {
	traces := 300
	if longtest.Enabled() {
		traces = 1000
	}
	d := conform(t, fixed, traces, inProcess)
	if d.Outages > 0 {
		t.Errorf("the fixed service lost its endpoint in %d observed states", d.Outages)
	}
}

// TestConformanceFixedHTTP: the same over HTTP (an httptest.Server), with
// 100 traces; -execspec.traces=1000 (or EXECSPEC_TRACES=1000) for more.
func TestConformanceFixedHTTP(t *testing.T) {
	d := conform(t, fixed, 100, overHTTP)
	if d.Outages > 0 {
		t.Errorf("the fixed service lost its endpoint in %d observed states", d.Outages)
	}
}

// TestConformanceLive: the service with both fixes (acme -live) conforms to
// the *_live model over 100 random traces of 50 steps (300 with
// EXECSPEC_LONG=1, which CI sets), in process, and its endpoint never goes
// down; on the realistic instance too (100 traces).
func TestConformanceLive(t *testing.T) {
	small := 100
	if longtest.Enabled() {
		small = 300
	}
	for _, c := range []struct {
		name   string
		traces int
	}{{"n3_5_3_live", small}, {"n3_30_20_live", 100}} {
		t.Run(c.name, func(t *testing.T) {
			p, err := conformance.Instance(c.name)
			if err != nil {
				t.Fatal(err)
			}
			d := conform(t, p, c.traces, inProcess)
			if d.Outages > 0 {
				t.Errorf("the live service lost its endpoint in %d observed states", d.Outages)
			}
		})
	}
}

// TestConformanceBuggy: the buggy service conforms to the buggy model, bug
// included. Random traces walk into the outage (the driver's health check
// sees the endpoint down exactly when the model's invariant fails), and
// conformance still holds: model-based testing shows that the
// implementation does what the model says; the model's invariant is what
// says that this is an outage.
func TestConformanceBuggy(t *testing.T) {
	d := conform(t, buggy, 300, inProcess)
	if d.Outages == 0 && !testing.Short() {
		t.Errorf("no random trace reached the outage")
	}
}

// TestConformanceFindsTheDifference: the harness has teeth. The buggy model
// against the fixed service, and the fixed model against the buggy service,
// diverge, and mbt.Run shrinks the divergence to a short trace.
func TestConformanceFindsTheDifference(t *testing.T) {
	for _, c := range []struct {
		name       string
		model, svc dnsbalancer.Params
	}{
		{"buggy model, fixed service", buggy, fixed},
		{"fixed model, buggy service", fixed, buggy},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &errorRecorder{TB: t}
			rep := mbt.Run(rec, dnsbalancer.New(c.model), func(tb testing.TB) mbt.Driver[State] {
				return inProcess(tb, c.svc)
			}, mbt.Options{Seed: 1, Traces: 200, Dir: t.TempDir()})
			if rep == nil || rep.Divergence == nil || len(rec.errs) == 0 {
				t.Fatalf("no divergence found; errors: %q", rec.errs)
			}
			d := rep.Divergence
			if d.Len() > 20 {
				t.Errorf("the divergence shrank to %d steps only", d.Len())
			}
			t.Logf("%s at step %d (%s) of a %d-step trace, shrunk from %d steps", d.Kind, d.Step, d.Action, d.Len(), d.Original)
		})
	}
}

// alwaysHealthy is a service whose health check never notices anything.
type alwaysHealthy struct{ conformance.Service }

func (a alwaysHealthy) Health(ctx context.Context) (conformance.Health, error) {
	h, err := a.Service.Health(ctx)
	h.OK = true
	return h, err
}

// TestHealthCheckAgreesWithInvariant: the driver's extra check compares the
// service's /healthz with the model's no_inconsistent_root after every
// step, so a health check that misses the outage fails the replay at the
// step that causes it.
func TestHealthCheckAgreesWithInvariant(t *testing.T) {
	rec := &errorRecorder{TB: t}
	mbt.Replay(rec, dnsbalancer.New(buggy), func(tb testing.TB) mbt.Driver[State] {
		d, cp := conformance.InProcess(tb, buggy)
		d.Service = alwaysHealthy{conformance.NewLocal(cp)}
		return d
	}, mbt.Options{}, committedTrace)
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "/healthz ok is true but the model's no_inconsistent_root is false") {
		t.Fatalf("replay errors = %q, want the health check's disagreement", rec.errs)
	}
	t.Log(rec.errs[0])
}
