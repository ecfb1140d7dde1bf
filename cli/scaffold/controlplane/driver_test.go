package controlplane_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/execspec/execspec/mbt"

	"github.com/execspec/execspec/cli/scaffold/controlplane"
)

// configStore stands in for the implementation under test: the store of
// configuration versions, with the active pointer the data plane reads.
// Replace it (and applier) with your control plane, called in process.
type configStore struct {
	mu        sync.Mutex
	published int
	objects   map[int]bool
	active    int
}

// errStale is the store's answer to an activation that would move the
// active pointer back.
var errStale = errors.New("older than the active version")

func newConfigStore() *configStore {
	return &configStore{objects: map[int]bool{0: true}}
}

// Publish adds the next version's plan.
func (cs *configStore) Publish() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.published++
}

// Activate writes version v's objects and points the active pointer at
// it; it refuses to go back.
func (cs *configStore) Activate(v int) error {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if v > cs.published {
		return fmt.Errorf("version %d is not published", v)
	}
	if v <= cs.active {
		return errStale
	}
	cs.objects[v] = true
	cs.active = v
	return nil
}

// Active returns the active version.
func (cs *configStore) Active() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.active
}

// DeleteBefore deletes the objects of the versions older than v, except
// the active one, and returns how many it deleted.
func (cs *configStore) DeleteBefore(v int) int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	n := 0
	for old := range cs.objects {
		if old < v && old != cs.active {
			delete(cs.objects, old)
			n++
		}
	}
	return n
}

// applier is one applier's loop body.
type applier struct{ next int }

// Apply activates the applier's next version, or skips ahead past the
// active one.
func (a *applier) Apply(cs *configStore) error {
	err := cs.Activate(a.next)
	switch {
	case errors.Is(err, errStale):
		a.next = cs.Active() + 1
		return nil
	case err != nil:
		return err
	}
	a.next++
	return nil
}

// Cleanup deletes the versions older than the applier's next minus keep.
func (a *applier) Cleanup(cs *configStore, keep int) int {
	return cs.DeleteBefore(a.next - keep)
}

// driver maps the model's actions onto the implementation's calls.
type driver struct {
	p        controlplane.Params
	store    *configStore
	appliers map[string]*applier
}

func (d *driver) Reset(ctx context.Context, init mbt.Step) error {
	d.store = newConfigStore()
	d.appliers = map[string]*applier{}
	for _, a := range d.p.Appliers {
		d.appliers[a] = &applier{next: 1}
	}
	return nil
}

func (d *driver) Step(ctx context.Context, step mbt.Step) error {
	switch step.Action {
	case "publish":
		if d.store.published >= d.p.MaxVersions {
			return mbt.Refusef("the planner has published its %d versions", d.p.MaxVersions)
		}
		d.store.Publish()
		return nil
	case "apply", "cleanup":
		name, err := mbt.Pick[string](step, "applier")
		if err != nil {
			return err
		}
		a := d.appliers[name]
		if a == nil {
			return fmt.Errorf("unknown applier %q", name)
		}
		if step.Action == "cleanup" {
			if a.Cleanup(d.store, d.p.Keep) == 0 {
				return mbt.Refusef("%s: nothing to clean up", name)
			}
			return nil
		}
		if err := a.Apply(d.store); err != nil {
			return mbt.Refusef("%s: %v", name, err)
		}
		return nil
	}
	return fmt.Errorf("unknown action %q", step.Action)
}

// Observe reads the implementation's state, for comparison with the
// model's after every step.
func (d *driver) Observe(ctx context.Context) (controlplane.State, error) {
	d.store.mu.Lock()
	defer d.store.mu.Unlock()
	s := controlplane.State{Published: d.store.published, Active: d.store.active, Next: map[string]int{}}
	for v := range d.store.objects {
		s.Stored = s.Stored.With(v)
	}
	for name, a := range d.appliers {
		s.Next[name] = a.next
	}
	return s, nil
}

// TestConformance drives the implementation with traces drawn from the
// fixed model and compares the two after every step; a divergence is
// shrunk, saved under testdata/execspec and replayed first by the next
// go test.
func TestConformance(t *testing.T) {
	p := controlplane.Small(true)
	p.Appliers = append(p.Appliers, "applier-c")
	p.MaxVersions = 10
	mbt.Run(t, controlplane.New(p), func(testing.TB) mbt.Driver[controlplane.State] { return &driver{p: p} }, mbt.Options{Seed: 1})
}
