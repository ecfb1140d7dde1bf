package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/dnscontrol/conformance"
	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/httpdriver"
	"github.com/execspec/execspec/trace"
)

// TestFlagshipOutage: the model finds the outage, and the service, driven
// through the model's counterexample over HTTP, agrees with the model at
// every step and ends in the same outage, which no deployer can repair.
func TestFlagshipOutage(t *testing.T) {
	ctx := context.Background()

	// The model's counterexample to no_inconsistent_root on n3_5_3, as ITF.
	tr := outageTrace(t)
	ss := states(t, buggy, tr)
	mc := compile(t, buggy)
	for i := range ss {
		if ok := rootConsistent(t, mc, &ss[i]); ok != (i < len(ss)-1) {
			t.Fatalf("state %d: no_inconsistent_root = %v; the counterexample must violate it in its last state only", i, ok)
		}
	}
	last := ss[len(ss)-1]
	path := writeITF(t, t.TempDir(), "outage.itf.json", tr.ToITF())
	t.Logf("the model's counterexample: %d steps; the root points at plan %d, whose tree is gone", len(tr.Steps)-1, last.Zone.Root)

	// Replay it against the buggy service over HTTP: mbt.Replay compares
	// every step's outcome and state with the model's, and the driver checks
	// the service's health against the model's invariants.
	d, svc := conformance.OverHTTP(t, buggy)
	mbt.Replay(t, dnsbalancer.New(buggy), driverOf(d), mbt.Options{}, path)
	if t.Failed() {
		return
	}
	if d.Steps != len(tr.Steps)-1 || len(d.Refusals) != 0 {
		t.Fatalf("the service ran %d steps with refusals %v, want all %d steps performed", d.Steps, d.Refusals, len(tr.Steps)-1)
	}

	// The outage, on the service itself.
	assertOutage(ctx, t, svc)

	// No deployer can repair it: each one syncs, observes the missing root
	// and fails its safety check (or, at the end of the plans, has nothing
	// to deploy); cleanups do not help. The planner moves on: still
	// nothing.
	names := deployersOf(last)
	repair := func(round string, want ...string) {
		t.Helper()
		for _, name := range names {
			if err := svc.Act(ctx, name, "sync"); err != nil {
				t.Fatalf("%s: %s sync: %v", round, name, err)
			}
			err := svc.Act(ctx, name, "deploy")
			if !errors.Is(err, mbt.ErrRefused) || !slices.ContainsFunc(want, func(w string) bool { return strings.Contains(err.Error(), w) }) {
				t.Fatalf("%s: %s deploy = %v, want a refusal: %s", round, name, err, strings.Join(want, " or "))
			}
			if err := svc.Act(ctx, name, "cleanup"); err != nil && !errors.Is(err, mbt.ErrRefused) {
				t.Fatalf("%s: %s cleanup: %v", round, name, err)
			}
			t.Logf("%s: %s deploy refused: %v", round, name, err)
		}
		assertOutage(ctx, t, svc)
	}
	repair("before new plans", "safety check failed", "nothing to deploy")
	for i := range 3 {
		if _, err := svc.Plan(ctx, map[string]int{dnsbalancer.DefaultIPs[i%3]: 110 + i}); err != nil {
			t.Fatal(err)
		}
	}
	repair("after 3 new plans", "safety check failed")
	repair("once more", "safety check failed")
}

// assertOutage checks that the endpoint resolves to nothing and that the
// health check says so.
func assertOutage(ctx context.Context, t *testing.T, svc *conformance.Remote) {
	t.Helper()
	addrs, err := svc.Resolve(ctx, layout.Root)
	if err != nil || len(addrs) != 0 {
		t.Fatalf("GET /resolve?name=%s = %v, %v; want no address", layout.Root, addrs, err)
	}
	err = svc.Client.Do(ctx, http.MethodGet, "/healthz", nil, nil)
	var he *httpdriver.Error
	if !errors.As(err, &he) || he.Status != http.StatusServiceUnavailable || !strings.Contains(he.Body, "degraded") {
		t.Fatalf("GET /healthz: %v, want 503 degraded", err)
	}
}

