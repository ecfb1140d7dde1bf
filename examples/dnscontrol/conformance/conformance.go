package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/dnscontrol/controlplane"
	"github.com/execspec/execspec/examples/dnscontrol/deployer"
	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/planner"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/httpdriver"
)

// State is the model's state, which the drivers observe.
type State = dnsbalancer.State

// Instance returns the parameters of a dnsbalancer instance named
// n3_<plans>_<keep>, with the suffix _fixed for the fixed model or _live
// for the model with both fixes: n3_5_3, n3_20_3_fixed, n3_5_3_live...
func Instance(name string) (dnsbalancer.Params, error) {
	base, fixed := strings.CutSuffix(name, "_fixed")
	base, live := strings.CutSuffix(base, "_live")
	parts := strings.Split(base, "_")
	if len(parts) == 3 && parts[0] == "n3" && !(fixed && live) {
		plans, err1 := strconv.Atoi(parts[1])
		keep, err2 := strconv.Atoi(parts[2])
		if err1 == nil && err2 == nil && plans > 0 && keep > 0 {
			if live {
				return dnsbalancer.LiveInstance(plans, keep), nil
			}
			return dnsbalancer.Instance(plans, keep, fixed), nil
		}
	}
	return dnsbalancer.Params{}, fmt.Errorf("instance %q: want n3_<plans>_<keep>[_fixed|_live], such as n3_5_3, n3_5_3_fixed or n3_5_3_live", name)
}

// Config returns the configuration of a control plane in dir that
// implements the model instance p: the same deployers, load-balancer IPs,
// plans kept by cleanup, and fixes.
func Config(p dnsbalancer.Params, dir string) controlplane.Config {
	return controlplane.Config{Dir: dir, Deployers: p.Deployers, IPs: p.IPs, Keep: p.Keep, Fixed: p.Fixed, Live: p.Live}
}

// ToState maps an Observation of the control plane onto the model's state,
// field for field.
func ToState(obs controlplane.Observation) State {
	lock := func(l controlplane.Lock) dnsbalancer.Lock { return dnsbalancer.Lock{Owner: l.Owner, Epoch: l.Epoch} }
	s := State{
		Zone: dnsbalancer.Zone{
			Lock:     lock(obs.Zone.Lock),
			Root:     obs.Zone.Root,
			Rollback: obs.Zone.Rollback,
			Trees:    make(map[int]map[string]int, len(obs.Zone.Trees)),
		},
		Deployers: make(map[string]dnsbalancer.Deployer, len(obs.Deployers)),
	}
	for _, p := range obs.Plans {
		s.Plans = append(s.Plans, dnsbalancer.Plan{ID: p.ID, Weights: p.Weights})
	}
	for id, t := range obs.Zone.Trees {
		s.Zone.Trees[id] = t
	}
	for name, d := range obs.Deployers {
		s.Deployers[name] = dnsbalancer.Deployer{Next: d.Next, Lock: lock(d.Lock), Root: d.Root, Rollback: d.Rollback}
	}
	return s
}

// Health is what clients of the service see: the health check and what the
// endpoint and its rollback alias resolve to.
type Health struct {
	OK       bool                 // GET /healthz answered 200
	Root     []wormhole53.Address // addresses of clouddb.us-east-1.api.acme
	Rollback []wormhole53.Address // addresses of rollback.clouddb.us-east-1.api.acme
}

// Service is the control plane as a driver sees it, in process (Local) or
// over HTTP (Remote). Refusals by the deployers' rules, and plans the planner
// rejects, are errors wrapping mbt.ErrRefused.
type Service interface {
	Reset(ctx context.Context) error
	// Plan writes the next plan with the given weights.
	Plan(ctx context.Context, weights map[string]int) (int, error)
	// Act runs "sync", "deploy" or "cleanup" on the named deployer.
	Act(ctx context.Context, deployer, action string) error
	Observe(ctx context.Context) (controlplane.Observation, error)
	Health(ctx context.Context) (Health, error)
}

// Local is a control plane called directly, in process.
type Local struct {
	CP      *controlplane.ControlPlane
	handler http.Handler
}

