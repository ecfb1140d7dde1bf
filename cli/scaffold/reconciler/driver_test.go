package reconciler_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/execspec/execspec/mbt"

	"github.com/execspec/execspec/cli/scaffold/reconciler"
)

// apiServer, informer and controller stand in for the implementation
// under test. Replace them with your controller, its client and its
// informer, called in process (a fake clientset does for the API server).
type apiServer struct {
	mu      sync.Mutex
	pods    map[string]bool
	created int
}

// Create creates a pod and returns its name.
func (a *apiServer) Create() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.created++
	name := reconciler.PodName(a.created)
	a.pods[name] = true
	return name
}

// Delete deletes a pod; deleting one that is gone does nothing.
func (a *apiServer) Delete(name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.pods, name)
}

// List returns the pods.
func (a *apiServer) List() map[string]bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]bool, len(a.pods))
	for p := range a.pods {
		out[p] = true
	}
	return out
}

// informer is the controller's cache of the pods.
type informer struct{ cache map[string]bool }

// Resync re-lists the pods.
func (inf *informer) Resync(api *apiServer) { inf.cache = api.List() }

// controller keeps desired pods, remembering the pods it created or
// deleted until its cache reflects them (expectations).
type controller struct {
	desired   int
	api       *apiServer
	inf       *informer
	expecting map[string]bool
}

// CreateIfShort creates a pod when the cache shows too few and no
// creation is still expected.
func (c *controller) CreateIfShort() error {
	if len(c.expecting) > 0 || len(c.inf.cache) >= c.desired {
		return fmt.Errorf("nothing to create (%d cached, %d expected)", len(c.inf.cache), len(c.expecting))
	}
	c.expecting[c.api.Create()] = true
	return nil
}

// DeleteIfOver deletes pod when the cache shows too many pods and no
// earlier write is still expected.
func (c *controller) DeleteIfOver(pod string) error {
	if len(c.expecting) > 0 || len(c.inf.cache) <= c.desired || !c.inf.cache[pod] {
		return fmt.Errorf("not deleting %s (%d cached, %d expected)", pod, len(c.inf.cache), len(c.expecting))
	}
	c.api.Delete(pod)
	c.expecting[pod] = true
	return nil
}

// Synced is the informer's event handler after a re-list: the
// expectations are met.
func (c *controller) Synced() { c.expecting = map[string]bool{} }

// driver maps the model's actions onto the implementation's calls.
type driver struct {
	p      reconciler.Params
	api    *apiServer
	inf    *informer
	ctrl   *controller
	deaths int
	scales int
}

func (d *driver) Reset(ctx context.Context, init mbt.Step) error {
	d.api = &apiServer{pods: map[string]bool{}}
	d.inf = &informer{cache: map[string]bool{}}
	d.ctrl = &controller{desired: d.p.Desired, api: d.api, inf: d.inf, expecting: map[string]bool{}}
	d.deaths, d.scales = 0, 0
	return nil
}

func (d *driver) Step(ctx context.Context, step mbt.Step) error {
	switch step.Action {
	case "create_pod":
		if d.api.created >= d.p.MaxCreates {
			return mbt.Refusef("the model stops at %d creations", d.p.MaxCreates)
		}
		if err := d.ctrl.CreateIfShort(); err != nil {
			return mbt.Refusef("%v", err)
		}
	case "delete_pod":
		pod, err := mbt.Pick[string](step, "pod")
		if err != nil {
			return err
		}
		if err := d.ctrl.DeleteIfOver(pod); err != nil {
			return mbt.Refusef("%v", err)
		}
	case "sync":
		if len(d.ctrl.expecting) == 0 && sameSet(d.inf.cache, d.api.List()) {
			return mbt.Refusef("the cache is up to date")
		}
		d.inf.Resync(d.api)
		d.ctrl.Synced()
	case "scale":
		n, err := mbt.Pick[int](step, "replicas")
		if err != nil {
			return err
		}
		d.ctrl.desired = n
		d.scales++
	case "pod_dies":
		pod, err := mbt.Pick[string](step, "pod")
		if err != nil {
			return err
		}
		d.api.Delete(pod)
		d.deaths++
	default:
		return fmt.Errorf("unknown action %q", step.Action)
	}
	return nil
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// Observe reads the implementation's state, for comparison with the
// model's after every step.
func (d *driver) Observe(ctx context.Context) (reconciler.State, error) {
	s := reconciler.State{Desired: d.ctrl.desired, Created: d.api.created, Deaths: d.deaths, Scales: d.scales}
	for pod := range d.api.List() {
		s.Pods = s.Pods.With(pod)
	}
	for pod := range d.inf.cache {
		s.Cache = s.Cache.With(pod)
	}
	for pod := range d.ctrl.expecting {
		s.Expecting = s.Expecting.With(pod)
	}
	return s, nil
}

// TestConformance drives the implementation with traces drawn from the
// fixed model and compares the two after every step; a divergence is
// shrunk, saved under testdata/execspec and replayed first by the next
// go test.
func TestConformance(t *testing.T) {
	p := reconciler.Small(true)
	p.MaxScales, p.MaxDeaths, p.MaxCreates = 3, 3, 12
	mbt.Run(t, reconciler.New(p), func(testing.TB) mbt.Driver[reconciler.State] { return &driver{p: p} }, mbt.Options{Seed: 1})
}