// TestFlagshipFixed: the fixed model refuses the outage trace's first stale
// deploy, so the trace as recorded no longer fits it. Its steps, re-executed
// on the fixed model (refused steps kept and marked "enabled": false), are
// replayed against the fixed service, which refuses the same steps for the
// same reasons, agrees at every step and keeps resolving.
func TestFlagshipFixed(t *testing.T) {
	ctx := context.Background()
	tr := outageTrace(t)
	dir := t.TempDir()
	path := writeITF(t, dir, "outage.itf.json", tr.ToITF())

	// The first stale deploy of the outage trace: a deployer applies a plan
	// older than the one the root points at.
	bugStates := states(t, buggy, tr)
	stale := 0
	for i := 1; i < len(tr.Steps) && stale == 0; i++ {
		if tr.Steps[i].Action == "deploy" && refusalReason(t, fixed, bugStates[i-1], tr.Steps[i]) == "stale plan" {
			stale = i
		}
	}
	if stale == 0 {
		t.Fatal("the outage trace has no stale deploy")
	}

	// mbt.Replay checks a trace against the model before driving anything:
	// with the fixed model it rejects the outage trace at that deploy.
	rec := &errorRecorder{TB: t}
	mbt.Replay(rec, dnsbalancer.New(fixed), func(tb testing.TB) mbt.Driver[State] {
		d, _ := conformance.InProcess(tb, fixed)
		return d
	}, mbt.Options{}, path)
	want := fmt.Sprintf("state %d, deploy", stale)
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], want) || !strings.Contains(rec.errs[0], "does not allow this step") {
		t.Fatalf("mbt.Replay of the outage trace with the fixed model reported %q, want one error at %q: the model does not allow this step", rec.errs, want)
	}
	t.Logf("mbt.Replay with the fixed model: %s", rec.errs[0])

	// The same actions and picks on the fixed model.
	fixedTr, fixedITF, refused := rebase(t, fixed, tr)
	if len(refused) == 0 || refused[0] != stale {
		t.Fatalf("the fixed model refuses steps %v, want the first at the stale deploy %d", refused, stale)
	}
	fixedStates := states(t, fixed, fixedTr)
	mc := compile(t, fixed)
	for i := range fixedStates {
		for _, p := range mc.PropertiesOf(machine.Invariant) {
			if ok, err := mc.Eval(p, &fixedStates[i]); err != nil || !ok {
				t.Fatalf("fixed model, state %d: %s = %v, %v", i, p.Name, ok, err)
			}
		}
	}
	// The deploy that pointed the root at a doomed plan is among the refused.
	lastDeploy := 0
	for i, st := range tr.Steps {
		if st.Action == "deploy" {
			lastDeploy = i
		}
	}
	if !slices.Contains(refused, lastDeploy) {
		t.Fatalf("the fixed model allows step %d, the deploy that set up the outage (refused: %v)", lastDeploy, refused)
	}
	fixedPath := writeITF(t, dir, "outage-fixed.itf.json", fixedITF)

	// Replay against the fixed service over HTTP.
	d, svc := conformance.OverHTTP(t, fixed)
	mbt.Replay(t, dnsbalancer.New(fixed), driverOf(d), mbt.Options{}, fixedPath)
	if t.Failed() {
		return
	}
	if d.Steps != len(tr.Steps)-1 || len(d.Refusals) != len(refused) {
		t.Fatalf("the service ran %d steps and refused %d, want %d and %d", d.Steps, len(d.Refusals), len(tr.Steps)-1, len(refused))
	}
	for k, r := range d.Refusals {
		i := refused[k]
		why := refusalReason(t, fixed, fixedStates[i-1], tr.Steps[i])
		if r.Step.Index != i || why == "" || !strings.Contains(r.Reason, why) {
			t.Fatalf("refusal %d: step %d: %s; want step %d refused: %s", k, r.Step.Index, r.Reason, i, why)
		}
		t.Logf("step %d %s refused, as by the fixed model: %s", i, r.Step, why)
	}

	// clouddb keeps resolving, and the control plane makes progress.
	end := fixedStates[len(fixedStates)-1]
	if end.Zone.Root == 0 {
		t.Fatal("the fixed trace deploys nothing")
	}
	assertResolves(ctx, t, svc, end.Plans[end.Zone.Root-1].Weights)
	weights := map[string]int{"192.0.2.2": 111, "192.0.2.3": 112}
	id, err := svc.Plan(ctx, weights)
	if err != nil {
		t.Fatal(err)
	}
	lead := deployersOf(end)[0]
	for _, name := range deployersOf(end) {
		if end.Deployers[name].Next > end.Deployers[lead].Next {
			lead = name
		}
	}
	for range id {
		if err := svc.Act(ctx, lead, "sync"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Act(ctx, lead, "deploy"); err != nil {
			t.Fatalf("%s deploy: %v", lead, err)
		}
		if obs, err := svc.Observe(ctx); err != nil || obs.Zone.Root == id {
			break
		}
	}
	assertResolves(ctx, t, svc, weights)
}