// NewLocal returns the Service of cp.
func NewLocal(cp *controlplane.ControlPlane) *Local { return &Local{CP: cp, handler: cp.Handler()} }

// Reset implements Service.
func (l *Local) Reset(context.Context) error { return l.CP.Reset() }

// Plan implements Service.
func (l *Local) Plan(_ context.Context, weights map[string]int) (int, error) {
	id, err := l.CP.Plan(weights)
	if errors.Is(err, planner.ErrInvalidPlan) {
		return 0, mbt.Refusef("%v", err)
	}
	return id, err
}

// Act implements Service.
func (l *Local) Act(ctx context.Context, name, action string) error {
	var err error
	switch action {
	case "sync":
		err = l.CP.Sync(ctx, name)
	case "deploy":
		_, err = l.CP.Deploy(ctx, name)
	case "cleanup":
		_, err = l.CP.Cleanup(ctx, name)
	default:
		return fmt.Errorf("unknown deployer action %q", action)
	}
	if deployer.IsRefusal(err) {
		return mbt.Refusef("%v", err)
	}
	return err
}

// Observe implements Service.
func (l *Local) Observe(context.Context) (controlplane.Observation, error) { return l.CP.Observe() }

// Health implements Service; the health check goes through the HTTP handler,
// without a network.
func (l *Local) Health(context.Context) (Health, error) {
	rec := httptest.NewRecorder()
	// A loopback Host: the handler refuses other names (DNS rebinding).
	l.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/healthz", nil))
	if rec.Code != http.StatusOK && rec.Code != http.StatusServiceUnavailable {
		return Health{}, fmt.Errorf("conformance: GET /healthz: status %d: %s", rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	return Health{
		OK:       rec.Code == http.StatusOK,
		Root:     l.CP.Resolve(layout.Root),
		Rollback: l.CP.Resolve(layout.Rollback),
	}, nil
}

// Remote is a control plane reached over HTTP through its handler's API: an
// httptest.Server or a running acme server.
type Remote struct {
	Client *httpdriver.Client
}

// NewRemote returns the Service at baseURL, such as http://127.0.0.1:8053.
// A refusal is a 409 whose body says "refused": true.
func NewRemote(baseURL string) *Remote {
	return &Remote{Client: &httpdriver.Client{
		BaseURL: baseURL,
		Refused: func(status int, body []byte) bool {
			return status == http.StatusConflict && strings.Contains(string(body), `"refused":true`)
		},
	}}
}

// Reset implements Service.
func (r *Remote) Reset(ctx context.Context) error { return r.Client.Post(ctx, "/mbt/reset", nil) }

// Plan implements Service. The planner's 400 for an invalid plan is a
// refusal.
func (r *Remote) Plan(ctx context.Context, weights map[string]int) (int, error) {
	if weights == nil {
		weights = map[string]int{}
	}
	resp, err := httpdriver.PostJSON[struct {
		ID int `json:"id"`
	}](ctx, r.Client, "/mbt/plan", map[string]any{"weights": weights})
	var he *httpdriver.Error
	if errors.As(err, &he) && he.Status == http.StatusBadRequest {
		return 0, mbt.Refusef("%v", err)
	}
	return resp.ID, err
}

// Act implements Service.
func (r *Remote) Act(ctx context.Context, name, action string) error {
	return r.Client.Post(ctx, "/mbt/deployers/"+url.PathEscape(name)+"/"+url.PathEscape(action), nil)
}

// Observe implements Service.
func (r *Remote) Observe(ctx context.Context) (controlplane.Observation, error) {
	return httpdriver.GetJSON[controlplane.Observation](ctx, r.Client, "/mbt/state")
}

// Health implements Service: GET /healthz, and GET /resolve for the
// endpoint and the rollback alias.
func (r *Remote) Health(ctx context.Context) (Health, error) {
	var h Health
	err := r.Client.Do(ctx, http.MethodGet, "/healthz", nil, nil)
	var he *httpdriver.Error
	switch {
	case err == nil:
		h.OK = true
	case errors.As(err, &he) && he.Status == http.StatusServiceUnavailable:
	default:
		return h, err
	}
	if h.Root, err = r.Resolve(ctx, layout.Root); err != nil {
		return h, err
	}
	h.Rollback, err = r.Resolve(ctx, layout.Rollback)
	return h, err
}

// Resolve asks the service's resolver for name.
func (r *Remote) Resolve(ctx context.Context, name string) ([]wormhole53.Address, error) {
	resp, err := httpdriver.GetJSON[struct {
		Addresses []wormhole53.Address `json:"addresses"`
	}](ctx, r.Client, "/resolve?name="+url.QueryEscape(name))
	return resp.Addresses, err
}

// Driver drives a Service through the steps of the dnsbalancer model: an
// mbt.Driver and mbt.Observer of the model's state.
//
// plan writes a plan with the step's "weights" pick; sync, deploy and cleanup
// run on the deployer of the "deployer" pick. The model bounds the number of
// plans (Params.MaxPlans) where the real planner does not: the driver refuses
// a plan beyond the bound, as the model does.
//
// After every step, Observe also checks what clients see against the
// model's invariants evaluated on the observed state (the state mbt compares
// with the model's): the endpoint resolves to an address, and /healthz is
// 200, exactly when no_inconsistent_root holds (or the root is the
// placeholder plan, which has no address), and the rollback alias resolves
// exactly when no_inconsistent_rollback holds. A disagreement fails the test.
type Driver struct {
	Service Service
	Params  dnsbalancer.Params
	// CheckHealth turns on the check of the service's health against the
	// model's invariants after every step (NewDriver sets it).
	CheckHealth bool

	mc       *machine.Machine[State]
	root     machine.Property[State]
	rollback machine.Property[State]
	plans    int // plans written since Reset

	// Steps counts the steps driven since the driver was made; Refusals
	// records each refusal's step and reason, most recent last.
	Steps    int
	Refusals []Refusal
	// Outages counts the observations (with CheckHealth) in which the
	// endpoint was down: no_inconsistent_root failed.
	Outages int
}

// Refusal is a step the service refused, and why.
type Refusal struct {
	Step   mbt.Step
	Reason string
}

// NewDriver returns a driver of svc for the model instance p, with the
// health check on.
func NewDriver(svc Service, p dnsbalancer.Params) (*Driver, error) {
	mc, err := machine.Compile(dnsbalancer.New(p))
	if err != nil {
		return nil, err
	}
	d := &Driver{Service: svc, Params: p, CheckHealth: true, mc: mc}
	if d.root, err = mc.Property("no_inconsistent_root"); err != nil {
		return nil, err
	}
	if d.rollback, err = mc.Property("no_inconsistent_rollback"); err != nil {
		return nil, err
	}
	return d, nil
}

// Reset implements mbt.Driver.
func (d *Driver) Reset(ctx context.Context, _ mbt.Step) error {
	d.plans = 0
	return d.Service.Reset(ctx)
}

// Step implements mbt.Driver.
func (d *Driver) Step(ctx context.Context, s mbt.Step) error {
	d.Steps++
	err := d.step(ctx, s)
	if errors.Is(err, mbt.ErrRefused) {
		d.Refusals = append(d.Refusals, Refusal{Step: s, Reason: err.Error()})
	}
	return err
}

func (d *Driver) step(ctx context.Context, s mbt.Step) error {
	switch s.Action {
	case "plan":
		if d.plans >= d.Params.MaxPlans {
			return mbt.Refusef("the model instance has at most %d plans", d.Params.MaxPlans)
		}
		// A step the model refuses before picking weights carries none;
		// the planner must then refuse the empty plan.
		weights, err := mbt.Pick[map[string]int](s, "weights")
		if err != nil && s.Enabled {
			return err
		}
		if _, err := d.Service.Plan(ctx, weights); err != nil {
			return err
		}
		d.plans++
		return nil
	case "sync", "deploy", "cleanup":
		name, err := mbt.Pick[string](s, "deployer")
		if err != nil {
			return err
		}
		return d.Service.Act(ctx, name, s.Action)
	}
	return fmt.Errorf("conformance: unknown action %q", s.Action)
}

// Observe implements mbt.Observer.
func (d *Driver) Observe(ctx context.Context) (State, error) {
	obs, err := d.Service.Observe(ctx)
	if err != nil {
		return State{}, err
	}
	s := ToState(obs)
	if d.CheckHealth {
		if err := d.checkHealth(ctx, &s); err != nil {
			return State{}, err
		}
	}
	return s, nil
}

// checkHealth compares what clients see with the model's invariants on s.
func (d *Driver) checkHealth(ctx context.Context, s *State) error {
	h, err := d.Service.Health(ctx)
	if err != nil {
		return err
	}
	rootOK, err := d.mc.Eval(d.root, s)
	if err != nil {
		return err
	}
	rollbackOK, err := d.mc.Eval(d.rollback, s)
	if err != nil {
		return err
	}
	if !rootOK {
		d.Outages++
	}
	placeholder := s.Zone.Root == layout.Placeholder
	var problems []string
	if resolves := len(h.Root) > 0; resolves != (rootOK && !placeholder) {
		problems = append(problems, fmt.Sprintf("%s resolves to %v but the model's no_inconsistent_root is %v (root plan %d)", layout.Root, h.Root, rootOK, s.Zone.Root))
	}
	if h.OK != rootOK {
		problems = append(problems, fmt.Sprintf("/healthz ok is %v but the model's no_inconsistent_root is %v (root plan %d)", h.OK, rootOK, s.Zone.Root))
	}
	if resolves := len(h.Rollback) > 0; resolves != (rollbackOK && s.Zone.Rollback != layout.Placeholder) {
		problems = append(problems, fmt.Sprintf("%s resolves to %v but the model's no_inconsistent_rollback is %v (rollback plan %d)", layout.Rollback, h.Rollback, rollbackOK, s.Zone.Rollback))
	}
	if len(problems) > 0 {
		return fmt.Errorf("conformance: the service's health disagrees with the model's invariants:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// Dir returns a fresh directory for a test's control plane, removed at the
// end of the test: on the memory file system /dev/shm when there is one,
// else tb.TempDir(). The control plane writes every change as in production
// (temporary file, fsync, rename); on a memory file system the fsyncs cost
// nothing, where on a disk they bound model-based testing to a few hundred
// steps per second.
func Dir(tb testing.TB) string {
	tb.Helper()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "execspec-dnscontrol-"); err == nil {
			tb.Cleanup(func() { _ = os.RemoveAll(dir) })
			return dir
		}
	}
	return tb.TempDir()
}

// InProcess returns a driver of a fresh control plane configured like p in
// Dir(tb), called in process, and the control plane.
func InProcess(tb testing.TB, p dnsbalancer.Params) (*Driver, *controlplane.ControlPlane) {
	tb.Helper()
	cp, err := controlplane.Open(Config(p, Dir(tb)))
	if err != nil {
		tb.Fatalf("conformance: %v", err)
	}
	d, err := NewDriver(NewLocal(cp), p)
	if err != nil {
		tb.Fatalf("conformance: %v", err)
	}
	return d, cp
}

// OverHTTP returns a driver of a fresh control plane configured like p in
// Dir(tb), served by an httptest.Server closed at the end of the test, and
// the server's Service.
func OverHTTP(tb testing.TB, p dnsbalancer.Params) (*Driver, *Remote) {
	tb.Helper()
	svc := serveLoopback(tb, p)
	d, err := NewDriver(svc, p)
	if err != nil {
		tb.Fatalf("conformance: %v", err)
	}
	return d, svc
}

// serveLoopback opens a fresh control plane configured like p in Dir(tb),
// serves it with an httptest.Server on loopback closed at the end of the
// test, and returns a client of it.
func serveLoopback(tb testing.TB, p dnsbalancer.Params) *Remote {
	tb.Helper()
	cp, err := controlplane.Open(Config(p, Dir(tb)))
	if err != nil {
		tb.Fatalf("conformance: %v", err)
	}
	srv := httptest.NewServer(cp.Handler())
	tb.Cleanup(srv.Close)
	svc := NewRemote(srv.URL)
	svc.Client.Client = srv.Client()
	return svc
}
