package conformance

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/mbt"
)

// ConcurrentDriver drives a Service from several clients at once through
// the operations of the dnsbalancer model: an mbt.ConcurrentDriver and
// mbt.Observer of the model's state, for mbt.RunConcurrent. The operations
// have no outputs; what the checker compares is each operation's outcome
// (performed or refused) and the final state of the service.
//
// The model bounds the number of plans where the planner does not: a plan
// operation reserves one of Params.MaxPlans slots first and is refused
// when none is left.
type ConcurrentDriver struct {
	Service Service
	Params  dnsbalancer.Params
	plans   atomic.Int64
}

// NewConcurrentDriver returns a concurrent driver of svc for the model
// instance p.
func NewConcurrentDriver(svc Service, p dnsbalancer.Params) *ConcurrentDriver {
	return &ConcurrentDriver{Service: svc, Params: p}
}

// Reset implements mbt.ConcurrentDriver.
func (d *ConcurrentDriver) Reset(ctx context.Context, _ mbt.Step) error {
	d.plans.Store(0)
	return d.Service.Reset(ctx)
}

// Do implements mbt.ConcurrentDriver; it is safe for concurrent use when
// the Service is.
func (d *ConcurrentDriver) Do(ctx context.Context, _ int, op mbt.Step) ([]mbt.Labelled, error) {
	switch op.Action {
	case "plan":
		if d.plans.Add(1) > int64(d.Params.MaxPlans) {
			d.plans.Add(-1)
			return nil, mbt.Refusef("the model instance has at most %d plans", d.Params.MaxPlans)
		}
		weights, err := mbt.Pick[map[string]int](op, "weights")
		if err != nil {
			d.plans.Add(-1)
			return nil, err
		}
		if _, err := d.Service.Plan(ctx, weights); err != nil {
			d.plans.Add(-1)
			return nil, err
		}
		return nil, nil
	case "sync", "deploy", "cleanup":
		name, err := mbt.Pick[string](op, "deployer")
		if err != nil {
			return nil, err
		}
		return nil, d.Service.Act(ctx, name, op.Action)
	}
	return nil, fmt.Errorf("conformance: unknown action %q", op.Action)
}

// Observe implements mbt.Observer.
func (d *ConcurrentDriver) Observe(ctx context.Context) (State, error) {
	obs, err := d.Service.Observe(ctx)
	if err != nil {
		return State{}, err
	}
	return ToState(obs), nil
}

// ClientOf gives each deployer a client of its own, as in production where
// the deployers are separate processes, and the planner client 0: with it,
// mbt.ConcurrentOptions.ClientOf makes a run's clients the planner and the
// deployers of p, so Clients must be len(p.Deployers)+1.
func ClientOf(p dnsbalancer.Params) func(mbt.Step) int {
	return func(op mbt.Step) int {
		name, err := mbt.Pick[string](op, "deployer")
		if err != nil {
			return 0 // the planner
		}
		return slices.Index(p.Deployers, name) + 1
	}
}

// ConcurrentInProcess returns a concurrent driver of a fresh control plane
// configured like p in Dir(tb), called in process: each client's context
// reaches the zone store, so in builds with the execspec_yield tag a
// controlled scheduler (mbt.PCTScheduler) can interleave the clients at
// the store's yield points.
func ConcurrentInProcess(tb testing.TB, p dnsbalancer.Params) *ConcurrentDriver {
	tb.Helper()
	_, cp := InProcess(tb, p)
	return NewConcurrentDriver(NewLocal(cp), p)
}

// ConcurrentOverHTTP returns a concurrent driver of a fresh control plane
// configured like p in Dir(tb), served by an httptest.Server on loopback
// that is closed at the end of the test.
func ConcurrentOverHTTP(tb testing.TB, p dnsbalancer.Params) *ConcurrentDriver {
	tb.Helper()
	return NewConcurrentDriver(serveLoopback(tb, p), p)
}