// assertResolves checks that the endpoint resolves to the load balancers of
// weights, and that the service is healthy.
func assertResolves(ctx context.Context, t *testing.T, svc *conformance.Remote, weights map[string]int) {
	t.Helper()
	addrs, err := svc.Resolve(ctx, layout.Root)
	if err != nil || len(addrs) != len(weights) {
		t.Fatalf("GET /resolve?name=%s = %v, %v; want %v", layout.Root, addrs, err, weights)
	}
	for _, a := range addrs {
		if weights[a.IP] != a.Weight {
			t.Fatalf("GET /resolve?name=%s = %v, want %v", layout.Root, addrs, weights)
		}
	}
	if err := svc.Client.Do(ctx, http.MethodGet, "/healthz", nil, nil); err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	t.Logf("%s resolves to %v", layout.Root, addrs)
}

// refusalReason is why the model of p refuses step st in state s, as the
// service words it ("" when it allows it): the guards of the model's deploy
// in their order, and cleanup's lack of victims.
func refusalReason(t *testing.T, p dnsbalancer.Params, s State, st trace.Step) string {
	t.Helper()
	name := deployerOf(t, st)
	d := s.Deployers[name]
	_, rootExists := s.Zone.Trees[d.Root]
	switch st.Action {
	case "deploy":
		switch {
		case d.Next > len(s.Plans):
			return "nothing to deploy"
		case d.Root != 0 && !rootExists:
			return "safety check failed"
		case p.Fixed && d.Next < s.Zone.Root:
			return "stale plan"
		case d.Lock != s.Zone.Lock:
			return "lock moved"
		}
	case "cleanup":
		if len(dnsbalancer.Victims(&s, p, name)) == 0 {
			return "nothing to clean up"
		}
	}
	return ""
}

func deployerOf(t *testing.T, st trace.Step) string {
	t.Helper()
	for _, p := range st.Picks {
		if p.Label == "deployer" {
			if s, ok := p.Value.AsString(); ok {
				return s
			}
		}
	}
	t.Fatalf("step %s has no deployer pick", st.Action)
	return ""
}

// TestCommittedOutageTrace: testdata/outage.itf.json, the counterexample as
// the README's command writes it, still fits the model (mbt.Replay checks
// every step and state) and the implementation, ends in the violation, and
// is the trace the simulation finds today.
func TestCommittedOutageTrace(t *testing.T) {
	traces, err := itf.ReadFile(committedTrace)
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) != 1 || traces[0].Meta["instance"] != "n3_5_3" || traces[0].Meta["property"] != outageProperty {
		t.Fatalf("%s: want one trace of n3_5_3 violating %s, got %d: %v", committedTrace, outageProperty, len(traces), traces[0].Meta)
	}
	mbt.Replay(t, dnsbalancer.New(buggy), func(tb testing.TB) mbt.Driver[State] {
		d, _ := conformance.InProcess(tb, buggy)
		return d
	}, mbt.Options{}, committedTrace)

	committed, err := trace.FromITF(traces[0])
	if err != nil {
		t.Fatal(err)
	}
	ss := states(t, buggy, committed)
	if rootConsistent(t, compile(t, buggy), &ss[len(ss)-1]) {
		t.Fatalf("%s: the last state does not violate %s", committedTrace, outageProperty)
	}
	fresh := outageTrace(t)
	if !sameTrace(committed, fresh) {
		t.Errorf("%s is not the counterexample the simulation finds now (%d steps, committed %d); regenerate it with\n"+
			"  go run ./cmd/execspec run ./examples/dnsbalancer --instance n3_5_3 --property no_inconsistent_root --seed 123 --strategy uniform --out-itf examples/dnscontrol/conformance/%s",
			committedTrace, len(fresh.Steps)-1, len(committed.Steps)-1, committedTrace)
	}
}

// sameTrace reports whether a and b have the same actions, picks and
// states.
func sameTrace(a, b *trace.Trace) bool {
	if len(a.Steps) != len(b.Steps) {
		return false
	}
	for i := range a.Steps {
		sa, sb := a.Steps[i], b.Steps[i]
		if sa.Action != sb.Action || len(trace.DiffStates(a.Vars, sa.State, sb.State)) > 0 || len(sa.Picks) != len(sb.Picks) {
			return false
		}
		for _, pa := range sa.Picks {
			if !slices.ContainsFunc(sb.Picks, func(pb trace.Pick) bool { return pa.Label == pb.Label && itf.Equal(pa.Value, pb.Value) }) {
				return false
			}
		}
	}
	return true
}
